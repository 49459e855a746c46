/**
 * Reading the text of a cell, for row validation: numbers as statistics files write them, value placeholders and
 * note codes, trimming (cheaply: cells are read by the million), decimals and the tolerance they imply. Pure.
 */
import { NOTE_CODE_LETTERS, NOTE_CODES } from "../../domain/enums.ts";

export const THOUSANDS = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

/** 10^0 … 10^15, exact as doubles. */
export const POWERS_OF_TEN = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * `Number(s)` when `s` is a plain number (`[+-]digits[.digits][e[+-]digits]`, as the regular expression
 * /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/ accepts), else NaN. Numbers of up to 15 digits without an exponent
 * are computed here: the digits as an integer divided by a power of ten, both exact, so the one rounding of the
 * division gives the same double as `Number`.
 */
export function plainNumber(s: string): number {
  const n = s.length;
  const first = n > 0 ? s.charCodeAt(0) : 0;
  const negative = first === 45;
  let i = first === 43 || first === 45 ? 1 : 0;
  let digits = 0;
  const intStart = i;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    digits = digits * 10 + (c - 48);
  }
  const intDigits = i - intStart;
  let fracDigits = 0;
  if (i < n && s.charCodeAt(i) === 46) {
    i++;
    const fracStart = i;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      digits = digits * 10 + (c - 48);
    }
    fracDigits = i - fracStart;
  }
  if (intDigits === 0 && fracDigits === 0) return Number.NaN;
  if (i === n) {
    if (intDigits + fracDigits > 15) return Number(s);
    const v = fracDigits === 0 ? digits : digits / POWERS_OF_TEN[fracDigits]!;
    return negative ? -v : v;
  }
  const e = s.charCodeAt(i);
  if (e !== 101 && e !== 69) return Number.NaN;
  i++;
  if (i < n) {
    const sign = s.charCodeAt(i);
    if (sign === 43 || sign === 45) i++;
  }
  const expStart = i;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
  }
  return i === n && i > expStart ? Number(s) : Number.NaN;
}

/** Parses a number as written in a statistics file; `null` for empty, `NaN` for not a number. */
export function parseNumber(text: string): number | null {
  const s = text.trim();
  if (s === "") return null;
  const plain = plainNumber(s);
  if (!Number.isNaN(plain)) return plain;
  if (THOUSANDS.test(s)) return Number(s.replace(/,/g, ""));
  return Number.NaN;
}

/** Placeholders that statistics tables put in a value cell instead of a number, and the note they mean. */
export const VALUE_MARKERS: Record<string, string> = {
  "..": "not_available",
  ":": "not_available",
  "*": "suppressed",
  "-": "not_applicable",
  "~": "low_reliability",
};

export const NOTE_ORDER = new Map<string, number>(NOTE_CODES.map((c, i) => [c, i]));

/** The note code for text such as "p", "[p]", "(p)", "provisional"; undefined when unknown. */
export function noteCodeOf(text: string): string | undefined {
  const s = text
    .trim()
    .replace(/^[[(]|[\])]$/g, "")
    .trim()
    .toLowerCase();
  if (NOTE_ORDER.has(s)) return s;
  return NOTE_CODE_LETTERS[s];
}

/** The note codes of a row without notes (shared, never changed). */
export const NO_NOTES: readonly string[] = Object.freeze([]);

/** The codes without repeats, in the order of NOTE_CODES; `codes` is a fresh array (it may be returned). */
export function sortNotes(codes: string[]): string[] {
  if (codes.length === 1) return codes;
  return [...new Set(codes)].sort((a, b) => (NOTE_ORDER.get(a) ?? 99) - (NOTE_ORDER.get(b) ?? 99));
}

/**
 * `s.trim()`, without calling it when `s` begins and ends with a printable ASCII character (none of which is white
 * space): cells are checked by the million, and nearly all of them need no trimming.
 */
export function trimmed(s: string): string {
  const n = s.length;
  if (n === 0) return s;
  const a = s.charCodeAt(0);
  const b = s.charCodeAt(n - 1);
  return a > 32 && a < 127 && b > 32 && b < 127 ? s : s.trim();
}

/** Cell `i` of a row, trimmed ("" when the column is absent, −1, or the row is short). */
export function cellAt(cells: readonly string[], i: number): string {
  if (i < 0) return "";
  const s = cells[i];
  return s === undefined ? "" : trimmed(s);
}

export function decimalsOf(text: string): number {
  const s = trimmed(text);
  let dot = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 101 || c === 69) return 12;
    if (c === 46 && dot < 0) dot = i;
  }
  return dot < 0 ? 0 : s.length - dot - 1;
}

export const UNKNOWN_NOTE_HELP = `(use one of ${Object.entries(NOTE_CODE_LETTERS)
  .map(([l, c]) => `${l} = ${c}`)
  .join(", ")})`;

/** True when a cell at or after `from` holds more than white space. */
export function hasText(cells: readonly string[], from: number): boolean {
  for (let i = from; i < cells.length; i++) if (trimmed(cells[i]!) !== "") return true;
  return false;
}

/** How far a value may be from an exact result and still match, given the decimals written. */
export function tolerance(valueText: string, v: number): number {
  return 0.5 * 10 ** -decimalsOf(valueText) + 1e-9 * Math.abs(v);
}

export function roundForMessage(x: number): string {
  return String(Math.round(x * 10000) / 10000);
}
