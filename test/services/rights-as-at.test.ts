/**
 * The children's rights report as at a date (`?as-at`, issue 15): the analysis recomputed in memory from what was
 * published by the end of that day equals the stored analysis for today; a later revision of a value and a plan
 * published later are left out of an earlier date; a date to come never shows an embargoed batch.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAsAt } from "../../src/domain/as-at.ts";
import { type RightsMeasure, type RightsReport, rightsReport } from "../../src/services/reports/rights.ts";
import { demoAppWithPlans } from "../support/demo-app.ts";
import { TEST_ACTOR, tempFile } from "../support/import-fixtures.ts";
import type { TestApp } from "../support/test-app.ts";

let t: TestApp;
let now: RightsReport;
const CARDIFF = "W06000015";
const GWYNEDD = "W06000002";
const asAt = (date: string) => parseAsAt(date)!;
const today = () => new Date().toISOString().slice(0, 10);
const measuresOf = (r: RightsReport) => new Map(r.aims.flatMap((a) => a.measures).map((m) => [m.measure.code, m]));
/** What the report says of a measure, without the objects that differ only in identity. */
const facts = (m: RightsMeasure) => ({
  period: m.period,
  wales: m.wales && { value: m.wales.value, trend: m.wales.trendDirection, summary: m.wales.summary },
  areas: m.areas,
  widestGap: m.widestGap,
  groupGaps: m.groupGaps.map((g) => [g.groupA, g.groupB, g.absolute, g.significant, g.gapTrend]),
  priorities: m.priorities,
  actions: m.actions,
});

beforeAll(async () => {
  t = await demoAppWithPlans();
  now = (await rightsReport(t.app.services, null))!;
}, 300_000);
afterAll(async () => {
  await t.close();
});

describe("the rights report as at a date", () => {
  it("parses only real dates, and ends the day in Wales's time", () => {
    expect(parseAsAt("2025-06-30")!.until.toISOString()).toBe("2025-06-30T22:59:59.999Z"); // BST
    expect(parseAsAt("2025-01-15")!.until.toISOString()).toBe("2025-01-15T23:59:59.999Z"); // GMT
    for (const bad of ["2023-02-29", "2025-13-01", "2025-6-1", "yesterday", "", "1899-12-31"])
      expect(parseAsAt(bad)).toBeNull();
  });

  it("as at today equals the report from the stored analysis, measure by measure", async () => {
    const same = (await rightsReport(t.app.services, null, { asAt: asAt(today()) }))!;
    expect(same.asAt).toBe(today());
    const a = measuresOf(now);
    const b = measuresOf(same);
    expect([...b.keys()]).toEqual([...a.keys()]);
    expect([...a.values()].filter((m) => m.wales).length).toBeGreaterThan(5);
    for (const [code, m] of a) expect(facts(b.get(code)!), code).toEqual(facts(m));
    expect(same.coverage).toEqual(now.coverage);
    expect(same.plans).toEqual(now.plans);
  }, 120_000);

  it("leaves out revisions and plans published after the date", async () => {
    const target = [...measuresOf(now).values()].find(
      (m) => m.local && m.measure.valueType === "proportion" && m.wales?.value != null && m.period,
    )!;
    expect(target).toBeDefined();
    // the demo data and Cardiff's plan were published on 1 January 2025, Gwynedd's plan on 1 March 2026
    await t.database.exec(`UPDATE import_batches SET publish_at = '2025-01-01T09:00:00Z'`);
    await t.database.exec(
      `UPDATE plans SET published_at = '2025-01-01T09:00:00Z' WHERE area_code = '${CARDIFF}' AND published_at IS NOT NULL`,
    );
    await t.database.exec(
      `UPDATE plans SET published_at = '2026-03-01T09:00:00Z' WHERE area_code = '${GWYNEDD}' AND published_at IS NOT NULL`,
    );
    // a real value for Wales published now: it withdraws the measure's demo values from today's view
    const csv = `measure_code,area_code,period,value,numerator,denominator\n${target.measure.code},W92000004,${target.period},50,500,1000\n`;
    const summary = await t.app.services.imports.run(tempFile(csv), {
      dryRun: false,
      publish: true,
      actor: TEST_ACTOR,
    });
    expect(summary.ok, JSON.stringify(summary)).toBe(true);

    const current = await t.app.services.reports.analysisAsAt(asAt(today()).until).measureResults(target.measure.code);
    expect(current.find((r) => r.areaCode === "W92000004")!.value).toBe(50);

    const before = (await rightsReport(t.app.services, null, { asAt: asAt("2025-06-30") }))!;
    expect(before.asAt).toBe("2025-06-30");
    // the measure as it was: the demo values, not the revision published later
    expect(facts(measuresOf(before).get(target.measure.code)!)).toEqual({
      ...facts(target),
      priorities: expect.any(Array),
      actions: expect.any(Array),
    });
    // only Cardiff's plan was published by then
    expect(before.plans.count).toBe(1);
    const quoted = [...measuresOf(before).values()].flatMap((m) => [...m.priorities, ...m.actions]);
    expect(quoted.length).toBeGreaterThan(0);
    expect(new Set(quoted.map((q) => q.areaCode))).toEqual(new Set([CARDIFF]));
    const later = await t.app.services.reports.plansPublishedBy(asAt("2026-06-30").until);
    expect(later.map((p) => p.areaCode).sort()).toEqual([GWYNEDD, CARDIFF].sort());

    // before anything was published: no data and no plans, yet every aim and article is accounted for
    const empty = (await rightsReport(t.app.services, null, { asAt: asAt("2024-12-31") }))!;
    expect(empty.plans.count).toBe(0);
    expect(empty.aims).toHaveLength(7);
    expect(empty.articles.length).toBe(now.articles.length);
    expect([...measuresOf(empty).values()].every((m) => m.wales === null && m.period === null)).toBe(true);
  }, 120_000);

  it("a date to come shows nothing that is still under embargo", async () => {
    await t.database.exec(`UPDATE import_batches SET publish_at = '2099-01-01T09:00:00Z'`);
    const future = (await rightsReport(t.app.services, null, { asAt: asAt("2099-12-31") }))!;
    expect([...measuresOf(future).values()].every((m) => m.wales === null)).toBe(true);
  }, 120_000);
});
