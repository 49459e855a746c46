/**
 * Funnel plots: control limits around the all-area average and the significance of each area
 * against them, for proportions, ratios (observed/expected) and rates (DSR or crude), as in
 * PHEindicatormethods `calculate_funnel_limits` / `assign_funnel_significance` /
 * `calculate_funnel_points` (METHODS §9).
 */

import { qchisq, qnorm } from "./distributions.ts";
import { assertOneOf } from "./input-checks.ts";
import { optionalFiniteNumber } from "./interval-checks.ts";
import { poissonFunnelLimit } from "./poisson-funnel.ts";
import {
  FUNNEL_RATE_TYPES,
  FUNNEL_RATIO_TYPES,
  FUNNEL_STATISTICS,
  type FunnelRateType,
  type FunnelRatioType,
  type FunnelSignificance,
  type FunnelStatistic,
} from "./types.ts";

/** One area on the funnel. */
export interface FunnelRow {
  /** Proportion: numerator. Ratio: observed events. Rate: number of events. */
  numerator: number;
  /**
   * Proportion: denominator. Ratio: expected events. Rate: population — only needed (and only
   * used) for a crude rate with 0 events, where it cannot be derived from the rate.
   */
  denominator?: number | null;
  /** Rate funnels: the area's rate per `multiplier` (DSR or crude rate). */
  rate?: number | null;
}

export interface FunnelProportionOptions {
  statistic: "proportion";
  /** Scale of the limits (100 = percentage, the default). */
  multiplier?: number;
}

export interface FunnelRatioOptions {
  statistic: "ratio";
  /** Limits scale: `count` → ratio − 1 (the default), `isr` → ratio × 100. */
  ratioType?: FunnelRatioType;
}

export interface FunnelRateOptions {
  statistic: "rate";
  rateType: FunnelRateType;
  /** The rates' multiplier, e.g. 100000 for a rate per 100,000. */
  multiplier: number;
  /** Number of years the data cover (limits only; converts populations to one-year values). */
  yearsOfData?: number;
}

export type FunnelOptions = FunnelProportionOptions | FunnelRatioOptions | FunnelRateOptions;

/** Control limits at one point of the funnel's x axis. */
export interface FunnelLimitPoint {
  /** Population (proportion), observed events (ratio) or events (rate). */
  x: number;
  /** 95% ("2 sigma", one-sided 0.025) and 99.8% ("3 sigma", one-sided 0.001) limits. */
  lower95: number;
  upper95: number;
  lower998: number;
  upper998: number;
  /**
   * Ratio: the expected events at which `x` observed events reach each limit. Rate: the one-year
   * population at which `x` events reach each limit. Absent for proportions.
   */
  lower95Denominator?: number;
  upper95Denominator?: number;
  lower998Denominator?: number;
  upper998Denominator?: number;
}

export interface FunnelLimits {
  statistic: FunnelStatistic;
  /** Σ numerators / Σ (derived) denominators over all rows. */
  average: number;
  /**
   * The centre line on the plot's scale: average × multiplier (proportion, rate); 0 for ratio
   * type `count` and 100 for `isr`.
   */
  baseline: number;
  /** Ends of the x axis (events for rates). */
  axisMinimum: number;
  axisMaximum: number;
  /** 100 points along the x axis. */
  points: FunnelLimitPoint[];
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

interface CheckedOptions {
  statistic: FunnelStatistic;
  multiplier: number;
  ratioType: FunnelRatioType;
  rateType: FunnelRateType;
  yearsOfData: number | null;
}

function checkOptions(options: FunnelOptions, fn: string): CheckedOptions {
  if (options === null || typeof options !== "object") throw new Error(`${fn}: options { statistic } are required`);
  assertOneOf(options.statistic, FUNNEL_STATISTICS, `${fn}: statistic`);
  const checked: CheckedOptions = {
    statistic: options.statistic,
    multiplier: 100,
    ratioType: "count",
    rateType: "dsr",
    yearsOfData: null,
  };
  if (options.statistic === "proportion") {
    if (options.multiplier !== undefined) checked.multiplier = positive(options.multiplier, `${fn}: multiplier`);
  } else if (options.statistic === "ratio") {
    if (options.ratioType !== undefined) {
      assertOneOf(options.ratioType, FUNNEL_RATIO_TYPES, `${fn}: ratioType`);
      checked.ratioType = options.ratioType;
    }
  } else {
    assertOneOf(options.rateType, FUNNEL_RATE_TYPES, `${fn}: rateType`);
    checked.rateType = options.rateType;
    checked.multiplier = positive(options.multiplier, `${fn}: multiplier`);
    if (options.yearsOfData !== undefined) checked.yearsOfData = positive(options.yearsOfData, `${fn}: yearsOfData`);
  }
  return checked;
}

function positive(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new Error(`${what} must be a positive finite number; got ${String(value)}`);
  }
  return value;
}

