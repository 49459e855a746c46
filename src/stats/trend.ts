/**
 * Recent trend ("trend markers") over the last five points of a series, as in Fingertips and
 * the PHEindicatormethods `assign_trend_markers` work (METHODS §10).
 */

import { zFor } from "./confidence.ts";
import { assertOneOf, isMissing, requireFinite } from "./input-checks.ts";
import { optionalFiniteNumber } from "./interval-checks.ts";
import {
  POLARITIES,
  type Polarity,
  TREND_VALUE_TYPES,
  type TrendDirection,
  type TrendJudgement,
  type TrendReason,
  type TrendValueType,
} from "./types.ts";

/** Number of most recent points used by the test (METHODS §10.1). */
export const TREND_POINTS = 5;

/**
 * χ²₁ critical value at 99.8% (Fingertips `ChiSquareConfidence`; PIM-TM rounds it to 9.5495).
 * A trend is significant when χ² is strictly greater.
 */
export const TREND_CHI2_CRITICAL = 9.54953570608324;

/** One period of the series. */
export interface TrendPoint {
  /** Period on a numeric axis, e.g. the start year of an annual period. Must be unique. */
  period: number;
  /** Indicator value (`valueType: "other"`). */
  value?: number | null;
  /** 95% confidence limits of the value (`valueType: "other"`). */
  lower?: number | null;
  upper?: number | null;
  /** Numerator and denominator (`valueType: "proportion"`). */
  count?: number | null;
  denominator?: number | null;
}

export interface RecentTrendOptions {
  polarity: Polarity;
  /** `proportion`: chi-square test for trend on counts; `other`: weighted regression on values + CIs. */
  valueType: TrendValueType;
  /** Level of the supplied confidence limits (`other`); default 0.95 (95 also accepted). */
  confidence?: number;
  /**
   * `other` only: divisor turning the CI width into a standard error, overriding 2·z.
   * Fingertips uses the rounded 3.92 (METHODS §10.2, §13.7); the default is the exact 2·Φ⁻¹(0.975).
   */
  ciDivisor?: number;
  /**
   * Accept a break in the last five periods and regress on the actual periods (as PIM-TM does).
   * Default `false`: a series with a gap is refused (`non_consecutive_periods`), following the
   * Fingertips guidance (METHODS §10.1, §10.4).
   */
  allowGaps?: boolean;
}

export interface RecentTrendResult {
  direction: TrendDirection;
  /** For a significant trend with a judgemental polarity; otherwise `null`. */
  judgement: TrendJudgement | null;
  reason: TrendReason;
  /** χ² test statistic (1 df); `null` when the trend cannot be calculated. */
  chi2: number | null;
  /**
   * Slope per period: the weighted least-squares slope of the value (`other`) or the ordinary
   * least-squares slope of logit(count/denominator) (`proportion`); `null` when not calculated.
   */
  gradient: number | null;
  /** Periods of the points the test used (ascending), empty when none. */
  periods: number[];
}

/** The five points of a test, prepared (t = 1…5, y, weights, and for proportions the counts): reused scratch. */
interface Prepared {
  t: Float64Array;
  y: Float64Array;
  w: Float64Array;
  count: Float64Array;
  denominator: Float64Array;
}

const PREPARED: Prepared = {
  t: new Float64Array(TREND_POINTS),
  y: new Float64Array(TREND_POINTS),
  w: new Float64Array(TREND_POINTS),
  count: new Float64Array(TREND_POINTS),
  denominator: new Float64Array(TREND_POINTS),
};

