/**
 * Writing a measure's analysis: delete its rows and bulk-load the new ones in ONE transaction, under an advisory lock
 * per measure. The rows go in with COPY (PGlite: `COPY … FROM '/dev/blob'`; PostgreSQL: `COPY … FROM STDIN`), which
 * is several times faster than INSERT for tens of thousands of wide rows. When the driver's client cannot be reached
 * (e.g. `db` is already a transaction), the same is done with INSERT … SELECT FROM json_populate_recordset.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { PGlite } from "@electric-sql/pglite";
import { getTableColumns, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Db } from "../database.ts";
import { RemotePglite } from "../remote-pglite.ts";
import { analysisGaps, analysisResults } from "../schema.ts";
import { copyEscape } from "./import-session.ts";

export type NewAnalysisResultRow = typeof analysisResults.$inferInsert;
export type NewAnalysisGapRow = typeof analysisGaps.$inferInsert;

/** Advisory-lock namespace of analysis writes (the second key is the measure code's hash). */
export const ANALYSIS_LOCK_NAMESPACE = 74_101;

/** Rows made a batch at a time (e.g. from the analysis's columns), so they never all exist at once. */
export interface RowSource<T> {
  readonly rowCount: number;
  /** Rows from … to − 1. */
  rows(from: number, to: number): readonly T[];
}

/** What to store for one measure. */
export interface MeasureAnalysisWrite {
  measureCode: string;
  dataVersion: string;
  inputFingerprint: string;
  results: readonly NewAnalysisResultRow[] | RowSource<NewAnalysisResultRow>;
  gaps: readonly NewAnalysisGapRow[];
  ms: number;
  /** Write even when the stored analysis already has `dataVersion`. */
  force?: boolean | undefined;
}

/** The few operations the write needs, on either driver, inside one transaction. */
interface RawTx {
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  /** Bulk-loads rows (keyed by column key) into `table`. */
  load(table: string, columns: readonly Column[], rows: readonly Record<string, unknown>[]): Promise<void>;
}

/** A column's key (camelCase, as in the row objects) and name (snake_case, as in the table). */
interface Column {
  key: string;
  name: string;
}

function columnsOf(table: PgTable): Column[] {
  return Object.entries(getTableColumns(table)).map(([key, column]) => ({ key, name: column.name }));
}

const RESULT_COLUMNS = columnsOf(analysisResults);
const GAP_COLUMNS = columnsOf(analysisGaps);

/** One value in COPY text format. */
function copyValue(v: unknown): string {
  if (v === null || v === undefined) return "\\N";
  if (typeof v === "number") return String(v);
  if (typeof v === "boolean") return v ? "t" : "f";
  if (typeof v === "string") return copyEscape(v);
  return copyEscape(JSON.stringify(v));
}