interface CheckedRow {
  numerator: number;
  denominator: number | null;
  rate: number | null;
}

function checkRows(rows: readonly FunnelRow[], o: CheckedOptions, fn: string): CheckedRow[] {
  if (!Array.isArray(rows) || rows.length === 0) throw new Error(`${fn}: rows must be a non-empty array`);
  return rows.map((row, i) => {
    const where = `${fn}: rows[${i}]`;
    if (row === null || typeof row !== "object") throw new Error(`${where} must be an object`);
    const numerator = optionalFiniteNumber(row.numerator, `${where}.numerator`);
    if (numerator === null) throw new Error(`${where}.numerator is required`);
    if (numerator < 0) throw new Error(`${where}.numerator must be >= 0; got ${numerator}`);
    const denominator = optionalFiniteNumber(row.denominator, `${where}.denominator`);
    if (denominator !== null && denominator <= 0) {
      throw new Error(`${where}.denominator must be > 0; got ${denominator}`);
    }
    const rate = optionalFiniteNumber(row.rate, `${where}.rate`);
    if (o.statistic === "proportion" || o.statistic === "ratio") {
      if (denominator === null) throw new Error(`${where}.denominator is required for ${o.statistic} funnels`);
      if (o.statistic === "proportion" && numerator > denominator) {
        throw new Error(`${where}: numerator (${numerator}) must not exceed the denominator (${denominator})`);
      }
    } else if (numerator > 0) {
      if (rate === null || rate <= 0) throw new Error(`${where}.rate must be > 0 when there are events; got ${rate}`);
    } else if (o.rateType === "crude" && denominator === null) {
      throw new Error(`${where}: a crude rate with 0 events needs the denominator (population)`);
    }
    return { numerator, denominator, rate };
  });
}

// ---------------------------------------------------------------------------------------------
// Proportions (§9.1)
// ---------------------------------------------------------------------------------------------

/**
 * Funnel limit for a proportion at population N: the proportion whose Wilson interval at
 * one-sided probability p just touches the average p̄ (PIM `sigma_adjustment`, METHODS §9.1).
 */
function proportionLimit(p: number, population: number, average: number, side: "low" | "high", multiplier: number) {
  const z = qnorm(p);
  const z2 = z ** 2;
  const firstPart = average * (population / z2 + 1);
  const adj = Math.sqrt(
    (-8 * average * (population / z2 + 1)) ** 2 -
      64 *
        (1 / z2 + 1 / population) *
        average *
        (population * (average * (population / z2 + 2) - 1) + z2 * (average - 1)),
  );
  const lastPart = 1 / z2 + 1 / population;
  const limit = side === "low" ? (firstPart - adj / 8) / lastPart : (firstPart + adj / 8) / lastPart;
  return (limit / population) * multiplier;
}

// ---------------------------------------------------------------------------------------------
// Ratios and rates (§9.3)
// ---------------------------------------------------------------------------------------------

/**
 * Exact (O < 10) or Byar (O ≥ 10) confidence limit for an observed count at two-sided level p,
 * divided by `expected` (PIM `funnel_ratio_significance`).
 */
