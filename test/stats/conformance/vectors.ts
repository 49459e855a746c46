/**
 * Access to the shared conformance vectors (`<shared>/methods/vectors`, see its README.md).
 *
 * The folder is located from `OMF_SHARED_DIR` (the shared root) or, by default, `../shared` next to the
 * repository root. Vector data is read at test time and never copied into the repository.
 * If the folder is missing, conformance suites are skipped with a reason — except when CI=true,
 * where a missing folder fails the run.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const sharedRoot = process.env.OMF_SHARED_DIR
  ? path.resolve(process.env.OMF_SHARED_DIR)
  : path.resolve(repoRoot, "../shared");

/** Absolute path of the vectors folder (may not exist). */
export const VECTORS_DIR = path.join(sharedRoot, "methods", "vectors");

/** Whether the vectors folder is present. */
export const vectorsAvailable = existsSync(VECTORS_DIR);

/** A parsed CSV cell: blank → null, numeric → float64, anything else → string. */
export type Cell = number | string | null;
export type VectorRow = Record<string, Cell>;

const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$|^[+-]?Inf$|^NaN$/;

function parseCell(raw: string): Cell {
  const text = raw.trim();
  if (text === "" || text === "NA") return null;
  if (!NUMERIC.test(text)) return raw;
  if (text === "NaN") return Number.NaN;
  if (/Inf$/.test(text)) return text.startsWith("-") ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return Number(text);
}

/** Reads `<VECTORS_DIR>/<file>` as objects keyed by header. */
export function readVectors(file: string): VectorRow[] {
  const text = readFileSync(path.join(VECTORS_DIR, file), "utf8");
  const records = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  return records.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, parseCell(v)])));
}

function cellOf(source: Cell | VectorRow | undefined, column: string | undefined): Cell | undefined {
  if (column === undefined) return source as Cell | undefined;
  return (source as VectorRow)[column];
}

function numericCell(cell: Cell | undefined, where: string): number | null {
  if (cell === null || cell === undefined) return null;
  if (typeof cell !== "number") throw new Error(`expected a numeric cell${where}, got ${JSON.stringify(cell)}`);
  return cell;
}

/**
 * Numeric cell. `num(cell)` → number or null (blank); `num(row, column)` → number (throws if blank).
 * Throws if the cell holds text.
 */
export function num(cell: Cell | undefined): number | null;
export function num(row: VectorRow, column: string): number;
export function num(source: Cell | VectorRow | undefined, column?: string): number | null {
  const v = numericCell(cellOf(source, column), column ? ` in column ${column}` : "");
  if (column !== undefined && v === null) throw new Error(`column ${column} is blank`);
  return v;
}

/** Numeric-or-blank cell of a row: blank → null. */
export function numOrNull(row: VectorRow, column: string): number | null {
  return numericCell(row[column], ` in column ${column}`);
}

/** A required numeric cell: throws if blank or text. */
export function req(cell: Cell | undefined): number {
  const v = numericCell(cell, "");
  if (v === null) throw new Error("expected a numeric cell, got a blank");
  return v;
}

/** A cell as text (numbers are stringified; blank → ""): `str(cell)` or `str(row, column)`. */
export function str(cell: Cell | undefined): string;
export function str(row: VectorRow, column: string): string;
export function str(source: Cell | VectorRow | undefined, column?: string): string {
  const cell = cellOf(source, column);
  return cell === null || cell === undefined ? "" : String(cell);
}

/**
 * True when actual and expected agree: both null (NA), or |actual − expected| <= max(rel·|expected|, abs).
 */
export function close(actual: number | null | undefined, expected: number | null | undefined, rel: number, abs = 0) {
  const a = actual ?? null;
  const e = expected ?? null;
  if (a === null || e === null) return a === e;
  if (a === e) return true;
  if (Number.isNaN(a) || Number.isNaN(e)) return false;
  return Math.abs(a - e) <= Math.max(rel * Math.abs(e), abs);
}

