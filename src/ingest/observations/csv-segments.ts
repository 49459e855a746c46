/**
 * Splits a large delimited file into segments that can be parsed independently, so that several validation workers
 * can share it (see validate-in-worker.ts). A segment is a run of whole lines: it starts just after a line break and
 * ends just after one (the last ends with the file). That is only safe when no line break is inside a quoted field,
 * so a file with a quote anywhere after its header line is not split. The header is read here once and given to every
 * worker; segment 0 starts on the line after it.
 */
import { open } from "node:fs/promises";
import { CsvRecordParser } from "./csv-records.ts";
import { delimiterOf } from "./read-csv.ts";

/** A byte range of whole lines, [start, end). */
export interface FileSegment {
  start: number;
  end: number;
}

export interface SegmentPlan {
  /** Column names from the header line (trimmed, as `readDelimited` gives them). */
  header: string[];
  delimiter: "," | "\t";
  /** Segments in file order, covering the file after the header line. */
  segments: FileSegment[];
}

const BLOCK = 1024 * 1024;
const NEWLINE = 10;
const QUOTE = 34;

/**
 * Plans segments of about `segmentBytes` each; null when the file cannot be split (a quote after the header line, a
 * header line longer than a block, no line after the header) or would make a single segment.
 */
export async function planSegments(path: string, segmentBytes: number): Promise<SegmentPlan | null> {
  const handle = await open(path, "r");
  try {
    const size = (await handle.stat()).size;
    const buf = Buffer.allocUnsafe(BLOCK);
    const first = await handle.read(buf, 0, BLOCK, 0);
    const headerEnd = buf.subarray(0, first.bytesRead).indexOf(NEWLINE) + 1;
    if (headerEnd === 0) return null;
    const headerText = buf.subarray(0, headerEnd).toString("utf8");
    if (headerText.includes('"')) return null;
    const delimiter = delimiterOf(headerText);
    const [cells] = new CsvRecordParser(delimiter).push(headerText);
    if (!cells) return null;
    const header = cells.map((h) => h.trim());

    // one pass over the rest of the file: look for a quote, and end a segment at the first line break after each
    // multiple of `segmentBytes`
    const segments: FileSegment[] = [];
    let start = headerEnd;
    let target = start + segmentBytes;
    for (let at = headerEnd; at < size; ) {
      const { bytesRead } = await handle.read(buf, 0, Math.min(BLOCK, size - at), at);
      if (bytesRead === 0) break;
      const block = buf.subarray(0, bytesRead);
      if (block.indexOf(QUOTE) >= 0) return null;
      while (target < at + bytesRead) {
        const nl = block.indexOf(NEWLINE, Math.max(target - at, 0));
        if (nl < 0) break;
        const end = at + nl + 1;
        segments.push({ start, end });
        start = end;
        target = end + segmentBytes;
      }
      at += bytesRead;
    }
    if (start < size) segments.push({ start, end: size });
    return segments.length >= 2 ? { header, delimiter, segments } : null;
  } finally {
    await handle.close();
  }
}