function countLimitRatio(observed: number, expected: number, p: number, side: "low" | "high"): number {
  let statistic: number;
  if (observed === 0 && side === "low") {
    statistic = 0;
  } else if (observed < 10) {
    const q = 0.5 + p / 2;
    statistic = side === "low" ? qchisq(1 - q, 2 * observed) / 2 : qchisq(q, 2 * observed + 2) / 2;
  } else {
    const z = qnorm(0.5 + p / 2);
    if (side === "low") {
      statistic = observed * (1 - 1 / (9 * observed) - z / 3 / Math.sqrt(observed)) ** 3;
    } else {
      const o = observed + 1;
      statistic = o * (1 - 1 / (9 * o) + z / 3 / Math.sqrt(o)) ** 3;
    }
  }
  return statistic / expected;
}

// ---------------------------------------------------------------------------------------------
// Axis (§9.2)
// ---------------------------------------------------------------------------------------------

/** R `nchar()` of a non-negative whole double: its `as.character` width (fixed vs scientific). */
function rNchar(x: number): number {
  const fixed = String(x);
  if (x === 0 || x >= 1e15) return fixed.length;
  const digits = fixed.replace(/0+$/, "");
  const exponent = fixed.length - 1;
  const mantissa = digits.length > 1 ? digits.length + 1 : 1;
  const scientific = mantissa + (exponent >= 100 ? 5 : 4);
  return Math.min(fixed.length, scientific);
}

function signifFloor(x: number): number {
  if (x === 0) return 0;
  const n = rNchar(Math.floor(x * 0.95)) - 1;
  return Math.floor((x * 0.95) / 10 ** n) * 10 ** n;
}

function signifCeiling(x: number): number {
  if (x === 0) return 0;
  const n = rNchar(Math.ceil(x * 1.05)) - 2;
  return Math.ceil((x * 1.05) / 10 ** n) * 10 ** n;
}

/** R `round()` to an integer: half to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function axisPoints(axisMinimum: number, axisMaximum: number, offsetShift: number): number[] {
  const xs = [Math.max(1, axisMinimum)];
  for (let j = 2; j <= 100; j++) {
    const prev = xs[j - 2]!;
    const offset = j - offsetShift;
    xs.push(Math.max(roundHalfEven((axisMaximum / prev) ** (1 / (101 - offset)) * prev), prev + 1));
  }
  return xs;
}

/** Denominators used for the average and the axis (METHODS §9.3 "derived denominators"). */
function derivedDenominators(rows: readonly CheckedRow[], o: CheckedOptions, order: "limits" | "significance") {
  return rows.map((r) => {
    if (o.statistic !== "rate") return r.denominator!;
    if (r.numerator === 0) return o.rateType === "dsr" ? null : r.denominator!;
    // The two PIM functions write the expression in different orders; keep each one's rounding.
    return order === "limits" ? (o.multiplier * r.numerator) / r.rate! : (r.numerator / r.rate!) * o.multiplier;
  });
}

function weightedAverage(rows: readonly CheckedRow[], denominators: readonly (number | null)[]): number {
  let num = 0;
  let den = 0;
  for (const r of rows) num += r.numerator;
  for (const d of denominators) if (d !== null) den += d;
  return num / den;
}

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/**
 * Funnel plot control limits at 100 points along the x axis (METHODS §9,
 * PIM `calculate_funnel_limits`).
 *
 * - **proportion** (§9.1): x = population; average p̄ = Σ numerators / Σ denominators; limits
 *   from the inverted Wilson interval; lower limits clamped at 0 and upper limits at **100**
 *   whatever the multiplier (PIM quirk, §13.6); baseline = p̄ × multiplier.
 * - **ratio** (§9.3): x = observed events O; lower = O / μ_high(O), upper = O / μ_low(O) from the
 *   Poisson bisection; `count` → minus 1, `isr` → × 100. `*Denominator` = the expected events μ.
 * - **rate** (§9.3): x = events E; derived denominators multiplier × count / rate (DSR: none for
 *   count 0; crude: the supplied denominator for count 0); av = Σ events / Σ derived denominators;
 *   limit = E / (μ / av) × multiplier; `*Denominator` = one-year population μ / av / yearsOfData;
 *   baseline = av × multiplier. `yearsOfData` is required.
 *
 * Axis (§9.2): min/max of the (derived) denominators (rates: per year, then × years and converted
 * to events with the average); the minimum is 0 when max > 2 × min; points are spaced
 * geometrically with R's rounding.
 *
 * @throws Error on empty input, missing/negative numerators, non-positive denominators, a
 *   numerator above its denominator (proportion), a missing rate where there are events, a crude
 *   zero-event row without denominator, or a rate funnel without `yearsOfData`.
 */
