/**
 * Issue 17: every real file in ../shared/sample-data imported into a clean database (no demo), the way the README
 * tells a user to (`omf import FILE --measure CODE --publish`), then values checked in the pages and the API against
 * the source files (through the app, and in Chromium as a reader sees them), and the pages honest where a figure is missing (no Wales row, no Wales figure for the latest
 * period), counts without a Wales reference line, rates with their unit.
 *
 * The teenage conception rates are refused as published: their local-authority rates come without the number of
 * conceptions, which the measure's disclosure rule (suppress numerators below 5) needs. The test imports them the way
 * the refusal tells the user to: those rates left empty and marked suppressed (note code c), the Wales series with
 * its numerators as published.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyseMeasures } from "../../src/services/analysis/index.ts";
import { runImport } from "../../src/services/import/run-import.ts";
import { readSharedCsv, requireShared, sharedAvailable, sharedDir } from "../domain/helpers/shared-data.ts";
import { browserSkipReason, closeContexts, listen, openPage, screenshot, sharedBrowser } from "../support/browser.ts";
import { TEST_ACTOR } from "../support/import-fixtures.ts";
import { SAMPLE_FILES } from "../support/sample-files.ts";
import { seededApp, type TestApp } from "../support/test-app.ts";

const CONCEPTIONS_FILE = "teenage_conceptions_under18_rate.csv";
const CONCEPTIONS = "under-18-conception-rate";

/** The conception rates with every rate that lacks its numerator left empty and marked suppressed (note code c). */
function conceptionsSuppressed(): string {
  const rows = readSharedCsv(`sample-data/${CONCEPTIONS_FILE}`);
  const columns = Object.keys(rows[0]!);
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const lines = rows.map((r) =>
    [...columns.map((c) => (c === "value" && !r.numerator ? "" : (r[c] ?? ""))), r.numerator ? "" : "c"]
      .map(quote)
      .join(","),
  );
  return `${[...columns, "note_code"].join(",")}\n${lines.join("\n")}\n`;
}

let t: TestApp;
let conceptionsRefusal: Awaited<ReturnType<typeof runImport>> | undefined;
const tmp = mkdtempSync(path.join(tmpdir(), "omf-real-data-"));
const importFile = (file: string, measure: string) =>
  runImport(t.database, file, { dryRun: false, publish: true, measure, actor: TEST_ACTOR });
