/**
 * A small, fast streaming parser for delimited text (RFC 4180 CSV and tab-separated values): text in, records out.
 * Lines without quotes take a fast path (one scan for delimiters); quoted fields may contain delimiters, doubled quotes
 * and line breaks. A quote inside an unquoted field is kept as text. An unclosed quote or text after a closing quote is
 * an error naming the line. A row longer than {@link MAX_ROW_CHARS} or a cell longer than {@link MAX_CELL_CHARS} is an
 * error as soon as it is seen, so that no row grows without bound in memory (and no row is parsed again and again
 * while it is still incomplete).
 */
import { excerpt, MAX_CELL_CHARS, MAX_ROW_CHARS } from "./limits.ts";
import { FileFormatError, keepStringMethodsFast } from "./types.ts";

export class CsvRecordParser {
  private carry = "";
  private line = 1;
  private started = false;
  /** Fields in the last fast-path record: the size to allocate for the next one. */
  private width = 1;
  /** Column names, for messages about a cell (set once the header is read). */
  columns: readonly string[] = [];
  /** Whether the first record is the header (its names then serve messages before `columns` is set). */
  headerFirst = false;

  constructor(
    private readonly delimiter: string,
    private readonly maxRow = MAX_ROW_CHARS,
    private readonly maxCell = MAX_CELL_CHARS,
  ) {
    keepStringMethodsFast();
  }

  /** Refuses an incomplete row that is already longer than the limit. */
  private checkCarry(): void {
    if (this.carry.length > this.maxRow) this.tooLong(this.carry.length, true, this.carry.includes('"'));
  }

  private tooLong(length: number, more: boolean, quoted: boolean): never {
    const max = this.maxRow.toLocaleString("en-GB");
    const size = `${more ? "more than " : ""}${length.toLocaleString("en-GB")}`;
    const hint = quoted
      ? "a quoted cell goes on past the limit: is a closing quote missing?"
      : "is the file really CSV, with a line break after each row?";
    throw new FileFormatError(
      `the row starting on line ${this.line} is too long: ${size} characters, and a row may have at most ${max} (${hint})`,
      this.line,
      "row_too_long",
    );
  }

  /** Refuses a row with a cell longer than the limit (called only for rows longer than that). */
  private checkCells(record: readonly string[], line: number, out: readonly string[][]): void {
    const names = this.columns.length === 0 && this.headerFirst && out.length > 0 ? out[0]! : this.columns;
    for (let k = 0; k < record.length; k++) {
      const cell = record[k]!;
      if (cell.length <= this.maxCell) continue;
      const heading = names[k]?.trim();
      const name = heading ? `column "${excerpt(heading, 40)}"` : `column ${k + 1}`;
      throw new FileFormatError(
        `line ${line}, ${name}: the cell has ${cell.length.toLocaleString("en-GB")} characters, and a cell may have at most ${this.maxCell.toLocaleString("en-GB")} (it begins "${excerpt(cell, 40)}")`,
        line,
        "cell_too_long",
      );
    }
  }

