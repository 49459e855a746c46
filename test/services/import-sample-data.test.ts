/**
 * The real published files in ../shared/sample-data import with a mapping (their measure text, English area names,
 * FYE periods, snapshot dates) and give the published values back. The files are read from the shared folder, never
 * copied into the repository.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { visibleObservations } from "../../src/db/queries/visible-observations.ts";
import { parseMapping, readMappingFile } from "../../src/ingest/observations/mapping.ts";
import { runImport } from "../../src/services/import/run-import.ts";
import { readSharedCsv, requireShared, sharedDir } from "../domain/helpers/shared-data.ts";
import { clearImports, seededDatabase, TEST_ACTOR } from "../support/import-fixtures.ts";

const FILES: Record<string, string> = {
  "flying_start_health_visitor_contacts_per_child.csv": "flying-start-hv-contacts-per-child",
  "flying_start_children_receiving_services.csv": "flying-start-children-receiving-services",
  "children_looked_after_count_31_march.csv": "children-looked-after-count",
  "children_relative_low_income.csv": "children-low-income-families",
  "low_birth_weight.csv": "low-birth-weight",
  "fully_immunised_by_4th_birthday.csv": "fully-immunised-by-4",
};

let database: Database;
beforeAll(async () => {
  database = await seededDatabase();
});
afterAll(async () => {
  await database?.close();
});

/** The mapping an analyst would write for one of these files: measure text → code, English names for areas. */
function mappingFor(file: string, code: string) {
  const rows = readSharedCsv(`sample-data/${file}`);
  const text = rows[0]!.measure!;
  return parseMapping(`
measures:
  ${JSON.stringify(text)}: ${code}
columns:
  area_code: ignore   # match areas by their English names only
ignore: [unit, source]
`);
}

/** Imports and publishes one sample file with the mapping above. */
function importSample(file: string, code: string) {
  return runImport(database, path.join(sharedDir, "sample-data", file), {
    dryRun: false,
    publish: true,
    mapping: mappingFor(file, code),
    actor: TEST_ACTOR,
  });
}

describe("the real published sample files", () => {
  it.for(Object.entries(FILES))(
    "%s imports with a mapping and gives the published values back",
    async ([file, code], ctx) => {
      requireShared(ctx);
      await clearImports(database);
      const published = readSharedCsv(`sample-data/${file}`);
      const summary = await importSample(file, code);
      expect(summary.errors).toEqual([]);
      expect(summary.warnings).toEqual([]);
      expect(summary.counts).toMatchObject({ rows: published.length, new: published.length, errors: 0 });
      expect(summary.measures).toEqual([{ code, rows: published.length }]);

      // What the analysts see (raw) is exactly what was published; what the public sees has the measure's disclosure
      // rule applied.
      const raw = await visibleObservations(database.db, {
        includeDrafts: true,
        disclosure: "raw",
        measureCodes: [code],
      });
      const byKey = new Map(raw.map((o) => [`${o.areaCode}|${o.periodEnd}`, o]));
      for (const row of published) {
        const end = (row.period!.match(/(\d{4}-\d{2}-\d{2})$/)?.[1] ??
          (/^\d{4}$/.test(row.period!)
            ? `${row.period}-12-31`
            : `${Number((row.period!.match(/(\d{4})-\d{2}\)?$/) ?? [])[1]) + 1}-03-31`)) as string;
        const o = byKey.get(`${row.area_code}|${end}`);
        expect(o, `${file}: ${row.area_name} ${row.period}`).toBeDefined();
        expect(o!.value).toBe(Number(row.value));
        expect(o!.numerator).toBe(row.numerator ? Number(row.numerator) : null);
        expect(o!.denominator).toBe(row.denominator ? Number(row.denominator) : null);
      }
      const pub = await visibleObservations(database.db, { measureCodes: [code] });
      expect(pub).toHaveLength(published.length);
    },
  );

  it("refuses the teenage conception rates that come without their numerator (the measure suppresses numerators below 5)", async (ctx) => {
    requireShared(ctx);
    await clearImports(database);
    const file = "teenage_conceptions_under18_rate.csv";
    const code = "under-18-conception-rate";
    const published = readSharedCsv(`sample-data/${file}`);
    const summary = await importSample(file, code);
    const lacking = published.flatMap((row, i) => (row.value && !row.numerator ? [i + 2] : []));
    expect(lacking.length).toBeGreaterThan(0);
    expect(summary.errors.map((e) => [e.row, e.column, e.code])).toEqual(
      lacking.map((row) => [row, "numerator", "disclosure_count_missing"]),
    );
    expect(await visibleObservations(database.db, { includeDrafts: true, measureCodes: [code] })).toEqual([]);
  });

  it("imports with the documented mapping example (docs/examples/mapping.yaml)", async (ctx) => {
    requireShared(ctx);
    await clearImports(database);
    const summary = await runImport(database, path.join(sharedDir, "sample-data", "children_relative_low_income.csv"), {
      dryRun: true,
      mapping: await readMappingFile("docs/examples/mapping.yaml"),
      actor: TEST_ACTOR,
    });
    expect(summary.errors).toEqual([]);
    expect(summary.counts.new).toBe(138);
  });

  it("re-importing a published file changes nothing", async (ctx) => {
    requireShared(ctx);
    await clearImports(database);
    const file = "children_relative_low_income.csv";
    const options = {
      dryRun: false,
      publish: true,
      mapping: mappingFor(file, FILES[file]!),
      actor: TEST_ACTOR,
    };
    const full = path.join(sharedDir, "sample-data", file);
    await runImport(database, full, options);
    const again = await runImport(database, full, { ...options, dryRun: true });
    expect(again.counts).toMatchObject({ new: 0, revised: 0, unchanged: 138 });
  });
});
