/**
 * XLSX reader: the tidy (or wide) columns in a named worksheet, or the first one. Streamed with exceljs's streaming
 * reader so that large workbooks are read in bounded memory. Row numbers are the sheet's own row numbers.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Transform } from "node:stream";
import ExcelJS from "exceljs";
import { DEFAULT_CHUNK, FileFormatError, type RawRow, type TableSource } from "./types.ts";

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

class ByteCounter extends Transform {
  bytes = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: (e: null, c: Buffer) => void): void {
    this.bytes += chunk.length;
    cb(null, chunk);
  }
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
  const totalBytes = (await stat(path)).size;
  const counter = new ByteCounter();
  const input = createReadStream(path).pipe(counter);
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
    throw new FileFormatError(`the file is not a readable XLSX workbook: ${(error as Error).message}`);
  }
  if (!sheet) {
    throw new FileFormatError(
      options.sheet
        ? `the workbook has no sheet named "${options.sheet}" (sheets: ${seen.join(", ") || "none"})`
        : "the workbook has no worksheets",
    );
  }
  const rowCells = (row: ExcelJS.Row): string[] => {
    const values = row.values as unknown[];
    const cells: string[] = [];
    for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]).trim());
    return cells;
  };
  let header: string[] | null = null;
  let headerRow = 0;
  while (header === null) {
    const next = await sheet.next();
    if (next.done) throw new FileFormatError(`sheet "${sheetName}" is empty: expected a header row`);
    const cells = rowCells(next.value);
    if (cells.some((c) => c !== "")) {
      header = cells;
      headerRow = next.value.number;
    }
  }
  const width = header.length;
  const rest = sheet;
  async function* chunks(): AsyncGenerator<RawRow[]> {
    let chunk: RawRow[] = [];
    while (true) {
      const next = await rest.next();
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
    if (chunk.length > 0) yield chunk;
  }
  return { header, headerRow, records: chunks(), bytesRead: () => counter.bytes, totalBytes, sheetName };
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
