/**
 * Tartan rug (measures × areas, as in Fingertips "overview"). On the page it is an HTML table whose cells hold the
 * value and a small status icon from {@link tartanCell} (shape + colour, named in its title); for download the whole
 * rug is one SVG from {@link tartanRug}, where each cell prints its value on the status colour plus the status shape.
 */
import { legend } from "./legend.ts";
import { marker, STATUS_STYLE, STATUSES, type Status } from "./status-style.ts";
import { fitText, idSafe, MUTED, px, svgRoot, text, textWidth } from "./svg.ts";

export interface TartanCellOptions {
  id: string;
  status: Status;
  /** The status in words (becomes the icon's accessible name). */
  label: string;
  /** Longer description (value and interval), optional. */
  desc?: string;
  size?: number;
  /** Next to visible status words: hidden from assistive technology (the words carry the meaning). */
  decorative?: boolean;
}

/** A small status icon for one table cell: the status shape in its colour, named by its title. */
export function tartanCell(o: TartanCellOptions): string {
  const s = o.size ?? 16;
  const id = idSafe(o.id);
  if (o.decorative) {
    return `<svg xmlns="http://www.w3.org/2000/svg" class="omf-status-icon" viewBox="0 0 ${s} ${s}" width="${s}" height="${s}" aria-hidden="true" focusable="false">${marker(STATUS_STYLE[o.status], s / 2, s / 2, s / 2 - 2.5)}</svg>`;
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="omf-status-icon" viewBox="0 0 ${s} ${s}" width="${s}" height="${s}"` +
    ` role="img" aria-labelledby="${id}-title${o.desc ? ` ${id}-desc` : ""}" focusable="false">` +
    `<title id="${id}-title">${escText(o.label)}</title>${o.desc ? `<desc id="${id}-desc">${escText(o.desc)}</desc>` : ""}` +
    `${marker(STATUS_STYLE[o.status], s / 2, s / 2, s / 2 - 2.5)}</svg>`
  );
}

function escText(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

export interface TartanRugOptions {
  id: string;
  title: string;
  desc: string;
  /** Column headings (areas): short labels. */
  columns: { code: string; label: string }[];
  rows: {
    code: string;
    label: string;
    /** One cell per column, same order. */
    cells: { value: number | null; status: Status }[];
  }[];
  statusLabels: Record<Status, string>;
  format: (n: number) => string;
  missingText: string;
}

/** The whole rug as one SVG (for download). */
export function tartanRug(o: TartanRugOptions): string {
  const labelW = Math.min(260, Math.max(...o.rows.map((r) => textWidth(r.label, 12)), 80) + 12);
  const cellW = 64;
  const cellH = 26;
  const headH = Math.min(150, Math.max(...o.columns.map((c) => textWidth(c.label, 12)), 40) + 16);
  const W = labelW + o.columns.length * cellW + Math.round(headH * 0.55) + 10;
  const parts: string[] = [];
  o.columns.forEach((c, j) => {
    const x = labelW + j * cellW + cellW / 2 + 4;
    parts.push(
      `<text x="${px(x)}" y="${px(headH - 6)}" font-size="12" transform="rotate(-60 ${px(x)} ${px(headH - 6)})">${escText(fitText(c.label, 140, 12))}</text>`,
    );
  });
  o.rows.forEach((r, i) => {
    const y = headH + i * cellH;
    parts.push(
      text(labelW - 6, y + cellH / 2 + 4, fitText(r.label, labelW - 10, 12), { "text-anchor": "end", "font-size": 12 }),
    );
    r.cells.forEach((cell, j) => {
      const x = labelW + j * cellW;
      const st = STATUS_STYLE[cell.status];
      parts.push(
        `<rect x="${px(x + 1)}" y="${px(y + 1)}" width="${cellW - 2}" height="${cellH - 2}" fill="${cell.value === null ? "#ffffff" : st.fill}" stroke="${st.stroke}" stroke-width="1"/>`,
      );
      if (cell.value === null) {
        parts.push(
          text(x + cellW / 2, y + cellH / 2 + 4, o.missingText, {
            "text-anchor": "middle",
            "font-size": 11,
            fill: MUTED,
          }),
        );
      } else {
        parts.push(`<circle cx="${px(x + 10)}" cy="${px(y + cellH / 2)}" r="7" fill="#ffffff" stroke="none"/>`);
        parts.push(marker(st, x + 10, y + cellH / 2, 4.5));
        parts.push(
          text(x + cellW - 4, y + cellH / 2 + 4, o.format(cell.value), {
            "text-anchor": "end",
            "font-size": 11,
            fill: st.ink,
          }),
        );
      }
    });
  });
  const bottom = headH + o.rows.length * cellH;
  const used = STATUSES.filter((s) => o.rows.some((r) => r.cells.some((c) => c.value !== null && c.status === s)));
  const lg = legend(
    used.map((s) => ({ label: o.statusLabels[s], style: STATUS_STYLE[s] })),
    10,
    bottom + 8,
    W - 20,
  );
  parts.push(lg.svg);
  return svgRoot({
    id: o.id,
    width: W,
    height: bottom + 8 + lg.height + 6,
    title: o.title,
    desc: o.desc,
    body: parts.join(""),
  });
}
