/**
 * Proportions with Wilson score confidence intervals — `phe_proportion` (METHODS.md §2), one row at a time
 * ({@link proportionCI}) or a column at a time ({@link proportionCIs}), with bit-for-bit the same results.
 */

import { normaliseConfidence } from "./confidence.ts";
import { optionalFiniteNumber, ROW_CELLS, readRow, requireMultiplier, requireSameLength } from "./interval-checks.ts";
import {
  type IntervalColumns,
  type IntervalEstimate,
  type NumericColumn,
  newIntervalColumns,
} from "./interval-estimate.ts";
import { wilsonInto, zOfLevel } from "./interval-kernels.ts";

/** Options for {@link proportionCI} and {@link proportionCIs}. */
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

/** What is wrong with a row (x, n finite or NaN = missing), or null: the rules shared by both forms. */
function proportionProblem(x: number, n: number): string | null {
  if (x < 0) return `x must be >= 0; got ${x}`;
  if (n <= 0) return `n must be > 0; got ${n}`;
  if (x > n) return `x must be <= n for a proportion; got x = ${x}, n = ${n}`;
  return null;
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
  // Fast path: a plainly valid row (0 <= x <= n, 0 < n < ∞) needs none of the checks below.
  if (typeof x === "number" && typeof n === "number" && x >= 0 && x <= n && n > 0 && n < Number.POSITIVE_INFINITY) {
    return wilsonEstimate(x, n, confidence, multiplier);
  }
  const numerator = optionalFiniteNumber(x, "x");
  const denominator = optionalFiniteNumber(n, "n");
  const problem = proportionProblem(numerator ?? Number.NaN, denominator ?? Number.NaN);
  if (problem !== null) throw new Error(problem);
  if (numerator === null || denominator === null) {
    return { value: null, lower: null, upper: null, confidence, method: "Wilson" };
  }
  return wilsonEstimate(numerator, denominator, confidence, multiplier);
}

function wilsonEstimate(x: number, n: number, confidence: number, multiplier: number): ProportionEstimate {
  if (confidence === 1)
    return { value: (x / n) * multiplier, lower: 0, upper: multiplier, confidence, method: "Wilson" };
  // the arithmetic of wilsonInto, in locals (the same operations in the same order: bit-for-bit the same)
  const z = zOfLevel(confidence);
  const z2 = z * z;
  const spread = z * Math.sqrt(z2 + 4 * x * (1 - x / n));
  const denominator = 2 * (n + z2);
  const low = x === 0 ? 0 : (2 * x + z2 - spread) / denominator;
  const high = x === n ? 1 : (2 * x + z2 + spread) / denominator;
  return {
    value: (x / n) * multiplier,
    lower: low * multiplier,
    upper: high * multiplier,
    confidence,
    method: "Wilson",
  };
}

/**
 * {@link proportionCI} for every row of the columns `x` and `n` (same length; `Float64Array` or `number[]`, missing
 * values as NaN): `value`, `lower` and `upper` are `Float64Array`s with NaN where the scalar function gives null, and
 * each element is bit-for-bit the scalar result for that row.
 *
 * @throws Error for an invalid confidence/multiplier (the scalar message), columns of different lengths, or the first
 *   invalid row: "row i: " + the scalar message (rows numbered from 0), e.g. "row 3: x must be >= 0; got -1"
 */
export function proportionCIs(x: NumericColumn, n: NumericColumn, options: ProportionOptions = {}): IntervalColumns {
  const confidence = normaliseConfidence(options.confidence);
  const multiplier = requireMultiplier(options.multiplier ?? 1);
  const length = requireSameLength(x, n);
  const out = newIntervalColumns(length, confidence);
  const z = zOfLevel(confidence);
  if (x instanceof Float64Array && n instanceof Float64Array && confidence !== 1) {
    wilsonColumns(x, n, multiplier, confidence, z, out);
  } else if (x instanceof Float64Array && n instanceof Float64Array) {
    // Fast path: a row that is plainly valid (0 <= x <= n, 0 < n < ∞) goes straight to the arithmetic.
    for (let i = 0; i < length; i++) {
      const xi = x[i]!;
      const ni = n[i]!;
      if (xi >= 0 && xi <= ni && ni > 0 && ni < Number.POSITIVE_INFINITY) {
        proportionRow(xi, ni, multiplier, confidence, z, out, i);
      } else {
        otherProportionRow(x, n, multiplier, confidence, z, out, i);
      }
    }
  } else {
    for (let i = 0; i < length; i++) otherProportionRow(x, n, multiplier, confidence, z, out, i);
  }
  return out;
}

/**
 * {@link proportionCIs} on Float64Array columns at a level below 1: the arithmetic of {@link wilsonInto} and
 * {@link proportionRow} fused into one loop over locals (each operation in the same order, so every element is
 * bit-for-bit the scalar result); a row that is not plainly valid takes the general path.
 */
function wilsonColumns(
  x: Float64Array,
  n: Float64Array,
  multiplier: number,
  confidence: number,
  z: number,
  out: IntervalColumns,
): void {
  const { value, lower, upper } = out;
  const z2 = z * z;
  const length = value.length;
  for (let i = 0; i < length; i++) {
    const xi = x[i]!;
    const ni = n[i]!;
    if (xi >= 0 && xi <= ni && ni > 0 && ni < Number.POSITIVE_INFINITY) {
      const spread = z * Math.sqrt(z2 + 4 * xi * (1 - xi / ni));
      const denominator = 2 * (ni + z2);
      const low = xi === 0 ? 0 : (2 * xi + z2 - spread) / denominator;
      const high = xi === ni ? 1 : (2 * xi + z2 + spread) / denominator;
      value[i] = (xi / ni) * multiplier;
      lower[i] = low * multiplier;
      upper[i] = high * multiplier;
    } else {
      otherProportionRow(x, n, multiplier, confidence, z, out, i);
    }
  }
}

/** Row i of {@link proportionCIs} from valid x and n. */
function proportionRow(
  x: number,
  n: number,
  multiplier: number,
  confidence: number,
  z: number,
  out: IntervalColumns,
  i: number,
): void {
  const { lower, upper } = out;
  wilsonInto(x, n, confidence, z, lower, upper, i);
  out.value[i] = (x / n) * multiplier;
  lower[i] = lower[i]! * multiplier;
  upper[i] = upper[i]! * multiplier;
}

/** Row i of {@link proportionCIs} in general: any cell type, missing values, and errors. */
function otherProportionRow(
  x: NumericColumn,
  n: NumericColumn,
  multiplier: number,
  confidence: number,
  z: number,
  out: IntervalColumns,
  i: number,
): void {
  if (readRow(x, n, i, proportionProblem))
    proportionRow(ROW_CELLS[0]!, ROW_CELLS[1]!, multiplier, confidence, z, out, i);
  else out.value[i] = out.lower[i] = out.upper[i] = Number.NaN;
}