beforeAll(async () => {
  t = await seededApp();
  if (!sharedAvailable) return;
  for (const [file, measure] of Object.entries(SAMPLE_FILES)) {
    const summary = await importFile(path.join(sharedDir, "sample-data", file), measure);
    expect(summary.errors, file).toEqual([]);
  }
  conceptionsRefusal = await importFile(path.join(sharedDir, "sample-data", CONCEPTIONS_FILE), CONCEPTIONS);
  const suppressed = path.join(tmp, CONCEPTIONS_FILE);
  writeFileSync(suppressed, conceptionsSuppressed());
  const summary = await importFile(suppressed, CONCEPTIONS);
  expect(summary.errors, CONCEPTIONS_FILE).toEqual([]);
  await analyseMeasures(t.database.db);
}, 600_000);
afterAll(async () => {
  rmSync(tmp, { recursive: true, force: true });
  await t?.close();
});

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

  it("refuses the published conception rates that lack their numerator, naming the rule and what to do", async (ctx) => {
    requireShared(ctx);
    const published = readSharedCsv(`sample-data/${CONCEPTIONS_FILE}`);
    const lacking = published.flatMap((row, i) => (row.value && !row.numerator ? [i + 2] : []));
    expect(lacking.length).toBeGreaterThan(0);
    expect(conceptionsRefusal!.errors.map((e) => [e.row, e.column, e.code])).toEqual(
      lacking.map((row) => [row, "numerator", "disclosure_count_missing"]),
    );
    expect(conceptionsRefusal!.errors[0]!.message).toMatch(
      /numerator is empty, but measure under-18-conception-rate .*5.*leave the value empty with note code c/,
    );
    expect(conceptionsRefusal!.batch ?? null).toBeNull();
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
    // Cardiff's 2021 rate is suppressed (published without its numerator); Wales 2016 is a published rate
    const wales2016 = await page("/en/measures/under-18-conception-rate?period=2016");
    expect(wales2016).toMatch(/20\.9 per 1,000/);
  });

  it("the spine chart gives an area's figure and why it is not placed when there is no Wales figure, and says a suppressed value is suppressed, never 'No data'", async (ctx) => {
    requireShared(ctx);
    const rows = readSharedCsv("sample-data/fully_immunised_by_4th_birthday.csv").filter(
      (r) => r.area_code === "W06000015",
    );
    const latest = rows.sort((a, b) => (a.period ?? "").localeCompare(b.period ?? "")).at(-1)!;
    for (const lang of ["en", "cy"] as const) {
      const html = await page(`/${lang}/areas/W06000015`);
      const spine = html.slice(
        html.indexOf('id="chart-spine"'),
        html.indexOf("</svg>", html.indexOf('id="chart-spine"')),
      );
      const row = [...spine.matchAll(/<g><title>([^<]*)<\/title>/g)].map((m) => m[1]!).find((x) => x.includes(": "));
      expect(row, lang).toBeDefined();
      const value = Number(latest.value).toLocaleString(lang === "en" ? "en-GB" : "cy-GB", {
        minimumFractionDigits: 1,
        maximumFractionDigits: 1,
      });
      const why = lang === "en" ? "no Wales figure for this period" : "dim ffigur i Gymru ar gyfer y cyfnod hwn";
      expect(spine).toContain(`${value}: ${why}`);
      expect(spine).not.toContain(lang === "en" ? ">No data</text>" : ">Dim data</text>");
      // Cardiff's latest conception rate was published without its numerator, so it is suppressed: the row says so
      expect(spine).toContain(lang === "en" ? ">Suppressed</text>" : ">Wedi&#39;i atal</text>");
    }
  });

  it("a one-period series shows the point with its interval and says so, not an empty line", async (ctx) => {
    requireShared(ctx);
    const cardiff = readSharedCsv("sample-data/low_birth_weight.csv").find((r) => r.area_code === "W06000015")!;
    const en = await page("/en/measures/low-birth-weight?area=W06000015");
    expect(en).toMatch(
      new RegExp(
        `<p class="govuk-body" id="series-note">There is a figure for one period only, so there is no line over time yet: ${cardiff.value}% in 2023 \\(95% confidence interval [\\d.]+ to [\\d.]+\\)\\.</p>`,
      ),
    );
    const chart = en.slice(en.indexOf('id="chart-series"'), en.indexOf("</svg>", en.indexOf('id="chart-series"')));
    expect(chart).toMatch(/<path d="M[\d.]+ [\d.]+V[\d.]+M/);
    const cy = await page("/cy/measures/low-birth-weight?area=W06000015");
    expect(cy).toContain('id="series-note">Mae ffigur ar gyfer un cyfnod yn unig');
  });

  it("snapshot-date axis labels are thinned so that none overlaps, the latest always shown", async (ctx) => {
    requireShared(ctx);
    const html = await page("/en/measures/children-looked-after-count?area=W06000015");
    const chart = html.slice(
      html.indexOf('id="chart-series"'),
      html.indexOf("</svg>", html.indexOf('id="chart-series"')),
    );
    const labels = [
      ...chart.matchAll(
        /<text x="([\d.]+)" y="([\d.]+)" text-anchor="middle" font-size="13">(\d+ March \d{4})<\/text>/g,
      ),
    ];
    const periods = new Set(
      readSharedCsv("sample-data/children_looked_after_count_31_march.csv")
        .filter((r) => r.area_code === "W06000015")
        .map((r) => r.period),
    );
    expect(labels.length).toBeGreaterThan(1);
    expect(labels.length).toBeLessThan(periods.size);
    expect(labels.at(-1)![3]).toBe(`31 March ${[...periods].sort().at(-1)!.slice(0, 4)}`);
    for (let i = 1; i < labels.length; i++) {
      // a generous width for 13 px text: 0.6 em a character
      expect(Number(labels[i]![1]) - Number(labels[i - 1]![1])).toBeGreaterThanOrEqual(
        labels[i]![3]!.length * 0.6 * 13,
      );
    }
  });
});

const browserSkip = browserSkipReason();
describe.skipIf(browserSkip !== null)("real data in Chromium", () => {
  let browser: Browser;
  let base: string;
  beforeAll(async () => {
    base = await listen(t.app);
    browser = await sharedBrowser();
  }, 120_000);
  afterAll(async () => {
    await closeContexts(browser);
  });

  it("shows the source files' figures on the measure page and in the API, in English and Welsh", async (ctx) => {
    requireShared(ctx);
    const birthWeight = readSharedCsv("sample-data/low_birth_weight.csv").find((r) => r.area_code === "W06000015")!;
    const lookedAfter = readSharedCsv("sample-data/children_looked_after_count_31_march.csv").filter(
      (r) => r.area_code === "W06000015",
    );
    const latest = lookedAfter.sort((a, b) => a.period!.localeCompare(b.period!)).at(-1)!;
    const { page, context, errors } = await openPage(browser);
    try {
      for (const lang of ["en", "cy"] as const) {
        await page.goto(`${base}/${lang}/measures/low-birth-weight?area=W06000015`);
        const text = await page.locator("main").textContent();
        expect(text).toContain(`${birthWeight.value}%`);
        expect(text).not.toMatch(/Illustrative|Enghreifftiol/);
        await page.goto(`${base}/${lang}/measures/children-looked-after-count?area=W06000015`);
        // the area's latest count, as published, in the page's table of values
        const cells = await page.locator("main table td, main table th").allInnerTexts();
        const count = Number(latest.value).toLocaleString("en-GB");
        expect(cells.some((c) => c.trim() === count || c.trim().startsWith(`${count} `))).toBe(true);
        await screenshot(page, `real-data-looked-after-${lang}`);
      }
      const api = await page.goto(`${base}/api/v1/data?measure=low-birth-weight&area=W06000015`);
      const body = (await api!.json()) as { data: { period: string; value: number; numerator: number }[] };
      expect(body.data[0]).toMatchObject({
        period: birthWeight.period,
        value: Number(birthWeight.value),
        numerator: Number(birthWeight.numerator),
      });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
