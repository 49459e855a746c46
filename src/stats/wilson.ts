/**
 * Wilson score interval for a proportion (METHODS.md §2; Wilson 1927, Newcombe & Altman 2000).
 */

import { normaliseConfidence, zFor } from "./confidence.ts";
import { requireFiniteNumber } from "./interval-checks.ts";

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
  if (c === 1) return { lower: 0, upper: 1 };
  const z = zFor(c);
  const z2 = z * z;
  const spread = z * Math.sqrt(z2 + 4 * x * (1 - x / n));
  const denominator = 2 * (n + z2);
  // At x = 0 and x = n the limits are exactly 0 and 1 mathematically; the formula can miss by an ulp or two,
  // which would break inclusive comparisons (e.g. a benchmark of 100% "within" the interval), so pin them.
  return {
    lower: x === 0 ? 0 : (2 * x + z2 - spread) / denominator,
    upper: x === n ? 1 : (2 * x + z2 + spread) / denominator,
  };
}
