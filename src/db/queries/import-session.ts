/**
 * The database side of an observation import: one transaction (all or nothing) on either driver, holding the import
 * lock so that imports, publications and rollbacks never interleave, with fast bulk writes: the values are grouped
 * into observation sets (one per measure and area; see `observationSets` in the schema) and sent with binary COPY
 * (PGlite: `COPY … FROM '/dev/blob'`; PostgreSQL: `COPY … FROM STDIN` through pg-copy-streams, kept open while the
 * file is read so that the server writes while we parse).
 *
 * Observations are only ever appended; nothing here updates or deletes one.
 */
import { once } from "node:events";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import type { Transaction as PgliteTransaction } from "@electric-sql/pglite";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { AuditEntry } from "../../domain/audit.ts";
import type { Database } from "../database.ts";
import { AUDIT_INSERT_SQL, auditParams } from "./audit.ts";
import { BINARY_COPY_HEADER, BINARY_COPY_TRAILER, BinaryCopyWriter } from "./copy-binary.ts";
import { IMPORT_LOCK_KEY } from "./import-lock.ts";

/** Minimal driver-neutral client used inside the transaction. */
interface RawClient {
  /** Runs a statement (ending an open COPY first). */
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  /**
   * Sends rows (binary COPY format, without header and trailer) to `COPY … FROM STDIN WITH (FORMAT binary)`.
   * PostgreSQL keeps one COPY open across calls so the server ingests while we parse. `rows` may be reused by the
   * caller once the promise resolves (a client that keeps them longer copies them).
   */
  copyBinary(sql: string, rows: Buffer): Promise<void>;
  /** Ends an open COPY, waiting for the server to accept it. */
  endCopy(): Promise<void>;
  /** Abandons an open COPY (the transaction is going to be rolled back). */
  abortCopy(): Promise<void>;
}

/** The analyst-visible (latest, not rolled back) row per key of one measure, plus the highest revision of the key. */
export interface CurrentObservation {
  id: number | null;
  areaCode: string;
  period: string;
  breakdown: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  lower95: number | null;
  upper95: number | null;
  noteCodes: string[];
  withdrawn: boolean;
  /** Highest revision of the key over all rows (including rolled-back batches). */
  maxRevision: number;
}

export interface NewImportBatch {
  sourceCode: string | null;
  fileName: string | null;
  format: string;
  status: "draft" | "published";
  publishAt: Date | null;
  reason: string | null;
  createdBy: number | null;
  publishedBy: number | null;
  illustrative?: boolean;
}

/** Thrown inside a session to roll the transaction back without it being an error (dry runs). */
class RollbackSignal extends Error {}

const COPY_SQL =
  "COPY observation_sets (batch_id, measure_code, area_code, illustrative, created_by, reason, period, " +
  "period_end, breakdown, value, numerator, denominator, lower_95, upper_95, ci_supplied, note_codes, withdrawn, " +
  "revision, replaces_id) FROM STDIN WITH (FORMAT binary)";
/** Fields per set row; `ids` is left out: the sets' insert trigger gives each set a block of ids. */
const COPY_FIELDS = 19;

/** Escapes a text field for COPY text format (backslash, tab, newline, carriage return). */
export function copyEscape(s: string): string {
  return /[\\\t\n\r]/.test(s)
    ? s.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"))
    : s;
}

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
class PendingRows {
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

interface BatchWriting {
  id: number;
  illustrative: boolean;
  createdBy: number | null;
  reason: string | null;
}

export class ImportSession {
  /** Rows waiting to be written. */
  private readonly pending: PendingRows;
  private batch: BatchWriting | null = null;
  private readonly writer = new BinaryCopyWriter();
  /** Rows appended so far (flushed or buffered). */
  written = 0;

  constructor(
    private readonly client: RawClient,
    readonly writable: boolean,
    private readonly flushRows = 50_000,
  ) {
    this.pending = new PendingRows(flushRows + 8192);
  }