/**
 * Recent trend of a series (METHODS §10).
 *
 * Rules (in this order): duplicate periods → cannot be calculated; fewer than 5 points → cannot
 * be calculated; only the latest 5 points are used; a missing value (or count/denominator for a
 * proportion) or missing 95% limit → cannot be calculated; the 5 periods must be consecutive
 * unless `allowGaps`; a proportion with count 0 or count = denominator (logit undefined,
 * Fingertips refuses) or a zero-width CI cannot be used.
 *
 * Test, with t = period − first period + 1 (1..5 for consecutive periods):
 * - `other` (§10.2): weights 1/σ², σ = (U − L)/(2z); slope β = (S0·Sty − S1·Sy)/(S0·S2 − S1²),
 *   Var(β) = S0/(S0·S2 − S1²), χ² = β²/Var(β).
 * - `proportion` (§10.3): χ² = D·(D·Σcₜt − C·Σdₜt)² / (C·(D − C)·(D·Σdₜt² − (Σdₜt)²)), D = Σd,
 *   C = Σc; β = OLS slope of logit(cₜ/dₜ) on t.
 *
 * Decision (§10.4): significant if χ² > 9.54953570608324; then each leave-one-out slope (4 points,
 * same fit) must have the same sign (`Math.sign`, as R `sign()`) as β, otherwise "no significant
 * change" with reason `outlier_found`. Direction is increasing for β > 0, decreasing for β < 0;
 * the judgement follows the polarity (`no_judgement` → `null`).
 *
 * @throws Error on invalid input: non-finite periods or numbers, unknown polarity/valueType,
 *   negative counts, denominators ≤ 0, count > denominator, or lower limit > upper limit.
 */
export function recentTrend(points: readonly TrendPoint[], options: RecentTrendOptions): RecentTrendResult {
  if (!Array.isArray(points)) throw new Error("recentTrend: points must be an array");
  if (options === null || typeof options !== "object") {
    throw new Error("recentTrend: options { polarity, valueType } are required");
  }
  assertOneOf(options.polarity, POLARITIES, "recentTrend: polarity");
  assertOneOf(options.valueType, TREND_VALUE_TYPES, "recentTrend: valueType");
  const divisor = resolveDivisor(options);
  const proportion = options.valueType === "proportion";

  // This runs for every point of every series of the analysis, so it allocates little: no spreads, no closures,
  // and messages are only built for an error.
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    if (p === null || typeof p !== "object") throw new Error(`recentTrend: points[${i}] must be an object`);
    if (typeof p.period !== "number" || !Number.isFinite(p.period)) {
      requireFinite(p.period, `recentTrend: points[${i}].period`);
    }
  }
  // Windows usually arrive in order (the analysis slides along sorted series): copy and sort only when they do not.
  let ascending = true;
  for (let i = 1; i < points.length && ascending; i++) ascending = points[i - 1]!.period <= points[i]!.period;
  const sorted = ascending ? points : points.slice().sort(byPeriod);

  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.period === sorted[i - 1]!.period) return refuse("duplicate_periods", []);
  }
  if (sorted.length < TREND_POINTS) return refuse("not_enough_data_points", sorted);
  const used = sorted.length === TREND_POINTS ? sorted : sorted.slice(-TREND_POINTS);

  // Missing data.
  if (proportion) {
    for (const p of used) if (isMissing(p.count) || isMissing(p.denominator)) return refuse("missing_values", used);
  } else {
    for (const p of used) if (isMissing(p.value)) return refuse("missing_values", used);
    for (const p of used) {
      if (isMissing(p.lower) || isMissing(p.upper)) return refuse("missing_confidence_interval", used);
    }
  }
  const first = used[0]!.period;
  if (!options.allowGaps) {
    for (let i = 0; i < used.length; i++) {
      if (used[i]!.period - first !== i) return refuse("non_consecutive_periods", used);
    }
  }

  const prepared = PREPARED;
  let degenerate = false;
  let zeroWidth = false;
  for (let i = 0; i < TREND_POINTS; i++) {
    const p = used[i]!;
    prepared.t[i] = p.period - first + 1;
    if (proportion) {
      const c = finiteField(p, "count");
      const d = finiteField(p, "denominator");
      if (c < 0) throw new Error(`${where(p)}: count must be >= 0; got ${c}`);
      if (!(d > 0)) throw new Error(`${where(p)}: denominator must be > 0; got ${d}`);
      if (c > d) throw new Error(`${where(p)}: count (${c}) must not exceed the denominator (${d})`);
      if (prepareCounts(i, c, d)) degenerate = true;
    } else {
      const v = finiteField(p, "value");
      const lo = finiteField(p, "lower");
      const hi = finiteField(p, "upper");
      if (lo > hi) throw new Error(`${where(p)}: lower limit (${lo}) is greater than the upper limit (${hi})`);
      if (prepareValue(i, v, lo, hi, divisor)) zeroWidth = true;
    }
  }
  if (degenerate) return refuse("degenerate_proportion", used);
  if (zeroWidth) return refuse("invalid_confidence_interval", used);

  const outcome = fitTrend(proportion);
  const gradient = fitGradient;
  const chi2 = fitChi2;
  const periods = periodsOf(used);
  if (outcome === NOT_SIGNIFICANT) {
    return {
      direction: "no_significant_change",
      judgement: null,
      reason: "no_significant_trend",
      chi2,
      gradient,
      periods,
    };
  }
  if (outcome === OUTLIER) {
    return { direction: "no_significant_change", judgement: null, reason: "outlier_found", chi2, gradient, periods };
  }
  const direction: TrendDirection = gradient > 0 ? "increasing" : "decreasing";
  return {
    direction,
    judgement: judge(direction, options.polarity),
    reason: "significant_trend",
    chi2,
    gradient,
    periods,
  };
}