export function funnelLimits(rows: readonly FunnelRow[], options: FunnelOptions): FunnelLimits {
  const o = checkOptions(options, "funnelLimits");
  const data = checkRows(rows, o, "funnelLimits");
  if (o.statistic === "rate" && o.yearsOfData === null) {
    throw new Error("funnelLimits: yearsOfData is required for rate funnels");
  }
  const denominators = derivedDenominators(data, o, "limits");
  const present = denominators.filter((d): d is number => d !== null);
  if (present.length === 0) throw new Error("funnelLimits: no usable denominators");
  const average = weightedAverage(data, denominators);
  const minD = present.reduce((m, d) => Math.min(m, d), Number.POSITIVE_INFINITY);
  const maxD = present.reduce((m, d) => Math.max(m, d), Number.NEGATIVE_INFINITY);
  const years = o.yearsOfData ?? 1;

  let axisMinimum: number;
  let axisMaximum: number;
  if (maxD > 2 * minD) axisMinimum = 0;
  else axisMinimum = o.statistic === "rate" ? signifFloor(minD / years) * years : signifFloor(minD);
  axisMaximum = o.statistic === "rate" ? signifCeiling(maxD / years) * years : signifCeiling(maxD);
  if (o.statistic === "rate") {
    axisMinimum = Math.floor(axisMinimum * average);
    axisMaximum = Math.ceil(axisMaximum * average);
  }
  const xs = axisPoints(axisMinimum, axisMaximum, o.statistic === "ratio" ? 1 : 0);

  let points: FunnelLimitPoint[];
  let baseline: number;
  if (o.statistic === "proportion") {
    const m = o.multiplier;
    baseline = average * m;
    points = xs.map((x) => ({
      x,
      lower95: Math.max(0, proportionLimit(0.975, x, average, "low", m)),
      upper95: Math.min(100, proportionLimit(0.975, x, average, "high", m)),
      lower998: Math.max(0, proportionLimit(0.999, x, average, "low", m)),
      upper998: Math.min(100, proportionLimit(0.999, x, average, "high", m)),
    }));
  } else if (o.statistic === "ratio") {
    const scale = o.ratioType === "count" ? (r: number) => r - 1 : (r: number) => r * 100;
    baseline = o.ratioType === "count" ? 0 : 100;
    points = xs.map((x) => {
      const l95 = poissonFunnelLimit(x, 0.025, "high");
      const u95 = poissonFunnelLimit(x, 0.025, "low");
      const l998 = poissonFunnelLimit(x, 0.001, "high");
      const u998 = poissonFunnelLimit(x, 0.001, "low");
      return {
        x,
        lower95: scale(x / l95),
        upper95: scale(x / u95),
        lower998: scale(x / l998),
        upper998: scale(x / u998),
        lower95Denominator: l95,
        upper95Denominator: u95,
        lower998Denominator: l998,
        upper998Denominator: u998,
      };
    });
  } else {
    const m = o.multiplier;
    baseline = average * m;
    points = xs.map((x) => {
      const l95 = poissonFunnelLimit(x, 0.025, "high") / average;
      const u95 = poissonFunnelLimit(x, 0.025, "low") / average;
      const l998 = poissonFunnelLimit(x, 0.001, "high") / average;
      const u998 = poissonFunnelLimit(x, 0.001, "low") / average;
      return {
        x,
        lower95: (x / l95) * m,
        upper95: (x / u95) * m,
        lower998: (x / l998) * m,
        upper998: (x / u998) * m,
        lower95Denominator: l95 / years,
        upper95Denominator: u95 / years,
        lower998Denominator: l998 / years,
        upper998Denominator: u998 / years,
      };
    });
  }
  return { statistic: o.statistic, average, baseline, axisMinimum, axisMaximum, points };
}

