/**
 * Recent trend at every point of a series: the Fingertips test over the latest five points up to and including that
 * point (METHODS §10): proportions by the chi-square test for trend on numerators and denominators, other values by
 * weighted regression on the values and their 95% limits. The five periods must be consecutive; rolling multi-year
 * periods (which overlap) and monthly or quarterly series are not tested.
 */
import { recentTrend, recentTrendWindow, TREND_POINTS, type TrendColumns, type TrendPoint } from "../../stats/trend.ts";
import type { Polarity, TrendDirection, TrendJudgement } from "../../stats/types.ts";
import type { AnalysisTrendReason } from "./types.ts";

/** One point of a series, in chronological order. */
export interface SeriesPoint {
  /** Position in the period type's series (consecutive periods differ by 1). */
  position: number;
  value: number | null;
  lower95: number | null;
  upper95: number | null;
  numerator: number | null;
  denominator: number | null;
}

export interface TrendOutcome {
  direction: TrendDirection;
  judgement: TrendJudgement | null;
  reason: AnalysisTrendReason;
}

const ANNUAL_TYPES = new Set(["calendar_year", "financial_year", "academic_year", "snapshot_date"]);

/** Why no trend is tested for a period type at all, or null when its series can be tested. */
export function trendRefusalForPeriodType(periodType: string): AnalysisTrendReason | null {
  if (periodType === "multi_year") return "overlapping_periods";
  if (!ANNUAL_TYPES.has(periodType)) return "period_type_not_annual";
  return null;
}

const REFUSALS = new Map<AnalysisTrendReason, TrendOutcome>();

export function refused(reason: AnalysisTrendReason): TrendOutcome {
  let outcome = REFUSALS.get(reason);
  if (!outcome) {
    outcome = Object.freeze({ direction: "cannot_be_calculated", judgement: null, reason });
    REFUSALS.set(reason, outcome);
  }
  return outcome;
}

/**
 * The trend at each point of `series` (chronological). `proportion` selects the counts test for points that have a
 * numerator and denominator.
 */
export function trendsAlongSeries(
  series: readonly SeriesPoint[],
  options: { periodType: string; polarity: Polarity; proportion: boolean },
): TrendOutcome[] {
  const refusal = trendRefusalForPeriodType(options.periodType);
  if (refusal) return series.map(() => refused(refusal));
  // Each point in both forms, built once and shared by the five windows that use it.
  const asCounts: TrendPoint[] = options.proportion
    ? series.map((p) => ({ period: p.position, count: p.numerator, denominator: p.denominator }))
    : [];
  const asValues: TrendPoint[] = series.map((p) => ({
    period: p.position,
    value: p.value,
    lower: p.lower95,
    upper: p.upper95,
  }));
  return series.map((point, i) => {
    if (i + 1 < TREND_POINTS) return refused("not_enough_data_points");
    if (point.value === null) return refused("missing_values");
    const useCounts = options.proportion && point.numerator !== null && point.denominator !== null;
    const points = (useCounts ? asCounts : asValues).slice(i + 1 - TREND_POINTS, i + 1);
    for (const p of points) if (!Number.isFinite(p.period)) return refused("non_consecutive_periods");
    try {
      const r = recentTrend(points, { polarity: options.polarity, valueType: useCounts ? "proportion" : "other" });
      return { direction: r.direction, judgement: r.judgement, reason: r.reason };
    } catch {
      // Inconsistent inputs (e.g. count > denominator): no trend rather than a failed analysis.
      return refused("invalid_confidence_interval");
    }
  });
}

const orNull = (x: number): number | null => (Number.isNaN(x) ? null : x);

/**
 * The trend at the point rows[at] of a series in columns (NaN = missing; `rows` lists the series' rows in chronological
 * order), exactly as {@link trendsAlongSeries} gives it for that point when the period type can be tested: the window
 * is the five points rows[at − 4 … at], read in place by `recentTrendWindow` (the same arithmetic as `recentTrend`).
 */
export function trendAt(
  columns: TrendColumns,
  rows: Int32Array,
  first: number,
  at: number,
  options: { polarity: Polarity; proportion: boolean },
): TrendOutcome {
  if (at - first + 1 < TREND_POINTS) return refused("not_enough_data_points");
  const row = rows[at]!;
  if (Number.isNaN(columns.value[row]!)) return refused("missing_values");
  const useCounts =
    options.proportion && !Number.isNaN(columns.count[row]!) && !Number.isNaN(columns.denominator[row]!);
  const from = at + 1 - TREND_POINTS;
  for (let i = from; i <= at; i++)
    if (!Number.isFinite(columns.period[rows[i]!]!)) return refused("non_consecutive_periods");
  const outcome = recentTrendWindow(columns, rows, from, useCounts, options.polarity);
  if (outcome) return outcome;
  // Periods out of order within the window (not from the analysis's sorted series): recentTrend sorts them itself.
  const points: TrendPoint[] = [];
  for (let i = from; i <= at; i++) {
    const r = rows[i]!;
    points.push(
      useCounts
        ? { period: columns.period[r]!, count: orNull(columns.count[r]!), denominator: orNull(columns.denominator[r]!) }
        : {
            period: columns.period[r]!,
            value: orNull(columns.value[r]!),
            lower: orNull(columns.lower[r]!),
            upper: orNull(columns.upper[r]!),
          },
    );
  }
  try {
    const r = recentTrend(points, { polarity: options.polarity, valueType: useCounts ? "proportion" : "other" });
    return { direction: r.direction, judgement: r.judgement, reason: r.reason };
  } catch {
    return refused("invalid_confidence_interval");
  }
}