/** Point i of a proportion's test from its count c and denominator d (0 <= c <= d, d > 0); true when degenerate. */
function prepareCounts(i: number, c: number, d: number): boolean {
  const prepared = PREPARED;
  prepared.count[i] = c;
  prepared.denominator[i] = d;
  prepared.y[i] = Math.log(c / (d - c));
  prepared.w[i] = 1;
  return c === 0 || c === d;
}

/** Point i of a value's test from its value and 95% limits (lo <= hi); true when the interval has no width. */
function prepareValue(i: number, v: number, lo: number, hi: number, divisor: number): boolean {
  const prepared = PREPARED;
  const sigma = (hi - lo) / divisor;
  prepared.y[i] = v;
  prepared.w[i] = 1 / (sigma * sigma);
  return lo === hi;
}

/** The outcome of a trend test without its numbers (what the analysis stores). */
export interface TrendOutcomeCode {
  direction: TrendDirection;
  judgement: TrendJudgement | null;
  reason: TrendReason;
}

const refused = (reason: TrendReason): TrendOutcomeCode =>
  Object.freeze({ direction: "cannot_be_calculated", judgement: null, reason });
const DUPLICATE_PERIODS = refused("duplicate_periods");
const MISSING_VALUES = refused("missing_values");
const MISSING_CI = refused("missing_confidence_interval");
const NON_CONSECUTIVE = refused("non_consecutive_periods");
const INVALID_CI = refused("invalid_confidence_interval");
const DEGENERATE = refused("degenerate_proportion");
const NO_SIGNIFICANT_TREND: TrendOutcomeCode = Object.freeze({
  direction: "no_significant_change",
  judgement: null,
  reason: "no_significant_trend",
});
const OUTLIER_FOUND: TrendOutcomeCode = Object.freeze({
  direction: "no_significant_change",
  judgement: null,
  reason: "outlier_found",
});
/** Significant outcomes by [increasing ? 0 : 1][judgement: better, worse, none]. */
const SIGNIFICANT_OUTCOMES = (["increasing", "decreasing"] as const).map((direction) =>
  ([["getting_better"], ["getting_worse"], [null]] as const).map(([judgement]) =>
    Object.freeze({ direction, judgement, reason: "significant_trend" as const }),
  ),
);

/** A series in columns for {@link recentTrendWindow}; NaN = missing. */
export interface TrendColumns {
  period: Float64Array;
  value: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  count: Float64Array;
  denominator: Float64Array;
}

const WINDOW_DIVISOR = 2 * zFor(0.95);

