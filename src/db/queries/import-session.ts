/**
 * The database side of an observation import: one transaction (all or nothing) on either driver, holding the import
 * lock so that imports, publications and rollbacks never interleave, with fast bulk writes: the values are grouped
 * into observation sets (one per measure and area; see `observationSets` in the schema) and sent with binary COPY
 * (PGlite: `COPY … FROM '/dev/blob'`; PostgreSQL: `COPY … FROM STDIN` through pg-copy-streams, kept open while the
 * file is read so that the server writes while we parse).
 *
 * Observations are only ever appended; nothing here updates or deletes one. The drivers' raw clients are in
 * import-raw-client.ts; the rows buffered between two COPYs in pending-rows.ts.
 */
import type { AuditEntry } from "../../domain/audit.ts";
import type { Database } from "../database.ts";
import { AUDIT_INSERT_SQL, auditParams } from "./audit.ts";
import { BinaryCopyWriter } from "./copy-binary.ts";
import { IMPORT_LOCK_KEY } from "./import-lock.ts";
import { pgClient, pgliteClient, type RawClient } from "./import-raw-client.ts";
import { type ObservationValues, PendingRows } from "./pending-rows.ts";

export type { ObservationValues } from "./pending-rows.ts";

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
   * `measureCode` in the given areas, among real values only: illustrative (demo) values are never the history of a
   * real value, so a real import never revises them. Keys whose every row is in a rolled-back batch come back with `id: null`.
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
       WHERE o.measure_code = $1 AND o.area_code = ANY($2::text[]) AND NOT o.illustrative
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

  /** The number of decimals a measure's values are shown with (its newest framework version), for messages. */
  async measureDecimals(measureCode: string): Promise<number | null> {
    const [row] = await this.client.query<{ decimals: number }>(
      "SELECT decimals FROM measures WHERE code = $1 ORDER BY framework_id DESC LIMIT 1",
      [measureCode],
    );
    return row ? Number(row.decimals) : null;
  }

  /** Summary statistics of the current real (not illustrative) total-breakdown values per area, for plausibility warnings. */
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
         WHERE o.measure_code = $1 AND o.breakdown = 'total' AND b.status <> 'rolled_back' AND NOT o.illustrative
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
