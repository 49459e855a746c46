/**
 * The diff phase of an import: each validated chunk's rows compared with the current data (new / revised /
 * unchanged), duplicates and implausible values found, and — when writing — the new and revised values appended to
 * the import session. The current rows of a measure are loaded the first time the file names it.
 */
import type { ImportSession, ObservationValues } from "../../db/queries/import-session.ts";
import type { Issue } from "../../ingest/observations/types.ts";
import {
  type ChunkDecoder,
  chunkNumber,
  chunkValueText,
  K_AREA,
  K_BREAKDOWN,
  K_MEASURE,
  K_NOTES,
  K_PERIOD,
  K_PERIOD_END,
  KEY_FIELDS,
  N_DENOMINATOR,
  N_LOWER_95,
  N_NUMERATOR,
  N_UPPER_95,
  N_VALUE,
  type ValidatedChunk,
} from "../../ingest/observations/validated-chunk.ts";
import { isLive, KeyStore, type StoredValue } from "./key-store.ts";
import type { ImportCounts, RevisedValue, ValueSnapshot } from "./summary.ts";

/** The values of a stored or file row (both keep their note codes joined with commas). */
type SnapshotSource = Pick<StoredValue, "value" | "numerator" | "denominator" | "lower95" | "upper95" | "noteCodes">;

function snapshot(v: SnapshotSource): ValueSnapshot {
  return {
    value: v.value,
    numerator: v.numerator,
    denominator: v.denominator,
    lowerCi: v.lower95,
    upperCi: v.upper95,
    noteCodes: v.noteCodes === "" ? [] : v.noteCodes.split(","),
  };
}

function sameValue(a: ObservationValues, b: StoredValue): boolean {
  return (
    a.value === b.value &&
    a.numerator === b.numerator &&
    a.denominator === b.denominator &&
    a.lower95 === b.lower95 &&
    a.upper95 === b.upper95 &&
    a.noteCodes === b.noteCodes
  );
}

/** Fills `o` with valid row `i` of a chunk (one object reused for every row). */
function readRow(o: ObservationValues, c: ValidatedChunk, i: number, strings: readonly string[]): void {
  const k = i * KEY_FIELDS;
  const keys = c.keys;
  o.measureCode = strings[keys[k + K_MEASURE]!]!;
  o.areaCode = strings[keys[k + K_AREA]!]!;
  o.period = strings[keys[k + K_PERIOD]!]!;
  o.periodEnd = strings[keys[k + K_PERIOD_END]!]!;
  o.breakdown = strings[keys[k + K_BREAKDOWN]!]!;
  o.noteCodes = strings[keys[k + K_NOTES]!]!;
  o.value = chunkNumber(c, i, N_VALUE);
  o.numerator = chunkNumber(c, i, N_NUMERATOR);
  o.denominator = chunkNumber(c, i, N_DENOMINATOR);
  o.lower95 = chunkNumber(c, i, N_LOWER_95);
  o.upper95 = chunkNumber(c, i, N_UPPER_95);
  o.ciSupplied = c.ciSupplied[i] === 1;
}

interface History {
  n: number;
  min: number;
  max: number;
  mean: number;
}

/** A number as a message shows it: rounded to the measure's decimals (as its pages show it), never 16 digits. */
export function messageNumber(n: number, decimals: number | null | undefined): string {
  const d = Math.max(0, Math.min(6, decimals ?? 1));
  return n.toFixed(d);
}

/** Warning text when a value is far outside the area's history for the measure, else null. */
export function implausibility(value: number, h: History | undefined, decimals?: number | null): string | null {
  if (!h || h.n < 3) return null;
  const margin = Math.max(h.max - h.min, 0.1 * Math.abs(h.mean), 1e-9);
  if (value >= h.min - margin && value <= h.max + margin) return null;
  const f = (n: number) => messageNumber(n, decimals);
  return `value ${f(value)} is far outside this area's history for the measure (${f(h.min)} to ${f(h.max)} over ${h.n} periods); check it`;
}