/**
 * Significance of each row against the funnel limits around the all-row average (METHODS §9,
 * PIM `assign_funnel_significance`). Returns one value per row, in input order.
 *
 * - **proportion**: p = x/n against the §9.1 limits at population n (strict inequalities, first
 *   match wins: low 99.8%, low 95%, high 99.8%, high 95%).
 * - **ratio**: exact (O < 10) or Byar (O ≥ 10) limits of O divided by the expected E, compared with 1:
 *   1 < low(99.8%) → `high_99_8`; 1 < low(95%) → `high_95`; 1 > high(99.8%) → `low_99_8`;
 *   1 > high(95%) → `low_95`.
 * - **rate**: the same limits divided by the derived denominator, compared with the weighted
 *   average; DSR rows with fewer than 10 events → `not_applicable` (including 0 events).
 *
 * @throws Error on the same invalid input as {@link funnelLimits}.
 */
export function funnelSignificance(rows: readonly FunnelRow[], options: FunnelOptions): FunnelSignificance[] {
  const o = checkOptions(options, "funnelSignificance");
  const data = checkRows(rows, o, "funnelSignificance");

  if (o.statistic === "proportion") {
    let num = 0;
    let den = 0;
    for (const r of data) {
      num += r.numerator;
      den += r.denominator!;
    }
    const average = num / den;
    return data.map((r) => {
      const n = r.denominator!;
      const p = r.numerator / n;
      if (p < proportionLimit(0.999, n, average, "low", 1)) return "low_99_8";
      if (p < proportionLimit(0.975, n, average, "low", 1)) return "low_95";
      if (p > proportionLimit(0.999, n, average, "high", 1)) return "high_99_8";
      if (p > proportionLimit(0.975, n, average, "high", 1)) return "high_95";
      return "not_significant";
    });
  }

  const denominators = derivedDenominators(data, o, "significance");
  const reference = o.statistic === "ratio" ? 1 : weightedAverage(data, denominators);
  return data.map((r, i): FunnelSignificance => {
    if (o.statistic === "rate" && o.rateType === "dsr" && r.numerator < 10) return "not_applicable";
    const d = denominators[i];
    if (d === null || d === undefined) return "not_significant";
    if (reference < countLimitRatio(r.numerator, d, 0.998, "low")) return "high_99_8";
    if (reference < countLimitRatio(r.numerator, d, 0.95, "low")) return "high_95";
    if (reference > countLimitRatio(r.numerator, d, 0.998, "high")) return "low_99_8";
    if (reference > countLimitRatio(r.numerator, d, 0.95, "high")) return "low_95";
    return "not_significant";
  });
}

/** A rate funnel point ready for charting. */
export interface FunnelRatePoint {
  /** The rate to plot, or `null` for a DSR with fewer than 10 events. */
  value: number | null;
  /** One-year derived population (x position on a population axis), or `null` as above. */
  denominator: number | null;
}

/**
 * Chart positions for rate funnels (METHODS §9.3, PIM `calculate_funnel_points`): DSR rows with
 * fewer than 10 events get `null`; otherwise the denominator is
 * (multiplier × count / rate) / yearsOfData, or, for a crude rate with 0 events, the supplied
 * denominator / yearsOfData.
 */
export function funnelRatePoints(
  rows: readonly FunnelRow[],
  options: { rateType: FunnelRateType; multiplier: number; yearsOfData: number },
): FunnelRatePoint[] {
  const o = checkOptions({ statistic: "rate", ...options }, "funnelRatePoints");
  const years = positive(options.yearsOfData, "funnelRatePoints: yearsOfData");
  const data = checkRows(rows, o, "funnelRatePoints");
  return data.map((r) => {
    if (o.rateType === "dsr") {
      if (r.numerator < 10) return { value: null, denominator: null };
      return { value: r.rate, denominator: (o.multiplier * r.numerator) / r.rate! / years };
    }
    if (r.numerator === 0 && r.denominator !== null) return { value: r.rate, denominator: r.denominator / years };
    return { value: r.rate, denominator: (o.multiplier * r.numerator) / r.rate! / years };
  });
}
