/**
 * XLSX reader: the tidy (or wide) columns in a named worksheet, or the first one. Streamed with exceljs's streaming
 * reader so that large workbooks are read in bounded memory. Row numbers are the sheet's own row numbers. The
 * workbook's zip container is checked first (see xlsx-zip.ts), and whatever the library fails on afterwards (bad XML,
 * an invalid cell reference) is a {@link FileFormatError} saying the workbook is damaged, never an unexplained crash.
 */
import ExcelJS from "exceljs";
import { excerpt, MAX_CELL_CHARS } from "./limits.ts";
import { DEFAULT_CHUNK, FileFormatError, type RawRow, type TableSource } from "./types.ts";
import { openWorkbookZip } from "./xlsx-zip.ts";

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** The text of a cell value as a person would type it (dates as YYYY-MM-DD, formulas as their result). */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (v instanceof Date) {
    const date = `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`;
    const time = v.getUTCHours() * 3600 + v.getUTCMinutes() * 60 + v.getUTCSeconds();
    return time === 0 ? date : `${date}T${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}:${pad(v.getUTCSeconds())}`;
  }
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((t) => t.text).join("");
    if ("result" in o) return cellText(o.result);
    if ("text" in o) return cellText(o.text);
    if ("error" in o) return String(o.error);
  }
  return String(v);
}

/** What the library failed on, as a problem with the workbook. */
function unreadable(error: unknown, where: string): FileFormatError {
  if (error instanceof FileFormatError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new FileFormatError(
    `the workbook is damaged: ${where} cannot be read (${excerpt(message.split("\n")[0] ?? "", 100)}); open it in Excel and save it again as an .xlsx workbook, or save the data as CSV UTF-8`,
    0,
    "xlsx_damaged",
  );
}

export interface SheetRecords {
  header: string[];
  headerRow: number;
  records: AsyncIterable<RawRow[]>;
  bytesRead(): number;
  totalBytes: number;
  sheetName: string;
}

/** Reads a worksheet as a header (its first non-empty row) and chunks of the rows below it. */
export async function readSheet(
  path: string,
  options: { sheet?: string | undefined; chunkSize?: number | undefined } = {},
): Promise<SheetRecords> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
  const zip = await openWorkbookZip(path);
  const input = zip.stream;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: "cache",
    hyperlinks: "ignore",
    styles: "cache",
    worksheets: "emit",
    entries: "ignore",
  });
  const sheets = reader[Symbol.asyncIterator]();
  const seen: string[] = [];
  let sheet: AsyncIterator<ExcelJS.Row> | null = null;
  let sheetName = "";
  try {
    while (true) {
      const next = await sheets.next();
      if (next.done) break;
      const ws = next.value as unknown as { name: string } & AsyncIterable<ExcelJS.Row>;
      seen.push(ws.name);
      if (!options.sheet || ws.name.trim().toLowerCase() === options.sheet.trim().toLowerCase()) {
        sheet = ws[Symbol.asyncIterator]();
        sheetName = ws.name;
        break;
      }
      // skip this worksheet's rows
      for await (const _row of ws) {
        // drain
      }
    }
  } catch (error) {
    input.destroy();
    throw unreadable(error, seen.length > 0 ? `sheet "${excerpt(seen[seen.length - 1]!, 40)}"` : "the workbook");
  }
  if (!sheet) {
    input.destroy();
    throw new FileFormatError(
      options.sheet
        ? `the workbook has no sheet named "${options.sheet}" (sheets: ${seen.join(", ") || "none"})`
        : "the workbook has no worksheets",
    );
  }
  let header: string[] | null = null;
  const rowCells = (row: ExcelJS.Row): string[] => {
    const values = row.values as unknown[];
    const cells: string[] = [];
    for (let i = 1; i < values.length; i++) {
      const text = cellText(values[i]);
      if (text.length > MAX_CELL_CHARS) {
        const name = header?.[i - 1] ? `column "${excerpt(header[i - 1]!, 40)}"` : `column ${i}`;
        throw new FileFormatError(
          `row ${row.number}, ${name}: the cell has ${text.length.toLocaleString("en-GB")} characters, and a cell may have at most ${MAX_CELL_CHARS.toLocaleString("en-GB")} (it begins "${excerpt(text, 40)}")`,
          row.number,
          "cell_too_long",
        );
      }
      cells.push(text.trim());
    }
    return cells;
  };
  const current = sheet;
  const where = `sheet "${excerpt(sheetName, 40)}"`;
  /** The next row of the sheet; whatever the library fails on is a problem with the workbook. */
  const nextRow = async (): Promise<IteratorResult<ExcelJS.Row>> => {
    try {
      return await current.next();
    } catch (error) {
      input.destroy();
      throw unreadable(error, where);
    }
  };
  let headerRow = 0;
  try {
    while (header === null) {
      const next = await nextRow();
      if (next.done) throw new FileFormatError(`sheet "${sheetName}" is empty: expected a header row`);
      const cells = rowCells(next.value);
      if (cells.some((c) => c !== "")) {
        header = cells;
        headerRow = next.value.number;
      }
    }
  } catch (error) {
    input.destroy();
    throw error;
  }
  const width = header.length;
  async function* chunks(): AsyncGenerator<RawRow[]> {
    let chunk: RawRow[] = [];
    try {
      while (true) {
        const next = await nextRow();
        if (next.done) break;
        const cells = rowCells(next.value);
        if (!cells.some((c) => c !== "")) continue;
        while (cells.length < width) cells.push("");
        chunk.push({ row: next.value.number, cells });
        if (chunk.length >= chunkSize) {
          yield chunk;
          chunk = [];
        }
      }
    } finally {
      input.destroy();
    }
    if (chunk.length > 0) yield chunk;
  }
  return { header, headerRow, records: chunks(), bytesRead: zip.bytesRead, totalBytes: zip.totalBytes, sheetName };
}

export async function readXlsx(
  path: string,
  options: { sheet?: string | undefined; chunkSize?: number | undefined } = {},
): Promise<TableSource> {
  const r = await readSheet(path, options);
  return {
    format: "xlsx",
    columns: r.header,
    chunks: r.records,
    issues: [],
    bytesRead: r.bytesRead,
    totalBytes: r.totalBytes,
    canonical: false,
  };
}
