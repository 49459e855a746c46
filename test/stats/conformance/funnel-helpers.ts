/**
 * Shared checks for the funnel conformance suites (one suite per vector file).
 * Tolerance (README): funnel outputs at 1e-8 relative / 1e-6 absolute (upstream values are
 * rounded to ~8–10 significant digits; the Poisson bisection is only ~1e-7 precise).
 */
import type { FunnelLimitPoint, FunnelLimits } from "../../../src/stats/funnel.ts";
import { type MismatchLog, num, type Tolerance, type VectorRow } from "./vectors.ts";

export const FUNNEL_TOLERANCE: Tolerance = { rel: 1e-8, abs: 1e-6 };

/** Column in a PIM limits table → field of our FunnelLimitPoint (or the table's baseline). */
export type ColumnMap = Record<string, keyof FunnelLimitPoint | "baseline">;

/** Compares a 100-row PIM limits table with our result, cell by cell (row number + x as id). */
export function compareLimitTable(
  log: MismatchLog,
  expected: VectorRow[],
  got: FunnelLimits,
  xColumn: string,
  columns: ColumnMap,
): void {
  log.check("table", "rows", got.points.length, expected.length, { rel: 0 });
  expected.forEach((row, i) => {
    const point = got.points[i];
    const id = `row ${i + 1} (${xColumn}=${row[xColumn]})`;
    log.check(id, xColumn, point?.x, row[xColumn], { rel: 0 });
    for (const [column, field] of Object.entries(columns)) {
      const actual = field === "baseline" ? got.baseline : (point?.[field] as number | undefined);
      log.check(id, column, actual, row[column], FUNNEL_TOLERANCE);
    }
  });
}

export const PROPORTION_COLUMNS: ColumnMap = {
  lower_2s_limit: "lower95",
  upper_2s_limit: "upper95",
  lower_3s_limit: "lower998",
  upper_3s_limit: "upper998",
  baseline: "baseline",
};

export const RATE_COLUMNS: ColumnMap = {
  lower_2s_population_1_year: "lower95Denominator",
  lower_2s_limit: "lower95",
  upper_2s_population_1_year: "upper95Denominator",
  upper_2s_limit: "upper95",
  lower_3s_population_1_year: "lower998Denominator",
  lower_3s_limit: "lower998",
  upper_3s_population_1_year: "upper998Denominator",
  upper_3s_limit: "upper998",
  baseline: "baseline",
};

/** Rate funnel inputs (ev, rate) from funnel_rate_limits_inputs.csv, optionally modifying the max-ev row. */
export function rateInputs(rows: VectorRow[], maxRow?: { ev: number; rate?: number }) {
  const inputs = rows.map((r) => ({ numerator: num(r, "ev"), rate: num(r, "rate") }));
  if (maxRow) {
    const max = Math.max(...inputs.map((r) => r.numerator));
    const i = inputs.findIndex((r) => r.numerator === max);
    inputs[i] = { numerator: maxRow.ev, rate: maxRow.rate ?? inputs[i]!.rate };
  }
  return inputs;
}
