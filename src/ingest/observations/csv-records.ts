/**
 * A small, fast streaming parser for delimited text (RFC 4180 CSV and tab-separated values): text in, records out.
 * Lines without quotes take a fast path (a plain split); quoted fields may contain delimiters, doubled quotes and line
 * breaks. A quote inside an unquoted field is kept as text. An unclosed quote or text after a closing quote is an error
 * naming the line.
 */
import { FileFormatError } from "./types.ts";

export class CsvRecordParser {
  private carry = "";
  private line = 1;
  private started = false;

  constructor(private readonly delimiter: string) {}

  /** Adds text and returns the records completed by it. */
  push(text: string): string[][] {
    let data = this.carry + text;
    if (!this.started) {
      if (data.length === 0) return [];
      this.started = true;
      if (data.charCodeAt(0) === 0xfeff) data = data.slice(1);
    }
    const out: string[][] = [];
    const end = this.parse(data, false, out);
    this.carry = data.slice(end);
    return out;
  }

  /** Returns the last record (when the text does not end with a line break). */
  end(): string[][] {
    const out: string[][] = [];
    if (this.carry.length > 0) {
      const end = this.parse(this.carry, true, out);
      this.carry = this.carry.slice(end);
    }
    return out;
  }

  /** Parses complete records from `data` into `out`; returns where the unparsed rest begins. */
  private parse(data: string, final: boolean, out: string[][]): number {
    const d = this.delimiter;
    let pos = 0;
    const n = data.length;
    let quote = -1; // position of the next quote at or after pos (n when none), found lazily
    while (pos < n) {
      let nl = data.indexOf("\n", pos);
      if (nl < 0) {
        if (!final) return pos;
        nl = n;
      }
      if (quote < pos) {
        quote = data.indexOf('"', pos);
        if (quote < 0) quote = n;
      }
      if (quote > nl) {
        const lineEnd = nl > pos && data.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        out.push(data.slice(pos, lineEnd).split(d));
        this.line++;
        pos = nl + 1;
        continue;
      }
      const r = this.quoted(data, pos, final);
      if (r === null) return pos;
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
