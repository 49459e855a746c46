/**
 * Turn-the-curve chart (Results-Based Accountability): a partnership's actual values with their 95% confidence
 * band, the Wales line, the baseline forecast (where the curve goes if nothing changes) with its prediction band,
 * and the plan's targets. Every series differs by line style or marker shape as well as colour, and the legend
 * names each; the page shows the same numbers in a table.
 */
import { scaleLinear, scalePoint } from "d3-scale";
import { area as d3area, line as d3line } from "d3-shape";
import { type LegendItem, legend, tooltip } from "./legend.ts";
import { type MarkStyle, marker } from "./status-style.ts";
import { axisLabelIndices, axisRightMargin, GRID, MUTED, px, svgRoot, text, textWidth } from "./svg.ts";

export interface CurvePeriod {
  /** Period code (stable key). */
  period: string;
  /** Period as shown on the axis, in the page language. */
  label: string;
  actual: number | null;
  lower: number | null;
  upper: number | null;
  wales: number | null;
  forecast: number | null;
  forecastLower: number | null;
  forecastUpper: number | null;
  target: number | null;
}

export interface TurnTheCurveOptions {
  id: string;
  title: string;
  desc: string;
  periods: CurvePeriod[];
  labels: {
    actual: string;
    band: string;
    wales: string;
    forecast: string;
    forecastBand: string;
    target: string;
    value: string;
  };
  format: (n: number) => string;
  width?: number;
}

const ACTUAL = "#1d70b8";
const WALES = "#0b0c0c";
const FORECAST = "#6f72af";
const TARGET = "#b58840";
const ACTUAL_MARK: MarkStyle = { shape: "circle", fill: ACTUAL, stroke: "#0b0c0c", ink: "#ffffff" };
const TARGET_MARK: MarkStyle = { shape: "diamond", fill: TARGET, stroke: "#0b0c0c", ink: "#0b0c0c" };

export function turnTheCurveChart(o: TurnTheCurveOptions): string {
  const W = o.width ?? 720;
  const values: number[] = [];
  for (const p of o.periods)
    for (const v of [p.actual, p.lower, p.upper, p.wales, p.forecast, p.forecastLower, p.forecastUpper, p.target])
      if (v !== null && Number.isFinite(v)) values.push(v);
  const lo = values.length ? Math.min(...values) : 0;
  const hi = values.length ? Math.max(...values) : 1;
  const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 1;
  const y = scaleLinear()
    .domain([lo >= 0 && lo - pad < 0 ? 0 : lo - pad, hi + pad])
    .nice(6);
  const ticks = y.ticks(6);
  const left = 16 + Math.max(...ticks.map((t) => textWidth(o.format(t), 13)), 20);
  // the last period's label ends inside the chart
  const margin = {
    top: 30,
    right: axisRightMargin(
      o.periods.map((p) => p.label),
      W,
      left,
    ),
    left,
  };
  const plotH = 260;
  const xAxisH = 46;
  const has = (k: keyof CurvePeriod) => o.periods.some((p) => p[k] !== null);
  const items: LegendItem[] = [
    { label: o.labels.actual, line: { stroke: ACTUAL, width: 3 } },
    ...(has("lower") ? [{ label: o.labels.band, band: { fill: ACTUAL, opacity: 0.2 } }] : []),
    ...(has("wales") ? [{ label: o.labels.wales, line: { stroke: WALES, dash: "6 4", width: 2 } }] : []),
    ...(has("forecast") ? [{ label: o.labels.forecast, line: { stroke: FORECAST, dash: "2 3", width: 3 } }] : []),
    ...(has("forecastLower") ? [{ label: o.labels.forecastBand, band: { fill: FORECAST, opacity: 0.15 } }] : []),
    ...(has("target") ? [{ label: o.labels.target, style: TARGET_MARK }] : []),
  ];
  const lg = legend(items, margin.left, margin.top + plotH + xAxisH, W - margin.left - margin.right);
  const H = margin.top + plotH + xAxisH + lg.height + 8;
  y.range([margin.top + plotH, margin.top]);
  const x = scalePoint<string>()
    .domain(o.periods.map((p) => p.period))
    .range([margin.left, W - margin.right])
    .padding(0.5);
  const xs = (p: { period: string }) => x(p.period) ?? margin.left;

  const parts: string[] = [];
  for (const t of ticks) {
    const ty = y(t);
    parts.push(
      `<line x1="${px(margin.left)}" y1="${px(ty)}" x2="${px(W - margin.right)}" y2="${px(ty)}" stroke="${GRID}" stroke-width="1"/>`,
    );
    parts.push(text(margin.left - 6, ty + 4.5, o.format(t), { "text-anchor": "end", "font-size": 13 }));
  }
  parts.push(text(margin.left, margin.top - 12, o.labels.value, { "font-size": 13, fill: MUTED }));
  // x axis labels: thinned so that no two overlap, the latest always shown
  for (const i of axisLabelIndices(
    o.periods.map((p) => p.label),
    x.step(),
  )) {
    const p = o.periods[i]!;
    parts.push(text(xs(p), margin.top + plotH + 22, p.label, { "text-anchor": "middle", "font-size": 13 }));
  }
  parts.push(
    `<line x1="${px(margin.left)}" y1="${px(margin.top + plotH)}" x2="${px(W - margin.right)}" y2="${px(margin.top + plotH)}" stroke="${MUTED}" stroke-width="1"/>`,
  );

  const band = (
    lowerKey: "lower" | "forecastLower",
    upperKey: "upper" | "forecastUpper",
    fill: string,
    opacity: number,
  ) => {
    const d = d3area<CurvePeriod>()
      .defined((p) => p[lowerKey] !== null && p[upperKey] !== null)
      .x(xs)
      .y0((p) => y(p[lowerKey]!))
      .y1((p) => y(p[upperKey]!))(o.periods);
    if (d) parts.push(`<path d="${d}" fill="${fill}" fill-opacity="${opacity}" stroke="none"/>`);
  };
  const path = (key: "actual" | "wales" | "forecast", stroke: string, width: number, dash?: string) => {
    const d = d3line<CurvePeriod>()
      .defined((p) => p[key] !== null)
      .x(xs)
      .y((p) => y(p[key]!))(o.periods);
    if (d)
      parts.push(
        `<path d="${d}" fill="none" stroke="${stroke}" stroke-width="${width}"${dash ? ` stroke-dasharray="${dash}"` : ""}/>`,
      );
  };
  band("forecastLower", "forecastUpper", FORECAST, 0.15);
  band("lower", "upper", ACTUAL, 0.2);
  path("wales", WALES, 2, "6 4");
  path("forecast", FORECAST, 3, "2 3");
  path("actual", ACTUAL, 3);
  for (const p of o.periods) {
    if (p.actual !== null) {
      const ci = p.lower !== null && p.upper !== null ? ` (${o.format(p.lower)}–${o.format(p.upper)})` : "";
      parts.push(
        `<g>${tooltip(`${p.label}: ${o.format(p.actual)}${ci}`)}${marker(ACTUAL_MARK, xs(p), y(p.actual), 5)}</g>`,
      );
    }
    if (p.target !== null) {
      parts.push(
        `<g>${tooltip(`${o.labels.target}, ${p.label}: ${o.format(p.target)}`)}${marker(TARGET_MARK, xs(p), y(p.target), 7)}</g>`,
      );
    }
  }
  parts.push(lg.svg);
  return svgRoot({ id: o.id, width: W, height: H, title: o.title, desc: o.desc, body: parts.join("") });
}
