/**
 * A compact in-memory table of observation keys for one import: the current value of each key already in the
 * database (for the measures in the file) and the file row that last used each key (to catch duplicates). Values are
 * kept in typed arrays so that a million keys cost tens of megabytes, not hundreds.
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

export function observationKey(measureCode: string, areaCode: string, period: string, breakdown: string): string {
  return `${measureCode}\u001f${areaCode}\u001f${period}\u001f${breakdown}`;
}

export class KeyStore {
  private readonly slots = new Map<string, number>();
  private size = 0;
  private capacity = 0;
  private id = new Float64Array(0);
  private maxRevision = new Int32Array(0);
  private seenRow = new Int32Array(0);
  private values = new Float64Array(0);
  private withdrawn = new Uint8Array(0);
  private readonly notes = new Map<number, string>();

  get count(): number {
    return this.size;
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
    this.seenRow = copy(this.seenRow, (n) => new Int32Array(n));
    this.values = copy(this.values, (n) => new Float64Array(n), 5);
    this.withdrawn = copy(this.withdrawn, (n) => new Uint8Array(n));
    this.capacity = capacity;
  }

  private add(key: string): number {
    if (this.size === this.capacity) this.grow();
    const slot = this.size++;
    this.slots.set(key, slot);
    this.id[slot] = Number.NaN;
    this.values.fill(Number.NaN, slot * 5, slot * 5 + 5);
    this.withdrawn[slot] = 1;
    return slot;
  }

  /** Adds a key already in the database with its current value. */
  putExisting(measureCode: string, c: CurrentObservation): void {
    const key = observationKey(measureCode, c.areaCode, c.period, c.breakdown);
    const slot = this.slots.get(key) ?? this.add(key);
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

  /** Slot of a key, adding it (as new) when absent. */
  slotOf(key: string): number {
    return this.slots.get(key) ?? this.add(key);
  }

  /** File row that already used this key in this import (0 when none); records `row` as the latest use. */
  markSeen(slot: number, row: number): number {
    const before = this.seenRow[slot]!;
    if (before === 0) this.seenRow[slot] = row;
    return before;
  }

  /** The stored value of a slot (null id when the key is new to the database). */
  current(slot: number): StoredValue {
    const base = slot * 5;
    const id = this.id[slot]!;
    return {
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
  }

  /** True when the key has a current, not withdrawn, value in the database. */
  exists(slot: number): boolean {
    return !Number.isNaN(this.id[slot]!) && this.withdrawn[slot] === 0;
  }
}
