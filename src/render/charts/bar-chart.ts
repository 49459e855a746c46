/**
 * Bar chart of every area for one measure and period: horizontal bars with 95% confidence-interval whiskers and a
 * vertical benchmark (Wales) line. Each bar is coloured by its comparison with Wales, carries the status marker
 * shape, and the status is written in words at the end of the row, so colour is never the only cue.
 */
import { scaleLinear } from "d3-scale";
import { legend, tooltip } from "./legend.ts";
import { marker, STATUS_STYLE, STATUSES, type Status } from "./status-style.ts";
import { fitText, GRID, INK, MUTED, px, svgRoot, text, textWidth } from "./svg.ts";

export interface BarRow {
  code: string;
  label: string;
  value: number | null;
  lower: number | null;
  upper: number | null;
  status: Status;
  /** Drawn in bold with an outline (the area the reader chose, or Wales). */
  highlight?: boolean;
  /** Text shown instead of a bar when the value is missing or suppressed. */
  missingText?: string;
}

export interface BarChartOptions {
  id: string;
  title: string;
  desc: string;
  rows: BarRow[];
  benchmark?: { label: string; value: number | null } | undefined;
  valueLabel: string;
  statusLabels: Record<Status, string>;
  format: (n: number) => string;
  width?: number;
}

/** Builds the bar-chart SVG (rows in the order given). */
export function barChart(o: BarChartOptions): string {
  const W = o.width ?? 720;
  const rowH = 24;
  const labelW = Math.min(200, Math.max(...o.rows.map((r) => textWidth(r.label, 13)), 60) + 12);
  // the status in words at the end of each row, measured at the size it is drawn (it ran past the edge in Welsh)
  const statusW = Math.min(230, Math.max(...o.rows.map((r) => textWidth(o.statusLabels[r.status], 13)), 40) + 30);
  const valueW = 64;
  const top = 40;
  const plotL = labelW + valueW;
  const plotR = W - statusW - 10;
  const nums: number[] = [];
  for (const r of o.rows) for (const v of [r.value, r.lower, r.upper]) if (v !== null) nums.push(v);
  if (o.benchmark?.value !== null && o.benchmark?.value !== undefined) nums.push(o.benchmark.value);
  const lo = Math.min(0, ...nums);
  const hi = Math.max(0, ...nums, lo + 1e-9);
  const x = scaleLinear().domain([lo, hi]).nice(5).range([plotL, plotR]);
  const plotB = top + o.rows.length * rowH;

  const parts: string[] = [];
  parts.push(text(plotL, 16, o.valueLabel, { "font-size": 13, fill: MUTED }));
  for (const t of x.ticks(5)) {
    parts.push(
      `<line x1="${px(x(t))}" y1="${px(top - 6)}" x2="${px(x(t))}" y2="${px(plotB)}" stroke="${GRID}" stroke-width="1"/>`,
    );
    parts.push(text(x(t), top - 10, o.format(t), { "text-anchor": "middle", "font-size": 13 }));
  }
  o.rows.forEach((r, i) => {
    const cy = top + i * rowH + rowH / 2;
    const st = STATUS_STYLE[r.status];
    const weight = r.highlight ? "bold" : undefined;
    const row: string[] = [];
    row.push(
      text(labelW - 8, cy + 4.5, fitText(r.label, labelW - 12, 13), {
        "text-anchor": "end",
        "font-size": 13,
        "font-weight": weight,
      }),
    );
    if (r.value === null) {
      row.push(text(plotL + 4, cy + 4.5, r.missingText ?? "", { "font-size": 13, fill: MUTED }));
    } else {
      row.push(text(plotL - 6, cy + 4.5, o.format(r.value), { "text-anchor": "end", "font-size": 13 }));
      const x0 = x(Math.min(0, r.value));
      const x1 = x(Math.max(0, r.value));
      row.push(
        `<rect x="${px(x0)}" y="${px(cy - 8)}" width="${px(Math.max(x1 - x0, 1))}" height="16" fill="${st.fill}" stroke="${r.highlight ? INK : st.stroke}" stroke-width="${r.highlight ? 2.5 : 1}"/>`,
      );
      if (r.lower !== null && r.upper !== null) {
        const l = x(r.lower);
        const u = x(r.upper);
        row.push(
          `<path d="M${px(l)} ${px(cy)}H${px(u)}M${px(l)} ${px(cy - 6)}V${px(cy + 6)}M${px(u)} ${px(cy - 6)}V${px(cy + 6)}" stroke="${INK}" stroke-width="1.5" fill="none"/>`,
        );
      }
      const tip = `${r.label}: ${o.format(r.value)}${r.lower !== null && r.upper !== null ? ` (${o.format(r.lower)}–${o.format(r.upper)})` : ""}, ${o.statusLabels[r.status]}`;
      row.unshift(tooltip(tip));
    }
    row.push(marker(st, plotR + 18, cy, 6));
    row.push(text(plotR + 30, cy + 4.5, fitText(o.statusLabels[r.status], statusW - 30, 13), { "font-size": 13 }));
    parts.push(`<g>${row.join("")}</g>`);
  });
  if (o.benchmark && o.benchmark.value !== null) {
    const bx = x(o.benchmark.value);
    parts.push(
      `<line x1="${px(bx)}" y1="${px(top - 4)}" x2="${px(bx)}" y2="${px(plotB + 4)}" stroke="${INK}" stroke-width="2" stroke-dasharray="6 4"/>`,
    );
  }
  const used = STATUSES.filter((s) => o.rows.some((r) => r.status === s));
  const lg = legend(
    [
      ...(o.benchmark ? [{ label: o.benchmark.label, line: { stroke: INK, dash: "6 4" } }] : []),
      ...used.map((s) => ({ label: o.statusLabels[s], style: STATUS_STYLE[s] })),
    ],
    labelW,
    plotB + 10,
    W - labelW - 10,
  );
  parts.push(lg.svg);
  const H = plotB + 10 + lg.height + 6;
  return svgRoot({ id: o.id, width: W, height: H, title: o.title, desc: o.desc, body: parts.join("") });
}
