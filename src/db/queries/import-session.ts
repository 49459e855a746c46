/**
 * The database side of an observation import: one transaction (all or nothing) on either driver, holding an advisory
 * lock so that imports, publications and rollbacks never interleave, with fast bulk writes through COPY
 * (PGlite: `COPY … FROM '/dev/blob'`; PostgreSQL: `COPY … FROM STDIN` through pg-copy-streams).
 *
 * Rows are only ever appended to `observations`; nothing here updates or deletes an observation.
 */
import { once } from "node:events";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import type { Transaction as PgliteTransaction } from "@electric-sql/pglite";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Database } from "../database.ts";

/** Minimal driver-neutral client used inside the transaction. */
interface RawClient {
  /** Runs a statement (ending an open COPY first). */
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  /** Sends rows to COPY; PostgreSQL keeps one COPY open across calls so the server ingests while we parse. */
  copyText(sql: string, text: string): Promise<void>;
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

const LOCK_KEY = 7_312_001;

const COPY_SQL =
  "COPY observations (measure_code, area_code, period, period_end, breakdown, value, numerator, denominator, " +
  "lower_95, upper_95, ci_supplied, note_codes, withdrawn, batch_id, revision, replaces_id, created_by, reason) " +
  "FROM STDIN WITH (FORMAT text)";

/** Escapes a text field for COPY text format (backslash, tab, newline, carriage return). */
export function copyEscape(s: string): string {
  return /[\\\t\n\r]/.test(s)
    ? s.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"))
    : s;
}

function copyNumber(x: number | null): string {
  return x === null ? "\\N" : String(x);
}

function copyArray(codes: readonly string[]): string {
  // note codes are validated identifiers (letters and underscores), so no quoting is needed
  return codes.length === 0 ? "{}" : `{${codes.join(",")}}`;
}

/** One observation row to append. `reason` and `createdBy` come from the batch. */
export interface ObservationToWrite {
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
  noteCodes: readonly string[];
  withdrawn: boolean;
  revision: number;
  replacesId: number | null;
}

export class ImportSession {
  private buffer: string[] = [];
  private bufferedRows = 0;
  private batchSuffix = "";
  /** Rows appended so far (flushed or buffered). */
  written = 0;

  constructor(
    private readonly client: RawClient,
    readonly writable: boolean,
    private readonly flushRows = 20_000,
  ) {}

