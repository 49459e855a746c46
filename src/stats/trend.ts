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

interface Prepared {
  t: number[];
  y: number[];
  w: number[];
  count: number[];
  denominator: number[];
}

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

  const prepared: Prepared = { t: [], y: [], w: [], count: [], denominator: [] };
  let degenerate = false;
  let zeroWidth = false;
  for (const p of used) {
    prepared.t.push(p.period - first + 1);
    if (proportion) {
      const c = finiteField(p, "count");
      const d = finiteField(p, "denominator");
      if (c < 0) throw new Error(`${where(p)}: count must be >= 0; got ${c}`);
      if (!(d > 0)) throw new Error(`${where(p)}: denominator must be > 0; got ${d}`);
      if (c > d) throw new Error(`${where(p)}: count (${c}) must not exceed the denominator (${d})`);
      if (c === 0 || c === d) degenerate = true;
      prepared.count.push(c);
      prepared.denominator.push(d);
      prepared.y.push(Math.log(c / (d - c)));
      prepared.w.push(1);
    } else {
      const v = finiteField(p, "value");
      const lo = finiteField(p, "lower");
      const hi = finiteField(p, "upper");
      if (lo > hi) throw new Error(`${where(p)}: lower limit (${lo}) is greater than the upper limit (${hi})`);
      if (lo === hi) zeroWidth = true;
      const sigma = (hi - lo) / divisor;
      prepared.y.push(v);
      prepared.w.push(1 / (sigma * sigma));
    }
  }
  if (degenerate) return refuse("degenerate_proportion", used);
  if (zeroWidth) return refuse("invalid_confidence_interval", used);

  const gradient = weightedSlope(prepared, -1);
  const chi2 = proportion ? proportionChi2(prepared) : fitChi2;
  const periods = periodsOf(used);
  if (!(chi2 > TREND_CHI2_CRITICAL)) {
    return {
      direction: "no_significant_change",
      judgement: null,
      reason: "no_significant_trend",
      chi2,
      gradient,
      periods,
    };
  }
  const sign = Math.sign(gradient);
  for (let leave = 0; leave < prepared.t.length; leave++) {
    if (Math.sign(weightedSlope(prepared, leave)) !== sign) {
      return { direction: "no_significant_change", judgement: null, reason: "outlier_found", chi2, gradient, periods };
    }
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
  for (let i = 0; i < data.t.length; i++) {
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
  for (let i = 0; i < data.t.length; i++) {
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
