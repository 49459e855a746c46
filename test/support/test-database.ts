/** A fresh migrated database for one test file, on PGlite or PostgreSQL as the run was set up. */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { inject } from "vitest";
import { type Database, wrapPglite, wrapPostgres } from "../../src/db/database.ts";

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
  if (tpl.kind === "pglite") {
    const client = await PGlite.create({ loadDataDir: new Blob([readFileSync(tpl.path)]) });
    return wrapPglite(client, "test database (embedded)");
  }
  const name = `omf_t_${randomUUID().replaceAll("-", "")}`;
  const admin = new pg.Client({ connectionString: `${tpl.url}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${tpl.template}`);
  const pool = new pg.Pool({ connectionString: `${tpl.url}/${name}`, max: 4 });
  const database = wrapPostgres(pool, `test database ${name} (PostgreSQL)`);
  const close = database.close;
  database.close = async () => {
    await close();
    await dropTestDatabase(admin, name);
    await admin.end();
  };
  return database;
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
