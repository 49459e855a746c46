/**
 * A chunk of validated rows in columns: the rows read, the issues found in them, and the valid rows as typed arrays
 * with their texts (codes, periods, breakdowns, notes) replaced by numbers in a dictionary that grows from chunk to
 * chunk. In this form a chunk crosses from the validation worker to the importing thread without copying, and the
 * importing thread keeps no object per row.
 */
import type { Issue } from "./types.ts";
import type { ValidRow } from "./validate-rows.ts";

/** Dictionary ids per valid row, in this order. */
export const KEY_FIELDS = 6;
export const K_MEASURE = 0;
export const K_AREA = 1;
export const K_PERIOD = 2;
export const K_PERIOD_END = 3;
export const K_BREAKDOWN = 4;
/** Note codes joined with commas ("" for none). */
export const K_NOTES = 5;

/** Numbers per valid row, in this order (NaN for none). */
export const NUMBER_FIELDS = 5;
export const N_VALUE = 0;
export const N_NUMERATOR = 1;
export const N_DENOMINATOR = 2;
export const N_LOWER_95 = 3;
export const N_UPPER_95 = 4;

export interface ValidatedChunk {
  /** Rows read (valid or not). */
  rows: number;
  /** Errors and warnings found in these rows, in row order. */
  issues: Issue[];
  /** Valid rows. */
  count: number;
  /** File row number of each valid row. */
  row: Int32Array;
  /** {@link KEY_FIELDS} dictionary ids per valid row. */
  keys: Int32Array;
  /** {@link NUMBER_FIELDS} numbers per valid row. */
  numbers: Float64Array;
  /** 1 when the row's confidence interval was given in the file. */
  ciSupplied: Uint8Array;
  /** The value texts of the valid rows, one after another; row i's ends at `valueEnds[i]`. */
  valueTexts: string;
  valueEnds: Int32Array;
  /** Texts new to the dictionary in this chunk; their ids follow on from the earlier chunks'. */
  strings: string[];
  /** Bytes of the file read when the chunk was complete. */
  bytesRead: number;
}

/** Builds chunks from validated rows (the validating side). */
export class ChunkEncoder {
  private readonly ids = new Map<string, number>();
  private fresh: string[] = [];
  /** Per key field, the last text and its id: neighbouring rows mostly share their measure, area and period. */
  private readonly lastText: string[] = new Array<string>(KEY_FIELDS).fill("\u0000");
  private readonly lastId = new Int32Array(KEY_FIELDS);

  private id(field: number, s: string): number {
    if (s === this.lastText[field]) return this.lastId[field]!;
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(s, id);
      this.fresh.push(s);
    }
    this.lastText[field] = s;
    this.lastId[field] = id;
    return id;
  }

  /** The chunk being built. */
  private n = 0;
  private row = new Int32Array(0);
  private keys = new Int32Array(0);
  private numbers = new Float64Array(0);
  private ciSupplied = new Uint8Array(0);
  private valueEnds = new Int32Array(0);
  private valueTexts: string[] = [];
  private end = 0;

  /** Starts a chunk of at most `capacity` valid rows. */
  begin(capacity: number): void {
    this.n = 0;
    this.row = new Int32Array(capacity);
    this.keys = new Int32Array(capacity * KEY_FIELDS);
    this.numbers = new Float64Array(capacity * NUMBER_FIELDS);
    this.ciSupplied = new Uint8Array(capacity);
    this.valueEnds = new Int32Array(capacity);
    this.valueTexts = [];
    this.end = 0;
  }

  /** Adds a valid row to the chunk (its fields are copied: `v` may be reused). */
  add(v: ValidRow): void {
    const i = this.n++;
    this.row[i] = v.row;
    const keys = this.keys;
    const k = i * KEY_FIELDS;
    keys[k + K_MEASURE] = this.id(K_MEASURE, v.measureCode);
    keys[k + K_AREA] = this.id(K_AREA, v.areaCode);
    keys[k + K_PERIOD] = this.id(K_PERIOD, v.period);
    keys[k + K_PERIOD_END] = this.id(K_PERIOD_END, v.periodEnd);
    keys[k + K_BREAKDOWN] = this.id(K_BREAKDOWN, v.breakdown);
    keys[k + K_NOTES] = this.id(K_NOTES, v.noteCodes.length === 0 ? "" : v.noteCodes.join(","));
    const numbers = this.numbers;
    const f = i * NUMBER_FIELDS;
    numbers[f + N_VALUE] = v.value ?? Number.NaN;
    numbers[f + N_NUMERATOR] = v.numerator ?? Number.NaN;
    numbers[f + N_DENOMINATOR] = v.denominator ?? Number.NaN;
    numbers[f + N_LOWER_95] = v.lower95 ?? Number.NaN;
    numbers[f + N_UPPER_95] = v.upper95 ?? Number.NaN;
    this.ciSupplied[i] = v.ciSupplied ? 1 : 0;
    this.valueTexts.push(v.valueText);
    this.end += v.valueText.length;
    this.valueEnds[i] = this.end;
  }

  /** Ends the chunk begun by {@link begin}: `rows` rows read, with these issues. */
  finish(rows: number, issues: Issue[], bytesRead: number): ValidatedChunk {
    const strings = this.fresh;
    this.fresh = [];
    return {
      rows,
      issues,
      count: this.n,
      row: this.row,
      keys: this.keys,
      numbers: this.numbers,
      ciSupplied: this.ciSupplied,
      valueTexts: this.valueTexts.join(""),
      valueEnds: this.valueEnds,
      strings,
      bytesRead,
    };
  }
}

/** The typed arrays of a chunk, to transfer to another thread instead of copying them. */
export function chunkBuffers(c: ValidatedChunk): ArrayBuffer[] {
  return [c.row, c.keys, c.numbers, c.ciSupplied, c.valueEnds].map((a) => a.buffer as ArrayBuffer);
}

/** Reads chunks (the importing side): keeps the dictionary, so that ids turn back into texts. */
export class ChunkDecoder {
  /** Texts by id. */
  readonly strings: string[] = [];

  /** Adds the chunk's new texts to the dictionary; call once per chunk, in order. */
  accept(c: ValidatedChunk): void {
    for (const s of c.strings) this.strings.push(s);
  }
}

/** Number `field` of valid row `i` (null for none). */
export function chunkNumber(c: ValidatedChunk, i: number, field: number): number | null {
  const x = c.numbers[i * NUMBER_FIELDS + field]!;
  return Number.isNaN(x) ? null : x;
}

/** The value text of valid row `i`, as in the file. */
export function chunkValueText(c: ValidatedChunk, i: number): string {
  return c.valueTexts.slice(i === 0 ? 0 : c.valueEnds[i - 1]!, c.valueEnds[i]!);
}
