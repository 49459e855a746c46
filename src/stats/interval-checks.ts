/**
 * Input guards for the interval methods (proportion, rate, mean, DSR, ISR, life expectancy).
 * Each throws an Error that names the offending argument (and, for the columnar forms, the row).
 */

import type { NumericColumn } from "./interval-estimate.ts";

/** Throws unless `value` is a finite number. */
export function requireFiniteNumber(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new Error(`${name} must be a finite number; got ${String(value)}`);
  }
}

/**
 * Returns null for null/undefined (a missing value, R's NA), else the number; throws for NaN, ±Infinity
 * and non-numbers.
 */
export function optionalFiniteNumber(value: unknown, name: string): number | null {
  if (value === null || value === undefined) return null;
  requireFiniteNumber(value, name);
  return value;
}

/** Validates a multiplier (scale factor): a finite number > 0. */
export function requireMultiplier(multiplier: unknown, name = "multiplier"): number {
  requireFiniteNumber(multiplier, name);
  if (multiplier <= 0) throw new Error(`${name} must be > 0; got ${multiplier}`);
  return multiplier;
}

/** An Error about row `i` of a columnar call: "row i: " + the scalar function's message. */
export function rowError(i: number, message: string): Error {
  return new Error(`row ${i}: ${message}`);
}

/** Throws unless `column` is an array or typed array; returns its length. */
export function requireColumn(column: unknown, name: string): number {
  if (typeof column !== "object" || column === null || typeof (column as ArrayLike<unknown>).length !== "number") {
    throw new Error(`${name} must be an array or a Float64Array; got ${String(column)}`);
  }
  return (column as ArrayLike<unknown>).length;
}

/** Throws unless `x` and `n` are columns of the same length; returns it. */
export function requireSameLength(x: unknown, n: unknown): number {
  const length = requireColumn(x, "x");
  const other = requireColumn(n, "n");
  if (other !== length) throw new Error(`x and n must have the same length; got ${length} and ${other}`);
  return length;
}

/**
 * The number at row `i` of a column: NaN when missing (NaN, null or undefined); throws the scalar functions'
 * "must be a finite number" error, naming the row, for ±Infinity and non-numbers.
 */
export function cellAt(column: NumericColumn, i: number, name: string): number {
  const v = column[i];
  if (typeof v === "number") {
    // finite (v − v is 0) or NaN (missing)
    if (v - v === 0 || Number.isNaN(v)) return v;
  } else if (v === null || v === undefined) {
    return Number.NaN;
  }
  throw rowError(i, `${name} must be a finite number; got ${String(v)}`);
}

/** The cells of the row read by {@link readRow}: [x, n]. */
export const ROW_CELLS = new Float64Array(2);

/**
 * Reads row i of the columns x and n the general way (any cell type) into {@link ROW_CELLS} and applies the row rules
 * `problem` (shared with the scalar function): throws "row i: " + the problem, returns false for a missing row (NaN x
 * or n), true for a row to compute.
 */
export function readRow(
  x: NumericColumn,
  n: NumericColumn,
  i: number,
  problem: (x: number, n: number) => string | null,
): boolean {
  const xi = cellAt(x, i, "x");
  const ni = cellAt(n, i, "n");
  const message = problem(xi, ni);
  if (message !== null) throw rowError(i, message);
  ROW_CELLS[0] = xi;
  ROW_CELLS[1] = ni;
  return !Number.isNaN(xi) && !Number.isNaN(ni);
}
