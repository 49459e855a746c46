/**
 * Issue 17: every real file in ../shared/sample-data imported into a clean database (no demo), the way the README
 * tells a user to (`omf import FILE --measure CODE --publish`), then values checked in the pages and the API against
 * the source files, and the pages honest where a figure is missing (no Wales row, no Wales figure for the latest
 * period), counts without a Wales reference line, rates with their unit.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyseMeasures } from "../../src/services/analysis/index.ts";
import { runImport } from "../../src/services/import/run-import.ts";
import { readSharedCsv, requireShared, sharedAvailable, sharedDir } from "../domain/helpers/shared-data.ts";
import { TEST_ACTOR } from "../support/import-fixtures.ts";
import { SAMPLE_FILES } from "../support/sample-files.ts";
import { seededApp, type TestApp } from "../support/test-app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await seededApp();
  if (!sharedAvailable) return;
  for (const [file, measure] of Object.entries(SAMPLE_FILES)) {
    const summary = await runImport(t.database, path.join(sharedDir, "sample-data", file), {
      dryRun: false,
      publish: true,
      measure,
      actor: TEST_ACTOR,
    });
    expect(summary.errors, file).toEqual([]);
  }
  await analyseMeasures(t.database.db);
}, 600_000);
afterAll(async () => t?.close());

const page = async (url: string) => {
  const r = await t.app.inject({ url });
  expect(r.statusCode, url).toBe(200);
  return r.body;
};

describe("real data in the pages and the API", () => {
  it("gives the published values back in the API and the measure page", async (ctx) => {
    requireShared(ctx);
    const rows = readSharedCsv("sample-data/low_birth_weight.csv");
    const cardiff = rows.find((r) => r.area_code === "W06000015")!;
    const api = await t.app.inject({ url: "/api/v1/data?measure=low-birth-weight&area=W06000015" });
    const data = (api.json() as { data: { period: string; value: number; numerator: number }[] }).data;
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({
      period: "2023",
      value: Number(cardiff.value),
      numerator: Number(cardiff.numerator),
    });
    const html = await page("/en/measures/low-birth-weight?area=W06000015");
    expect(html).toContain(`${cardiff.value}%`);
    expect(html).not.toMatch(/Illustrative/);
    const lac = readSharedCsv("sample-data/children_looked_after_count_31_march.csv").find(
      (r) => r.area_code === "W92000004" && r.period === "2018-03-31",
    )!;
    const api2 = await t.app.inject({
      url: "/api/v1/data?measure=children-looked-after-count&area=W92000004&period=2018-03-31",
    });
    expect((api2.json() as { data: { value: number }[] }).data[0]!.value).toBe(Number(lac.value));
  });

  it("a measure without a Wales row says so instead of showing empty key figures", async (ctx) => {
    requireShared(ctx);
    for (const lang of ["en", "cy"]) {
      const html = await page(`/${lang}/measures/fully-immunised-by-4`);
      expect(html).not.toMatch(/<p class="govuk-heading-[lm][^"]*">\s*<\/p>/);
      expect(html).toContain(
        lang === "en" ? "No Wales figure was published for this measure" : "Ni chyhoeddwyd ffigur ar gyfer Cymru",
      );
    }
  });

  it("a latest period without a Wales figure names the latest Wales figure with its period", async (ctx) => {
    requireShared(ctx);
    const html = await page("/en/measures/under-18-conception-rate");
    expect(html).not.toMatch(/<p class="govuk-heading-[lm][^"]*">\s*<\/p>/);
    expect(html).toContain("No Wales figure was published for 2021. The latest Wales figure is 20.9 (2016).");
  });

  it("a count measure draws no Wales total as the areas' reference line", async (ctx) => {
    requireShared(ctx);
    const html = await page("/en/measures/children-looked-after-count");
    const chart = html.slice(html.indexOf('id="chart-areas"'));
    expect(chart.slice(0, chart.indexOf("</svg>"))).not.toMatch(/omf-benchmark|stroke-dasharray/);
  });

  it("rates show their unit in the area tables", async (ctx) => {
    requireShared(ctx);
    const html = await page("/en/measures/under-18-conception-rate");
    expect(html).toMatch(/Value \(Rate per 1,000\)/);
    const profile = await page("/en/areas/W06000015?tier=all");
    expect(profile).toMatch(/10\.4 per 1,000/);
  });
});
