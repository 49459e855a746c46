/**
 * Hexagon map of the 22 local authorities (layout in hex-layout.ts), each coloured by its comparison with Wales or
 * by quintile. Each hexagon prints its short label and, in significance mode, its status marker shape, or in
 * quintile mode the quintile number, so colour is never the only cue. The page gives the same figures as a table.
 */

import { hexCentre, hexPoints, WALES_HEX_LAYOUT } from "./hex-layout.ts";
import { type LegendItem, legend, tooltip } from "./legend.ts";
import { mapAreaStyle } from "./map-area-style.ts";
import { marker, QUINTILE_STYLE, STATUS_STYLE, STATUSES, type Status } from "./status-style.ts";
import { px, svgRoot, text } from "./svg.ts";

export interface HexArea {
  code: string;
  /** Full name in the page language (tooltip). */
  name: string;
  value: number | null;
  status?: Status | undefined;
  quintile?: number | null | undefined;
}

export interface HexMapOptions {
  id: string;
  title: string;
  desc: string;
  mode: "significance" | "quintile";
  areas: HexArea[];
  statusLabels: Record<Status, string>;
  /** Labels for quintiles 1..5 (index 0 = quintile 1). */
  quintileLabels: string[];
  /** Label for an area with no value. */
  missingLabel: string;
  format: (n: number) => string;
  width?: number;
}

/**
 * The maps' text size: a map is shown in half the page width (about 450 px at 1280 px), so its 520-unit drawing
 * shrinks; 15 units keeps every label at 12 px or more there.
 */
export const MAP_FONT_SIZE = 15;

/** Builds the hexagon-map SVG. */
export function hexMap(o: HexMapOptions): string {
  const W = o.width ?? 520;
  const byCode = new Map(o.areas.map((a) => [a.code, a]));
  const cols = Math.max(...WALES_HEX_LAYOUT.map((c) => c.col + (c.row % 2 === 1 ? 0.5 : 0))) + 1;
  const r = Math.min(44, (W - 20) / (cols * Math.sqrt(3)));
  const ox = 10 + (Math.sqrt(3) * r) / 2;
  const oy = 10 + r;
  const parts: string[] = [];
  let maxY = 0;
  for (const cell of WALES_HEX_LAYOUT) {
    const c = hexCentre(cell, r);
    const cx = ox + c.x;
    const cy = oy + c.y;
    maxY = Math.max(maxY, cy + r);
    const a = byCode.get(cell.code);
    const { style, note } = mapAreaStyle(a, o);
    const pts = hexPoints(cx, cy, r - 1.5)
      .map(([x, y]) => `${px(x)},${px(y)}`)
      .join(" ");
    const g: string[] = [
      tooltip(`${a?.name ?? cell.code}: ${a && a.value !== null ? `${o.format(a.value)}, ` : ""}${note}`),
    ];
    g.push(`<polygon points="${pts}" fill="${style.fill}" stroke="#0b0c0c" stroke-width="1.5"/>`);
    g.push(
      text(cx, cy - 4, cell.abbr, {
        "text-anchor": "middle",
        "font-size": MAP_FONT_SIZE,
        "font-weight": "bold",
        fill: style.ink,
      }),
    );
    if (o.mode === "quintile" && a?.quintile) {
      g.push(
        text(cx, cy + 16, String(a.quintile), { "text-anchor": "middle", "font-size": MAP_FONT_SIZE, fill: style.ink }),
      );
    } else {
      // marker on a white disc so its shape reads on any fill
      g.push(`<circle cx="${px(cx)}" cy="${px(cy + 12)}" r="9" fill="#ffffff" stroke="none"/>`);
      g.push(marker(a && a.value !== null ? style : STATUS_STYLE.not_compared, cx, cy + 12, 6));
    }
    parts.push(`<g>${g.join("")}</g>`);
  }
  const items: LegendItem[] =
    o.mode === "quintile"
      ? QUINTILE_STYLE.map((s, i) => ({ label: `${i + 1}: ${o.quintileLabels[i] ?? ""}`, style: s }))
      : STATUSES.filter((s) => o.areas.some((a) => a.value !== null && (a.status ?? "not_compared") === s)).map(
          (s) => ({ label: o.statusLabels[s], style: STATUS_STYLE[s] }),
        );
  if (o.mode === "significance" && o.areas.some((a) => a.value === null))
    items.push({ label: o.missingLabel, style: STATUS_STYLE.not_compared });
  const lg = legend(items, 10, maxY + 12, W - 20, MAP_FONT_SIZE);
  parts.push(lg.svg);
  return svgRoot({
    id: o.id,
    width: W,
    height: maxY + 12 + lg.height + 6,
    title: o.title,
    desc: o.desc,
    body: parts.join(""),
  });
}
