/**
 * Confidence limits for an observed Poisson count, switching from exact to Byar's method at 10
 * (METHODS.md §3, §6, §9.3; quirk §13.1), one count at a time ({@link poissonCountLimits}) or a column at a time
 * ({@link poissonCountCIs}), with bit-for-bit the same results.
 */

import { normaliseConfidence } from "./confidence.ts";
import { cellAt, requireColumn, requireFiniteNumber, rowError } from "./interval-checks.ts";
import { type IntervalColumns, type NumericColumn, newIntervalColumns } from "./interval-estimate.ts";
import {
  EXACT_POISSON_BELOW,
  orNull,
  poissonCountInto,
  SCRATCH_LOWER,
  SCRATCH_UPPER,
  zOfLevel,
} from "./interval-kernels.ts";

export { EXACT_POISSON_BELOW };

/** Method used for a count's limits, named as in the reference outputs. */
export type PoissonCountMethod = "Exact" | "Byars";

/** Limits for an observed count and the method that produced them. */
export interface PoissonCountLimits {
  lower: number | null;
  upper: number;
  method: PoissonCountMethod;
}

/**
 * Limits for an observed count x: exact chi-square limits if x < 10, otherwise Byar's (METHODS.md §3).
 * `lower` can only be null via Byar's formula going negative, which needs a confidence very close to 1.
 *
 * @param x observed count, >= 0
 * @param confidence 0.9–1 or 90–100 (default 0.95)
 * @throws Error if x is negative or not finite, or the confidence is invalid
 */
export function poissonCountLimits(x: number, confidence?: number): PoissonCountLimits {
  requireFiniteNumber(x, "x");
  if (x < 0) throw new Error(`x must be >= 0; got ${x}`);
  const c = normaliseConfidence(confidence);
  const exact = x < EXACT_POISSON_BELOW;
  poissonCountInto(x, c, exact ? Number.NaN : zOfLevel(c), SCRATCH_LOWER, SCRATCH_UPPER, 0);
  return { lower: orNull(SCRATCH_LOWER[0]!), upper: SCRATCH_UPPER[0]!, method: exact ? "Exact" : "Byars" };
}

/** Options for {@link poissonCountCIs}. */
export interface PoissonCountOptions {
  /** 0.9–1 or 90–100; default 0.95. */
  confidence?: number;
}

/**
 * {@link poissonCountLimits} for every count of the column `x` (`Float64Array` or `number[]`, missing values as NaN):
 * `value` is the count itself, `lower` and `upper` its limits (NaN where the scalar function gives null, and for a
 * missing count), each bit-for-bit the scalar result. The method of a row is "Exact" when x < 10, else "Byars".
 *
 * @throws Error for an invalid confidence, or the first invalid row: "row i: " + the scalar message (rows numbered
 *   from 0), e.g. "row 2: x must be >= 0; got -4"
 */
export function poissonCountCIs(x: NumericColumn, options: PoissonCountOptions = {}): IntervalColumns {
  const confidence = normaliseConfidence(options.confidence);
  const length = requireColumn(x, "x");
  const out = newIntervalColumns(length, confidence);
  const { value, lower, upper } = out;
  const z = zOfLevel(confidence);
  for (let i = 0; i < length; i++) {
    const xi = cellAt(x, i, "x");
    if (xi < 0) throw rowError(i, `x must be >= 0; got ${xi}`);
    value[i] = xi;
    if (Number.isNaN(xi)) {
      lower[i] = upper[i] = Number.NaN;
      continue;
    }
    poissonCountInto(xi, confidence, z, lower, upper, i);
  }
  return out;
}
