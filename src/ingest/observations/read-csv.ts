/**
 * Tidy CSV reader: UTF-8 with or without a byte-order mark (or UTF-16 with one), comma- or tab-separated (detected from
 * the header line), streamed in chunks so that files of any size are read in bounded memory. Parsing is done by
 * {@link CsvRecordParser} (several times faster than a general CSV library on large files). Text that is not UTF-8
 * (e.g. Windows-1252 saved by older Excel) is an error naming the line, byte and likely encoding, never replaced
 * silently; so is a file whose lines end with a carriage return only.
 */
import { isUtf8 } from "node:buffer";
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

export type TextEncoding = "utf8" | "utf16le" | "utf16be";

/** How to save a file so that it can be read. */
const SAVE_AS = 'save it as "CSV UTF-8 (Comma delimited)" (in Excel: File, Save As) and try again';

/** The text encoding of a file that begins with `bytes` (from its byte-order mark); throws for a file that is not text. */
export function encodingOf(bytes: Uint8Array): TextEncoding {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf16be";
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    throw new FileFormatError(
      "the file is a zip archive (an Excel workbook?), not CSV text: give it a .xlsx name or choose the XLSX format",
      0,
      "not_text",
    );
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new FileFormatError(
      `the file is not UTF-8 text: byte ${nul.toLocaleString("en-GB")} is a NUL (0x00), as in UTF-16 text without a byte-order mark or a binary file; ${SAVE_AS}`,
      0,
      "not_utf8",
    );
  }
  return "utf8";
}

/** Refuses text whose first line break is a carriage return alone (CR-only line endings read as one long line). */
function checkLineEndings(text: string): void {
  const cr = text.indexOf("\r");
  if (cr < 0 || cr + 1 >= text.length) return;
  const lf = text.indexOf("\n");
  if ((lf < 0 || cr < lf) && text.charCodeAt(cr + 1) !== 10) {
    throw new FileFormatError(
      "the lines of the file end with a carriage return (CR) only, as in files from old Macs, so the whole file reads as one line: save it with Windows (CRLF) or Unix (LF) line endings, e.g. as CSV UTF-8 in Excel",
      0,
      "cr_line_endings",
    );
  }
}

function decoderLabel(encoding: "utf16le" | "utf16be"): string {
  return encoding === "utf16le" ? "utf-16le" : "utf-16be";
}

export interface TextFormat {
  delimiter: "," | "\t";
  encoding: TextEncoding;
}

/** Reads the start of a file: its encoding and delimiter (see {@link delimiterOf}); refuses what cannot be read. */
export async function sniffText(path: string): Promise<TextFormat> {
  const handle = await open(path, "r");
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const bytes = buf.subarray(0, bytesRead);
    const encoding = encodingOf(bytes);
    const text = encoding === "utf8" ? bytes.toString("utf8") : new TextDecoder(decoderLabel(encoding)).decode(bytes);
    checkLineEndings(text);
    return { delimiter: delimiterOf(text), encoding };
  } finally {
    await handle.close();
  }
}

/** Length of the longest prefix of `b` that ends on a whole UTF-8 sequence (a sequence cut by the end is left out). */
function wholeSequences(b: Uint8Array): number {
  const n = b.length;
  for (let i = n - 1; i >= 0 && i >= n - 4; i--) {
    const c = b[i]!;
    if ((c & 0xc0) === 0x80) continue; // continuation byte: look further back for its lead
    if (c < 0xc0) return n;
    const needs = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    return n - i < needs ? i : n;
  }
  return n;
}