  /** Measure codes that already have rows, with the number of rows per area (to size the loads). */
  async countRowsByArea(measureCode: string): Promise<{ areaCode: string; rows: number }[]> {
    const rows = await this.client.query<{ area_code: string; n: number | string }>(
      "SELECT area_code, count(*) AS n FROM observations WHERE measure_code = $1 GROUP BY area_code",
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
    await this.origin();
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
    this.batchSuffix = `\t${id}`;
    this.rowTail = `\t${batch.createdBy ?? "\\N"}\t${batch.reason === null ? "\\N" : copyEscape(batch.reason)}`;
    await this.enableBulkMode(batch.createdBy);
    return id;
  }

  private rowTail = "";

  /** Buffers one row for COPY; call {@link flushIfFull} now and then and {@link flush} at the end. */
  append(o: ObservationToWrite): void {
    if (this.batchSuffix === "") throw new Error("createBatch must be called before append");
    const tail = this.rowTail;
    this.buffer.push(
      `${copyEscape(o.measureCode)}\t${copyEscape(o.areaCode)}\t${copyEscape(o.period)}\t${o.periodEnd}\t${copyEscape(o.breakdown)}\t` +
        `${copyNumber(o.value)}\t${copyNumber(o.numerator)}\t${copyNumber(o.denominator)}\t${copyNumber(o.lower95)}\t` +
        `${copyNumber(o.upper95)}\t${o.ciSupplied ? "t" : "f"}\t${copyArray(o.noteCodes)}\t${o.withdrawn ? "t" : "f"}` +
        `${this.batchSuffix}\t${o.revision}\t${o.replacesId ?? "\\N"}${tail}`,
    );
    this.bufferedRows++;
    this.written++;
  }

  /** Writes the buffered rows when there are at least `flushRows` of them. */
  async flushIfFull(): Promise<void> {
    if (this.bufferedRows >= this.flushRows) await this.flush();
  }

  /** Writes the buffered rows. */
  async flush(): Promise<void> {
    if (this.bufferedRows === 0) return;
    const text = `${this.buffer.join("\n")}\n`;
    this.buffer = [];
    this.bufferedRows = 0;
    if (this.skipForeignKeyTriggers && !this.replica) {
      await this.client.query("SET LOCAL session_replication_role = replica");
      this.replica = true;
    }
    await this.client.copyText(COPY_SQL, text);
  }

  /** Ends bulk-write mode before any other write, so that only the observation COPY skips the triggers. */
  private async origin(): Promise<void> {
    await this.client.endCopy();
    if (this.replica) {
      await this.client.query("SET LOCAL session_replication_role = origin");
      this.replica = false;
    }
  }

  private skipForeignKeyTriggers = false;
  private replica = false;

  /**
   * Bulk-write mode. The foreign keys of `observations` (area, batch, user) are checked by row-level triggers that
   * cost more than the rest of a COPY together. This import has already checked every area code against `areas` and
   * writes only its own batch id and user; so when the role may (a superuser, as in the embedded database), the
   * session locks exactly what those triggers would lock — the referenced area and user rows, `FOR KEY SHARE`, until
   * commit — and runs its COPY statements with `session_replication_role = replica`, which skips the triggers. The
   * integrity guarantee is the same. Other roles keep the ordinary trigger checks.
   */
  private async enableBulkMode(userId: number | null): Promise<void> {
    const [row] = await this.client.query<{ su: string }>("SELECT current_setting('is_superuser') AS su");
    if (row?.su !== "on") return;
    await this.client.query("SELECT code FROM areas FOR KEY SHARE");
    if (userId !== null) await this.client.query("SELECT id FROM users WHERE id = $1 FOR KEY SHARE", [userId]);
    this.skipForeignKeyTriggers = true;
  }

  async finishBatch(batchId: number, rowCounts: Record<string, number>): Promise<void> {
    this.assertWritable();
    await this.flush();
    await this.origin();
    await this.client.query("UPDATE import_batches SET row_counts = $2 WHERE id = $1", [
      batchId,
      JSON.stringify(rowCounts),
    ]);
  }

  async audit(entry: {
    userId: number | null;
    actor: string;
    action: string;
    entity: string;
    entityKey: string;
    before?: unknown;
    after?: unknown;
  }): Promise<void> {
    this.assertWritable();
    await this.origin();
    await this.client.query(
      "INSERT INTO audit_log (user_id, actor, action, entity, entity_key, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      [
        entry.userId,
        entry.actor,
        entry.action,
        entry.entity,
        entry.entityKey,
        entry.before === undefined ? null : JSON.stringify(entry.before),
        entry.after === undefined ? null : JSON.stringify(entry.after),
      ],
    );
  }

  /** Runs a statement of the batch modules (publish, rollback) inside this transaction. */
  async raw<T>(text: string, params?: unknown[]): Promise<T[]> {
    await this.origin();
    return this.client.query<T>(text, params);
  }

  private assertWritable(): void {
    if (!this.writable) throw new Error("this import session is read-only (dry run)");
  }
}

function pgliteClient(tx: PgliteTransaction): RawClient {
  return {
    query: async <T>(text: string, params?: unknown[]) => (await tx.query<T>(text, params ?? [])).rows,
    copyText: async (sql, text) => {
      await tx.query(sql.replace("FROM STDIN", "FROM '/dev/blob'"), [], { blob: new Blob([text]) });
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
    c.stream.end();
    await c.done;
  };
  return {
    query: async <T>(text: string, params?: unknown[]) => {
      await endCopy();
      return (await client.query(text, params as unknown[])).rows as T[];
    },
    copyText: async (sql, text) => {
      if (!copy) {
        const stream = client.query(copyFrom(sql));
        const done = finished(stream);
        done.catch(() => {}); // observed through endCopy or the next write
        copy = { stream, done };
      }
      if (!copy.stream.write(text)) await Promise.race([once(copy.stream, "drain"), copy.done]);
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
      await client.query("SELECT pg_advisory_xact_lock($1)", [LOCK_KEY]);
      const session = new ImportSession(client, options.commit, options.flushRows);
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
