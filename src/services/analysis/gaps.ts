/**
 * Inequality gaps: for a measure with breakdowns, the gap between two groups of one dimension (A − B) for each area
 * and period, with MOVER confidence limits (`gap()` in src/stats), and the trend of that gap over the latest five
 * periods (weighted regression on the gap and its 95% limits, METHODS §10.2).
 *
 * The pair compared per dimension: sex female − male; free school meals eligible − not eligible; deprivation
 * quintile 1 (most deprived) − 5 (least deprived); any other two-valued dimension, its first value − its second.
 * Dimensions with more values and no natural pair (age bands, ethnic groups) have no gap.
 */
import { parseBreakdown } from "../../domain/breakdown.ts";
import { type GapGroup, gap } from "../../stats/gap.ts";
import { type SeriesPoint, trendsAlongSeries } from "./series-trend.ts";
import type { AnalysisGap, AnalysisResult, DimensionInfo, GapTrend } from "./types.ts";

const KNOWN_PAIRS: Readonly<Record<string, readonly [string, string]>> = {
  sex: ["female", "male"],
  fsm: ["eligible", "not_eligible"],
  deprivation_quintile: ["1", "5"],
};

/** The two values compared for a dimension (A − B), or null when the dimension has no natural pair. */
export function gapPair(dimension: string, info: DimensionInfo | undefined): readonly [string, string] | null {
  const known = KNOWN_PAIRS[dimension];
  if (known) return known;
  if (info && info.values.length === 2) return [info.values[0]!.code, info.values[1]!.code];
  return null;
}

function gapGroup(r: AnalysisResult, valueType: string): GapGroup | null {
  if (r.suppressed || r.value === null) return null;
  if (valueType === "proportion" && r.numerator !== null && r.denominator !== null) {
    if (r.denominator > 0 && r.numerator >= 0 && r.numerator <= r.denominator) {
      return { numerator: r.numerator, denominator: r.denominator };
    }
  }
  if (r.lower95 !== null && r.upper95 !== null && r.lower95 <= r.value && r.value <= r.upper95) {
    return { value: r.value, lower: r.lower95, upper: r.upper95 };
  }
  return null;
}

function judgeGapTrend(direction: string, latest: number): GapTrend {
  if (direction === "cannot_be_calculated") return "cannot_be_calculated";
  if (direction === "no_significant_change") return "no_significant_change";
  const growing = direction === "increasing";
  return growing === latest >= 0 ? "widening" : "narrowing";
}

/**
 * Gaps of one measure from its analysed rows (all areas, periods, breakdowns). Rows for multi-dimension breakdowns
 * are ignored.
 */
export function computeGaps(
  rows: readonly AnalysisResult[],
  options: {
    measureCode: string;
    valueType: string;
    multiplier: number;
    periodType: string;
    dimensions: ReadonlyMap<string, DimensionInfo>;
    positions: ReadonlyMap<string, number>;
    dataVersion: string;
  },
): AnalysisGap[] {
  // (area, dimension) → period → value code → row
  const cells = new Map<string, Map<string, Map<string, AnalysisResult>>>();
  for (const r of rows) {
    if (r.breakdown === "total") continue;
    const parsed = parseBreakdown(r.breakdown);
    if (!parsed.ok) continue;
    const keys = Object.keys(parsed.parts);
    if (keys.length !== 1) continue;
    const dimension = keys[0]!;
    const key = `${r.areaCode}\u0000${dimension}`;
    let byPeriod = cells.get(key);
    if (!byPeriod) {
      byPeriod = new Map();
      cells.set(key, byPeriod);
    }
    let byValue = byPeriod.get(r.period);
    if (!byValue) {
      byValue = new Map();
      byPeriod.set(r.period, byValue);
    }
    byValue.set(parsed.parts[dimension]!, r);
  }
  const out: AnalysisGap[] = [];
  for (const [key, byPeriod] of cells) {
    const [areaCode, dimension] = key.split("\u0000") as [string, string];
    const pair = gapPair(dimension, options.dimensions.get(dimension));
    if (!pair) continue;
    const series: { gap: Omit<AnalysisGap, "trendDirection" | "trendReason" | "gapTrend">; point: SeriesPoint }[] = [];
    for (const [period, byValue] of byPeriod) {
      const a = byValue.get(pair[0]);
      const b = byValue.get(pair[1]);
      if (!a || !b) continue;
      const ga = gapGroup(a, options.valueType);
      const gb = gapGroup(b, options.valueType);
      if (!ga || !gb) continue;
      let g: ReturnType<typeof gap>;
      try {
        g = gap(ga, gb, { multiplier: options.multiplier });
      } catch {
        continue;
      }
      const row = {
        measureCode: options.measureCode,
        areaCode,
        period,
        periodSort: a.periodSort,
        dimension,
        groupA: a.breakdown,
        groupB: b.breakdown,
        valueA: g.a.value,
        valueB: g.b.value,
        absolute: g.absolute.value,
        absoluteLower: g.absolute.lower,
        absoluteUpper: g.absolute.upper,
        relative: g.relative?.value ?? null,
        relativeLower: g.relative?.lower ?? null,
        relativeUpper: Number.isFinite(g.relative?.upper) ? (g.relative?.upper ?? null) : null,
        significant: g.absolute.lower > 0 || g.absolute.upper < 0,
        dataVersion: options.dataVersion,
      };
      series.push({
        gap: row,
        point: {
          position: options.positions.get(period) ?? Number.NaN,
          value: row.absolute,
          lower95: row.absoluteLower,
          upper95: row.absoluteUpper,
          numerator: null,
          denominator: null,
        },
      });
    }
    series.sort((x, y) => x.gap.periodSort - y.gap.periodSort);
    const trends = trendsAlongSeries(
      series.map((s) => s.point),
      { periodType: options.periodType, polarity: "no_judgement", proportion: false },
    );
    series.forEach((s, i) => {
      const t = trends[i]!;
      out.push({
        ...s.gap,
        trendDirection: t.direction,
        trendReason: t.reason,
        gapTrend: judgeGapTrend(t.direction, s.gap.absolute),
      });
    });
  }
  return out;
}
