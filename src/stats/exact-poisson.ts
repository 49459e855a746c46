/**
 * Exact Poisson confidence limits for a count via the chi-square distribution (METHODS.md §3;
 * Armitage & Berry 2002).
 */

import { normaliseConfidence } from "./confidence.ts";
import { requireFiniteNumber } from "./interval-checks.ts";
import { exactPoissonInto, SCRATCH_LOWER, SCRATCH_UPPER } from "./interval-kernels.ts";

/** Exact limits for a count. */
export interface ExactPoissonLimits {
  lower: number;
  upper: number;
}

/**
 * Exact (chi-square) Poisson limits for an observed count x:
 *
 *   lower = χ²⁻¹((1 − c)/2; 2x) / 2   (0 when x = 0),   upper = χ²⁻¹(c + (1 − c)/2; 2x + 2) / 2
 *
 * @param x observed count, >= 0 (non-integers are accepted, as in the reference implementation)
 * @param confidence 0.9–1 or 90–100 (default 0.95); at 1 the upper limit is Infinity
 * @throws Error if x is negative or not finite, or the confidence is invalid
 */
export function exactPoissonLimits(x: number, confidence?: number): ExactPoissonLimits {
  requireFiniteNumber(x, "x");
  if (x < 0) throw new Error(`x must be >= 0; got ${x}`);
  exactPoissonInto(x, normaliseConfidence(confidence), SCRATCH_LOWER, SCRATCH_UPPER, 0);
  return { lower: SCRATCH_LOWER[0]!, upper: SCRATCH_UPPER[0]! };
}
