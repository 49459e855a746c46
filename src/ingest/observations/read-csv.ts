/**
 * Tidy CSV reader: UTF-8 with or without a byte-order mark, comma- or tab-separated (detected from the header line),
 * streamed in chunks so that files of any size are read in bounded memory. Parsing is done by {@link CsvRecordParser}
 * (several times faster than a general CSV library on large files).
 */
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { CsvRecordParser } from "./csv-records.ts";
import { DEFAULT_CHUNK, FileFormatError, type RawRow, type TableSource } from "./types.ts";

/** The delimiter of a file whose text begins with `text`: a tab when its first line has more tabs than commas. */
export function delimiterOf(text: string): "," | "\t" {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  const tabs = firstLine.split("\t").length - 1;
  const commas = firstLine.split(",").length - 1;
  return tabs > commas ? "\t" : ",";
}

/** Picks the delimiter from the file's first line (see {@link delimiterOf}). */
export async function sniffDelimiter(path: string): Promise<"," | "\t"> {
  const handle = await open(path, "r");
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return delimiterOf(buf.subarray(0, bytesRead).toString("utf8"));
  } finally {
    await handle.close();
  }
}

/** True for a blank line: every field empty. */
function isBlank(cells: readonly string[]): boolean {
  for (let i = 0; i < cells.length; i++) if (cells[i] !== "") return false;
  return true;
}

export interface CsvRecords {
  header: string[];
  records: AsyncIterable<RawRow[]>;
  bytesRead(): number;
  /** Number of the last row read (blank rows included; the header is row 1, except in a segment). */
  rowsRead(): number;
  totalBytes: number;
}

/** A part of a file to read without its header (see csv-segments.ts): rows are numbered from 1 at `start`. */
export interface DelimitedSegment {
  start: number;
  end: number;
  delimiter: "," | "\t";
}

/**
 * Reads a delimited file as a header and chunks of rows (rows numbered as in a spreadsheet: header = 1), or one
 * segment of it (no header; rows numbered from 1 at the segment's start).
 */
export async function readDelimited(
  path: string,
  chunkSize = DEFAULT_CHUNK,
  segment?: DelimitedSegment,
): Promise<CsvRecords> {
  const totalBytes = segment ? segment.end - segment.start : (await stat(path)).size;
  const delimiter = segment?.delimiter ?? (await sniffDelimiter(path));
  const stream = createReadStream(path, {
    encoding: "utf8",
    highWaterMark: 256 * 1024,
    ...(segment ? { start: segment.start, end: segment.end - 1 } : {}),
  });
  const parser = new CsvRecordParser(delimiter);
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<string>;
  let pending: string[][] = [];
  let done = false;
  /** The next batch of records (empty when the file is finished). */
  const more = async (): Promise<string[][]> => {
    while (!done) {
      const next = await iterator.next();
      if (next.done) {
        done = true;
        return parser.end();
      }
      const records = parser.push(next.value);
      if (records.length > 0) return records;
    }
    return [];
  };
  let header: string[] = [];
  if (!segment) {
    while (pending.length === 0) {
      pending = await more();
      if (pending.length === 0 && done) throw new FileFormatError("the file is empty: expected a header row");
    }
    header = pending[0]!.map((h) => h.trim());
    pending = pending.slice(1);
  }

  let row = segment ? 0 : 1;
  async function* chunks(): AsyncGenerator<RawRow[]> {
    let chunk: RawRow[] = [];
    try {
      while (true) {
        for (const cells of pending) {
          row++;
          if (isBlank(cells)) continue;
          chunk.push({ row, cells });
          if (chunk.length >= chunkSize) {
            yield chunk;
            chunk = [];
          }
        }
        if (done) break;
        pending = await more();
      }
    } finally {
      stream.destroy();
    }
    if (chunk.length > 0) yield chunk;
  }

  return { header, records: chunks(), bytesRead: () => stream.bytesRead, rowsRead: () => row, totalBytes };
}

export async function readCsv(path: string, options: { chunkSize?: number | undefined } = {}): Promise<TableSource> {
  const r = await readDelimited(path, options.chunkSize);
  return csvTable(r.header, r);
}

/** Records read by {@link readDelimited} (a whole file, or a segment of it) as a table with these columns. */
export function csvTable(header: string[], records: CsvRecords): TableSource {
  return {
    format: "csv",
    columns: header,
    chunks: records.records,
    issues: [],
    bytesRead: records.bytesRead,
    totalBytes: records.totalBytes,
    canonical: false,
  };
}
