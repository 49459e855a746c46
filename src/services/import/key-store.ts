/**
 * A compact in-memory table of observation keys for one import: the current value of each key already in the
 * database (for the measures in the file) and, for each key the file has used, the row that used it (to catch
 * duplicates). Each measure numbers its keys within an area (period and breakdown; areas share the numbers), and keeps
 * per area an entry per number: in a typed array while the area uses a good share of the numbers, else in a Map. A
 * key costs about 4 bytes per area plus its number (shared by the areas), and a key in the database about 60 bytes more
 * for its current value.
 */
import type { CurrentObservation } from "../../db/queries/import-session.ts";

export interface StoredValue {
  id: number | null;
  maxRevision: number;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  lower95: number | null;
  upper95: number | null;
  noteCodes: string;
  withdrawn: boolean;
}

const num = (x: number): number | null => (Number.isNaN(x) ? null : x);
const raw = (x: number | null): number => (x === null ? Number.NaN : x);

/** What the file has done with a key: not used yet (its stored value, or none), or used first at `row`. */
export type KeyState = { seenAt: number } | { seenAt: 0; current: StoredValue | null };

const NEW_KEY: KeyState = { seenAt: 0, current: null };

/** Initial (and smallest) size of an area's typed array. */
const MIN_DENSE = 64;

/**
 * The entries of one measure and area, by key number: 0 for none, slot + 1 for a stored value not yet used, −row for
 * a key used by that file row. Dense (a typed array) while at least an eighth of it is used; sparse (a Map) otherwise,
 * turning dense again once half of the numbers up to the highest are used.
 */
class AreaKeys {
  private dense: Int32Array | null = new Int32Array(MIN_DENSE);
  private sparse: Map<number, number> | null = null;
  /** Non-zero entries. */
  private used = 0;
  /** Highest number with an entry, plus one. */
  private top = 0;

  get(i: number): number {
    const d = this.dense;
    if (d !== null) return i < d.length ? d[i]! : 0;
    return this.sparse!.get(i) ?? 0;
  }

  /** Sets a non-zero entry. */
  set(i: number, v: number): void {
    const d = this.dense;
    if (d !== null && i < d.length) {
      if (d[i] === 0) {
        this.used++;
        if (i >= this.top) this.top = i + 1;
      }
      d[i] = v;
      return;
    }
    this.place(i, v);
  }

  private place(i: number, v: number): void {
    if (this.dense !== null) {
      const size = Math.max(this.dense.length * 2, i + 1);
      if ((this.used + 1) * 8 >= size) {
        const next = new Int32Array(size);
        next.set(this.dense);
        this.dense = next;
        this.set(i, v);
        return;
      }
      const sparse = new Map<number, number>();
      const d = this.dense;
      for (let k = 0; k < this.top; k++) if (d[k] !== 0) sparse.set(k, d[k]!);
      this.sparse = sparse;
      this.dense = null;
    }
    const sparse = this.sparse!;
    if (!sparse.has(i)) {
      this.used++;
      if (i >= this.top) this.top = i + 1;
    }
    sparse.set(i, v);
    if (this.used * 2 >= this.top) {
      const dense = new Int32Array(Math.max(MIN_DENSE, this.top * 2));
      for (const [k, x] of sparse) dense[k] = x;
      this.dense = dense;
      this.sparse = null;
    }
  }
}

/** The keys of one measure: a number for each period (per breakdown) and the entries of each area. */
class MeasureKeys {
  /** breakdown → period → key number. */
  private readonly numbers = new Map<string, Map<string, number>>();
  private count = 0;
  private lastBreakdown = "";
  private lastNumbers: Map<string, number> | null = null;
  private readonly areas = new Map<string, AreaKeys>();
  private lastAreaCode = "";
  private lastArea: AreaKeys | null = null;

  /** The number of a key, given one if it has none. */
  number(period: string, breakdown: string): number {
    let byPeriod = this.lastNumbers;
    if (byPeriod === null || breakdown !== this.lastBreakdown) {
      byPeriod = this.numbers.get(breakdown) ?? null;
      if (byPeriod === null) {
        byPeriod = new Map();
        this.numbers.set(breakdown, byPeriod);
      }
      this.lastBreakdown = breakdown;
      this.lastNumbers = byPeriod;
    }
    let n = byPeriod.get(period);
    if (n === undefined) {
      n = this.count++;
      byPeriod.set(period, n);
    }
    return n;
  }

