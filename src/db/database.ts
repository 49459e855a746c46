/**
 * Opens the database: embedded PGlite on disk by default, PostgreSQL when a URL is given.
 * Both drivers share one drizzle schema behind the `Db` type.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import type { SQL } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { setting } from "../config.ts";
import { UnavailableError } from "../domain/errors.ts";
import { acquireDataDirLock, type DataDirLock } from "./data-dir-lock.ts";
import * as schema from "./schema.ts";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export const migrationsFolder = fileURLToPath(new URL("../../drizzle", import.meta.url));

interface Common {
  db: Db;
  /** Human-readable description for logs and /health (never includes a password). */
  description: string;
  migrate(): Promise<void>;
  /** Runs raw SQL text (several statements allowed); for tests and maintenance. */
  exec(sqlText: string): Promise<void>;
  close(): Promise<void>;
}
export interface PgliteDatabase extends Common {
  kind: "pglite";
  client: PGlite;
  /** The lock that keeps other processes out of an on-disk embedded database (none for memory://). */
  lock?: DataDirLock | undefined;
}
export interface PostgresDatabase extends Common {
  kind: "postgres";
  pool: pg.Pool;
  /** The connection URL (for a worker thread that opens its own connections). */
  url?: string | undefined;
}
export type Database = PgliteDatabase | PostgresDatabase;

/** The database cannot be reached or opened: the process cannot serve (a 503 for /health, one line for the CLI). */
export class DatabaseConnectionError extends UnavailableError {}

export { connectionLostMessage } from "./connection-lost.ts";

/** Describes a postgres URL without its password: "postgres://app@db.example:5432/app". */
export function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.username ? `${u.username}@` : ""}${u.hostname}:${u.port || "5432"}${u.pathname}`;
  } catch {
    return "an invalid DATABASE_URL";
  }
}

export function wrapPglite(client: PGlite, description: string, lock?: DataDirLock): PgliteDatabase {
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    kind: "pglite",
    client,
    lock,
    db,
    description,
    migrate: async () => {
      await migratePglite(drizzlePglite(client), { migrationsFolder });
    },
    exec: async (s) => {
      await client.exec(s);
    },
    close: async () => {
      try {
        await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}

export function wrapPostgres(pool: pg.Pool, description: string): PostgresDatabase {
  pool.on("error", () => {}); // an idle client's error is reported by the next query that needs the connection
  // a checked-out client's too: without a listener a dropped connection would crash the process with a stack trace
  // instead of failing the query that was running (see connectionLostMessage)
  pool.on("connect", (client) => client.on("error", () => {}));
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    kind: "postgres",
    pool,
    db,
    description,
    migrate: async () => {
      await migratePg(drizzlePg(pool), { migrationsFolder });
    },
    exec: async (s) => {
      await pool.query(s);
    },
    close: () => pool.end(),
  };
}

export interface OpenOptions {
  /** postgres:// URL; when absent the embedded database is used. */
  url?: string | undefined;
  /** Folder of the embedded database (created if missing); "memory://" for a throwaway one. */
  dataDir?: string | undefined;
  poolSize?: number;
  /** The command opening an on-disk embedded database, named to other processes it keeps out (default "omf"). */
  holder?: string | undefined;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.url) {
    const where = describePostgresUrl(options.url);
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 5000,
    });
    try {
      const client = await pool.connect();
      client.release();
    } catch (error) {
      await pool.end().catch(() => {});
      const reason = error instanceof Error ? error.message || error.name : String(error);
      throw new DatabaseConnectionError(`Cannot connect to PostgreSQL at ${where}: ${reason}`);
    }
    return { ...wrapPostgres(pool, `PostgreSQL ${where}`), url: options.url };
  }
  const dataDir = options.dataDir ?? "./data/pglite";
  const startParams = pgliteStartParams();
  if (dataDir.startsWith("memory://")) {
    return wrapPglite(await PGlite.create({ dataDir, startParams }), `embedded database ${dataDir}`);
  }
  let lock: DataDirLock;
  try {
    mkdirSync(dataDir, { recursive: true });
    // one process at a time: a second one would destroy the files (DatabaseLockedError says who holds them)
    lock = acquireDataDirLock(dataDir, options.holder ?? "omf");
  } catch (error) {
    throw dataFolderError(error, dataDir) ?? error;
  }
  try {
    const client = await PGlite.create({ dataDir, startParams });
    return wrapPglite(client, `embedded database ${dataDir}`, lock);
  } catch (error) {
    lock.release();
    throw dataFolderError(error, dataDir) ?? error;
  }
}

/** What each file system refusal means for the embedded database's folder. */
const FOLDER_PROBLEMS: Record<string, string> = {
  EROFS: "is on a read-only file system",
  EACCES: "is not writable by this user (permission denied)",
  EPERM: "is not writable by this user (operation not permitted)",
  ENOSPC: "is on a full disk (no space left on device)",
  EDQUOT: "is over its disk quota",
};

/**
 * The one line for an embedded database folder OMF cannot write to (read-only, not permitted, full), naming the
 * folder (OMF_DATA_DIR) and the problem; null for any other error.
 */
export function dataFolderError(error: unknown, dataDir: string): DatabaseConnectionError | null {
  const code = (error as { code?: unknown } | null)?.code;
  const problem = typeof code === "string" ? FOLDER_PROBLEMS[code] : undefined;
  if (!problem) return null;
  return new DatabaseConnectionError(
    `Cannot open the embedded database in ${dirname(resolve(dataDir))}: the folder ${problem}; OMF writes there even to read, so set OMF_DATA_DIR to a writable folder with free space (or use PostgreSQL with DATABASE_URL)`,
    { code: "data_folder_not_writable" },
  );
}

/**
 * PGlite runs inside this process, so its shared buffers are this process's memory. 8 MB (PostgreSQL's default is
 * 128 MB) takes 30–50 MB off a million-row import (about 450–530 MB resident, see bench/import.ts); pages it evicts are
 * still in the operating system's file cache. OMF_PGLITE_SHARED_BUFFERS sets another size (e.g. "64MB").
 */
function pgliteStartParams(): string[] {
  const size = setting("OMF_PGLITE_SHARED_BUFFERS");
  if (!/^\d+(kB|MB|GB)$/.test(size)) {
    throw new DatabaseConnectionError(`OMF_PGLITE_SHARED_BUFFERS must be a size such as 16MB, not "${size}"`);
  }
  return [...PGlite.defaultStartParams, "-c", `shared_buffers=${size}`];
}

/** Runs a raw SQL query and returns its rows (the same shape on both drivers). */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
