/**
 * Wilson score interval for a proportion (METHODS.md §2; Wilson 1927, Newcombe & Altman 2000).
 */

import { normaliseConfidence } from "./confidence.ts";
import { requireFiniteNumber } from "./interval-checks.ts";
import { SCRATCH_LOWER, SCRATCH_UPPER, wilsonInto, zOfLevel } from "./interval-kernels.ts";

/** Lower and upper limits of an interval on the unscaled (0–1) proportion scale. */
export interface WilsonLimits {
  lower: number;
  upper: number;
}

/**
 * Wilson score limits (no continuity correction) for the proportion x / n, unscaled (0–1):
 *
 *   (2x + z² ∓ z·√(z² + 4x(1 − x/n))) / (2(n + z²)),  z = Φ⁻¹(c + (1 − c)/2)
 *
 * Limits are not clamped, except that x = 0 gives a lower limit of exactly 0 and x = n an upper limit of exactly
 * 1 (their exact values; the formula can be off by 1–2 ulps there, METHODS.md §1). x need not be an integer.
 * A confidence of 1 (100%) gives lower = 0 and upper = 1 (the reference implementation's special case).
 *
 * @param x numerator, 0 <= x <= n
 * @param n denominator, > 0
 * @param confidence 0.9–1 or 90–100 (default 0.95)
 * @throws Error if x < 0, n <= 0, x > n, a value is not finite, or the confidence is invalid
 */
export function wilsonLimits(x: number, n: number, confidence?: number): WilsonLimits {
  requireFiniteNumber(x, "x");
  requireFiniteNumber(n, "n");
  if (x < 0) throw new Error(`x must be >= 0; got ${x}`);
  if (n <= 0) throw new Error(`n must be > 0; got ${n}`);
  if (x > n) throw new Error(`x must be <= n for a proportion; got x = ${x}, n = ${n}`);
  const c = normaliseConfidence(confidence);
  wilsonInto(x, n, c, zOfLevel(c), SCRATCH_LOWER, SCRATCH_UPPER, 0);
  return { lower: SCRATCH_LOWER[0]!, upper: SCRATCH_UPPER[0]! };
}
