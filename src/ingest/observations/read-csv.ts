/**
 * Tidy CSV reader: UTF-8 with or without a byte-order mark, comma- or tab-separated (detected from the header line),
 * streamed in chunks so that files of any size are read in bounded memory.
 */
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { Transform } from "node:stream";
import { parse } from "csv-parse";
import { DEFAULT_CHUNK, FileFormatError, type RawRow, type TableSource } from "./types.ts";

/** Picks the delimiter from the first line: a tab when it has more tabs than commas, else a comma. */
export async function sniffDelimiter(path: string): Promise<"," | "\t"> {
  const handle = await open(path, "r");
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString("utf8");
    const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
    const tabs = firstLine.split("\t").length - 1;
    const commas = firstLine.split(",").length - 1;
    return tabs > commas ? "\t" : ",";
  } finally {
    await handle.close();
  }
}

/** Counts bytes passing through. */
class ByteCounter extends Transform {
  bytes = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: (e: null, c: Buffer) => void): void {
    this.bytes += chunk.length;
    cb(null, chunk);
  }
}

export interface CsvRecords {
  header: string[];
  records: AsyncIterable<RawRow[]>;
  bytesRead(): number;
  totalBytes: number;
}

/** Reads a delimited file as a header and chunks of rows (rows numbered as in a spreadsheet: header = 1). */
export async function readDelimited(path: string, chunkSize = DEFAULT_CHUNK): Promise<CsvRecords> {
  const totalBytes = (await stat(path)).size;
  const delimiter = await sniffDelimiter(path);
  const counter = new ByteCounter();
  const parser = parse({
    delimiter,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: false,
  });
  const source = createReadStream(path, { highWaterMark: 256 * 1024 });
  source.on("error", (e) => parser.destroy(e));
  source.pipe(counter).pipe(parser);
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;

  const wrap = (error: unknown): never => {
    const e = error as Error & { code?: string; lines?: number };
    const line = typeof e.lines === "number" ? e.lines : 0;
    throw new FileFormatError(
      `the file is not valid CSV${line ? ` near line ${line}` : ""}: ${e.message.replace(/^Invalid Record Length: /, "")}`,
      line,
    );
  };

  let first: IteratorResult<string[]>;
  try {
    first = await iterator.next();
  } catch (error) {
    return wrap(error);
  }
  if (first.done) throw new FileFormatError("the file is empty: expected a header row");
  const header = first.value.map((h) => h.trim());

  async function* chunks(): AsyncGenerator<RawRow[]> {
    let row = 1;
    let chunk: RawRow[] = [];
    try {
      while (true) {
        const next = await iterator.next();
        if (next.done) break;
        row++;
        const cells = next.value;
        if (cells.every((c) => c === "")) continue; // blank line
        chunk.push({ row, cells });
        if (chunk.length >= chunkSize) {
          yield chunk;
          chunk = [];
        }
      }
    } catch (error) {
      wrap(error);
    } finally {
      source.destroy();
    }
    if (chunk.length > 0) yield chunk;
  }

  return { header, records: chunks(), bytesRead: () => counter.bytes, totalBytes };
}

export async function readCsv(path: string, options: { chunkSize?: number | undefined } = {}): Promise<TableSource> {
  const r = await readDelimited(path, options.chunkSize);
  return {
    format: "csv",
    columns: r.header,
    chunks: r.records,
    issues: [],
    bytesRead: r.bytesRead,
    totalBytes: r.totalBytes,
    canonical: false,
  };
}
