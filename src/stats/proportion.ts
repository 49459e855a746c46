/**
 * Proportions with Wilson score confidence intervals — `phe_proportion` (METHODS.md §2).
 */

import { normaliseConfidence } from "./confidence.ts";
import { optionalFiniteNumber, requireMultiplier } from "./interval-checks.ts";
import { type IntervalEstimate, missingEstimate } from "./interval-estimate.ts";
import { wilsonLimits } from "./wilson.ts";

/** Options for {@link proportionCI}. */
export interface ProportionOptions {
  /** 0.9–1 or 90–100; default 0.95. */
  confidence?: number;
  /** Scale of the output: 1 = proportion (default), 100 = percentage. */
  multiplier?: number;
}

/** A proportion with its Wilson interval. */
export interface ProportionEstimate extends IntervalEstimate {
  method: "Wilson";
}

/**
 * Proportion x / n × multiplier with a Wilson score interval (no continuity correction, no clamping).
 *
 * A missing (null/undefined) x or n gives null value and limits (METHODS.md §1 NA handling). To get
 * a grouped result, sum x and n over the group first (a missing value in a group makes the sum missing).
 *
 * @throws Error if x < 0, n <= 0, x > n, x or n is NaN/±Infinity, or the confidence/multiplier is invalid
 */
export function proportionCI(
  x: number | null | undefined,
  n: number | null | undefined,
  options: ProportionOptions = {},
): ProportionEstimate {
  const confidence = normaliseConfidence(options.confidence);
  const multiplier = requireMultiplier(options.multiplier ?? 1);
  const numerator = optionalFiniteNumber(x, "x");
  const denominator = optionalFiniteNumber(n, "n");
  if (numerator !== null && numerator < 0) throw new Error(`x must be >= 0; got ${numerator}`);
  if (denominator !== null && denominator <= 0) throw new Error(`n must be > 0; got ${denominator}`);
  if (numerator === null || denominator === null) return { ...missingEstimate(confidence), method: "Wilson" };
  if (numerator > denominator) {
    throw new Error(`x must be <= n for a proportion; got x = ${numerator}, n = ${denominator}`);
  }
  const limits = wilsonLimits(numerator, denominator, confidence);
  return {
    value: (numerator / denominator) * multiplier,
    lower: limits.lower * multiplier,
    upper: limits.upper * multiplier,
    confidence,
    method: "Wilson",
  };
}