  /** Adds text and returns the records completed by it. */
  push(text: string): string[][] {
    if (!this.started) {
      if (text.length === 0) return [];
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const out: string[][] = [];
    let start = 0;
    if (this.carry.length > 0) {
      // Finish the carried record with the text up to the first line break, so that the bulk of `text` is parsed
      // as it is (a joined string is slower to read); when the record goes on past that line break, join it all.
      const nl = text.indexOf("\n");
      const head = nl < 0 ? this.carry + text : this.carry + text.slice(0, nl + 1);
      const end = this.parse(head, 0, false, out);
      if (nl < 0) {
        this.carry = head.slice(end);
        this.checkCarry();
        return out;
      }
      if (end < head.length) {
        text = head.slice(end) + text.slice(nl + 1);
      } else start = nl + 1;
    }
    const end = this.parse(text, start, false, out);
    this.carry = text.slice(end);
    this.checkCarry();
    return out;
  }

  /** Returns the last record (when the text does not end with a line break). */
  end(): string[][] {
    const out: string[][] = [];
    if (this.carry.length > 0) {
      const end = this.parse(this.carry, 0, true, out);
      this.carry = this.carry.slice(end);
    }
    return out;
  }

  /**
   * Parses complete records from `data` (from `pos`) into `out`; returns where the unparsed rest begins. A line is
   * scanned once for delimiters; on meeting a quote it is parsed again by {@link quoted}, as is the last line (one
   * without a line break, when `final`).
   */
  private parse(data: string, pos: number, final: boolean, out: string[][]): number {
    const d = this.delimiter.charCodeAt(0);
    const n = data.length;
    const maxCell = this.maxCell;
    while (pos < n) {
      const record: string[] = new Array(this.width);
      let k = 0;
      let from = pos;
      let i = pos;
      let c = 0;
      for (; i < n; i++) {
        c = data.charCodeAt(i);
        if (c === d) {
          record[k++] = data.slice(from, i);
          from = i + 1;
        } else if (c === 10 || c === 34) break;
      }
      if (i < n && c === 10) {
        record[k++] = data.slice(from, i > from && data.charCodeAt(i - 1) === 13 ? i - 1 : i);
        if (k !== this.width) {
          record.length = k;
          this.width = k;
        }
        if (i - pos > maxCell) {
          if (i - pos > this.maxRow) this.tooLong(i - pos, false, false);
          this.checkCells(record, this.line, out);
        }
        out.push(record);
        this.line++;
        pos = i + 1;
        continue;
      }
      if (!final && (i >= n || data.indexOf("\n", i) < 0)) return pos; // the line is not complete yet
      const line = this.line;
      const r = this.quoted(data, pos, final);
      if (r === null) return pos;
      if (r.next - pos > maxCell) {
        if (r.next - pos > this.maxRow) {
          this.line = line;
          this.tooLong(r.next - pos, false, true);
        }
        this.checkCells(r.record, line, out);
      }
      out.push(r.record);
      pos = r.next;
    }
    return pos;
  }

  /** Parses one record that contains a quote; null when more text is needed. */
  private quoted(data: string, start: number, final: boolean): { record: string[]; next: number } | null {
    const d = this.delimiter.charCodeAt(0);
    const record: string[] = [];
    const n = data.length;
    let pos = start;
    let lines = 0;
    while (true) {
      if (pos < n && data.charCodeAt(pos) === 34) {
        // quoted field
        let value = "";
        let i = pos + 1;
        while (true) {
          const q = data.indexOf('"', i);
          if (q < 0) {
            if (!final) return null;
            throw new FileFormatError(`a quoted field starting on line ${this.line} is never closed`, this.line);
          }
          const chunk = data.slice(i, q);
          for (let k = chunk.indexOf("\n"); k >= 0; k = chunk.indexOf("\n", k + 1)) lines++;
          value += chunk;
          if (q + 1 < n && data.charCodeAt(q + 1) === 34) {
            value += '"';
            i = q + 2;
            continue;
          }
          if (q + 1 >= n && !final) return null;
          i = q + 1;
          break;
        }
        record.push(value);
        pos = i;
      } else {
        // unquoted field: up to the delimiter or end of line
        let i = pos;
        while (i < n) {
          const c = data.charCodeAt(i);
          if (c === d || c === 10) break;
          i++;
        }
        if (i >= n && !final) return null;
        const end = i > pos && data.charCodeAt(i - 1) === 13 && (i >= n || data.charCodeAt(i) === 10) ? i - 1 : i;
        record.push(data.slice(pos, end));
        pos = i;
      }
      if (pos >= n) {
        this.line += lines + 1;
        return { record, next: pos };
      }
      const c = data.charCodeAt(pos);
      if (c === d) {
        pos++;
        if (pos >= n && !final) return null;
        if (pos >= n) {
          record.push("");
          this.line += lines + 1;
          return { record, next: pos };
        }
        continue;
      }
      if (c === 10) {
        this.line += lines + 1;
        return { record, next: pos + 1 };
      }
      if (c === 13 && (pos + 1 >= n || data.charCodeAt(pos + 1) === 10)) {
        if (pos + 1 >= n && !final) return null;
        this.line += lines + 1;
        return { record, next: Math.min(pos + 2, n) };
      }
      throw new FileFormatError(
        `line ${this.line + lines}: unexpected text after a closing quote (a quote inside a quoted field must be doubled: "")`,
        this.line + lines,
      );
    }
  }
}