function copyText(rows: readonly Record<string, unknown>[], columns: readonly { key: string }[]): string {
  const lines = new Array<string>(rows.length);
  const values = new Array<string>(columns.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    for (let c = 0; c < columns.length; c++) values[c] = copyValue(row[columns[c]!.key]);
    lines[i] = values.join("\t");
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/** Rows per COPY chunk (keeps the text of one chunk to a few tens of megabytes). */
const COPY_CHUNK = 5_000;

function rowSource<T>(rows: readonly T[] | RowSource<T>): RowSource<T> {
  if (!Array.isArray(rows)) return rows as RowSource<T>;
  const list = rows as readonly T[];
  return { rowCount: list.length, rows: (from, to) => list.slice(from, to) };
}

async function writeAll(tx: RawTx, input: MeasureAnalysisWrite): Promise<boolean> {
  await tx.query("select pg_advisory_xact_lock($1, hashtext($2))", [ANALYSIS_LOCK_NAMESPACE, input.measureCode]);
  if (!input.force) {
    const [current] = await tx.query<{ data_version: string }>(
      "select data_version from analysis_runs where measure_code = $1",
      [input.measureCode],
    );
    if (current?.data_version === input.dataVersion) return false;
  }
  await tx.query("delete from analysis_results where measure_code = $1", [input.measureCode]);
  await tx.query("delete from analysis_gaps where measure_code = $1", [input.measureCode]);
  const results = rowSource(input.results);
  for (const [table, source, columns] of [
    ["analysis_results", results, RESULT_COLUMNS],
    ["analysis_gaps", rowSource(input.gaps), GAP_COLUMNS],
  ] as const) {
    for (let i = 0; i < source.rowCount; i += COPY_CHUNK) {
      await tx.load(table, columns, source.rows(i, i + COPY_CHUNK) as unknown as Record<string, unknown>[]);
    }
  }
  await tx.query(
    `insert into analysis_runs (measure_code, data_version, input_fingerprint, computed_at, row_count, gap_count, ms)
     values ($1, $2, $3, now(), $4, $5, $6)
     on conflict (measure_code) do update set data_version = excluded.data_version,
       input_fingerprint = excluded.input_fingerprint, computed_at = excluded.computed_at,
       row_count = excluded.row_count, gap_count = excluded.gap_count, ms = excluded.ms`,
    [input.measureCode, input.dataVersion, input.inputFingerprint, results.rowCount, input.gaps.length, input.ms],
  );
  return true;
}

/** The driver client behind a drizzle database, when it is a whole database (not a transaction). */
function driverClient(db: Db): PGlite | pg.Pool | null {
  const client = (db as unknown as { $client?: unknown }).$client;
  if (client instanceof PGlite) return client;
  // the embedded database from the analysis worker: the same calls, run by the thread that owns it
  if (client instanceof RemotePglite) return client as unknown as PGlite;
  if (client instanceof pg.Pool) return client;
  return null;
}

async function withPglite<T>(client: PGlite, fn: (tx: RawTx) => Promise<T>): Promise<T> {
  return client.transaction(async (t) =>
    fn({
      query: async <R>(text: string, params?: unknown[]) => (await t.query<R>(text, params ?? [])).rows,
      load: async (table, columns, rows) => {
        if (rows.length === 0) return;
        const text = copyText(rows, columns);
        const names = columns.map((c) => c.name).join(", ");
        await t.query(`copy ${table} (${names}) from '/dev/blob'`, [], { blob: new Blob([text]) });
      },
    }),
  );
}

async function withPostgres<T>(pool: pg.Pool, fn: (tx: RawTx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("begin");
    const result = await fn({
      query: async <R>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as R[],
      load: async (table, columns, rows) => {
        if (rows.length === 0) return;
        const names = columns.map((c) => c.name).join(", ");
        const stream = client.query(copyFrom(`copy ${table} (${names}) from stdin`));
        await pipeline(Readable.from([copyText(rows, columns)]), stream);
      },
    });
    await client.query("commit");
    return result;
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Fallback through drizzle: one JSON parameter per chunk (`json_populate_recordset`). */
async function withDrizzle<T>(db: Db, fn: (tx: RawTx) => Promise<T>): Promise<T> {
  return db.transaction(async (t) => {
    const query = async <R>(text: string, params: unknown[] = []): Promise<R[]> => {
      // Rewrite $n placeholders into drizzle parameters.
      const chunks = text.split(/\$(\d+)/);
      const pieces = chunks.map((c, i) => (i % 2 === 0 ? sql.raw(c) : sql`${params[Number(c) - 1]}`));
      const result = (await t.execute(sql.join(pieces))) as unknown as { rows: R[] };
      return result.rows;
    };
    return fn({
      query,
      load: async (table, columns, rows) => {
        if (rows.length === 0) return;
        const named = rows.map((row) => {
          const out: Record<string, unknown> = {};
          for (const c of columns) out[c.name] = row[c.key] ?? null;
          return out;
        });
        const target = sql.identifier(table);
        await t.execute(
          sql`insert into ${target} select * from json_populate_recordset(null::${target}, ${JSON.stringify(named)}::json)`,
        );
      },
    });
  });
}

/**
 * Replaces a measure's stored analysis with `results` and `gaps` in one transaction (delete + bulk load + run
 * record). Skips the write (returns false) when the stored analysis already has `dataVersion`, unless `force`.
 */
export async function replaceMeasureAnalysis(db: Db, input: MeasureAnalysisWrite): Promise<boolean> {
  const client = driverClient(db);
  if (client instanceof pg.Pool) return withPostgres(client, (tx) => writeAll(tx, input));
  if (client) return withPglite(client, (tx) => writeAll(tx, input));
  return withDrizzle(db, (tx) => writeAll(tx, input));
}
