/**
 * Property: an export re-imports to the same data. For random valid data in several measures (with breakdowns, note
 * codes, intervals, empty values and disclosure rules), export → import into an empty database → export gives the
 * same published data, in every export format.
 */
import { createWriteStream, readFileSync } from "node:fs";
import { finished } from "node:stream/promises";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { visibleObservations } from "../../src/db/queries/visible-observations.ts";
import { type ExportFormat, exportObservations } from "../../src/services/import/export.ts";
import { runImport } from "../../src/services/import/run-import.ts";
import { clearImports, importCsv, seededDatabase, TEST_ACTOR, tempFile } from "../support/import-fixtures.ts";

let database: Database;
beforeAll(async () => {
  database = await seededDatabase();
});
afterAll(async () => {
  await database?.close();
});

const AREAS = ["W92000004", "W06000001", "W06000015", "W06000023"];

interface Row {
  measure: string;
  area: string;
  period: string;
  breakdown: string;
  value: string;
  numerator: string;
  denominator: string;
  lower: string;
  upper: string;
  notes: string;
}

const notes = fc.subarray(["p", "r", "e", "provisional", "b"], { maxLength: 2 }).map((n) => n.join(";"));

const proportion = fc
  .record({
    area: fc.constantFrom(...AREAS),
    year: fc.integer({ min: 2005, max: 2024 }),
    quintile: fc.constantFrom("", "1", "3", "5"),
    den: fc.integer({ min: 1, max: 100_000 }),
    frac: fc.double({ min: 0, max: 1, noNaN: true }),
    notes,
  })
  .map(({ area, year, quintile, den, frac, notes }): Row => {
    const num = Math.floor(den * frac);
    return {
      measure: "low-birth-weight",
      area,
      period: String(year),
      breakdown: quintile ? `deprivation_quintile=${quintile}` : "total",
      value: ((num / den) * 100).toFixed(2),
      numerator: String(num),
      denominator: String(den),
      lower: "",
      upper: "",
      notes,
    };
  });

const rate = fc
  .record({
    area: fc.constantFrom(...AREAS),
    year: fc.integer({ min: 2005, max: 2024 }),
    num: fc.integer({ min: 0, max: 400 }),
    den: fc.integer({ min: 500, max: 50_000 }),
    notes,
  })
  .map(
    ({ area, year, num, den, notes }): Row => ({
      measure: "under-18-conception-rate", // suppress numerators below 5
      area,
      period: String(year),
      breakdown: "total",
      value: ((num / den) * 1000).toFixed(1),
      numerator: String(num),
      denominator: String(den),
      lower: "",
      upper: "",
      notes,
    }),
  );

const count = fc
  .record({
    area: fc.constantFrom(...AREAS),
    year: fc.integer({ min: 2003, max: 2024 }),
    sex: fc.constantFrom("", "female", "male"),
    n: fc.integer({ min: 0, max: 9000 }),
    missing: fc.boolean(),
  })
  .map(
    ({ area, year, sex, n, missing }): Row => ({
      measure: "children-looked-after-count", // rounded to 5
      area,
      period: `${year}-03-31`,
      breakdown: sex ? `sex=${sex}` : "total",
      value: missing ? "" : String(n),
      numerator: "",
      denominator: "",
      lower: "",
      upper: "",
      notes: missing ? "x" : "",
    }),
  );

const score = fc
  .record({
    area: fc.constantFrom(...AREAS),
    year: fc.integer({ min: 2015, max: 2024 }),
    value: fc.double({ min: 100, max: 500, noNaN: true }),
    half: fc.double({ min: 0, max: 20, noNaN: true }),
  })
  .map(
    ({ area, year, value, half }): Row => ({
      measure: "ks4-capped-9-points-score",
      area,
      period: `${year}/${String((year + 1) % 100).padStart(2, "0")}`,
      breakdown: "total",
      value: String(value),
      numerator: "",
      denominator: "",
      lower: String(value - half),
      upper: String(value + half),
      notes: "",
    }),
  );

const dataset = fc.uniqueArray(fc.oneof(proportion, rate, count, score), {
  minLength: 1,
  maxLength: 40,
  selector: (r) => `${r.measure}|${r.area}|${r.period}|${r.breakdown}`,
});

function toCsv(rows: Row[]): string {
  const q = (s: string) => (/[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return [
    "measure_code,area_code,period,breakdown,value,numerator,denominator,lower_ci,upper_ci,note_code",
    ...rows.map((r) =>
      [r.measure, r.area, r.period, r.breakdown, r.value, r.numerator, r.denominator, r.lower, r.upper, r.notes]
        .map(q)
        .join(","),
    ),
  ].join("\n");
}

async function exportTo(format: ExportFormat): Promise<string> {
  const ext = format === "json" ? ".json" : `.${format}`;
  const path = tempFile("", ext);
  const out = createWriteStream(path);
  await exportObservations(database, out, { format });
  if (format !== "xlsx") out.end();
  await finished(out);
  return path;
}

async function publicData() {
  return (await visibleObservations(database.db, {})).map(
    ({ id: _id, batchId: _b, publishAt: _p, revision: _r, batchStatus: _s, ...rest }) => rest,
  );
}

describe("export → import round trip", () => {
  it.each(["csv", "xlsx", "json"] as const)(
    "re-imports a %s export to the same published data",
    async (format) => {
      await fc.assert(
        fc.asyncProperty(dataset, async (rows) => {
          await clearImports(database);
          const first = await importCsv(database, toCsv(rows), { publish: true });
          expect(first.errors).toEqual([]);
          const before = await publicData();
          const path = await exportTo(format);
          await clearImports(database);
          const again = await runImport(database, path, { dryRun: false, publish: true, actor: TEST_ACTOR });
          expect(again.errors).toEqual([]);
          expect(await publicData()).toEqual(before);
          if (format === "csv") {
            const second = await exportTo(format);
            expect(readFileSync(second, "utf8")).toBe(readFileSync(path, "utf8"));
          }
        }),
        { numRuns: format === "csv" ? 15 : 8 },
      );
    },
    120_000,
  );
});
