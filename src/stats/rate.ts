/**
 * Crude rates with exact Poisson (x < 10) or Byar's (x >= 10) confidence intervals — `phe_rate`
 * (METHODS.md §3).
 */

import { normaliseConfidence } from "./confidence.ts";
import { optionalFiniteNumber, requireMultiplier } from "./interval-checks.ts";
import { type IntervalEstimate, missingEstimate } from "./interval-estimate.ts";
import { type PoissonCountMethod, poissonCountLimits } from "./poisson-count-limits.ts";

/** Options for {@link rateCI}. */
export interface RateOptions {
  /** 0.9–1 or 90–100; default 0.95. */
  confidence?: number;
  /** Rate per `multiplier` population; default 100000. */
  multiplier?: number;
}

/** A crude rate with its interval; `method` is null when the count is missing. */
export interface RateEstimate extends IntervalEstimate {
  method: PoissonCountMethod | null;
}

/**
 * Crude rate x / n × multiplier. The interval is computed on the count x and then divided by n:
 * exact chi-square limits when x < 10, Byar's otherwise (switch per call, on the count).
 * x > n is allowed (e.g. 250 events in a population of 220).
 *
 * A missing (null/undefined) x or n gives null value and limits; `method` still reflects x when x is present.
 *
 * @throws Error if x < 0, n <= 0, x or n is NaN/±Infinity, or the confidence/multiplier is invalid
 */
export function rateCI(
  x: number | null | undefined,
  n: number | null | undefined,
  options: RateOptions = {},
): RateEstimate {
  const confidence = normaliseConfidence(options.confidence);
  const multiplier = requireMultiplier(options.multiplier ?? 100000);
  const count = optionalFiniteNumber(x, "x");
  const population = optionalFiniteNumber(n, "n");
  if (count !== null && count < 0) throw new Error(`x must be >= 0; got ${count}`);
  if (population !== null && population <= 0) throw new Error(`n must be > 0; got ${population}`);
  if (count === null) return { ...missingEstimate(confidence), method: null };
  const limits = poissonCountLimits(count, confidence);
  if (population === null) return { ...missingEstimate(confidence), method: limits.method };
  return {
    value: (count / population) * multiplier,
    lower: limits.lower === null ? null : (limits.lower / population) * multiplier,
    upper: (limits.upper / population) * multiplier,
    confidence,
    method: limits.method,
  };
}