/** Tolerances: a value passes when |actual − expected| <= max(rel·|expected|, abs). */
export interface Tolerance {
  rel: number;
  abs?: number;
}

/** Closed forms (README: 1e-12 relative). */
export const CLOSED_FORM: Tolerance = { rel: 1e-12, abs: 1e-300 };

/** Collects every mismatch (with its row id) so a failing suite reports all of them at once. */
export class MismatchLog {
  readonly mismatches: string[] = [];
  checked = 0;
  /** Largest relative error seen among numeric checks (for reporting). */
  worstRelativeError = 0;

  /** Compares one value; `expected` null/undefined means the output must be null (NA). */
  check(id: string, field: string, actual: number | null | undefined, expected: Cell | undefined, tol: Tolerance) {
    this.checked++;
    const exp = expected === undefined ? null : expected;
    if (exp === null) {
      if (actual !== null && actual !== undefined) this.mismatches.push(`${id} ${field}: expected NA, got ${actual}`);
      return;
    }
    if (typeof exp !== "number") {
      this.mismatches.push(`${id} ${field}: expected value is not numeric (${exp})`);
      return;
    }
    if (actual === null || actual === undefined || Number.isNaN(actual)) {
      this.mismatches.push(`${id} ${field}: expected ${exp}, got ${actual}`);
      return;
    }
    const diff = Math.abs(actual - exp);
    const rel = exp === 0 ? diff : diff / Math.abs(exp);
    if (rel > this.worstRelativeError) this.worstRelativeError = rel;
    if (!close(actual, exp, tol.rel, tol.abs)) {
      this.mismatches.push(`${id} ${field}: expected ${exp}, got ${actual} (rel err ${rel.toExponential(2)})`);
    }
  }

  /** Compares a label exactly. */
  checkLabel(id: string, field: string, actual: string | null | undefined, expected: Cell | undefined) {
    this.checked++;
    const exp = expected === null || expected === undefined || expected === "" ? null : String(expected);
    const act = actual === undefined || actual === "" ? null : actual;
    if (act !== exp)
      this.mismatches.push(`${id} ${field}: expected ${JSON.stringify(exp)}, got ${JSON.stringify(act)}`);
  }

  /** Asserts that there were no mismatches (and that something was checked). */
  assertClean(minChecked = 1) {
    if (process.env.OMF_CONFORMANCE_REPORT) {
      console.info(
        `${this.checked} checks, ${this.mismatches.length} mismatches, worst rel err ${this.worstRelativeError.toExponential(2)}`,
      );
    }
    expect(this.mismatches, `${this.mismatches.length} mismatch(es) in ${this.checked} checks`).toEqual([]);
    expect(this.checked).toBeGreaterThanOrEqual(minChecked);
  }
}

/**
 * `describe` for a conformance suite. If `titleOrFile` ends in ".csv" that vector file is read and its rows
 * are passed to `body` (otherwise `body` gets an empty array and reads what it needs with `readVectors`).
 * Without the vectors folder the suite is skipped with a reason, unless CI=true, where it fails.
 */
export function describeVectors(titleOrFile: string, body: (rows: VectorRow[]) => void): void {
  if (vectorsAvailable) {
    describe(titleOrFile, () => {
      body(titleOrFile.endsWith(".csv") ? readVectors(titleOrFile) : []);
    });
    return;
  }
  const reason = `conformance vectors not found at ${VECTORS_DIR} (set OMF_SHARED_DIR to the shared folder)`;
  if (process.env.CI === "true") {
    describe(titleOrFile, () => {
      it("has the conformance vectors", () => {
        throw new Error(`${reason}; they are required when CI=true`);
      });
    });
    return;
  }
  describe.skip(`${titleOrFile} (skipped: ${reason})`, () => {
    it.skip(reason, () => {});
  });
}
