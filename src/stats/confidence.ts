/**
 * The `confidence` option shared by the interval methods (METHODS.md §1).
 */

import { zOfLevel } from "./interval-kernels.ts";

/** Default two-sided confidence level. */
export const DEFAULT_CONFIDENCE = 0.95;

/**
 * Normalises a confidence level to a fraction in [0.9, 1] (METHODS.md §1).
 *
 * Accepts a fraction (0.95, 0.998) or a percentage (95, 99.8): values >= 90 are divided by 100.
 * `undefined` gives the default 0.95. Anything else (NaN, < 0.9, between 1 and 90, > 100, non-numbers)
 * throws an Error.
 */
export function normaliseConfidence(confidence: number | undefined = DEFAULT_CONFIDENCE): number {
  if (typeof confidence !== "number" || Number.isNaN(confidence)) {
    throw new Error(`confidence must be a number; got ${String(confidence)}`);
  }
  const level = confidence >= 90 ? confidence / 100 : confidence;
  if (!(level >= 0.9 && level <= 1)) {
    throw new Error(`confidence level must be between 90 and 100 or between 0.9 and 1; got ${confidence}`);
  }
  return level;
}

/**
 * Two-sided standard normal multiplier for a confidence level: z = Φ⁻¹(c + (1 − c)/2), computed exactly as
 * R's `qnorm` (not rounded): zFor(0.95) = 1.959963984540054, zFor(0.998) = 3.090232306167813 (METHODS.md §1).
 * Accepts the same forms as {@link normaliseConfidence}; zFor(1) = Infinity.
 */
export function zFor(confidence: number | undefined = DEFAULT_CONFIDENCE): number {
  return zOfLevel(normaliseConfidence(confidence));
}

/**
 * Formats a normalised confidence level the way the reference outputs label it, e.g. 0.95 → "95%",
 * 0.998 → "99.8%".
 */
export function confidenceLabel(confidence: number | undefined = DEFAULT_CONFIDENCE): string {
  const c = normaliseConfidence(confidence);
  return `${Number((c * 100).toPrecision(12))}%`;
}
