/**
 * The children's rights report (issue 15) on the demo data and plans: every core aim and every UNCRC article of the
 * framework is accounted for with its coverage; each measure's Wales value, comparison counts and widest gap are
 * those of the stored analysis; the plans quoted are those the reader may see (the public: published ones only).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoPlanPeriod } from "../../src/services/plans/demo.ts";
import type { PlanActor } from "../../src/services/plans/index.ts";
import { dataDevelopmentAgenda, type RightsReport, rightsReport } from "../../src/services/reports/rights.ts";
import { demoAppWithPlans } from "../support/demo-app.ts";
import type { TestApp } from "../support/test-app.ts";

let t: TestApp;
let report: RightsReport;
const ADMIN: PlanActor = { id: null, email: "admin@test", role: "national_admin", areaCodes: [], channel: "cli" };

beforeAll(async () => {
  t = await demoAppWithPlans();
  report = (await rightsReport(t.app.services, null))!;
}, 300_000);
afterAll(async () => {
  await t.close();
});

describe("the children's rights report", () => {
  it("accounts for every core aim and every UNCRC article, with the content's mapping confidence", async () => {
    const view = (await t.app.services.framework.current())!;
    expect(report.aims.map((a) => a.code)).toEqual(view.aims.map((a) => a.code));
    expect(report.aims).toHaveLength(7);
    expect(report.articles.map((a) => a.number)).toEqual(view.articles.map((a) => a.number));
    expect(report.articles.length).toBeGreaterThan(10);
    const ca1 = report.aims.find((a) => a.code === "CA1")!;
    expect(ca1.articles.find((a) => a.number === 6)).toMatchObject({ confidence: "confirmed" });
    const art6 = report.articles.find((a) => a.number === 6)!;
    expect(art6.aims.map((a) => a.code)).toContain("CA1");
    for (const a of [...report.aims, ...report.articles]) {
      expect(a.measures.every((m) => m.measure.status === "live")).toBe(true);
      expect(a.inDevelopment.every((m) => m.status === "in_development")).toBe(true);
    }
  });

  it("classifies coverage from the linked measures and sums it", () => {
    for (const a of [...report.aims, ...report.articles]) {
      const population = a.measures.filter((m) => m.measure.accountability === "population_indicator");
      const expected = population.some((m) => m.measure.geographies.includes("local_authority"))
        ? "local"
        : population.length
          ? "national"
          : "none";
      expect(a.coverage).toBe(expected);
    }
    const sum = (c: Record<string, number>) => Object.values(c).reduce((x, y) => x + y, 0);
    expect(sum(report.coverage.aims)).toBe(7);
    expect(sum(report.coverage.articles)).toBe(report.articles.length);
    expect(report.coverage.aims.local).toBeGreaterThan(0);
    // articles with no linked measure exist in the content (e.g. freedom of thought): they are listed as none
    expect(report.coverage.articles.none).toBeGreaterThan(0);
  });

  it("takes the Wales value, trend, comparison counts and widest gap from the stored analysis", async () => {
    const analysis = t.app.services.publicViews.analysis;
    const withData = report.aims.flatMap((a) => a.measures).filter((m) => m.wales);
    expect(withData.length).toBeGreaterThan(5);
    const local = withData.filter((m) => m.local && m.measure.valueType !== "count");
    expect(local.length).toBeGreaterThan(5);
    for (const m of local.slice(0, 8)) {
      const rows = await analysis.measureResults(m.measure.code);
      const wales = rows.find((r) => r.areaType === "country")!;
      expect(m.wales!.value).toBe(wales.value);
      expect(m.wales!.trendDirection).toBe(wales.trendDirection);
      expect(m.period).toBe(wales.period);
      const las = rows.filter((r) => r.areaType === "local_authority");
      expect(m.areas.better).toBe(las.filter((r) => r.benchmarkSignificance === "better").length);
      expect(m.areas.worse).toBe(las.filter((r) => r.benchmarkSignificance === "worse").length);
      expect(Object.values(m.areas).reduce((x, y) => x + y, 0)).toBe(las.length);
      const values = las.filter((r) => r.value !== null && !r.suppressed).map((r) => r.value!);
      if (values.length >= 2) {
        expect(m.widestGap!.highest.value).toBe(Math.max(...values));
        expect(m.widestGap!.lowest.value).toBe(Math.min(...values));
        expect(m.widestGap!.difference).toBeCloseTo(Math.max(...values) - Math.min(...values), 12);
      }
      expect(m.illustrative).toBe(true);
    }
    // areas are not compared, nor their gap given, for a measure published for Wales only or for a count
    for (const m of withData.filter((x) => !x.local || x.measure.valueType === "count")) {
      expect(m.widestGap).toBeNull();
      if (!m.local) expect(Object.values(m.areas).every((n) => n === 0)).toBe(true);
    }
    expect(withData.some((m) => !m.local)).toBe(true);
  });

  it("quotes and counts what published plans say about the measures, and drafts only for those who may read them", async () => {
    const period = demoPlanPeriod();
    expect(report.plans.period).toBe(period);
    const published = (await t.app.services.plans.list(null)).filter((p) => p.period === period);
    expect(report.plans.count).toBe(published.length);
    const cardiff = await t.app.services.plans.get(null, { areaCode: "W06000015", period });
    const action = cardiff.actions.find((a) => a.subjectKind === "measure")!;
    const m = report.aims.flatMap((a) => a.measures).find((x) => x.measure.code === action.subjectCode)!;
    expect(m.actions).toContainEqual({
      areaCode: "W06000015",
      period,
      text: action.title,
      status: action.shownStatus,
    });
    const selected = cardiff.measures.find((s) => s.priorityId !== null)!;
    const priority = cardiff.priorities.find((p) => p.id === selected.priorityId)!;
    const pm = report.aims.flatMap((a) => a.measures).find((x) => x.measure.code === selected.measureCode)!;
    expect(pm.priorities).toContainEqual({ areaCode: "W06000015", period, text: priority.text });
    const aim = report.aims.find((a) => a.measures.includes(pm))!;
    expect(aim.plans.priorities).toBeGreaterThan(0);
    expect(aim.plans.partnerships).toBeGreaterThan(0);

    // a draft's action (Swansea) is not quoted for the public, but is for a national administrator
    const swansea = { areaCode: "W06000011", period };
    const draft = await t.app.services.plans.get(ADMIN, swansea);
    expect(draft.plan.status).toBe("draft");
    const title = { en: "A draft action", cy: "Cam gweithredu drafft" };
    await t.app.services.plans.addAction(ADMIN, swansea, {
      subjectKind: "measure",
      subjectCode: draft.measures[0]!.measureCode,
      title,
      owner: null,
      startDate: null,
      dueDate: null,
      status: "not_started",
    });
    const quotes = (r: RightsReport) => r.aims.flatMap((a) => a.measures.flatMap((x) => x.actions));
    expect((await rightsReport(t.app.services, null))!.plans.count).toBe(report.plans.count);
    expect(quotes((await rightsReport(t.app.services, null))!).some((q) => q.areaCode === "W06000011")).toBe(false);
    const admin = (await rightsReport(t.app.services, ADMIN))!;
    expect(admin.plans.count).toBe(report.plans.count + 1);
    expect(quotes(admin)).toContainEqual({ ...swansea, text: title, status: "not_started" });
  });

  it("lists the data development agenda: measures in development and the aims and articles without local coverage", async () => {
    const view = (await t.app.services.framework.current())!;
    const agenda = (await dataDevelopmentAgenda(t.app.services))!;
    expect(agenda.inDevelopment.map((m) => m.code)).toEqual(
      view.measures.filter((m) => m.status === "in_development" && !m.localAreaCode).map((m) => m.code),
    );
    expect(agenda.inDevelopment.length).toBeGreaterThan(0);
    // the gaps are exactly the report's aims and articles whose coverage is not local
    const expected = [
      ...report.aims.filter((a) => a.coverage !== "local").map((a) => `aim:${a.code}:${a.coverage}`),
      ...report.articles.filter((a) => a.coverage !== "local").map((a) => `article:${a.number}:${a.coverage}`),
    ];
    expect(agenda.gaps.map((g) => `${g.kind}:${g.code}:${g.coverage}`)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    const art12 = agenda.gaps.find((g) => g.kind === "article" && g.number === 12)!;
    expect(art12.inDevelopment.map((m) => m.code)).toEqual(
      report.articles.find((a) => a.number === 12)!.inDevelopment.map((m) => m.code),
    );
  });
});