  /** Number of rows per area that a measure already has (to size the loads). */
  async countRowsByArea(measureCode: string): Promise<{ areaCode: string; rows: number }[]> {
    const rows = await this.client.query<{ area_code: string; n: number | string }>(
      "SELECT area_code, sum(cardinality(period)) AS n FROM observation_sets WHERE measure_code = $1 GROUP BY area_code",
      [measureCode],
    );
    return rows.map((r) => ({ areaCode: r.area_code, rows: Number(r.n) }));
  }

  /**
   * The current row (latest revision in a batch that is not rolled back) and the highest revision of every key of
   * `measureCode` in the given areas. Keys whose every row is in a rolled-back batch come back with `id: null`.
   */
  async loadCurrent(measureCode: string, areaCodes: string[]): Promise<CurrentObservation[]> {
    const rows = await this.client.query<{
      id: number | string;
      area_code: string;
      period: string;
      breakdown: string;
      value: number | null;
      numerator: number | null;
      denominator: number | null;
      lower_95: number | null;
      upper_95: number | null;
      note_codes: string[];
      withdrawn: boolean;
      rolled_back: boolean;
      max_revision: number | string;
    }>(
      `SELECT DISTINCT ON (o.area_code, o.period, o.breakdown)
         o.id, o.area_code, o.period, o.breakdown, o.value, o.numerator, o.denominator, o.lower_95, o.upper_95,
         o.note_codes, o.withdrawn, b.status = 'rolled_back' AS rolled_back,
         max(o.revision) OVER (PARTITION BY o.area_code, o.period, o.breakdown) AS max_revision
       FROM observations o JOIN import_batches b ON b.id = o.batch_id
       WHERE o.measure_code = $1 AND o.area_code = ANY($2::text[])
       ORDER BY o.area_code, o.period, o.breakdown, (b.status = 'rolled_back'), o.revision DESC`,
      [measureCode, areaCodes],
    );
    return rows.map((r) =>
      r.rolled_back
        ? {
            id: null,
            areaCode: r.area_code,
            period: r.period,
            breakdown: r.breakdown,
            value: null,
            numerator: null,
            denominator: null,
            lower95: null,
            upper95: null,
            noteCodes: [],
            withdrawn: true,
            maxRevision: Number(r.max_revision),
          }
        : {
            id: Number(r.id),
            areaCode: r.area_code,
            period: r.period,
            breakdown: r.breakdown,
            value: r.value,
            numerator: r.numerator,
            denominator: r.denominator,
            lower95: r.lower_95,
            upper95: r.upper_95,
            noteCodes: r.note_codes ?? [],
            withdrawn: r.withdrawn,
            maxRevision: Number(r.max_revision),
          },
    );
  }

  /** Summary statistics of the current total-breakdown values per area, for plausibility warnings. */
  async valueHistory(
    measureCode: string,
  ): Promise<{ areaCode: string; n: number; min: number; max: number; mean: number }[]> {
    const rows = await this.client.query<{
      area_code: string;
      n: number | string;
      lo: number;
      hi: number;
      mean: number;
    }>(
      `SELECT area_code, count(*) AS n, min(value) AS lo, max(value) AS hi, avg(value)::float8 AS mean FROM (
         SELECT DISTINCT ON (o.area_code, o.period) o.area_code, o.value, o.withdrawn
         FROM observations o JOIN import_batches b ON b.id = o.batch_id
         WHERE o.measure_code = $1 AND o.breakdown = 'total' AND b.status <> 'rolled_back'
         ORDER BY o.area_code, o.period, o.revision DESC) v
       WHERE NOT v.withdrawn AND v.value IS NOT NULL GROUP BY area_code`,
      [measureCode],
    );
    return rows.map((r) => ({ areaCode: r.area_code, n: Number(r.n), min: r.lo, max: r.hi, mean: Number(r.mean) }));
  }

