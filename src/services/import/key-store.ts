/**
 * A compact in-memory table of observation keys for one import: the current value of each key already in the
 * database (for the measures in the file) and, for each key the file has used, the row that used it (to catch
 * duplicates). Keys are kept per measure and area as short strings ("2019-20" or "2019-20|sex=female"); current
 * values sit in typed arrays and are dropped from the lookup once the file has used the key. A key the file uses costs
 * about 80 bytes; a key only in the database about 140.
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

export class KeyStore {
  /** measure → area → period[|breakdown] → slot (≥ 0, stored value not yet used) or −row (used by that row). */
  private readonly keys = new Map<string, Map<string, Map<string, number>>>();
  private size = 0;
  private capacity = 0;
  private id = new Float64Array(0);
  private maxRevision = new Int32Array(0);
  private values = new Float64Array(0);
  private withdrawn = new Uint8Array(0);
  private readonly notes = new Map<number, string>();

  private table(measureCode: string, areaCode: string): Map<string, number> {
    let byArea = this.keys.get(measureCode);
    if (!byArea) {
      byArea = new Map();
      this.keys.set(measureCode, byArea);
    }
    let t = byArea.get(areaCode);
    if (!t) {
      t = new Map();
      byArea.set(areaCode, t);
    }
    return t;
  }

  private static local(period: string, breakdown: string): string {
    return breakdown === "total" ? period : `${period}|${breakdown}`;
  }

  private grow(): void {
    const capacity = Math.max(1024, this.capacity * 2);
    const copy = <T extends Float64Array | Int32Array | Uint8Array>(old: T, make: (n: number) => T, width = 1): T => {
      const next = make(capacity * width);
      next.set(old);
      return next;
    };
    this.id = copy(this.id, (n) => new Float64Array(n));
    this.maxRevision = copy(this.maxRevision, (n) => new Int32Array(n));
    this.values = copy(this.values, (n) => new Float64Array(n), 5);
    this.withdrawn = copy(this.withdrawn, (n) => new Uint8Array(n));
    this.capacity = capacity;
  }

  /** Adds a key already in the database with its current value. */
  putExisting(measureCode: string, c: CurrentObservation): void {
    if (this.size === this.capacity) this.grow();
    const slot = this.size++;
    this.table(measureCode, c.areaCode).set(KeyStore.local(c.period, c.breakdown), slot);
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
   * Records that file row `row` uses the key and returns what was known before: the row that already used it (a
   * duplicate), or the stored value (null when the key is new to the database).
   */
  use(measureCode: string, areaCode: string, period: string, breakdown: string, row: number): KeyState {
    const t = this.table(measureCode, areaCode);
    const k = KeyStore.local(period, breakdown);
    const v = t.get(k);
    t.set(k, -row);
    if (v === undefined) return NEW_KEY;
    if (v < 0) {
      t.set(k, v); // keep the first row
      return { seenAt: -v };
    }
    const slot = v;
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