/** Compares chunk after chunk with the stored data, in one import session. */
export class RowDiff {
  private readonly store = new KeyStore();
  private readonly loaded = new Set<string>();
  private readonly history = new Map<string, Map<string, History>>();
  private readonly decimals = new Map<string, number | null>();
  private readonly o: ObservationValues = {
    measureCode: "",
    areaCode: "",
    period: "",
    periodEnd: "",
    breakdown: "",
    value: null,
    numerator: null,
    denominator: null,
    lower95: null,
    upper95: null,
    ciSupplied: false,
    noteCodes: "",
  };
  /** Issues found here in the chunk's rows (duplicates, implausible values), added with the chunk's in row order. */
  readonly found: Issue[] = [];

  constructor(
    private readonly session: ImportSession,
    private readonly decoder: ChunkDecoder,
    private readonly counts: ImportCounts,
    private readonly perMeasure: Map<string, number>,
    private readonly revised: RevisedValue[],
    private readonly revisedLimit: number,
    /** The batch written to, or null for a dry run (nothing appended). */
    private readonly batchId: number | null,
  ) {}

  private async loadMeasure(session: ImportSession, code: string): Promise<void> {
    const { store, loaded, history } = this;
    loaded.add(code);
    const areas = await session.countRowsByArea(code);
    let group: string[] = [];
    let size = 0;
    const flush = async () => {
      if (group.length === 0) return;
      for (const c of await session.loadCurrent(code, group)) store.putExisting(code, c);
      group = [];
      size = 0;
    };
    for (const a of areas) {
      group.push(a.areaCode);
      size += a.rows;
      if (size >= 50_000) await flush();
    }
    await flush();
    const h = new Map<string, History>();
    for (const r of await session.valueHistory(code)) h.set(r.areaCode, r);
    history.set(code, h);
    this.decimals.set(code, await session.measureDecimals(code));
  }

  /**
   * Diffs one chunk (already accepted by the decoder), filling `found`, and appends its new and revised values unless
   * `blocked` (the file has errors) or a duplicate makes it so.
   */
  async chunk(chunk: ValidatedChunk, blocked: boolean): Promise<void> {
    const { session, decoder, counts, perMeasure, revised, revisedLimit, batchId, store, loaded, history, o, found } =
      this;
    const strings = decoder.strings;
    found.length = 0;
    const n = chunk.count;
    let checked = -1;
    for (let i = 0; i < n; i++) {
      const m = chunk.keys[i * KEY_FIELDS + K_MEASURE]!;
      if (m === checked) continue;
      checked = m;
      if (!loaded.has(strings[m]!)) await this.loadMeasure(session, strings[m]!);
    }
    let historyCode: string | null = null;
    let measureHistory: Map<string, History> | undefined;
    for (let i = 0; i < n; i++) {
      readRow(o, chunk, i, strings);
      const row = chunk.row[i]!;
      const state = store.use(o.measureCode, o.areaCode, o.period, o.breakdown, row);
      if (state.seenAt !== 0) {
        blocked = true;
        found.push({
          severity: "error",
          row,
          column: "",
          value: `${o.measureCode} ${o.areaCode} ${o.period} ${o.breakdown}`,
          code: "duplicate_row",
          message: `duplicate row: row ${state.seenAt} already gives ${o.measureCode} for ${o.areaCode}, ${o.period}, ${o.breakdown}`,
        });
        continue;
      }
      counts.valid++;
      perMeasure.set(o.measureCode, (perMeasure.get(o.measureCode) ?? 0) + 1);
      if (o.value !== null && o.breakdown === "total") {
        if (o.measureCode !== historyCode) {
          historyCode = o.measureCode;
          measureHistory = history.get(historyCode);
        }
        const warning = implausibility(o.value, measureHistory?.get(o.areaCode), this.decimals.get(o.measureCode));
        if (warning) {
          found.push({
            severity: "warning",
            row,
            column: "value",
            value: chunkValueText(chunk, i),
            code: "implausible_value",
            message: warning,
          });
        }
      }
      const current = "current" in state ? state.current : null;
      const exists = isLive(current);
      if (exists && sameValue(o, current)) {
        counts.unchanged++;
        continue;
      }
      if (exists) {
        counts.revised++;
        if (revised.length < revisedLimit) {
          revised.push({
            row,
            measureCode: o.measureCode,
            areaCode: o.areaCode,
            period: o.period,
            breakdown: o.breakdown,
            old: snapshot(current as StoredValue),
            new: snapshot(o),
          });
        }
      } else counts.new++;
      if (batchId !== null && !blocked) {
        session.append(o, (current?.maxRevision ?? 0) + 1, current?.id ?? null);
      }
    }
  }
}