/** Index of the first byte of `b` that is not part of a valid UTF-8 sequence (b.length when all are valid). */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let needs: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) [needs, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [needs, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [needs, min] = [3, 0x10000];
    else return i;
    if (i + needs >= n) return i;
    let cp = c & (needs === 1 ? 0x1f : needs === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= needs; k++) {
      const d = b[i + k]!;
      if ((d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += needs + 1;
  }
  return n;
}

/** Windows-1252 characters 0x80–0x9F (where it differs from Latin-1; "" where it has none). */
const CP1252_80 = "€_‚ƒ„…†‡ˆ‰Š‹Œ_Ž__‘’“”•–—˜™š›œ_žŸ";

/** The character a byte from 0x80 stands for in Windows-1252 (the "ANSI" of Windows in Western Europe), or "". */
function windows1252(byte: number): string {
  if (byte >= 0xa0) return String.fromCharCode(byte);
  const c = CP1252_80[byte - 0x80] ?? "_";
  return c === "_" ? "" : c;
}

/** Line number (from 1) of the byte at `position` of a file: one more than the line feeds before it. */
async function lineAt(path: string, position: number): Promise<number> {
  let line = 1;
  let at = 0;
  for await (const chunk of createReadStream(path, { end: Math.max(position - 1, 0), highWaterMark: 1024 * 1024 })) {
    const b = chunk as Buffer;
    const n = Math.min(b.length, position - at);
    for (let i = b.indexOf(10); i >= 0 && i < n; i = b.indexOf(10, i + 1)) line++;
    at += b.length;
  }
  return position === 0 ? 1 : line;
}

/** The error for bytes that are not UTF-8: where (line and byte) and what the file probably is. */
async function notUtf8(path: string, position: number, bytes: Uint8Array): Promise<FileFormatError> {
  const line = await lineAt(path, position);
  const hex = Array.from(bytes.subarray(0, 4), (b) => `0x${b.toString(16).toUpperCase().padStart(2, "0")}`);
  const byte = bytes[0] ?? 0;
  const as1252 = byte >= 0x80 ? windows1252(byte) : "";
  const guess = as1252
    ? `; it is probably Windows-1252 ("ANSI") or Latin-1 text, where ${hex[0]} is "${as1252}"`
    : " (the file ends in the middle of a character)";
  return new FileFormatError(
    `the file is not in UTF-8: line ${line}, byte ${position.toLocaleString("en-GB")} (${hex.join(" ") || "end of file"}) is not valid UTF-8${bytes.length === 0 ? "" : guess}; ${SAVE_AS}`,
    line,
    "not_utf8",
  );
}

/**
 * Text of a byte stream: UTF-8 checked as it is decoded (a replacement character in the text means an invalid
 * sequence, unless the file itself holds one: then the bytes are checked), or UTF-16 decoded strictly. `offset` is the
 * position in the file of the stream's first byte (for messages).
 */
async function* decodeText(
  path: string,
  bytes: AsyncIterable<Buffer>,
  encoding: TextEncoding,
  offset: number,
): AsyncGenerator<string> {
  let at = offset;
  if (encoding !== "utf8") {
    const decoder = new TextDecoder(decoderLabel(encoding), { fatal: true });
    try {
      for await (const b of bytes) {
        at += b.length;
        yield decoder.decode(b, { stream: true });
      }
      yield decoder.decode();
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      throw new FileFormatError(
        `the file is UTF-16 (it begins with a UTF-16 byte-order mark) but has a broken character before byte ${at.toLocaleString("en-GB")}; ${SAVE_AS}`,
        0,
        "not_utf8",
      );
    }
    return;
  }
  let rest: Buffer | null = null;
  for await (const chunk of bytes) {
    const b: Buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
    const cut = wholeSequences(b);
    const text = b.toString("utf8", 0, cut);
    if (text.includes("\uFFFD")) {
      const whole = b.subarray(0, cut);
      if (!isUtf8(whole)) {
        const i = firstInvalidUtf8(whole);
        throw await notUtf8(path, at + i, whole.subarray(i));
      }
    }
    at += cut;
    rest = cut < b.length ? Buffer.from(b.subarray(cut)) : null;
    yield text;
  }
  if (rest) throw await notUtf8(path, at, rest);
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
  const format: TextFormat = segment ? { delimiter: segment.delimiter, encoding: "utf8" } : await sniffText(path);
  const stream = createReadStream(path, {
    highWaterMark: 256 * 1024,
    ...(segment ? { start: segment.start, end: segment.end - 1 } : {}),
  });
  const parser = new CsvRecordParser(format.delimiter);
  parser.headerFirst = !segment;
  const iterator = decodeText(path, stream, format.encoding, segment?.start ?? 0);
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
    try {
      while (pending.length === 0) {
        pending = await more();
        if (pending.length === 0 && done) throw new FileFormatError("the file is empty: expected a header row");
      }
    } catch (error) {
      stream.destroy();
      throw error;
    }
    header = pending[0]!.map((h) => h.trim());
    parser.columns = header;
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
