import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, queryRows } from "../../src/db/database.ts";
import { freshDatabase } from "../support/test-database.ts";

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database.close();
});

describe("migrations", () => {
  it("create every table of the schema", async () => {
    const rows = await queryRows<{ tablename: string }>(
      database.db,
      sql`select tablename from pg_tables where schemaname = 'public' order by tablename`,
    );
    const tables = rows.map((r) => r.tablename);
    for (const t of [
      "frameworks",
      "core_aims",
      "measures",
      "areas",
      "area_aliases",
      "observation_sets",
      "import_batches",
      "users",
      "sessions",
    ]) {
      expect(tables).toContain(t);
    }
  });

  it("serve observations as a view over observation sets", async () => {
    const rows = await queryRows<{ viewname: string }>(
      database.db,
      sql`select viewname from pg_views where schemaname = 'public'`,
    );
    expect(rows.map((r) => r.viewname)).toContain("observations");
  });

  it("are a no-op when applied again", async () => {
    await database.migrate();
    const rows = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    );
    expect(rows[0]!.n).toBeGreaterThanOrEqual(1);
  });

  it("keep observations append-only: one row per revision of a key", async () => {
    await database.exec(`insert into areas (code, name, type) values ('W92000004', '{"en":"Wales"}', 'country');
      insert into import_batches (format) values ('csv');`);
    const insert = (revision: number) =>
      database.exec(`insert into observations (measure_code, area_code, period, period_end, value, batch_id, revision)
        values ('m', 'W92000004', '2019-20', '2020-03-31', ${revision}, 1, ${revision})`);
    await insert(1);
    await insert(2);
    await expect(insert(2)).rejects.toThrow();
  });
});
