/**
 * The columnar form of a row-wise interval method as the conformance suites check it: the vector rows are passed as
 * columns (missing values as NaN), one call per multiplier and confidence level, and each row's result is read back
 * as an estimate with null for NaN, so the same checks run on both forms.
 */
import type { IntervalColumns } from "../../../src/stats/interval-estimate.ts";

export interface RowEstimate {
  /** Only the scalar form labels the method. */
  method?: string | null;
  value: number | null;
  lower: number | null;
  upper: number | null;
}

const orNull = (v: number) => (Number.isNaN(v) ? null : v);

/** A `(row, confidence) => estimate` view of `columnar` over the columns x and n (rows grouped by multiplier). */
export function columnarForm(
  x: readonly (number | null)[],
  n: readonly (number | null)[],
  multipliers: readonly number[],
  columnar: (x: Float64Array, n: Float64Array, options: { confidence: number; multiplier: number }) => IntervalColumns,
): (row: number, confidence: number) => RowEstimate {
  const cache = new Map<string, { rows: number[]; result: IntervalColumns }>();
  const rowsOf = new Map<number, number[]>();
  multipliers.forEach((m, i) => {
    const rows = rowsOf.get(m) ?? [];
    rows.push(i);
    rowsOf.set(m, rows);
  });
  return (row, confidence) => {
    const multiplier = multipliers[row]!;
    const key = `${multiplier}|${confidence}`;
    let entry = cache.get(key);
    if (!entry) {
      const rows = rowsOf.get(multiplier)!;
      const column = (values: readonly (number | null)[]) => Float64Array.from(rows, (i) => values[i] ?? Number.NaN);
      entry = { rows, result: columnar(column(x), column(n), { confidence, multiplier }) };
      cache.set(key, entry);
    }
    const k = entry.rows.indexOf(row);
    const { value, lower, upper } = entry.result;
    return { value: orNull(value[k]!), lower: orNull(lower[k]!), upper: orNull(upper[k]!) };
  };
}
