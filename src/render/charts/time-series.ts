/**
 * Time-series chart: one area's values over time with its 95% confidence band, and the Wales (benchmark) line.
 * Each point's marker shows its comparison with Wales by shape as well as colour; the legend names the shapes.
 */
import { scaleLinear, scalePoint } from "d3-scale";
import { area as d3area, line as d3line } from "d3-shape";
import { type LegendItem, legend, tooltip } from "./legend.ts";
import { marker, STATUS_STYLE, STATUSES, type Status } from "./status-style.ts";
import { axisLabelIndices, axisRightMargin, GRID, MUTED, px, svgRoot, text, textWidth } from "./svg.ts";

export interface TimeSeriesPoint {
  /** Period code (stable key). */
  period: string;
  /** Period as shown on the axis, in the page language. */
  label: string;
  value: number | null;
  lower: number | null;
  upper: number | null;
  /** Comparison with the benchmark in this period. */
  status?: Status | undefined;
}

export interface TimeSeriesOptions {
  id: string;
  title: string;
  desc: string;
  points: TimeSeriesPoint[];
  /** Name of the area whose values are plotted (legend). */
  seriesLabel: string;
  /** The benchmark line (Wales), by period code. */
  benchmark?: { label: string; values: Record<string, number | null> } | undefined;
  /** Legend label for the confidence band. */
  bandLabel: string;
  /** Axis title for the values (unit). */
  valueLabel: string;
  /** Words for each status, for the legend and tooltips. */
  statusLabels: Record<Status, string>;
  format: (n: number) => string;
  width?: number;
  height?: number;
}

const LINE = "#1d70b8";
const BENCH = "#0b0c0c";