  async createBatch(batch: NewImportBatch): Promise<number> {
    this.assertWritable();
    await this.client.endCopy();
    const [row] = await this.client.query<{ id: number }>(
      `INSERT INTO import_batches (source_code, file_name, format, status, publish_at, reason, created_by, published_by, illustrative)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        batch.sourceCode,
        batch.fileName,
        batch.format,
        batch.status,
        batch.publishAt?.toISOString() ?? null,
        batch.reason,
        batch.createdBy,
        batch.publishedBy,
        batch.illustrative ?? false,
      ],
    );
    const id = Number(row!.id);
    this.batch = { id, illustrative: batch.illustrative ?? false, createdBy: batch.createdBy, reason: batch.reason };
    return id;
  }

  /**
   * Buffers one row: revision `revision` of its key, replacing row `replacesId`. Call {@link flushIfFull} now and then
   * and {@link flush} at the end.
   */
  append(o: ObservationValues, revision: number, replacesId: number | null, withdrawn = false): void {
    if (this.batch === null) throw new Error("createBatch must be called before append");
    this.pending.add(o, revision, replacesId, withdrawn);
    this.written++;
  }

  /** Writes the buffered rows when there are at least `flushRows` of them. */
  async flushIfFull(): Promise<void> {
    if (this.pending.n >= this.flushRows) await this.flush();
  }

  /** Writes the buffered rows: one observation set per measure and area, in one binary COPY. */
  async flush(): Promise<void> {
    const p = this.pending;
    if (p.n === 0 || this.batch === null) return;
    const { id: batchId, illustrative, createdBy, reason } = this.batch;
    const w = this.writer;
    w.reset();
    const { rows, starts } = p.bySet();
    // An array whose every element is what the view reads a NULL array as (breakdown 'total', no note codes, revision
    // 1, …) is sent as a NULL field, so the server receives and stores nothing per value for it (see migration 0004).
    for (let s = 0; s < p.sets.length; s++) {
      const { measureCode, areaCode } = p.sets[s]!;
      const from = starts[s]!;
      const to = starts[s + 1]!;
      w.row(COPY_FIELDS);
      w.int4(batchId);
      w.text(measureCode);
      w.text(areaCode);
      w.bool(illustrative);
      w.int4(createdBy);
      w.text(reason);
      w.textArray(p.period, rows, from, to);
      w.dateArray(p.periodEnd, rows, from, to);
      w.textArrayOrNullIfAll(p.breakdown, rows, from, to, "total");
      w.float8Array(p.numbers, 6, 0, rows, from, to, false);
      w.float8Array(p.numbers, 6, 1, rows, from, to, true);
      w.float8Array(p.numbers, 6, 2, rows, from, to, true);
      w.float8Array(p.numbers, 6, 3, rows, from, to, true);
      w.float8Array(p.numbers, 6, 4, rows, from, to, true);
      w.boolArrayOrNull(p.ints, 3, 1, rows, from, to);
      w.textArrayOrNullIfAll(p.noteCodes, rows, from, to, "");
      w.boolArrayOrNull(p.ints, 3, 2, rows, from, to);
      w.int4ArrayOrNullIfAll(p.ints, 3, 0, rows, from, to, 1);
      w.int8ArrayOrNull(p.numbers, 6, 5, rows, from, to);
    }
    p.clear();
    await this.client.copyBinary(COPY_SQL, w.bytes());
  }

  async finishBatch(batchId: number, rowCounts: Record<string, number>): Promise<void> {
    this.assertWritable();
    await this.flush();
    await this.client.query("UPDATE import_batches SET row_counts = $2 WHERE id = $1", [
      batchId,
      JSON.stringify(rowCounts),
    ]);
  }

  async audit(entry: AuditEntry): Promise<void> {
    this.assertWritable();
    await this.client.query(AUDIT_INSERT_SQL, auditParams(entry));
  }

  /** Runs a statement of the batch modules (publish, rollback) inside this transaction. */
  async raw<T>(text: string, params?: unknown[]): Promise<T[]> {
    return this.client.query<T>(text, params);
  }

  private assertWritable(): void {
    if (!this.writable) throw new Error("this import session is read-only (dry run)");
  }
}

/** ES2024's resizable ArrayBuffer (in Node 20; the project's TypeScript library is ES2023). */
const ResizableArrayBuffer = ArrayBuffer as unknown as new (
  size: number,
  options: { maxByteLength: number },
) => ArrayBuffer & { resize(size: number): void };

/** Largest COPY data handed to PGlite in its reusable buffer (a bigger one gets a buffer of its own). */
const PGLITE_COPY_BUFFER_MAX = 256 * 1024 * 1024;

function pgliteClient(tx: PgliteTransaction): RawClient {
  // PGlite reads a COPY's data with `blob.arrayBuffer()` only, and copies it into its own memory. A Blob would hold
  // two more copies (into the Blob, then out of it) until garbage collection; instead we hand it one resizable
  // buffer, reused for every COPY of the import, so that importing a large file leaves no COPY data behind.
  const shared = new ResizableArrayBuffer(0, { maxByteLength: PGLITE_COPY_BUFFER_MAX });
  return {
    query: async <T>(text: string, params?: unknown[]) => (await tx.query<T>(text, params ?? [])).rows,
    copyBinary: async (sql, rows) => {
      const size = BINARY_COPY_HEADER.length + rows.length + BINARY_COPY_TRAILER.length;
      let buffer: ArrayBuffer = shared;
      if (size <= PGLITE_COPY_BUFFER_MAX) shared.resize(size);
      else buffer = new ArrayBuffer(size);
      const data = new Uint8Array(buffer);
      data.set(BINARY_COPY_HEADER, 0);
      data.set(rows, BINARY_COPY_HEADER.length);
      data.set(BINARY_COPY_TRAILER, BINARY_COPY_HEADER.length + rows.length);
      const blob = { arrayBuffer: async () => buffer } as unknown as Blob;
      await tx.query(sql.replace("FROM STDIN", "FROM '/dev/blob'"), [], { blob });
    },
    endCopy: async () => {},
    abortCopy: async () => {},
  };
}

function pgClient(client: pg.PoolClient): RawClient {
  let copy: { stream: Writable; done: Promise<void> } | null = null;
  const endCopy = async () => {
    if (!copy) return;
    const c = copy;
    copy = null;
    c.stream.end(BINARY_COPY_TRAILER);
    await c.done;
  };
  return {
    query: async <T>(text: string, params?: unknown[]) => {
      await endCopy();
      return (await client.query(text, params as unknown[])).rows as T[];
    },
    copyBinary: async (sql, rows) => {
      if (!copy) {
        const stream = client.query(copyFrom(sql));
        const done = finished(stream);
        done.catch(() => {}); // observed through endCopy or the next write
        copy = { stream, done };
        stream.write(BINARY_COPY_HEADER);
      }
      if (!copy.stream.write(Buffer.from(rows))) await Promise.race([once(copy.stream, "drain"), copy.done]);
    },
    endCopy,
    abortCopy: async () => {
      if (!copy) return;
      const c = copy;
      copy = null;
      c.stream.destroy(new Error("import abandoned"));
      await c.done.catch(() => {});
    },
  };
}

/**
 * Runs `fn` in one transaction holding the import lock. With `commit: false` the transaction is always rolled back
 * (a dry run); otherwise it commits when `fn` resolves and rolls back when it throws.
 */
export async function withImportSession<T>(
  database: Database,
  options: { commit: boolean; flushRows?: number },
  fn: (session: ImportSession) => Promise<T>,
): Promise<T> {
  let result: T | undefined;
  const run = async (client: RawClient) => {
    try {
      await client.query("SELECT pg_advisory_xact_lock($1)", [IMPORT_LOCK_KEY]);
      // the embedded database copies each COPY's data into its own memory: smaller pieces keep the process smaller
      const flushRows = options.flushRows ?? (database.kind === "pglite" ? 20_000 : 100_000);
      const session = new ImportSession(client, options.commit, flushRows);
      result = await fn(session);
      await session.flush();
      await client.endCopy();
    } catch (error) {
      await client.abortCopy();
      throw error;
    }
    if (!options.commit) throw new RollbackSignal("dry run");
  };
  try {
    if (database.kind === "pglite") {
      await database.client.transaction(async (tx) => run(pgliteClient(tx)));
    } else {
      const client = await database.pool.connect();
      let broken = false;
      try {
        await client.query("BEGIN");
        await run(pgClient(client));
        await client.query("COMMIT");
      } catch (error) {
        try {
          await client.query("ROLLBACK");
        } catch {
          broken = true;
        }
        throw error;
      } finally {
        client.release(broken);
      }
    }
  } catch (error) {
    if (!(error instanceof RollbackSignal)) throw error;
  }
  return result as T;
}
