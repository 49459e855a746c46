/**
 * Byar's approximation to the Poisson confidence limits of a count (METHODS.md §3; Breslow & Day 1987).
 */

import { zFor } from "./confidence.ts";
import { requireFiniteNumber } from "./interval-checks.ts";
import { byarsInto, orNull, SCRATCH_LOWER, SCRATCH_UPPER } from "./interval-kernels.ts";

/** Limits for a count; `lower` is null where Byar's formula goes negative (METHODS.md §13 quirk 8). */
export interface ByarsLimits {
  lower: number | null;
  upper: number;
}

/**
 * Byar's limits for an observed count x (no switch to the exact method; see `poissonCountLimits`):
 *
 *   lower = x·(1 − 1/(9x) − z/(3√x))³,  upper = (x+1)·(1 − 1/(9(x+1)) + z/(3√(x+1)))³
 *
 * The lower limit is null ("NA") when it would be negative, and for x = 0 (where the formula is undefined).
 *
 * @param x observed count, >= 0
 * @param confidence 0.9–1 or 90–100 (default 0.95)
 * @throws Error if x is negative or not finite, or the confidence is invalid
 */
export function byarsLimits(x: number, confidence?: number): ByarsLimits {
  requireFiniteNumber(x, "x");
  if (x < 0) throw new Error(`x must be >= 0; got ${x}`);
  byarsInto(x, zFor(confidence), SCRATCH_LOWER, SCRATCH_UPPER, 0);
  return { lower: orNull(SCRATCH_LOWER[0]!), upper: SCRATCH_UPPER[0]! };
}
