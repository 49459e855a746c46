/**
 * Indirectly standardised ratios and rates — `calculate_ISRatio`, `calculate_ISRate` (METHODS.md §6).
 */

import { normaliseConfidence } from "./confidence.ts";
import { optionalFiniteNumber, requireFiniteNumber, requireMultiplier } from "./interval-checks.ts";
import type { IntervalEstimate } from "./interval-estimate.ts";
import { type PoissonCountMethod, poissonCountLimits } from "./poisson-count-limits.ts";

/** One age band of the area being standardised. */
export interface IsrRow {
  /** Observed events in the band; null/undefined is treated as 0. */
  count: number | null | undefined;
  /** Population of the band; null/undefined is treated as 0; 0 is allowed (contributes nothing). */
  population: number | null | undefined;
}

/** One age band of the reference (standard) population, aligned by position with the area's rows. */
export interface IsrReferenceBand {
  /** Reference events in the band; null/undefined is treated as 0. */
  count: number | null | undefined;
  /** Reference population of the band; must be > 0. */
  population: number;
}

/** Options shared by {@link isRatio} and {@link isRate}. */
export interface IsrCommonOptions {
  /** 0.9–1 or 90–100; default 0.95. */
  confidence?: number;
  /**
   * Total observed events, when age-specific counts are not available (`observed_totals` upstream).
   * When given, the rows' counts are ignored (they may be null).
   */
  observedTotal?: number;
}

/** Options for {@link isRatio}. */
export interface IsRatioOptions extends IsrCommonOptions {
  /** Scale of the ratio: 1 (default) or 100 for an SMR-style "× 100". */
  refValue?: number;
}

/** Options for {@link isRate}. */
export interface IsRateOptions extends IsrCommonOptions {
  /** Rate per `multiplier` population; default 100000. */
  multiplier?: number;
}

/** An indirectly standardised ratio or rate with its interval. */
export interface IsrEstimate extends IntervalEstimate {
  /** Observed events O. */
  observed: number;
  /** Expected events E = Σ (Xᵢ / Nᵢ)·nᵢ. */
  expected: number;
  /** Exact (O < 10) or Byars (O >= 10). */
  method: PoissonCountMethod;
}

/** An indirectly standardised rate, with the reference rate it was scaled by. */
export interface IsRateEstimate extends IsrEstimate {
  /** Σ Xᵢ / Σ Nᵢ × multiplier. */
  referenceRate: number;
}

interface ObservedExpected {
  observed: number;
  expected: number;
  referenceCount: number;
  referencePopulation: number;
}

function observedAndExpected(
  rows: readonly IsrRow[],
  reference: readonly IsrReferenceBand[],
  observedTotal: number | undefined,
): ObservedExpected {
  if (!Array.isArray(rows) || rows.length === 0) throw new Error("rows must be a non-empty array");
  if (!Array.isArray(reference) || reference.length !== rows.length) {
    throw new Error(
      `reference must have one band per row (aligned by position): ${rows.length} rows, ${
        Array.isArray(reference) ? reference.length : "no"
      } reference bands`,
    );
  }
  let observed = 0;
  let expected = 0;
  let referenceCount = 0;
  let referencePopulation = 0;
  rows.forEach((row, i) => {
    const x = optionalFiniteNumber(row.count, `rows[${i}].count`) ?? 0;
    const n = optionalFiniteNumber(row.population, `rows[${i}].population`) ?? 0;
    if (x < 0) throw new Error(`rows[${i}].count must be >= 0; got ${x}`);
    if (n < 0) throw new Error(`rows[${i}].population must be >= 0; got ${n}`);
    const band = reference[i]!;
    const refX = optionalFiniteNumber(band.count, `reference[${i}].count`) ?? 0;
    requireFiniteNumber(band.population, `reference[${i}].population`);
    if (refX < 0) throw new Error(`reference[${i}].count must be >= 0; got ${refX}`);
    if (band.population <= 0) throw new Error(`reference[${i}].population must be > 0; got ${band.population}`);
    observed += x;
    expected += (refX / band.population) * n;
    referenceCount += refX;
    referencePopulation += band.population;
  });
  if (observedTotal !== undefined) {
    requireFiniteNumber(observedTotal, "observedTotal");
    if (observedTotal < 0) throw new Error(`observedTotal must be >= 0; got ${observedTotal}`);
    observed = observedTotal;
  }
  if (!(expected > 0)) throw new Error("expected count is 0: the area's populations or reference counts are all 0");
  return { observed, expected, referenceCount, referencePopulation };
}

function scaledEstimate(oe: ObservedExpected, scale: number, confidence: number): IsrEstimate {
  const limits = poissonCountLimits(oe.observed, confidence);
  return {
    value: (oe.observed / oe.expected) * scale,
    lower: limits.lower === null ? null : (limits.lower / oe.expected) * scale,
    upper: (limits.upper / oe.expected) * scale,
    confidence,
    observed: oe.observed,
    expected: oe.expected,
    method: limits.method,
  };
}

/**
 * Indirectly standardised ratio O / E × refValue, with exact (O < 10) or Byar's (O >= 10) limits on O
 * divided by E. Never suppressed (a value is returned even for O < 10).
 *
 * @param rows the area's age bands
 * @param reference reference counts and populations, aligned by position with `rows`
 * @throws Error for mismatched lengths, negative counts/populations, a reference population <= 0, E = 0,
 *   non-finite numbers, or an invalid confidence/refValue
 */
export function isRatio(
  rows: readonly IsrRow[],
  reference: readonly IsrReferenceBand[],
  options: IsRatioOptions = {},
): IsrEstimate {
  const confidence = normaliseConfidence(options.confidence);
  const refValue = requireMultiplier(options.refValue ?? 1, "refValue");
  return scaledEstimate(observedAndExpected(rows, reference, options.observedTotal), refValue, confidence);
}

/**
 * Indirectly standardised rate O / E × reference rate (Σ Xᵢ / Σ Nᵢ × multiplier), with exact (O < 10) or
 * Byar's (O >= 10) limits on O divided by E. Never suppressed.
 *
 * @param rows the area's age bands
 * @param reference reference counts and populations, aligned by position with `rows`
 * @throws as {@link isRatio}
 */
export function isRate(
  rows: readonly IsrRow[],
  reference: readonly IsrReferenceBand[],
  options: IsRateOptions = {},
): IsRateEstimate {
  const confidence = normaliseConfidence(options.confidence);
  const multiplier = requireMultiplier(options.multiplier ?? 100000);
  const oe = observedAndExpected(rows, reference, options.observedTotal);
  const referenceRate = (oe.referenceCount / oe.referencePopulation) * multiplier;
  return { ...scaledEstimate(oe, referenceRate, confidence), referenceRate };
}