  area(areaCode: string): AreaKeys {
    if (this.lastArea !== null && areaCode === this.lastAreaCode) return this.lastArea;
    let a = this.areas.get(areaCode);
    if (a === undefined) {
      a = new AreaKeys();
      this.areas.set(areaCode, a);
    }
    this.lastAreaCode = areaCode;
    this.lastArea = a;
    return a;
  }
}

export class KeyStore {
  private readonly measures = new Map<string, MeasureKeys>();
  private lastMeasureCode = "";
  private lastMeasure: MeasureKeys | null = null;
  private size = 0;
  private capacity = 0;
  private id = new Float64Array(0);
  private maxRevision = new Int32Array(0);
  private values = new Float64Array(0);
  private withdrawn = new Uint8Array(0);
  private readonly notes = new Map<number, string>();

  private measure(measureCode: string): MeasureKeys {
    if (this.lastMeasure !== null && measureCode === this.lastMeasureCode) return this.lastMeasure;
    let m = this.measures.get(measureCode);
    if (m === undefined) {
      m = new MeasureKeys();
      this.measures.set(measureCode, m);
    }
    this.lastMeasureCode = measureCode;
    this.lastMeasure = m;
    return m;
  }

  private grow(): void {
    const capacity = Math.max(1024, this.capacity * 2);
    const id = new Float64Array(capacity);
    id.set(this.id);
    this.id = id;
    const maxRevision = new Int32Array(capacity);
    maxRevision.set(this.maxRevision);
    this.maxRevision = maxRevision;
    const values = new Float64Array(capacity * 5);
    values.set(this.values);
    this.values = values;
    const withdrawn = new Uint8Array(capacity);
    withdrawn.set(this.withdrawn);
    this.withdrawn = withdrawn;
    this.capacity = capacity;
  }

  /** Adds a key already in the database with its current value. */
  putExisting(measureCode: string, c: CurrentObservation): void {
    if (this.size === this.capacity) this.grow();
    const slot = this.size++;
    const m = this.measure(measureCode);
    m.area(c.areaCode).set(m.number(c.period, c.breakdown), slot + 1);
    this.id[slot] = c.id === null ? Number.NaN : c.id;
    this.maxRevision[slot] = c.maxRevision;
    const base = slot * 5;
    this.values[base] = raw(c.value);
    this.values[base + 1] = raw(c.numerator);
    this.values[base + 2] = raw(c.denominator);
    this.values[base + 3] = raw(c.lower95);
    this.values[base + 4] = raw(c.upper95);
    this.withdrawn[slot] = c.withdrawn ? 1 : 0;
    if (c.noteCodes.length > 0) this.notes.set(slot, c.noteCodes.join(","));
  }

  /**
   * Records that file row `row` (≥ 1) uses the key and returns what was known before: the row that already used it (a
   * duplicate), or the stored value (null when the key is new to the database).
   */
  use(measureCode: string, areaCode: string, period: string, breakdown: string, row: number): KeyState {
    const m = this.measure(measureCode);
    const i = m.number(period, breakdown);
    const t = m.area(areaCode);
    const v = t.get(i);
    if (v < 0) return { seenAt: -v }; // keep the first row
    t.set(i, -row);
    if (v === 0) return NEW_KEY;
    const slot = v - 1;
    const base = slot * 5;
    const id = this.id[slot]!;
    const current: StoredValue = {
      id: Number.isNaN(id) ? null : id,
      maxRevision: this.maxRevision[slot]!,
      value: num(this.values[base]!),
      numerator: num(this.values[base + 1]!),
      denominator: num(this.values[base + 2]!),
      lower95: num(this.values[base + 3]!),
      upper95: num(this.values[base + 4]!),
      noteCodes: this.notes.get(slot) ?? "",
      withdrawn: this.withdrawn[slot] === 1,
    };
    this.notes.delete(slot);
    return { seenAt: 0, current };
  }
}

/** True when a stored value is a current, not withdrawn, value in the database. */
export function isLive(current: StoredValue | null): current is StoredValue {
  return current !== null && current.id !== null && !current.withdrawn;
}