/** Builds the time-series SVG. */
export function timeSeriesChart(o: TimeSeriesOptions): string {
  const W = o.width ?? 720;
  const values: number[] = [];
  for (const p of o.points) for (const v of [p.value, p.lower, p.upper]) if (v !== null) values.push(v);
  for (const v of Object.values(o.benchmark?.values ?? {})) if (v !== null && v !== undefined) values.push(v);
  const lo = values.length ? Math.min(...values) : 0;
  const hi = values.length ? Math.max(...values) : 1;
  const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 1;
  const y = scaleLinear()
    .domain([lo >= 0 && lo - pad < 0 ? 0 : lo - pad, hi + pad])
    .nice(6);
  const ticks = y.ticks(6);
  const left = 16 + Math.max(...ticks.map((t) => textWidth(o.format(t), 13)), 20);
  // the last period's label (e.g. "31 March 2024") ends inside the chart
  const margin = {
    top: 30,
    right: axisRightMargin(
      o.points.map((p) => p.label),
      W,
      left,
    ),
    bottom: 0,
    left,
  };
  const plotH = 260;
  const xAxisH = 46;

  // one period with a value draws no line: the point with its interval as an error bar, and the Wales figure as a
  // short dashed mark (the page says in words that there is only one period)
  const single = o.points.filter((p) => p.value !== null).length === 1;
  // legend below the axis
  const usedStatuses = STATUSES.filter((s) => o.points.some((p) => p.value !== null && p.status === s));
  const legendItems: LegendItem[] = [
    { label: o.seriesLabel, line: { stroke: LINE, width: 3 } },
    single
      ? { label: o.bandLabel, line: { stroke: LINE, width: 2 } }
      : { label: o.bandLabel, band: { fill: LINE, opacity: 0.2 } },
    ...(o.benchmark ? [{ label: o.benchmark.label, line: { stroke: BENCH, dash: "6 4", width: 2 } }] : []),
    ...usedStatuses.map((s) => ({ label: o.statusLabels[s], style: STATUS_STYLE[s] })),
  ];
  const lg = legend(legendItems, margin.left, margin.top + plotH + xAxisH, W - margin.left - margin.right);
  const H = margin.top + plotH + xAxisH + lg.height + 8;

  y.range([margin.top + plotH, margin.top]);
  const x = scalePoint<string>()
    .domain(o.points.map((p) => p.period))
    .range([margin.left, W - margin.right])
    .padding(0.5);
  const xs = (p: { period: string }) => x(p.period) ?? margin.left;

  const parts: string[] = [];
  // grid and y axis
  for (const t of ticks) {
    const ty = y(t);
    parts.push(
      `<line x1="${px(margin.left)}" y1="${px(ty)}" x2="${px(W - margin.right)}" y2="${px(ty)}" stroke="${GRID}" stroke-width="1"/>`,
    );
    parts.push(text(margin.left - 6, ty + 4.5, o.format(t), { "text-anchor": "end", "font-size": 13 }));
  }
  parts.push(text(margin.left, margin.top - 12, o.valueLabel, { "font-size": 13, fill: MUTED }));
  // x axis labels: thinned so that no two overlap (long snapshot dates), the latest always shown
  for (const i of axisLabelIndices(
    o.points.map((p) => p.label),
    x.step(),
  )) {
    const p = o.points[i]!;
    parts.push(text(xs(p), margin.top + plotH + 22, p.label, { "text-anchor": "middle", "font-size": 13 }));
  }
  parts.push(
    `<line x1="${px(margin.left)}" y1="${px(margin.top + plotH)}" x2="${px(W - margin.right)}" y2="${px(margin.top + plotH)}" stroke="${MUTED}" stroke-width="1"/>`,
  );

  if (single) {
    const p = o.points.find((q) => q.value !== null)!;
    const cx = xs(p);
    if (p.lower !== null && p.upper !== null) {
      const [y1, y2] = [y(p.lower), y(p.upper)];
      parts.push(
        `<path d="M${px(cx)} ${px(y1)}V${px(y2)}M${px(cx - 8)} ${px(y1)}H${px(cx + 8)}M${px(cx - 8)} ${px(y2)}H${px(cx + 8)}" fill="none" stroke="${LINE}" stroke-width="2"/>`,
      );
    }
    const bv = o.benchmark?.values[p.period];
    if (bv !== null && bv !== undefined) {
      parts.push(
        `<line x1="${px(cx - 40)}" y1="${px(y(bv))}" x2="${px(cx + 40)}" y2="${px(y(bv))}" stroke="${BENCH}" stroke-width="2" stroke-dasharray="6 4"/>`,
      );
    }
  }

  // confidence band
  const band = d3area<TimeSeriesPoint>()
    .defined((p) => p.lower !== null && p.upper !== null)
    .x(xs)
    .y0((p) => y(p.lower!))
    .y1((p) => y(p.upper!))(o.points);
  if (band && !single) parts.push(`<path d="${band}" fill="${LINE}" fill-opacity="0.2" stroke="none"/>`);

  // benchmark line
  if (o.benchmark) {
    const bv = o.benchmark.values;
    const bpts = o.points.map((p) => ({ period: p.period, v: bv[p.period] ?? null }));
    const bl = d3line<{ period: string; v: number | null }>()
      .defined((p) => p.v !== null)
      .x(xs)
      .y((p) => y(p.v!))(bpts);
    if (bl) parts.push(`<path d="${bl}" fill="none" stroke="${BENCH}" stroke-width="2" stroke-dasharray="6 4"/>`);
  }

  // the area's line and markers
  const ln = d3line<TimeSeriesPoint>()
    .defined((p) => p.value !== null)
    .x(xs)
    .y((p) => y(p.value!))(o.points);
  if (ln) parts.push(`<path d="${ln}" fill="none" stroke="${LINE}" stroke-width="3"/>`);
  for (const p of o.points) {
    if (p.value === null) continue;
    const st = STATUS_STYLE[p.status ?? "not_compared"];
    const tip = `${p.label}: ${o.format(p.value)}${p.lower !== null && p.upper !== null ? ` (${o.format(p.lower)}–${o.format(p.upper)})` : ""}${p.status ? `, ${o.statusLabels[p.status]}` : ""}`;
    parts.push(`<g>${tooltip(tip)}${marker(st, xs(p), y(p.value), 6)}</g>`);
  }
  parts.push(lg.svg);
  return svgRoot({ id: o.id, width: W, height: H, title: o.title, desc: o.desc, body: parts.join("") });
}
