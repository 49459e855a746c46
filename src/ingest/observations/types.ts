/**
 * Shared types of the observation readers and validator. A reader turns a file (tidy CSV, XLSX, wide table or
 * JSON-stat) into a *table*: column names and chunks of rows of text cells, each row with the number a person would
 * use to find it in the file. The validator then checks the rows against the framework.
 */
import { InvalidError } from "../../domain/errors.ts";

/** The columns the tidy format knows (after case-insensitive matching and the mapping's renames). */
export const CANONICAL_COLUMNS = [
  "measure_code",
  "area_code",
  "area_name",
  "period",
  "value",
  "numerator",
  "denominator",
  "lower_ci",
  "upper_ci",
  "note_code",
  "breakdown",
  /** Written by `omf export` when illustrative (demo) rows are exported; a row marked so is refused on import. */
  "illustrative",
] as const;
export type CanonicalColumn = (typeof CANONICAL_COLUMNS)[number];

export interface RawRow {
  /** Row number in the file as a person sees it (the header is row 1 of a CSV or sheet; JSON-stat: value index + 1). */
  row: number;
  /** Cell texts in column order. */
  cells: string[];
  /** Per-cell column names for messages, when they differ from the table's (wide tables: the period heading). */
  labels?: string[];
}

/** A problem found in a file. Errors block the import; warnings are shown but do not. */
export interface Issue {
  severity: "error" | "warning";
  /** Row number (0 when the problem is with the whole file, e.g. a missing column). */
  row: number;
  /** Column name as in the file ("" when not about one column). */
  column: string;
  /** The offending text ("" when none). */
  value: string;
  /** Stable machine-readable code, e.g. `unknown_area`. */
  code: string;
  /** One English sentence saying what is wrong and, where possible, how to fix it. */
  message: string;
}

export class FileFormatError extends InvalidError {
  constructor(
    message: string,
    readonly row = 0,
    /** The issue code of the problem (`file` when it has none of its own), e.g. `not_utf8`, `xlsx_damaged`. */
    override readonly code = "file",
  ) {
    super(message, { code });
  }
}

/** A file opened by a reader. */
export interface TableSource {
  /** Format actually read: csv, xlsx, wide, jsonstat. */
  format: string;
  /** Column names in file order (for wide and JSON-stat: the canonical names of the rows produced). */
  columns: string[];
  /** Chunks of rows, in file order. */
  chunks: AsyncIterable<RawRow[]>;
  /** Issues the reader found itself (e.g. ignored columns). */
  issues: Issue[];
  /** Bytes of the input consumed so far (for progress). */
  bytesRead(): number;
  /** Total bytes, when known. */
  totalBytes: number | null;
  /** Columns already canonical (wide, JSON-stat); tidy files are matched by name. */
  canonical: boolean;
}

/** Everything a reader may need: chunk size, mapping and the `--measure` option. */
export interface ReaderOptions {
  chunkSize?: number | undefined;
  sheet?: string | undefined;
  measure?: string | undefined;
}

export const DEFAULT_CHUNK = 5000;

/**
 * Puts `String.prototype` back in V8's fast mode. `Object.create(String.prototype)` (nunjucks does it when loaded, for
 * its SafeString) turns it into a dictionary, after which every string method call (`charCodeAt`, `slice`, `trim`, …)
 * in optimised code is a slow lookup: parsing and checking a large file then takes several times as long. A property
 * store on a String wrapper makes V8 mark `String.prototype` as a prototype to keep fast, and it stays so. Cheap; called
 * before parsing or validating a file.
 */
export function keepStringMethodsFast(): void {
  const wrapper: { fast?: boolean } = Object("");
  wrapper.fast = true;
}
