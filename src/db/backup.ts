/**
 * Backups of the whole database into a folder, and restoring one into a fresh database (`omf backup`, `omf restore`).
 *
 * - Embedded (PGlite): a tarball of the data folder (PGlite's `dumpDataDir`), taken while no transaction is open and
 *   nothing else runs on the database (it waits for the current transaction to finish), so it is consistent even when
 *   taken by a running server. Restoring unpacks it into an empty data folder.
 * - PostgreSQL: `pg_dump`'s custom format (`pg_dump --format=custom`), restored with `pg_restore` into an empty
 *   database. pg_dump must be on the PATH (Debian: `postgresql-client`), of the server's major version or later.
 *
 * Either way the backup folder holds `omf-backup.json`, a manifest with the row count of every table, counted in the
 * same snapshot as the copy; a restore counts the rows again and fails unless every table matches.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { environmentWith } from "../config.ts";
import { InvalidError, UnavailableError } from "../domain/errors.ts";
import { acquireDataDirLock } from "./data-dir-lock.ts";
import type { Database } from "./database.ts";

export const MANIFEST_FILE = "omf-backup.json";
const EMBEDDED_FILE = "embedded-database.tar.gz";
const POSTGRES_FILE = "postgresql.dump";

export interface BackupManifest {
  format: "omf-backup";
  version: 1;
  /** "embedded" (a PGlite data folder) or "postgresql" (pg_dump's custom format). */
  database: "embedded" | "postgresql";
  file: string;
  createdAt: string;
  /** The last migration applied (its drizzle hash and time), or null in a database never migrated. */
  migration: { hash: string; createdAt: number } | null;
  /** Row count of every table ("schema.table"), in the snapshot the copy was taken from. */
  tables: Record<string, number>;
}

/** Runs a query on one connection (a PGlite transaction or a pg client). */
type Query = (text: string) => Promise<{ rows: Record<string, unknown>[] }>;

/** Every table of the application ("public.…") and drizzle's record of applied migrations ("drizzle.…"). */
async function tableNames(query: Query): Promise<string[]> {
  const { rows } = await query(
    "SELECT schemaname || '.' || tablename AS name FROM pg_tables WHERE schemaname IN ('public', 'drizzle') ORDER BY 1",
  );
  return rows.map((r) => String(r.name));
}

function quoted(table: string): string {
  return table
    .split(".")
    .map((part) => `"${part.replaceAll('"', '""')}"`)
    .join(".");
}

/** Row counts of every table and the last migration, read on one connection (so in one snapshot when in a transaction). */
async function inventory(query: Query): Promise<Pick<BackupManifest, "tables" | "migration">> {
  const tables: Record<string, number> = {};
  const names = await tableNames(query);
  for (const name of names) {
    const { rows } = await query(`SELECT count(*)::int AS n FROM ${quoted(name)}`);
    tables[name] = Number(rows[0]?.n ?? 0);
  }
  let migration: BackupManifest["migration"] = null;
  if (names.includes("drizzle.__drizzle_migrations")) {
    const { rows } = await query(
      "SELECT hash, created_at FROM drizzle.__drizzle_migrations ORDER BY created_at DESC, id DESC LIMIT 1",
    );
    if (rows[0]) migration = { hash: String(rows[0].hash), createdAt: Number(rows[0].created_at) };
  }
  return { tables, migration };
}

/** The backup folder: created, and refused when it already holds files (an older backup is never overwritten). */
function prepareOutputFolder(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new InvalidError(`${dir} is not empty: give a new or empty folder for the backup`);
  }
  mkdirSync(dir, { recursive: true });
}

