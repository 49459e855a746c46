/**
 * `visibleObservations` reads each row as one JSON text (row_to_json) instead of its columns. This checks that every
 * value comes back exactly as the columns give it through drizzle: every row of the demo data (drafts and embargoed
 * values too, raw), and awkward values (doubles that print with 17 digits, the smallest double, negative zero, a batch
 * published from a time given to the millisecond). Both databases.
 */
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { type VisibleObservation, visibleObservations } from "../../src/db/queries/visible-observations.ts";
import { importBatches, observations } from "../../src/db/schema.ts";
import { publishBatch } from "../../src/services/import/batches.ts";
import { freshDemoDatabase } from "../support/demo-database.ts";
import { importCsv, TEST_ACTOR } from "../support/import-fixtures.ts";

let database: Database;
beforeAll(async () => {
  database = await freshDemoDatabase();
});
afterAll(async () => {
  await database?.close();
});

/** The same rows read column by column through drizzle, by id. */
async function byColumns(rows: readonly VisibleObservation[]): Promise<VisibleObservation[]> {
  const db = database.db;
  const read = new Map<number, VisibleObservation>();
  for (let i = 0; i < rows.length; i += 2_000) {
    const ids = rows.slice(i, i + 2_000).map((r) => r.id);
    const found = await db
      .select({
        id: observations.id,
        measureCode: observations.measureCode,
        areaCode: observations.areaCode,
        period: observations.period,
        periodEnd: observations.periodEnd,
        breakdown: observations.breakdown,
        value: observations.value,
        numerator: observations.numerator,
        denominator: observations.denominator,
        lower95: observations.lower95,
        upper95: observations.upper95,
        lower998: observations.lower998,
        upper998: observations.upper998,
        ciSupplied: observations.ciSupplied,
        noteCodes: observations.noteCodes,
        illustrative: observations.illustrative,
        revision: observations.revision,
        batchId: observations.batchId,
        batchStatus: importBatches.status,
        publishAt: importBatches.publishAt,
      })
      .from(observations)
      .innerJoin(importBatches, eq(importBatches.id, observations.batchId))
      .where(and(inArray(observations.id, ids)));
    for (const r of found) read.set(r.id, { ...r, id: Number(r.id) });
  }
  return rows.map((r) => read.get(r.id)!);
}

describe("visible observations read as JSON rows", () => {
  it("give every value of the demo data as its columns do", async () => {
    const rows = await visibleObservations(database.db, { includeDrafts: true, disclosure: "raw" });
    expect(rows.length).toBeGreaterThan(10_000);
    expect(rows).toEqual(await byColumns(rows));
    // and in the order one statement gives: measure, area, period end, breakdown
    const key = (r: VisibleObservation) => [r.measureCode, r.areaCode, r.periodEnd, r.breakdown];
    const sorted = [...rows].sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
      return 0;
    });
    expect(rows.map((r) => r.id)).toEqual(sorted.map((r) => r.id));
  });

  it("give awkward values exactly: 17-digit doubles, the smallest double, negative zero", async () => {
    const header = "measure_code,area_code,period,value,lower_95,upper_95\n";
    const lines = [
      "low-birth-weight,W06000001,2031,0.30000000000000004,1e-300,0.30000000000000004",
      "low-birth-weight,W06000002,2031,-0,-0.000001,33.333333333333336",
      "low-birth-weight,W06000003,2031,66.66666666666667,5e-324,99.99999999999999",
    ];
    const draft = await importCsv(database, `${header}${lines.join("\n")}\n`);
    expect(draft.ok, JSON.stringify(draft.errors)).toBe(true);
    // under embargo until a time given to the millisecond
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 86_400_000 + 678);
    await publishBatch(database, draft.batch!.id, { at, actor: TEST_ACTOR });
    const rows = await visibleObservations(database.db, {
      includeDrafts: true,
      disclosure: "raw",
      measureCodes: ["low-birth-weight"],
      periods: ["2031"],
    });
    expect(rows).toHaveLength(3);
    expect(rows).toEqual(await byColumns(rows));
    const [a, b, c] = rows;
    expect(a).toMatchObject({ value: 0.30000000000000004, lower95: 1e-300, upper95: 0.30000000000000004 });
    expect(b).toMatchObject({ value: -0, lower95: -0.000001, upper95: 33.333333333333336 });
    expect(c).toMatchObject({ value: 66.66666666666667, lower95: 5e-324, upper95: 99.99999999999999 });
    expect(a!.publishAt).toEqual(at);
    // the public sees them from that time, not before
    const publicAt = (asAt: Date) =>
      visibleObservations(database.db, { asAt, measureCodes: ["low-birth-weight"], periods: ["2031"] });
    expect(await publicAt(new Date(at.getTime() - 1))).toEqual([]);
    expect((await publicAt(at)).map((r) => r.id)).toEqual(rows.map((r) => r.id));
  });
});
