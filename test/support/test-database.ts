/** A fresh migrated database for one test file, on PGlite or PostgreSQL as the run was set up. */
import { randomUUID } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { inject } from "vitest";
import {
  type Database,
  migrationsFolder,
  type PostgresDatabase,
  wrapPglite,
  wrapPostgres,
} from "../../src/db/database.ts";
import { pooledPgliteDatabase } from "./db-pool.ts";

/**
 * Drops a test database. FORCE ends the test's own connections; an autovacuum worker (a superuser process the test
 * role may not end) can still hold it for a moment, so a refusal is retried a few times.
 */
export async function dropTestDatabase(admin: pg.Client, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      return;
    } catch (error) {
      if (attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

export async function freshDatabase(): Promise<Database> {
  const tpl = inject("dbTemplate");
  if (tpl.kind === "pglite") return pooledPgliteDatabase(tpl.path, "test database (embedded)");
  return newPostgresDatabase(tpl.url, tpl.template);
}

/** A new PostgreSQL database (a copy of `template`, or empty), dropped when closed. */
async function newPostgresDatabase(url: string, template: string | null): Promise<PostgresDatabase> {
  const name = `omf_t_${randomUUID().replaceAll("-", "")}`;
  const admin = new pg.Client({ connectionString: `${url}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}${template === null ? "" : ` TEMPLATE ${template}`}`);
  const pool = new pg.Pool({ connectionString: `${url}/${name}`, max: 4 });
  const database = wrapPostgres(pool, `test database ${name} (PostgreSQL)`);
  database.url = `${url}/${name}`;
  const close = database.close;
  database.close = async () => {
    await close();
    await dropTestDatabase(admin, name);
    await admin.end();
  };
  return database;
}

/**
 * A new database with only the migrations up to and including `lastTag` applied (to test a later migration on data
 * written before it); its `migrate()` applies the rest, as an upgrade would.
 */
export async function databaseMigratedTo(lastTag: string): Promise<Database> {
  const journalPath = join(migrationsFolder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
  const last = journal.entries.findIndex((e) => e.tag === lastTag);
  if (last < 0) throw new Error(`no migration ${lastTag}`);
  const entries = journal.entries.slice(0, last + 1);
  const folder = mkdtempSync(join(tmpdir(), "omf-migrations-"));
  try {
    mkdirSync(join(folder, "meta"));
    writeFileSync(join(folder, "meta", "_journal.json"), JSON.stringify({ ...journal, entries }));
    for (const e of entries) copyFileSync(join(migrationsFolder, `${e.tag}.sql`), join(folder, `${e.tag}.sql`));
    const tpl = inject("dbTemplate");
    if (tpl.kind === "pglite") {
      const client = await PGlite.create();
      await migratePglite(drizzlePglite(client), { migrationsFolder: folder });
      return wrapPglite(client, `test database (embedded, migrated to ${lastTag})`);
    }
    const database = await newPostgresDatabase(tpl.url, null);
    try {
      await migratePg(drizzlePg(database.pool), { migrationsFolder: folder });
    } catch (error) {
      await database.close();
      throw error;
    }
    return database;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Empties every table (fast, about 6 ms) so each test starts clean. */
export async function truncateAll(database: Database): Promise<void> {
  await database.exec(`DO $$ DECLARE r record; BEGIN
    EXECUTE (SELECT 'TRUNCATE ' || string_agg(format('%I', tablename), ', ') || ' RESTART IDENTITY CASCADE'
             FROM pg_tables WHERE schemaname = 'public');
  END $$;`);
}

/** The migrated PostgreSQL template database of this test run (only when running on PostgreSQL). */
export function pgTemplateName(): string {
  const tpl = inject("dbTemplate");
  if (tpl.kind !== "pg") throw new Error("pgTemplateName() is only for runs on PostgreSQL (TEST_PG_URL)");
  return tpl.template;
}
