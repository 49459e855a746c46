/**
 * Splits a large delimited file into segments that can be parsed independently, so that several validation workers
 * can share it (see validate-in-worker.ts). A segment is a run of whole lines: it starts just after a line break and
 * ends just after one (the last ends with the file). That is only safe when no line break is inside a quoted field,
 * so a file with a quote anywhere after its header line is not split. Nor is a file that is not plain UTF-8 (a UTF-16
 * byte-order mark) or has a line longer than a cell may be: one worker reads those, and its messages then give the line
 * in the whole file. The header is read here once and given to every worker; segment 0 starts on the line after it.
 */
import { open } from "node:fs/promises";
import { CsvRecordParser } from "./csv-records.ts";
import { MAX_CELL_CHARS } from "./limits.ts";
import { delimiterOf, encodingOf } from "./read-csv.ts";

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
 * header line longer than a block, a line longer than {@link MAX_CELL_CHARS} bytes, no line after the header, not
 * UTF-8) or would make a single segment.
 */
export async function planSegments(path: string, segmentBytes: number): Promise<SegmentPlan | null> {
  const handle = await open(path, "r");
  try {
    const size = (await handle.stat()).size;
    const buf = Buffer.allocUnsafe(BLOCK);
    const first = await handle.read(buf, 0, BLOCK, 0);
    if (encodingOf(buf.subarray(0, Math.min(first.bytesRead, 4))) !== "utf8") return null;
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
    let lineStart = headerEnd;
    for (let at = headerEnd; at < size; ) {
      const { bytesRead } = await handle.read(buf, 0, Math.min(BLOCK, size - at), at);
      if (bytesRead === 0) break;
      const block = buf.subarray(0, bytesRead);
      if (block.indexOf(QUOTE) >= 0) return null;
      // every line shorter than MAX_CELL_CHARS: from each line's start, a line break within that many bytes (found
      // backwards from the window's end, so a block takes a few dozen steps, not one per line)
      while (true) {
        const windowEnd = lineStart + MAX_CELL_CHARS;
        const last = block.lastIndexOf(NEWLINE, Math.min(windowEnd, at + bytesRead - 1) - at);
        if (last >= 0 && at + last >= lineStart) lineStart = at + last + 1;
        else if (windowEnd < at + bytesRead) return null;
        if (windowEnd >= at + bytesRead) break;
      }
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
    if (size - lineStart > MAX_CELL_CHARS) return null;
    if (start < size) segments.push({ start, end: size });
    return segments.length >= 2 ? { header, delimiter, segments } : null;
  } finally {
    await handle.close();
  }
}
