/** The rows an import session buffers between two COPYs, in reusable columns grouped by observation set. */

/** The values of one observation to append (its key and values; the revision fields are given separately). */
export interface ObservationValues {
  measureCode: string;
  areaCode: string;
  period: string;
  periodEnd: string;
  breakdown: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  lower95: number | null;
  upper95: number | null;
  ciSupplied: boolean;
  /** Note codes joined with commas ("" for none). */
  noteCodes: string;
}

/**
 * The rows waiting to be written, in columns that are reused from one flush to the next (numbers in typed arrays, NaN
 * for null), each with the number of its observation set (one per measure and area). Buffering a row allocates
 * nothing; a flush gathers each set's rows by their set numbers.
 */
export class PendingRows {
  n = 0;
  capacity: number;
  period: string[];
  periodEnd: string[];
  breakdown: string[];
  noteCodes: string[];
  /** value, numerator, denominator, lower95, upper95, replacesId: six per row. */
  numbers: Float64Array;
  /** revision, ciSupplied, withdrawn: three per row. */
  ints: Int32Array;
  /** Set number of each row. */
  setOf: Int32Array;
  /** The sets: measure and area, by set number. */
  readonly sets: { measureCode: string; areaCode: string }[] = [];
  private readonly setNumbers = new Map<string, Map<string, number>>();
  private lastMeasure = "";
  private lastAreas: Map<string, number> | null = null;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.period = new Array<string>(capacity).fill("");
    this.periodEnd = new Array<string>(capacity).fill("");
    this.breakdown = new Array<string>(capacity).fill("");
    this.noteCodes = new Array<string>(capacity).fill("");
    this.numbers = new Float64Array(6 * capacity);
    this.ints = new Int32Array(3 * capacity);
    this.setOf = new Int32Array(capacity);
  }

  private setNumber(measureCode: string, areaCode: string): number {
    let areas = this.lastAreas;
    if (areas === null || measureCode !== this.lastMeasure) {
      areas = this.setNumbers.get(measureCode) ?? null;
      if (areas === null) {
        areas = new Map();
        this.setNumbers.set(measureCode, areas);
      }
      this.lastMeasure = measureCode;
      this.lastAreas = areas;
    }
    let set = areas.get(areaCode);
    if (set === undefined) {
      set = this.sets.length;
      this.sets.push({ measureCode, areaCode });
      areas.set(areaCode, set);
    }
    return set;
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    for (const column of [this.period, this.periodEnd, this.breakdown, this.noteCodes]) {
      for (let i = this.capacity; i < capacity; i++) column.push("");
    }
    const numbers = new Float64Array(6 * capacity);
    numbers.set(this.numbers);
    this.numbers = numbers;
    const ints = new Int32Array(3 * capacity);
    ints.set(this.ints);
    this.ints = ints;
    const setOf = new Int32Array(capacity);
    setOf.set(this.setOf);
    this.setOf = setOf;
    this.capacity = capacity;
  }

  add(o: ObservationValues, revision: number, replacesId: number | null, withdrawn: boolean): void {
    if (this.n === this.capacity) this.grow();
    const i = this.n++;
    this.setOf[i] = this.setNumber(o.measureCode, o.areaCode);
    this.period[i] = o.period;
    this.periodEnd[i] = o.periodEnd;
    this.breakdown[i] = o.breakdown;
    this.noteCodes[i] = o.noteCodes;
    const f = this.numbers;
    f[6 * i] = o.value ?? Number.NaN;
    f[6 * i + 1] = o.numerator ?? Number.NaN;
    f[6 * i + 2] = o.denominator ?? Number.NaN;
    f[6 * i + 3] = o.lower95 ?? Number.NaN;
    f[6 * i + 4] = o.upper95 ?? Number.NaN;
    f[6 * i + 5] = replacesId ?? Number.NaN;
    const t = this.ints;
    t[3 * i] = revision;
    t[3 * i + 1] = o.ciSupplied ? 1 : 0;
    t[3 * i + 2] = withdrawn ? 1 : 0;
  }

  /**
   * The rows in set order: `rows` lists row numbers set by set (in the order they were added), and set s's rows are
   * rows[starts[s]] … rows[starts[s + 1] − 1].
   */
  bySet(): { rows: Int32Array; starts: Int32Array } {
    const sets = this.sets.length;
    const starts = new Int32Array(sets + 1);
    for (let i = 0; i < this.n; i++) starts[this.setOf[i]! + 1]!++;
    for (let s = 0; s < sets; s++) starts[s + 1]! += starts[s]!;
    const next = starts.slice(0, sets);
    const rows = new Int32Array(this.n);
    for (let i = 0; i < this.n; i++) rows[next[this.setOf[i]!]!++] = i;
    return { rows, starts };
  }

  /** Empties the buffer (keeping its columns for the next rows). */
  clear(): void {
    this.n = 0;
    this.sets.length = 0;
    this.setNumbers.clear();
    this.lastMeasure = "";
    this.lastAreas = null;
  }
}
