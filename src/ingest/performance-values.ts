/**
 * Reads a CSV of a programme's performance values (columns `measure`, `period`, `value`, and optionally `numerator`,
 * `denominator`, `reason`): UTF-8 (a BOM is ignored), a header row, one value per row. Only the shape is checked
 * here (columns, numbers); the plans service checks each row against the programme and the values it already has.
 */
import { parse } from "csv-parse/sync";

export const PERFORMANCE_COLUMNS = ["measure", "period", "value", "numerator", "denominator", "reason"] as const;
const REQUIRED = ["measure", "period", "value"] as const;

export interface PerformanceCsvRow {
  /** The row's line in the file (the header is row 1). */
  row: number;
  measure: string;
  period: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  reason: string;
}

/** One problem of a row: the row (1 for the header), the column and a code naming the problem. */
export interface PerformanceCsvProblem {
  row: number;
  field: string;
  code: string;
  params?: Record<string, string | number>;
}

/** A number as typed (thousands commas allowed), NaN when it is not one, null when empty. */
function number(text: string): number | null {
  const v = text.trim().replace(/,/g, "");
  if (v === "") return null;
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v) ? Number(v) : Number.NaN;
}

export function readPerformanceCsv(text: string): { rows: PerformanceCsvRow[]; problems: PerformanceCsvProblem[] } {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ""), { relax_column_count: true, trim: true });
  } catch (error) {
    return {
      rows: [],
      problems: [{ row: 0, field: "file", code: "csv_unreadable", params: { detail: String(error) } }],
    };
  }
  const header = (records[0] ?? []).map((h) => h.toLowerCase());
  const problems: PerformanceCsvProblem[] = [];
  if (records.length === 0) return { rows: [], problems: [{ row: 1, field: "file", code: "csv_empty" }] };
  for (const c of header)
    if (!(PERFORMANCE_COLUMNS as readonly string[]).includes(c))
      problems.push({ row: 1, field: c || "file", code: "csv_unknown_column", params: { column: c } });
  for (const c of REQUIRED)
    if (!header.includes(c)) problems.push({ row: 1, field: c, code: "csv_missing_column", params: { column: c } });
  if (problems.length) return { rows: [], problems };
  const rows: PerformanceCsvRow[] = [];
  records.slice(1).forEach((cells, i) => {
    const row = i + 2;
    if (cells.every((c) => c === "")) return; // an empty line
    const cell = (c: string) => cells[header.indexOf(c)] ?? "";
    const parsed: PerformanceCsvRow = {
      row,
      measure: cell("measure").toLowerCase(),
      period: cell("period"),
      value: number(cell("value")),
      numerator: number(cell("numerator")),
      denominator: number(cell("denominator")),
      reason: cell("reason"),
    };
    for (const field of ["value", "numerator", "denominator"] as const)
      if (Number.isNaN(parsed[field])) problems.push({ row, field, code: "value_not_number" });
    rows.push(parsed);
  });
  if (rows.length === 0) problems.push({ row: 1, field: "file", code: "csv_no_rows" });
  return { rows, problems };
}
