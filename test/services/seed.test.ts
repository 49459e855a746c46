import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, queryRows } from "../../src/db/database.ts";
import { countObservations } from "../../src/db/queries/observations.ts";
import { seedDemoData } from "../../src/services/demo-data.ts";
import { ensureSeeded, seedReferenceData } from "../../src/services/seed.ts";
import { freshDatabase } from "../support/test-database.ts";

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database.close();
});

async function counts() {
  const r = await queryRows<Record<string, unknown>>(
    database.db,
    sql`select
    (select count(*)::int from measures) as measures, (select count(*)::int from areas) as areas,
    (select count(*)::int from core_aims) as aims, (select count(*)::int from audit_log) as audits,
    (select count(*)::int from area_aliases) as aliases`,
  );
  return r[0] as Record<string, number>;
}

describe("seeding", () => {
  it("loads the seven core aims, the measures and Wales with its 22 authorities", async () => {
    const first = await ensureSeeded(database.db);
    expect(first).not.toBeNull();
    const c = await counts();
    expect(c.aims).toBe(7);
    expect(c.measures).toBeGreaterThanOrEqual(30);
    const las = await queryRows<Record<string, unknown>>(
      database.db,
      sql`select count(*)::int as n from areas where type = 'local_authority'`,
    );
    expect((las[0] as { n: number }).n).toBe(22);
  });

  it("is idempotent", async () => {
    const before = await counts();
    const again = await seedReferenceData(database.db);
    expect(again.added).toBe(0);
    expect(again.updated).toBe(0);
    expect(await counts()).toEqual(before);
    expect(await ensureSeeded(database.db)).toBeNull();
  });

  it("loads illustrative demo data once, flagged as illustrative, for every live measure", async () => {
    const r = await seedDemoData(database.db, { onlyIfEmpty: false });
    expect(r.inserted).toBeGreaterThan(0);
    const n = await countObservations(database.db);
    expect(await seedDemoData(database.db, { onlyIfEmpty: false })).toEqual({ inserted: 0, measures: 0 });
    expect(await countObservations(database.db)).toBe(n);
    const flags = await queryRows<Record<string, unknown>>(
      database.db,
      sql`select bool_and(illustrative) as all_flagged, count(distinct measure_code)::int as measures,
          count(distinct area_code)::int as areas, count(distinct period)::int as periods from observations`,
    );
    const row = flags[0] as { all_flagged: boolean; measures: number; areas: number; periods: number };
    expect(row.all_flagged).toBe(true);
    expect(row.measures).toBe(r.measures);
    expect(row.areas).toBe(23);
    expect(row.periods).toBeGreaterThanOrEqual(10);
    const live = await queryRows<Record<string, unknown>>(
      database.db,
      sql`select count(*)::int as n from measures where status = 'live'`,
    );
    expect(row.measures).toBe((live[0] as { n: number }).n);
  });

  it("generates consistent proportions: Wales is the sum of the authorities, values match numerator/denominator", async () => {
    const rows = await queryRows<Record<string, unknown>>(
      database.db,
      sql`select o.measure_code, o.area_code, o.period, o.value, o.numerator,
      o.denominator, m.multiplier from observations o join measures m on m.code = o.measure_code
      where m.value_type = 'proportion' and o.denominator is not null`,
    );
    const list = rows as { value: number; numerator: number; denominator: number; multiplier: number }[];
    expect(list.length).toBeGreaterThan(0);
    for (const r of list) {
      expect(r.numerator).toBeLessThanOrEqual(r.denominator);
      expect(r.value).toBeCloseTo((r.numerator / r.denominator) * r.multiplier, 9);
    }
  });

  it("has a demo profile for every live measure, and none for unknown measures", async () => {
    const { parse } = await import("yaml");
    const { readFileSync } = await import("node:fs");
    const profiles = Object.keys(
      (parse(readFileSync("content/demo/profiles.yaml", "utf8")) as { profiles: Record<string, unknown> }).profiles,
    ).sort();
    const live = await queryRows<{ code: string }>(
      database.db,
      sql`select code from measures where status = 'live' order by code`,
    );
    expect(profiles).toEqual(live.map((r) => r.code).sort());
  });
});
