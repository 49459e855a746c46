/**
 * Confidence limits for an observed Poisson count, switching from exact to Byar's method at 10
 * (METHODS.md §3, §6, §9.3; quirk §13.1).
 */

import { byarsLimits } from "./byars.ts";
import { exactPoissonLimits } from "./exact-poisson.ts";

/** Method used for a count's limits, named as in the reference outputs. */
export type PoissonCountMethod = "Exact" | "Byars";

/** Limits for an observed count and the method that produced them. */
export interface PoissonCountLimits {
  lower: number | null;
  upper: number;
  method: PoissonCountMethod;
}

/** Counts below this use the exact (chi-square) limits; at or above it, Byar's approximation. */
export const EXACT_POISSON_BELOW = 10;

/**
 * Limits for an observed count x: exact chi-square limits if x < 10, otherwise Byar's (METHODS.md §3).
 * `lower` can only be null via Byar's formula going negative, which needs a confidence very close to 1.
 *
 * @param x observed count, >= 0
 * @param confidence 0.9–1 or 90–100 (default 0.95)
 */
export function poissonCountLimits(x: number, confidence?: number): PoissonCountLimits {
  if (x < EXACT_POISSON_BELOW) return { ...exactPoissonLimits(x, confidence), method: "Exact" };
  return { ...byarsLimits(x, confidence), method: "Byars" };
}
