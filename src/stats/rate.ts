/**
 * Crude rates with exact Poisson (x < 10) or Byar's (x >= 10) confidence intervals — `phe_rate`
 * (METHODS.md §3), one row at a time ({@link rateCI}) or a column at a time ({@link rateCIs}), with bit-for-bit the
 * same results.
 */

import { normaliseConfidence } from "./confidence.ts";
import { optionalFiniteNumber, ROW_CELLS, readRow, requireMultiplier, requireSameLength } from "./interval-checks.ts";
import {
  type IntervalColumns,
  type IntervalEstimate,
  type NumericColumn,
  newIntervalColumns,
} from "./interval-estimate.ts";
import { EXACT_POISSON_BELOW, poissonCountInto, SCRATCH_LOWER, SCRATCH_UPPER, zOfLevel } from "./interval-kernels.ts";
import type { PoissonCountMethod } from "./poisson-count-limits.ts";

/** Options for {@link rateCI} and {@link rateCIs}. */
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

/** What is wrong with a row (x, n finite or NaN = missing), or null: the rules shared by both forms. */
function rateProblem(x: number, n: number): string | null {
  if (x < 0) return `x must be >= 0; got ${x}`;
  if (n <= 0) return `n must be > 0; got ${n}`;
  return null;
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
  // Fast path: a plainly valid row (0 <= x < ∞, 0 < n < ∞) needs none of the checks below.
  if (
    typeof x === "number" &&
    typeof n === "number" &&
    x >= 0 &&
    n > 0 &&
    x < Number.POSITIVE_INFINITY &&
    n < Number.POSITIVE_INFINITY
  ) {
    return rateEstimate(x, n, confidence, multiplier);
  }
  const count = optionalFiniteNumber(x, "x");
  const population = optionalFiniteNumber(n, "n");
  const problem = rateProblem(count ?? Number.NaN, population ?? Number.NaN);
  if (problem !== null) throw new Error(problem);
  if (count === null) return { value: null, lower: null, upper: null, confidence, method: null };
  if (population === null) {
    return {
      value: null,
      lower: null,
      upper: null,
      confidence,
      method: count < EXACT_POISSON_BELOW ? "Exact" : "Byars",
    };
  }
  return rateEstimate(count, population, confidence, multiplier);
}

function rateEstimate(x: number, n: number, confidence: number, multiplier: number): RateEstimate {
  poissonCountInto(x, confidence, zOfLevel(confidence), SCRATCH_LOWER, SCRATCH_UPPER, 0);
  const lower = SCRATCH_LOWER[0]!;
  return {
    value: (x / n) * multiplier,
    lower: Number.isNaN(lower) ? null : (lower / n) * multiplier,
    upper: (SCRATCH_UPPER[0]! / n) * multiplier,
    confidence,
    method: x < EXACT_POISSON_BELOW ? "Exact" : "Byars",
  };
}

/**
 * {@link rateCI} for every row of the columns `x` and `n` (same length; `Float64Array` or `number[]`, missing values
 * as NaN): `value`, `lower` and `upper` are `Float64Array`s with NaN where the scalar function gives null, and each
 * element is bit-for-bit the scalar result for that row. The method of a row is "Exact" when its x < 10, else "Byars".
 *
 * @throws Error for an invalid confidence/multiplier (the scalar message), columns of different lengths, or the first
 *   invalid row: "row i: " + the scalar message (rows numbered from 0), e.g. "row 3: n must be > 0; got 0"
 */
export function rateCIs(x: NumericColumn, n: NumericColumn, options: RateOptions = {}): IntervalColumns {
  const confidence = normaliseConfidence(options.confidence);
  const multiplier = requireMultiplier(options.multiplier ?? 100000);
  const length = requireSameLength(x, n);
  const out = newIntervalColumns(length, confidence);
  const z = zOfLevel(confidence);
  if (x instanceof Float64Array && n instanceof Float64Array) {
    // Fast path: a row that is plainly valid (0 <= x < ∞, 0 < n < ∞) goes straight to the arithmetic.
    for (let i = 0; i < length; i++) {
      const xi = x[i]!;
      const ni = n[i]!;
      if (xi >= 0 && ni > 0 && xi < Number.POSITIVE_INFINITY && ni < Number.POSITIVE_INFINITY) {
        rateRow(xi, ni, multiplier, confidence, z, out, i);
      } else {
        otherRateRow(x, n, multiplier, confidence, z, out, i);
      }
    }
  } else {
    for (let i = 0; i < length; i++) otherRateRow(x, n, multiplier, confidence, z, out, i);
  }
  return out;
}

/** Row i of {@link rateCIs} from valid x and n. */
function rateRow(
  x: number,
  n: number,
  multiplier: number,
  confidence: number,
  z: number,
  out: IntervalColumns,
  i: number,
): void {
  const { lower, upper } = out;
  poissonCountInto(x, confidence, z, lower, upper, i);
  out.value[i] = (x / n) * multiplier;
  // An undefined (NaN) lower limit stays NaN.
  lower[i] = (lower[i]! / n) * multiplier;
  upper[i] = (upper[i]! / n) * multiplier;
}

/** Row i of {@link rateCIs} in general: any cell type, missing values, and errors. */
function otherRateRow(
  x: NumericColumn,
  n: NumericColumn,
  multiplier: number,
  confidence: number,
  z: number,
  out: IntervalColumns,
  i: number,
): void {
  if (readRow(x, n, i, rateProblem)) rateRow(ROW_CELLS[0]!, ROW_CELLS[1]!, multiplier, confidence, z, out, i);
  else out.value[i] = out.lower[i] = out.upper[i] = Number.NaN;
}
