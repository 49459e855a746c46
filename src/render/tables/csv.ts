/**
 * CSV downloads: UTF-8 with a byte-order mark (so spreadsheet programs read Welsh letters such as ŵ and ŷ), one
 * heading row, then the data. Text cells that a spreadsheet would treat as a formula are neutralised.
 * Metadata and citation go on the XLSX metadata sheet and beside the download link, not inside the CSV, so the
 * CSV stays a plain table that programs can read (GSS guidance on releasing statistics in spreadsheets).
 */
import { stringify } from "csv-stringify/sync";
import { formulaSafeText } from "../../domain/formula-safe.ts";
import type { CellValue, DownloadTable } from "./download-table.ts";

export const UTF8_BOM = "\uFEFF";

/**
 * Prefixes a text cell with an apostrophe when it begins with a character that starts a formula in spreadsheet
 * programs (= + - @, and tab or carriage return, per OWASP "CSV injection"). Numbers are left as numbers.
 */
export function neutraliseCell(value: CellValue): string | number | null {
  return typeof value === "string" ? formulaSafeText(value) : value;
}

/** Writes a number without grouping separators and without float noise (at most 10 decimal places). */
function plainNumber(n: number): string {
  if (!Number.isFinite(n)) return "";
  return String(Number.parseFloat(n.toFixed(10)));
}

/** The heading record of a table's columns. */
function headingRecord(columns: Pick<DownloadTable, "columns">["columns"]): string[] {
  return columns.map((c) => String(neutraliseCell(c.header)));
}

/** One row as a CSV record: numbers plain, text neutralised, missing values empty. */
function rowRecord(
  columns: Pick<DownloadTable, "columns">["columns"],
  row: Record<string, CellValue>,
): (string | null)[] {
  return columns.map((c) => {
    const v = row[c.key] ?? null;
    if (v === null) return null;
    if (typeof v === "number") return plainNumber(v);
    return String(neutraliseCell(v));
  });
}

/** The table as CSV text, starting with the BOM. Missing values are empty cells. */
export function toCsv(table: Pick<DownloadTable, "columns" | "rows">): string {
  const records = [headingRecord(table.columns), ...table.rows.map((row) => rowRecord(table.columns, row))];
  return UTF8_BOM + stringify(records, { record_delimiter: "\r\n" });
}

/**
 * The same CSV as {@link toCsv}, written as it is read: the BOM and heading first, then each batch of rows as it
 * comes (for downloads too large to build in memory).
 */
export async function* csvChunks(
  columns: Pick<DownloadTable, "columns">["columns"],
  batches: AsyncIterable<Record<string, CellValue>[]>,
): AsyncGenerator<string> {
  yield UTF8_BOM + stringify([headingRecord(columns)], { record_delimiter: "\r\n" });
  for await (const rows of batches) {
    if (rows.length)
      yield stringify(
        rows.map((row) => rowRecord(columns, row)),
        { record_delimiter: "\r\n" },
      );
  }
}
