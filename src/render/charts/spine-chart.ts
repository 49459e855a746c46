/**
 * Spine chart (as in Fingertips area profiles): one row per measure, centred on the benchmark (Wales). The light bar
 * spans the range of all areas, the darker bar their middle half (25th to 75th percentile), and the marker is the
 * chosen area, drawn with its status shape. Rows with a judgement are oriented so that worse is on the left and
 * better on the right; rows without one put lower on the left.
 */
import { legend, tooltip } from "./legend.ts";
import { marker, STATUS_STYLE, STATUSES, type Status } from "./status-style.ts";
import { fitText, INK, MUTED, px, svgRoot, text } from "./svg.ts";

export type SpinePolarity = "higher_is_better" | "lower_is_better" | "no_judgement";

export interface SpineRow {
  code: string;
  label: string;
  value: number | null;
  benchmark: number | null;
  min: number | null;
  max: number | null;
  q25: number | null;
  q75: number | null;
  polarity: SpinePolarity;
  status: Status;
  /** Why a row has no value, when known (e.g. "Suppressed"); else the chart's missingText. */
  missingNote?: string | undefined;
}

export interface SpineChartOptions {
  id: string;
  title: string;
  desc: string;
  rows: SpineRow[];
  /** Header words: left end, centre (benchmark name) and right end. */
  axisLabels: { left: string; centre: string; right: string };
  /** Legend words for the range bars. */
  rangeLabel: string;
  middleLabel: string;
  /** Legend label for the area's marker (e.g. the area name) is implicit in the status words. */
  statusLabels: Record<Status, string>;
  format: (n: number) => string;
  /** Text shown for a row with no value. */
  missingText: string;
  /**
   * Text shown after the value of a row that has a value but cannot be placed on the spine, because there is no
   * benchmark (Wales) figure or no range of areas for its period (e.g. "no Wales figure to compare with").
   */
  unplacedText: string;
  width?: number;
}

/** Position of v in [-1, 1] around the benchmark (−1 = worst or lowest end). Exported for tests. */
export function spinePosition(v: number, row: Pick<SpineRow, "benchmark" | "min" | "max" | "polarity">): number | null {
  if (row.benchmark === null || row.min === null || row.max === null) return null;
  const half = Math.max(Math.abs(row.min - row.benchmark), Math.abs(row.max - row.benchmark));
  if (half === 0) return 0;
  const p = (v - row.benchmark) / half;
  const clamped = Math.max(-1, Math.min(1, p));
  return row.polarity === "lower_is_better" ? -clamped : clamped;
}

/** Builds the spine-chart SVG. */
export function spineChart(o: SpineChartOptions): string {
  const W = o.width ?? 720;
  const rowH = 26;
  const labelW = Math.min(280, Math.round(W * 0.38));
  const plotL = labelW + 10;
  const plotR = W - 16;
  const mid = (plotL + plotR) / 2;
  const half = (plotR - plotL) / 2;
  const top = 34;
  const X = (p: number) => mid + p * half;
  const parts: string[] = [];
  parts.push(text(plotL, 20, o.axisLabels.left, { "font-size": 13, fill: MUTED }));
  parts.push(text(mid, 20, o.axisLabels.centre, { "font-size": 13, "text-anchor": "middle", "font-weight": "bold" }));
  parts.push(text(plotR, 20, o.axisLabels.right, { "font-size": 13, "text-anchor": "end", fill: MUTED }));
  o.rows.forEach((r, i) => {
    const cy = top + i * rowH + rowH / 2;
    const row: string[] = [];
    row.push(text(labelW, cy + 4.5, fitText(r.label, labelW - 4, 13), { "font-size": 13, "text-anchor": "end" }));
    if (i % 2 === 0) {
      row.unshift(
        `<rect x="0" y="${px(cy - rowH / 2)}" width="${px(W)}" height="${px(rowH)}" fill="#f3f2f1" stroke="none"/>`,
      );
    }
    const pMin = r.min !== null ? spinePosition(r.min, r) : null;
    const pMax = r.max !== null ? spinePosition(r.max, r) : null;
    if (pMin !== null && pMax !== null) {
      const a = X(Math.min(pMin, pMax));
      const b = X(Math.max(pMin, pMax));
      row.push(`<rect x="${px(a)}" y="${px(cy - 7)}" width="${px(b - a)}" height="14" fill="#dcdcdc" stroke="none"/>`);
    }
    if (r.q25 !== null && r.q75 !== null) {
      const p1 = spinePosition(r.q25, r);
      const p2 = spinePosition(r.q75, r);
      if (p1 !== null && p2 !== null) {
        const a = X(Math.min(p1, p2));
        const b = X(Math.max(p1, p2));
        row.push(
          `<rect x="${px(a)}" y="${px(cy - 7)}" width="${px(Math.max(b - a, 1))}" height="14" fill="#8a8a8a" stroke="none"/>`,
        );
      }
    }
    row.push(
      `<line x1="${px(mid)}" y1="${px(cy - 11)}" x2="${px(mid)}" y2="${px(cy + 11)}" stroke="${INK}" stroke-width="2"/>`,
    );
    const pv = r.value !== null ? spinePosition(r.value, r) : null;
    if (r.value !== null && pv !== null) {
      row.push(marker(STATUS_STYLE[r.status], X(pv), cy, 7));
      row.unshift(
        tooltip(
          `${r.label}: ${o.format(r.value)}; ${o.axisLabels.centre}: ${r.benchmark === null ? "" : o.format(r.benchmark)}; ${o.statusLabels[r.status]}`,
        ),
      );
    } else if (r.value !== null) {
      // the area has a figure: say it, and why it is not placed, rather than "no data"
      const said = `${o.format(r.value)}: ${o.unplacedText}`;
      row.unshift(tooltip(`${r.label}: ${said}`));
      row.push(text(plotL + 4, cy + 4.5, fitText(said, plotR - plotL - 8, 13), { "font-size": 13, fill: INK }));
    } else {
      row.push(text(plotL + 4, cy + 4.5, r.missingNote ?? o.missingText, { "font-size": 13, fill: MUTED }));
    }
    parts.push(`<g>${row.join("")}</g>`);
  });
  const plotB = top + o.rows.length * rowH;
  const used = STATUSES.filter((s) => o.rows.some((r) => r.value !== null && r.status === s));
  const lg = legend(
    [
      { label: o.rangeLabel, band: { fill: "#dcdcdc", opacity: 1 } },
      { label: o.middleLabel, band: { fill: "#8a8a8a", opacity: 1 } },
      { label: o.axisLabels.centre, line: { stroke: INK, width: 2 } },
      ...used.map((s) => ({ label: o.statusLabels[s], style: STATUS_STYLE[s] })),
    ],
    10,
    plotB + 8,
    W - 20,
  );
  parts.push(lg.svg);
  return svgRoot({
    id: o.id,
    width: W,
    height: plotB + 8 + lg.height + 6,
    title: o.title,
    desc: o.desc,
    body: parts.join(""),
  });
}