/**
 * {@link recentTrend} (95% limits, default divisor, no gaps allowed) on the five points rows[from], …, rows[from + 4]
 * of `columns`, for the analysis, which slides a window along every series: the points are read from the columns
 * (`useCounts`: count and denominator, a proportion's test; else value and 95% limits), NaN meaning missing (null),
 * and the same arithmetic gives the same outcome. Where recentTrend would throw (e.g. count > denominator, lower >
 * upper, a non-finite number) it returns the `invalid_confidence_interval` refusal. Returns null when the periods are
 * not in ascending order (the caller then calls recentTrend itself). The periods must be finite.
 */
export function recentTrendWindow(
  columns: TrendColumns,
  rows: Int32Array,
  from: number,
  useCounts: boolean,
  polarity: Polarity,
): TrendOutcomeCode | null {
  const { period } = columns;
  const first = period[rows[from]!]!;
  for (let i = 1; i < TREND_POINTS; i++) {
    const before = period[rows[from + i - 1]!]!;
    const at = period[rows[from + i]!]!;
    if (!(before <= at)) return null;
    if (at === before) return DUPLICATE_PERIODS;
  }
  if (useCounts) {
    for (let i = 0; i < TREND_POINTS; i++) {
      const row = rows[from + i]!;
      if (Number.isNaN(columns.count[row]!) || Number.isNaN(columns.denominator[row]!)) {
        return MISSING_VALUES;
      }
    }
  } else {
    for (let i = 0; i < TREND_POINTS; i++) {
      if (Number.isNaN(columns.value[rows[from + i]!]!)) return MISSING_VALUES;
    }
    for (let i = 0; i < TREND_POINTS; i++) {
      const row = rows[from + i]!;
      if (Number.isNaN(columns.lower[row]!) || Number.isNaN(columns.upper[row]!)) {
        return MISSING_CI;
      }
    }
  }
  for (let i = 0; i < TREND_POINTS; i++) {
    if (period[rows[from + i]!]! - first !== i) return NON_CONSECUTIVE;
  }
  let degenerate = false;
  let zeroWidth = false;
  for (let i = 0; i < TREND_POINTS; i++) {
    const row = rows[from + i]!;
    PREPARED.t[i] = period[row]! - first + 1;
    if (useCounts) {
      const c = columns.count[row]!;
      const d = columns.denominator[row]!;
      if (!Number.isFinite(c) || !Number.isFinite(d) || c < 0 || !(d > 0) || c > d) return INVALID_CI;
      if (prepareCounts(i, c, d)) degenerate = true;
    } else {
      const v = columns.value[row]!;
      const lo = columns.lower[row]!;
      const hi = columns.upper[row]!;
      if (!Number.isFinite(v) || !Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) return INVALID_CI;
      if (prepareValue(i, v, lo, hi, WINDOW_DIVISOR)) zeroWidth = true;
    }
  }
  if (degenerate) return DEGENERATE;
  if (zeroWidth) return INVALID_CI;
  const outcome = fitTrend(useCounts);
  if (outcome === NOT_SIGNIFICANT) return NO_SIGNIFICANT_TREND;
  if (outcome === OUTLIER) return OUTLIER_FOUND;
  const direction: TrendDirection = fitGradient > 0 ? "increasing" : "decreasing";
  const judgement = judge(direction, polarity);
  return SIGNIFICANT_OUTCOMES[fitGradient > 0 ? 0 : 1]![
    judgement === "getting_better" ? 0 : judgement === null ? 2 : 1
  ]!;
}

const NOT_SIGNIFICANT = 0;
const OUTLIER = 1;
const SIGNIFICANT = 2;
/** Slope and χ² of the last {@link fitTrend}. */
let fitGradient = Number.NaN;

/**
 * The test on the prepared five points (§10.2–§10.4): sets {@link fitGradient} and {@link fitChi2} and returns
 * NOT_SIGNIFICANT, OUTLIER (significant, but a leave-one-out slope changes sign) or SIGNIFICANT.
 */