/** Writes the manifest, last: a folder without one is an unfinished backup, which restore refuses. */
function writeManifest(dir: string, fields: Omit<BackupManifest, "format" | "version">): BackupManifest {
  const manifest: BackupManifest = { format: "omf-backup", version: 1, ...fields };
  writeFileSync(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Writes a backup of `database` into `dir` (new or empty) and returns its manifest. */
export async function backupDatabase(database: Database, dir: string): Promise<BackupManifest> {
  prepareOutputFolder(dir);
  const createdAt = new Date().toISOString();
  if (database.kind === "pglite") {
    let tarball: Blob | null = null;
    // one transaction: nothing else runs on the embedded database meanwhile (PGlite runs one at a time), so the counts
    // and the copy of the files are of the same committed state; a transaction open elsewhere is waited for
    const counted = await database.client.transaction(async (tx) => {
      const counts = await inventory((text) => tx.query(text) as Promise<{ rows: Record<string, unknown>[] }>);
      tarball = await database.client.dumpDataDir("gzip");
      return counts;
    });
    if (!tarball) throw new Error("the embedded database gave no copy of its data folder");
    writeFileSync(join(dir, EMBEDDED_FILE), Buffer.from(await (tarball as Blob).arrayBuffer()));
    return writeManifest(dir, { database: "embedded", file: EMBEDDED_FILE, createdAt, ...counted });
  }
  if (!database.url) throw new Error("the PostgreSQL database has no connection URL to give pg_dump");
  const client = await database.pool.connect();
  try {
    // pg_dump copies the snapshot exported by this transaction: the counts are of exactly what it copies
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const snapshot = String((await client.query("SELECT pg_export_snapshot() AS s")).rows[0].s);
    const counted = await inventory((text) => client.query(text));
    await runPgTool(
      "pg_dump",
      [
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        `--snapshot=${snapshot}`,
        `--file=${join(dir, POSTGRES_FILE)}`,
      ],
      database.url,
    );
    await client.query("COMMIT");
    return writeManifest(dir, { database: "postgresql", file: POSTGRES_FILE, createdAt, ...counted });
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Reads and checks the manifest of a backup folder. */
export function readBackupManifest(dir: string): BackupManifest {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) throw new InvalidError(`${dir} is not an OMF backup: it has no ${MANIFEST_FILE}`);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(path, "utf8")) as BackupManifest;
  } catch (error) {
    throw new InvalidError(`${path} is not valid JSON (${(error as Error).message})`);
  }
  if (manifest.format !== "omf-backup" || manifest.version !== 1) {
    throw new InvalidError(`${path} is not an OMF backup manifest of a version this OMF reads (1)`);
  }
  if (manifest.database !== "embedded" && manifest.database !== "postgresql") {
    throw new InvalidError(`${path}: unknown database "${String(manifest.database)}"`);
  }
  if (!existsSync(join(dir, manifest.file))) {
    throw new InvalidError(`${dir} is incomplete: ${manifest.file}, named in ${MANIFEST_FILE}, is missing`);
  }
  return manifest;
}

export interface RestoreTarget {
  /** postgres:// URL of an empty database; else the embedded database in `dataDir`. */
  url?: string | undefined;
  /** Folder of the embedded database (the `pglite` folder); it must be missing or empty. */
  dataDir: string;
}

/** Restores the backup in `dir` into an empty database, checks every table's row count, and returns the manifest. */
export async function restoreDatabase(dir: string, target: RestoreTarget): Promise<BackupManifest> {
  const manifest = readBackupManifest(dir);
  const file = join(dir, manifest.file);
  if (manifest.database === "embedded") {
    if (target.url) {
      throw new InvalidError(
        "this is a backup of an embedded database: restore it without DATABASE_URL (into OMF_DATA_DIR)",
      );
    }
    if (existsSync(target.dataDir) && readdirSync(target.dataDir).length > 0) {
      throw new InvalidError(
        `the embedded database folder ${target.dataDir} is not empty: restore into a new OMF_DATA_DIR (or move the old folder away first)`,
      );
    }
    mkdirSync(target.dataDir, { recursive: true });
    const lock = acquireDataDirLock(target.dataDir, "omf restore");
    try {
      const client = await PGlite.create({ dataDir: target.dataDir, loadDataDir: new Blob([readFileSync(file)]) });
      try {
        await checkRestored(manifest, (text) => client.query(text) as Promise<{ rows: Record<string, unknown>[] }>);
      } finally {
        await client.close();
      }
    } catch (error) {
      rmSync(target.dataDir, { recursive: true, force: true }); // nothing half-restored is left to be started
      throw error;
    } finally {
      lock.release();
    }
    return manifest;
  }
  if (!target.url) {
    throw new InvalidError("this is a backup of a PostgreSQL database: set DATABASE_URL to an empty database");
  }
  const client = new pg.Client({ connectionString: target.url });
  client.on("error", () => {});
  await client.connect().catch((error: Error) => {
    throw new UnavailableError(`Cannot connect to PostgreSQL: ${error.message}`);
  });
  try {
    const { rows } = await client.query(
      "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname IN ('public', 'drizzle')",
    );
    const drizzleSchema = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = 'drizzle'");
    if (rows[0].n > 0 || drizzleSchema.rowCount) {
      throw new InvalidError(
        "the database of DATABASE_URL is not empty: restore into a new database (createdb), then point DATABASE_URL at it",
      );
    }
    // one transaction: a restore that fails leaves the database as empty as it was
    await runPgTool(
      "pg_restore",
      ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", file],
      target.url,
    );
    await checkRestored(manifest, (text) => client.query(text));
  } finally {
    await client.end();
  }
  return manifest;
}

/** Fails unless the restored database has exactly the tables and row counts of the manifest. */
async function checkRestored(manifest: BackupManifest, query: Query): Promise<void> {
  const { tables } = await inventory(query);
  const problems: string[] = [];
  for (const [name, n] of Object.entries(manifest.tables)) {
    if (tables[name] === undefined) problems.push(`${name} is missing`);
    else if (tables[name] !== n) problems.push(`${name} has ${tables[name]} rows, the backup ${n}`);
  }
  for (const name of Object.keys(tables)) {
    if (manifest.tables[name] === undefined) problems.push(`${name} is not in the backup`);
  }
  if (problems.length > 0) throw new Error(`the restored database does not match the backup: ${problems.join("; ")}`);
}

/**
 * Runs pg_dump or pg_restore against `url`. The password goes in PGPASSWORD, not on the command line (which other
 * users of the machine can read); a failure is one line with the tool's own message.
 */
function runPgTool(tool: "pg_dump" | "pg_restore", args: string[], url: string): Promise<void> {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = "";
  const env = environmentWith(password ? { PGPASSWORD: password } : {});
  return new Promise((resolve, reject) => {
    const child = spawn(tool, [...args, `--dbname=${u.toString()}`], { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "ENOENT"
          ? new UnavailableError(
              `${tool} is not installed or not on the PATH: install PostgreSQL's client programs (Debian: apt-get install postgresql-client), of the server's version or later`,
            )
          : error,
      );
    });
    child.on("close", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${tool} failed (exit ${code}): ${stderr.trim().split("\n").join(" ") || "no message"}`));
    });
  });
}
