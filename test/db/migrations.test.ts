import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, queryRows } from "../../src/db/database.ts";
import { databaseMigratedTo, freshDatabase } from "../support/test-database.ts";

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

describe("migration 0004 (breakdown and revision arrays may be NULL)", () => {
  let upgraded: Database;
  beforeAll(async () => {
    upgraded = await databaseMigratedTo("0003_observation_sets");
  });
  afterAll(async () => {
    await upgraded?.close();
  });

  /** Every row of the view, as JSON (the same on both drivers). */
  const viewRows = async () =>
    (
      await queryRows<{ row: Record<string, unknown> }>(
        upgraded.db,
        sql`select to_jsonb(o) as row from observations o order by o.id`,
      )
    ).map((r) => r.row);
  /** The view's columns in order, with their types and defaults, and its triggers. */
  const viewShape = async () => ({
    columns: await queryRows(
      upgraded.db,
      sql`select a.attname, format_type(a.atttypid, a.atttypmod) as type, pg_get_expr(d.adbin, d.adrelid) as "default"
        from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
        where a.attrelid = 'observations'::regclass and a.attnum > 0 and not a.attisdropped order by a.attnum`,
    ),
    triggers: await queryRows(
      upgraded.db,
      sql`select tgname, tgtype from pg_trigger where tgrelid = 'observations'::regclass order by tgname`,
    ),
  });
  const read = async (columns: string, where = "true") =>
    queryRows<Record<string, unknown>>(
      upgraded.db,
      sql.raw(`select ${columns} from observations where ${where} order by id`),
    );

  it("reads sets written before it the same, keeps the view's columns, defaults and insert trigger", async () => {
    await upgraded.exec(`insert into areas (code, name, type) values ('W92000004', '{"en":"Wales"}', 'country'),
        ('W06000015', '{"en":"Cardiff"}', 'local_authority');
      insert into import_batches (format) values ('csv'), ('csv');
      insert into observation_sets (batch_id, measure_code, area_code, period, period_end, breakdown, value,
          note_codes, revision)
        values (1, 'm', 'W92000004', '{2020,2020,2020}', '{2020-03-31,2020-03-31,2020-03-31}',
          '{total,sex=female,sex=male}', '{10,4,6}', '{p,"",""}', '{1,1,1}'),
        (1, 'm', 'W06000015', '{2020,2021}', '{2020-03-31,2021-03-31}', '{total,total}', '{1,2}', null, '{1,1}');
      insert into observation_sets (batch_id, measure_code, area_code, period, period_end, breakdown, value, revision,
          replaces_id)
        values (2, 'm', 'W06000015', '{2020}', '{2020-03-31}', '{total}', '{1.5}', '{2}', '{4}');
      insert into observations (measure_code, area_code, period, period_end, value, batch_id)
        values ('n', 'W92000004', '2020', '2020-03-31', 7, 2);`);
    const before = await viewRows();
    const shape = await viewShape();
    expect(before).toHaveLength(7);
    expect(shape.triggers).toEqual([expect.objectContaining({ tgname: "observations_insert" })]);

    await upgraded.migrate();
    const applied = await queryRows<{ n: number }>(
      upgraded.db,
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    );
    expect(applied[0]!.n).toBeGreaterThanOrEqual(5);
    expect(await viewRows()).toEqual(before);
    expect(await viewShape()).toEqual(shape);
    const nullable = await queryRows<{ column_name: string; is_nullable: string }>(
      upgraded.db,
      sql`select column_name, is_nullable from information_schema.columns
        where table_name = 'observation_sets' and column_name in ('breakdown', 'revision') order by column_name`,
    );
    expect(nullable).toEqual([
      { column_name: "breakdown", is_nullable: "YES" },
      { column_name: "revision", is_nullable: "YES" },
    ]);
    expect(await read("id::int, breakdown, value, revision, replaces_id::int")).toEqual([
      { id: 1, breakdown: "total", value: 10, revision: 1, replaces_id: null },
      { id: 2, breakdown: "sex=female", value: 4, revision: 1, replaces_id: null },
      { id: 3, breakdown: "sex=male", value: 6, revision: 1, replaces_id: null },
      { id: 4, breakdown: "total", value: 1, revision: 1, replaces_id: null },
      { id: 5, breakdown: "total", value: 2, revision: 1, replaces_id: null },
      { id: 6, breakdown: "total", value: 1.5, revision: 2, replaces_id: 4 },
      { id: 7, breakdown: "total", value: 7, revision: 1, replaces_id: null },
    ]);
  });

  it("reads a NULL breakdown array as 'total' and a NULL revision array as 1 for every value", async () => {
    // (continues the database of the test above, now upgraded)
    await upgraded.exec(`insert into observation_sets (batch_id, measure_code, area_code, period, period_end, value,
          breakdown, revision)
        values (2, 'p', 'W92000004', '{2019,2020}', '{2019-03-31,2020-03-31}', '{1,2}', null, null),
          (2, 'p', 'W06000015', '{2019,2019}', '{2019-03-31,2019-03-31}', '{3,4}', '{total,sex=male}', null),
          (2, 'p', 'W06000015', '{2020}', '{2020-03-31}', '{5}', null, '{3}');`);
    expect(await read("id::int, area_code, period, breakdown, value, revision", "measure_code = 'p'")).toEqual([
      { id: 8, area_code: "W92000004", period: "2019", breakdown: "total", value: 1, revision: 1 },
      { id: 9, area_code: "W92000004", period: "2020", breakdown: "total", value: 2, revision: 1 },
      { id: 10, area_code: "W06000015", period: "2019", breakdown: "total", value: 3, revision: 1 },
      { id: 11, area_code: "W06000015", period: "2019", breakdown: "sex=male", value: 4, revision: 1 },
      { id: 12, area_code: "W06000015", period: "2020", breakdown: "total", value: 5, revision: 3 },
    ]);
    // the view's insert trigger still applies its defaults and sees keys stored with NULL arrays
    const insert = (period: string, revision?: number) =>
      upgraded.exec(`insert into observations (measure_code, area_code, period, period_end, value, batch_id
          ${revision === undefined ? "" : ", revision"})
        values ('p', 'W92000004', '${period}', '2021-03-31', 0, 2 ${revision === undefined ? "" : `, ${revision}`})`);
    await expect(insert("2019")).rejects.toThrow(/duplicate observation/);
    await insert("2019", 2);
    await insert("2021");
    expect(await read("period, breakdown, revision", "measure_code = 'p' and area_code = 'W92000004'")).toEqual([
      { period: "2019", breakdown: "total", revision: 1 },
      { period: "2020", breakdown: "total", revision: 1 },
      { period: "2019", breakdown: "total", revision: 2 },
      { period: "2021", breakdown: "total", revision: 1 },
    ]);
  });
});
