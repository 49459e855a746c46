/**
 * The plan as a Word document (issue 14, outputs): /{lang}/plans/{GSS}/{period}/plan.docx in English, in Welsh and
 * (?bilingual=1) in both with Welsh first, checked as documents: the package opens as Word would (content types,
 * relationships, strict XML, the WordprocessingML rules of the parts used), with the plan's title, real headings, the
 * scorecard and action tables, charts as images with alternative text, and status and version on every page. A draft
 * is not found for the public; a stored <script> stays text.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PLAN_ACTOR, demoPlanPeriod } from "../../src/services/plans/demo.ts";
import { translator } from "../../src/web/i18n.ts";
import { planDocument } from "../../src/web/pages/plan-report.ts";
import { demoAppWithPlans } from "../support/demo-app.ts";
import { openDocx } from "../support/docx-package.ts";
import type { TestApp } from "../support/test-app.ts";

let t: TestApp;
const CARDIFF = "W06000015";
const SWANSEA = "W06000011";
const PERIOD = demoPlanPeriod();
const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

beforeAll(async () => {
  t = await demoAppWithPlans();
}, 300_000);
afterAll(async () => {
  await t.close();
});

async function download(url: string) {
  const r = await t.app.inject({ method: "GET", url });
  return {
    status: r.statusCode,
    type: r.headers["content-type"],
    disposition: r.headers["content-disposition"],
    body: r.rawPayload,
  };
}

describe("the plan as a DOCX", () => {
  it("is a Word document in English with the plan's title, headings, tables, charts with alt text and its status on every page", async () => {
    const r = await download(`/en/plans/${CARDIFF}/${PERIOD}/plan.docx`);
    expect(r.status).toBe(200);
    expect(r.type).toBe(DOCX);
    expect(r.disposition).toMatch(
      new RegExp(`attachment; filename="plan-${CARDIFF.toLowerCase()}-${PERIOD}-v1-en\\.docx"`),
    );
    const d = await openDocx(r.body);
    expect(d.paragraphs[0]).toEqual({ style: "Title", text: `Cardiff: plan for ${PERIOD}` });
    const h1 = d.headings.filter((h) => h.level === 1).map((h) => h.text);
    expect(h1.slice(0, 2)).toEqual(["Priorities", "Scorecard"]);
    expect(h1.some((h) => /^\d\. /.test(h))).toBe(true);
    const scorecard = d.tables[0]!;
    expect(scorecard.header).toBe(true);
    expect(scorecard.rows[0]).toEqual([
      "Measure",
      "Kind",
      "Baseline",
      "Latest value",
      "Against the forecast",
      "Target",
    ]);
    expect(scorecard.rows.length).toBeGreaterThan(1);
    expect(d.images.length).toBeGreaterThan(0);
    for (const image of d.images) {
      expect(image.title).toMatch(/: Cardiff, turning the curve$/);
      expect(image.description.length).toBeGreaterThan(20);
      expect(image.svg && image.png).toBe(true);
    }
    expect(d.headings.some((h) => h.level === 3 && h.text === "The story behind the baseline")).toBe(true);
    expect(d.headerTexts.some((h) => h.includes("Published") && h.includes("version 1"))).toBe(true);
    expect(d.pageNumbers).toBe(true);
    expect(d.languages).toEqual(new Set(["en-GB"]));
  }, 120_000);

  it("is in Welsh from /cy, and bilingual with Welsh first", async () => {
    const cy = await openDocx((await download(`/cy/plans/${CARDIFF}/${PERIOD}/plan.docx`)).body);
    expect(cy.paragraphs[0]).toEqual({ style: "Title", text: `Caerdydd: cynllun ar gyfer ${PERIOD}` });
    expect(
      cy.headings
        .filter((h) => h.level === 1)
        .map((h) => h.text)
        .slice(0, 2),
    ).toEqual(["Blaenoriaethau", "Cerdyn sgorio"]);
    expect(cy.headerTexts.some((h) => h.includes("Cyhoeddwyd") && h.includes("fersiwn 1"))).toBe(true);
    expect(cy.footerTexts.some((f) => f.startsWith("Tudalen"))).toBe(true);
    expect(cy.languages).toEqual(new Set(["cy-GB"]));

    const both = await download(`/en/plans/${CARDIFF}/${PERIOD}/plan.docx?bilingual=1`);
    expect(both.disposition).toContain(`-cy-en.docx`);
    const d = await openDocx(both.body);
    expect(d.paragraphs.filter((p) => p.style === "Title").map((p) => p.text)).toEqual([
      `Caerdydd: cynllun ar gyfer ${PERIOD}`,
      `Cardiff: plan for ${PERIOD}`,
    ]);
    expect(d.languages).toEqual(new Set(["cy-GB", "en-GB"]));
  }, 120_000);

  it("is not found for a draft, and refuses an unknown choice", async () => {
    expect((await download(`/en/plans/${SWANSEA}/${PERIOD}/plan.docx`)).status).toBe(404);
    expect((await download(`/en/plans/${CARDIFF}/${PERIOD}/plan.docx?bilingual=yes`)).status).toBe(400);
  });

  it("says what each narrative says now, the same read from the plan's current narratives as from every history", async () => {
    const plans = t.app.services.plans;
    const ref = { areaCode: SWANSEA, period: PERIOD };
    const before = await plans.get(DEMO_PLAN_ACTOR, ref);
    const subjectCode = before.measures[0]!.measureCode;
    const versionOf = (section: string) =>
      before.narratives.find(
        (n) => n.subjectKind === "measure" && n.subjectCode === subjectCode && n.section === section,
      )?.version ?? 0;
    const key = { subjectKind: "measure" as const, subjectCode, section: "story" as const };
    // three versions of one narrative (over the demo's, if it has one), and one of another section
    for (const [i, body] of ["Docx story, first", "Docx story, second", "Docx story, **third**"].entries())
      await plans.saveNarrative(DEMO_PLAN_ACTOR, ref, { ...key, body, baseVersion: versionOf("story") + i });
    await plans.saveNarrative(DEMO_PLAN_ACTOR, ref, {
      ...key,
      section: "data_development",
      body: "Docx data development",
      baseVersion: versionOf("data_development"),
    });
    const d = await plans.get(DEMO_PLAN_ACTOR, ref);
    for (const lang of ["en", "cy"] as const) {
      const context = { lang, t: translator(lang), area: "Swansea", address: "https://example.org/plan" };
      const current = await planDocument(t.app.services, DEMO_PLAN_ACTOR, d, context);
      const all = await planDocument(t.app.services, DEMO_PLAN_ACTOR, d, { ...context, history: "all" });
      expect(current).toEqual(all);
      const text = JSON.stringify(current.blocks);
      expect(text).toContain("Docx story, ");
      expect(text).toContain("third");
      expect(text).not.toContain("Docx story, first");
      expect(text).not.toContain("Docx story, second");
      expect(text).toContain("Docx data development");
    }
  });

  it("is linked from the plan page in both languages", async () => {
    for (const lang of ["en", "cy"]) {
      const page = await t.app.inject({ method: "GET", url: `/${lang}/plans/${CARDIFF}/${PERIOD}` });
      expect(page.body).toContain(`href="/${lang}/plans/${CARDIFF}/${PERIOD}/plan.docx"`);
      expect(page.body).toContain(`href="/${lang}/plans/${CARDIFF}/${PERIOD}/plan.docx?bilingual=1"`);
    }
  });
});
