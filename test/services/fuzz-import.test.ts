/**
 * Fuzzing through the database (issue 19), a few hundred seeded cases (test/support/fuzz.ts, docs/testing.md; the bulk
 * of the importer fuzzing runs in process in test/ingest/fuzz-*.test.ts):
 *
 * - generated CSV files, mostly valid rows with hostile cells among them, imported one after another into one
 *   database: a file with any error writes nothing (no batch, no observation); a file without errors writes every
 *   new and revised value it reports, all in its one batch. Never partial data.
 * - generated query strings on the API and the pages: a page, a download or a 4xx naming the problem, never a 500.
 */
import { eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importBatches, observations } from "../../src/db/schema.ts";
import { InvalidError } from "../../src/domain/errors.ts";
import type { ImportSummary } from "../../src/services/import/summary.ts";
import { FUZZ_SEED, fuzz } from "../support/fuzz.ts";
import { importCsv } from "../support/import-fixtures.ts";
import { seededApp, type TestApp } from "../support/test-app.ts";

const IMPORT_RUNS = Number(process.env.OMF_FUZZ_DB_RUNS ?? 100);
const REQUEST_RUNS = Number(process.env.OMF_FUZZ_DB_RUNS ?? 300);

let t: TestApp;
beforeAll(async () => {
  t = await seededApp();
});
afterAll(async () => {
  await t?.close();
});

const AREAS = ["W92000004", "W06000015", "W06000001", "W06000011", "W06000023", "Caerdydd"];
const hostile = fc.constantFrom("", "x", "-1", "1e309", "NaN", "7,1", "Atlantis", "2019-20", "q", '"', "\u0000");

/** One data row of low-birth-weight (a proportion): consistent counts, or a hostile cell somewhere. */
const row = fc
  .record({
    area: fc.constantFrom(...AREAS),
    year: fc.integer({ min: 2010, max: 2023 }),
    denominator: fc.integer({ min: 1, max: 50_000 }),
    share: fc.double({ min: 0, max: 0.3, noNaN: true }),
    note: fc.constantFrom("", "", "", "p", "r", "z"),
    spoil: fc.oneof(
      { weight: 30, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.tuple(fc.nat({ max: 6 }), hostile) },
    ),
  })
  .map((r) => {
    const numerator = Math.round(r.share * r.denominator);
    const cells = [
      "low-birth-weight",
      r.area,
      String(r.year),
      ((numerator / r.denominator) * 100).toFixed(6),
      String(numerator),
      String(r.denominator),
      r.note,
    ];
    if (r.spoil) cells[r.spoil[0]] = r.spoil[1];
    return cells.map((c) => (/[",\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(",");
  });
const HEADER = "measure_code,area_code,period,value,numerator,denominator,note_code";

async function counts(): Promise<{ observations: number; batches: number }> {
  return {
    observations: await t.database.db.$count(observations),
    batches: await t.database.db.$count(importBatches),
  };
}

describe("fuzzing through the database", () => {
  it(`imports ${IMPORT_RUNS} generated files whole or not at all`, async () => {
    let written = 0;
    let refused = 0;
    const codes = new Map<string, number>();
    await fuzz(
      "imports into the database",
      IMPORT_RUNS,
      fc.asyncProperty(
        fc.uniqueArray(row, { minLength: 1, maxLength: 12, selector: (r) => r.split(",").slice(1, 3).join() }),
        async (rows) => {
          const before = await counts();
          let summary: ImportSummary | null = null;
          try {
            summary = await importCsv(t.database, `${HEADER}\n${rows.join("\n")}\n`);
          } catch (error) {
            if (!(error instanceof InvalidError)) throw error;
          }
          const after = await counts();
          if (!summary?.ok) {
            refused++;
            for (const e of summary?.errors ?? []) codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
            expect(after).toEqual(before);
            if (summary) expect(summary.counts.errors).toBeGreaterThan(0);
            return;
          }
          written++;
          expect(summary.counts.valid).toBe(summary.counts.rows);
          const changed = summary.counts.new + summary.counts.revised;
          expect(after.observations - before.observations).toBe(changed);
          expect(after.batches - before.batches).toBe(changed > 0 ? 1 : 0);
          if (changed > 0) {
            const inBatch = await t.database.db.$count(observations, eq(observations.batchId, summary.batch!.id));
            expect(inBatch).toBe(changed);
          }
        },
      ),
    );
    console.log(
      `imports: ${written} files written whole, ${refused} refused writing nothing (seed ${FUZZ_SEED}); errors:`,
      [...codes].sort((a, b) => b[1] - a[1]).slice(0, 8),
    );
    expect(written).toBeGreaterThan(IMPORT_RUNS / 5);
    expect(refused).toBeGreaterThan(IMPORT_RUNS / 10);
  }, 600_000);

  it(`answers ${REQUEST_RUNS} generated query strings without a server error`, async () => {
    const paths = [
      "/api/v1/data",
      "/api/v1/data.csv",
      "/api/v1/analysis",
      "/api/v1/analysis/gaps",
      "/api/v1/analysis/compare",
      "/api/v1/measures",
      "/api/v1/areas",
      "/api/v1/plans",
      "/en/measures",
      "/en/measures/low-birth-weight",
      "/cy/measures/low-birth-weight/download",
      "/en/compare",
      "/en/map",
      "/en/overview",
      "/en/dashboard",
      "/en/areas/W06000015",
      "/en/plans",
      "/en/plans/choices",
    ];
    const key = fc.constantFrom(
      "measure",
      "area",
      "period",
      "breakdown",
      "page",
      "pageSize",
      "sort",
      "comparator",
      "format",
      "lang",
      "aim",
      "measure[]",
      "__proto__",
      "a[b]",
      "",
    );
    const value = fc.oneof(
      fc.constantFrom(
        "low-birth-weight",
        "W06000015",
        "2019",
        "2019-20",
        "1",
        "0",
        "-1",
        "99999999999",
        "csv",
        "xlsx",
        "%",
        "%00",
        "%E0%A4%A",
        "<script>",
        ",",
        "",
      ),
      fc.string({ maxLength: 16 }),
    );
    const query = fc.array(fc.tuple(key, value), { maxLength: 5 });
    const errors: string[] = [];
    await fuzz(
      "query strings on the app",
      REQUEST_RUNS,
      fc.asyncProperty(fc.constantFrom(...paths), query, async (path, pairs) => {
        // raw, so that broken percent-encoding reaches the server too
        const qs = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${v.startsWith("%") ? v : encodeURIComponent(v)}`);
        const url = qs.length ? `${path}?${qs.join("&")}` : path;
        const r = await t.app.inject({ url });
        if (r.statusCode >= 500) errors.push(`${url}: ${r.statusCode}`);
        expect(r.statusCode, url).toBeLessThan(500);
      }),
    );
    expect(errors).toEqual([]);
  }, 600_000);
});