function fitTrend(proportion: boolean): number {
  const prepared = PREPARED;
  fitGradient = weightedSlope(prepared, -1);
  if (proportion) fitChi2 = proportionChi2(prepared);
  if (!(fitChi2 > TREND_CHI2_CRITICAL)) return NOT_SIGNIFICANT;
  const sign = Math.sign(fitGradient);
  for (let leave = 0; leave < TREND_POINTS; leave++) {
    if (Math.sign(weightedSlope(prepared, leave)) !== sign) return OUTLIER;
  }
  return SIGNIFICANT;
}

function byPeriod(a: TrendPoint, b: TrendPoint): number {
  return a.period - b.period;
}

function periodsOf(used: readonly TrendPoint[]): number[] {
  const periods = new Array<number>(used.length);
  for (let i = 0; i < used.length; i++) periods[i] = used[i]!.period;
  return periods;
}

function refuse(reason: TrendReason, used: readonly TrendPoint[]): RecentTrendResult {
  return {
    direction: "cannot_be_calculated",
    judgement: null,
    reason,
    chi2: null,
    gradient: null,
    periods: periodsOf(used),
  };
}

function where(p: TrendPoint): string {
  return `recentTrend: point for period ${p.period}`;
}

/** A present field of a point as a finite number (the error names the point and field). */
function finiteField(p: TrendPoint, field: "value" | "lower" | "upper" | "count" | "denominator"): number {
  const v = p[field];
  if (typeof v === "number" && Number.isFinite(v)) return v;
  return optionalFiniteNumber(v, `${where(p)}: ${field}`)!;
}

function resolveDivisor(options: RecentTrendOptions): number {
  if (options.ciDivisor !== undefined) {
    const d = options.ciDivisor;
    if (typeof d !== "number" || !Number.isFinite(d) || d <= 0) {
      throw new Error(`recentTrend: ciDivisor must be a positive finite number; got ${String(d)}`);
    }
    return d;
  }
  return 2 * zFor(options.confidence ?? 0.95);
}

/**
 * Weighted least-squares slope of y on t over the points in `subset` and its χ² = β²/Var(β)
 * (Var(β) = S0/(S0·S2 − S1²), valid when the weights are 1/σ²). Unit weights give the OLS slope.
 */
/** χ² of the last full fit by {@link weightedSlope} (slope² / its variance). */
let fitChi2 = Number.NaN;

/** Weighted least-squares slope over every point but `skip` (-1: all); sets {@link fitChi2} for a full fit. */
function weightedSlope(data: Prepared, skip: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let sy = 0;
  let sty = 0;
  for (let i = 0; i < TREND_POINTS; i++) {
    if (i === skip) continue;
    const w = data.w[i]!;
    const t = data.t[i]!;
    const y = data.y[i]!;
    s0 += w;
    s1 += t * w;
    s2 += t * t * w;
    sy += y * w;
    sty += t * y * w;
  }
  const det = s0 * s2 - s1 * s1;
  const slope = (s0 * sty - s1 * sy) / det;
  const variance = s0 / det;
  if (skip < 0) fitChi2 = (slope * slope) / variance;
  return slope;
}

function proportionChi2(data: Prepared): number {
  let d = 0;
  let c = 0;
  let ct = 0;
  let dt = 0;
  let dt2 = 0;
  for (let i = 0; i < TREND_POINTS; i++) {
    const t = data.t[i]!;
    const ci = data.count[i]!;
    const di = data.denominator[i]!;
    d += di;
    c += ci;
    ct += ci * t;
    dt += di * t;
    dt2 += di * t * t;
  }
  const numerator = d * (d * ct - c * dt) ** 2;
  const denominator = c * (d - c) * (d * dt2 - dt * dt);
  return numerator / denominator;
}

function judge(direction: TrendDirection, polarity: Polarity): TrendJudgement | null {
  if (polarity === "no_judgement") return null;
  if (direction !== "increasing" && direction !== "decreasing") return null;
  return (direction === "increasing") === (polarity === "higher_is_better") ? "getting_better" : "getting_worse";
}
