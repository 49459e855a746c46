/**
 * The children's rights report as a page (/{lang}/reports/rights) and as a DOCX (/{lang}/reports/rights.docx) on the
 * demo data and plans: every core aim and UNCRC article has its heading in English and Welsh, coverage and measures
 * are tables with status in words, published plans are quoted (drafts are not), the page is linked from the
 * framework page, and the DOCX opens as Word would in English, Welsh and bilingual (Welsh first).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoPlanPeriod } from "../../src/services/plans/demo.ts";
import { dataDevelopmentAgenda, rightsReport } from "../../src/services/reports/rights.ts";
import { demoAppWithPlans } from "../support/demo-app.ts";
import { openDocx } from "../support/docx-package.ts";
import type { TestApp } from "../support/test-app.ts";

let t: TestApp;
const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const CARDIFF = "W06000015";

beforeAll(async () => {
  t = await demoAppWithPlans();
}, 300_000);
afterAll(async () => {
  await t.close();
});

const get = (url: string) => t.app.inject({ method: "GET", url });
const decoded = (html: string) =>
  html.replaceAll("&#39;", "'").replaceAll("&quot;", '"').replaceAll("&amp;", "&").replaceAll("&#x27;", "'");

describe("the children's rights report page", () => {
  it("has every core aim and UNCRC article, coverage tables and plan quotes, in English and Welsh", async () => {
    const view = (await t.app.services.framework.current())!;
    const cardiff = await t.app.services.plans.get(null, { areaCode: CARDIFF, period: demoPlanPeriod() });
    const action = cardiff.actions.find((a) => a.subjectKind === "measure")!;
    for (const [lang, words] of [
      [
        "en",
        { title: "Children's rights report", article: "Article", cardiff: "Cardiff", level: "Local authority level" },
      ],
      [
        "cy",
        { title: "Adroddiad hawliau plant", article: "Erthygl", cardiff: "Caerdydd", level: "Lefel awdurdod lleol" },
      ],
    ] as const) {
      const r = await get(`/${lang}/reports/rights`);
      expect(r.statusCode).toBe(200);
      const html = decoded(r.body);
      expect(html).toContain(`<h1 class="govuk-heading-xl">${words.title}</h1>`);
      expect(html).toContain(`lang="${lang}"`);
      for (const aim of view.aims) {
        expect(html).toContain(`<h3 class="govuk-heading-m">${aim.number}. ${aim.title[lang] ?? aim.title.en}</h3>`);
      }
      for (const a of view.articles) {
        expect(html).toContain(
          `<h3 class="govuk-heading-m">${words.article} ${a.number}: ${a.title[lang] ?? a.title.en}</h3>`,
        );
      }
      expect(html).toContain('id="coverage-aims"');
      expect(html).toContain('id="coverage-articles"');
      expect(html).toContain(words.level);
      // the published plan's action is quoted, in the page's language, with the partnership's name
      expect(html).toContain(`${words.cardiff}, `);
      expect(html).toContain(`“${action.title[lang]}”`);
      // status and trend are words in cells, never a colour alone
      expect(html).not.toMatch(/omf-status--/);
      expect(html).toContain(`href="/${lang}/reports/rights.docx?bilingual=1"`);
    }
  }, 120_000);

  it("does not quote a draft plan to the public", async () => {
    const html = decoded((await get("/en/reports/rights")).body);
    expect(html).not.toContain("Keep young people in learning");
    const report = (await rightsReport(t.app.services, null))!;
    expect(report.plans.count).toBe(2);
  });

  it("shows the report as at a date, with a form to choose it; a date that is not one is a 400 in both languages", async () => {
    const day = "2025-03-31"; // before the demo was published: no data and no plans then
    const now = decoded((await get("/en/reports/rights")).body);
    expect(now).toContain("This report shows the data and plans published now.");
    expect(now).toMatch(/<label class="govuk-label govuk-label--s" for="as-at">\s*Show the report as at a date/);
    for (const [lang, words] of [
      ["en", { asAt: `As at ${day}: this report uses only the data`, back: "Show the report as published now" }],
      [
        "cy",
        {
          asAt: `Ar ${day}: mae'r adroddiad hwn yn defnyddio dim ond y data`,
          back: "Dangos yr adroddiad fel y'i cyhoeddwyd nawr",
        },
      ],
    ] as const) {
      const r = await get(`/${lang}/reports/rights?as-at=${day}`);
      expect(r.statusCode).toBe(200);
      const html = decoded(r.body);
      expect(html).toContain(words.asAt);
      expect(html).toContain(`value="${day}"`);
      expect(html).toContain(words.back);
      expect(html).not.toContain("“"); // no plan is quoted
      expect(html).toContain(`href="/${lang}/reports/rights.docx?as-at=${day}"`);
      expect(html).toContain(`href="/${lang}/reports/rights.docx?as-at=${day}&bilingual=1"`);
    }
    // an empty date (the form sent with nothing in it) is the report as published now
    expect(decoded((await get("/en/reports/rights?as-at=")).body)).toContain("published now");
    for (const [lang, message] of [
      ["en", "“2025-02-30” is not a date: give the report's date as year-month-day, for example 2025-03-31."],
      ["cy", "Nid yw “2025-02-30” yn ddyddiad: rhowch ddyddiad yr adroddiad fel blwyddyn-mis-diwrnod"],
    ] as const) {
      for (const path of ["rights", "rights.docx"]) {
        const bad = await get(`/${lang}/reports/${path}?as-at=2025-02-30`);
        expect(bad.statusCode, path).toBe(400);
        expect(decoded(bad.body)).toContain(message);
      }
    }
    const docx = await get(`/en/reports/rights.docx?as-at=${day}`);
    expect(docx.headers["content-disposition"]).toContain(`childrens-rights-report-${day}-en.docx`);
    const d = await openDocx(docx.rawPayload);
    expect(d.headerTexts.some((h) => h.includes(`as at ${day}`))).toBe(true);
  }, 120_000);

  it("is linked from the framework page in both languages", async () => {
    for (const lang of ["en", "cy"]) {
      const page = await get(`/${lang}/framework`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(`href="/${lang}/reports/rights"`);
    }
  });
});

describe("the children's rights report as a DOCX", () => {
  it("is a Word document in English with the report's headings and tables", async () => {
    const r = await get("/en/reports/rights.docx");
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toBe(DOCX);
    expect(r.headers["content-disposition"]).toMatch(/attachment; filename="childrens-rights-report-en\.docx"/);
    const d = await openDocx(r.rawPayload);
    expect(d.paragraphs[0]).toEqual({ style: "Title", text: "Children's rights report" });
    expect(d.headings.filter((h) => h.level === 1).map((h) => h.text)).toEqual([
      "Coverage",
      "By core aim",
      "By UNCRC article",
    ]);
    const view = (await t.app.services.framework.current())!;
    expect(d.headings.filter((h) => h.level === 2)).toHaveLength(view.aims.length + view.articles.length);
    const coverage = d.tables[0]!;
    expect(coverage.header).toBe(true);
    expect(coverage.rows[0]).toEqual(["Core aim", "Coverage", "Live measures", "Measures in development"]);
    expect(coverage.rows).toHaveLength(8);
    const measures = d.tables.find((x) => x.rows[0]![0] === "Measure")!;
    expect(measures.rows[0]).toContain("Recent trend for Wales");
    expect(measures.rows.length).toBeGreaterThan(1);
    expect(d.headerTexts.some((h) => h.includes("Children's rights report") && h.includes("framework version"))).toBe(
      true,
    );
    expect(d.pageNumbers).toBe(true);
    expect(d.languages).toEqual(new Set(["en-GB"]));
  }, 120_000);

  it("is in Welsh from /cy, and bilingual with Welsh first; refuses an unknown choice", async () => {
    const cy = await openDocx((await get("/cy/reports/rights.docx")).rawPayload);
    expect(cy.paragraphs[0]).toEqual({ style: "Title", text: "Adroddiad hawliau plant" });
    expect(cy.headings.filter((h) => h.level === 1).map((h) => h.text)).toEqual([
      "Cwmpas",
      "Fesul nod craidd",
      "Fesul erthygl CCUHP",
    ]);
    expect(cy.footerTexts.some((f) => f.startsWith("Tudalen"))).toBe(true);
    expect(cy.languages).toEqual(new Set(["cy-GB"]));

    const both = await get("/en/reports/rights.docx?bilingual=1");
    expect(both.headers["content-disposition"]).toContain("-cy-en.docx");
    const d = await openDocx(both.rawPayload);
    expect(d.paragraphs.filter((p) => p.style === "Title").map((p) => p.text)).toEqual([
      "Adroddiad hawliau plant",
      "Children's rights report",
    ]);
    expect(d.languages).toEqual(new Set(["cy-GB", "en-GB"]));
    expect((await get("/en/reports/rights.docx?bilingual=yes")).statusCode).toBe(400);
  }, 120_000);
});

describe("the data development agenda page", () => {
  it("lists the measures in development and the coverage gaps in English and Welsh, linked both ways", async () => {
    const agenda = (await dataDevelopmentAgenda(t.app.services))!;
    for (const [lang, words] of [
      ["en", { title: "Data development agenda", none: "No measure", national: "National level only" }],
      ["cy", { title: "Agenda datblygu data", none: "Dim mesur", national: "Lefel genedlaethol yn unig" }],
    ] as const) {
      const r = await get(`/${lang}/reports/data-development`);
      expect(r.statusCode).toBe(200);
      const html = decoded(r.body);
      expect(html).toContain(`<h1 class="govuk-heading-xl">${words.title}</h1>`);
      for (const m of agenda.inDevelopment) {
        expect(html).toContain(`href="/${lang}/measures/${m.code}">${m.title[lang] ?? m.title.en}</a>`);
      }
      expect((await get(`/${lang}/measures/${agenda.inDevelopment[0]!.code}`)).statusCode).toBe(200);
      const articleRows = html.split('id="gaps-article"')[1]!.split("</table>")[0]!;
      const gaps = agenda.gaps.filter((g) => g.kind === "article");
      expect(articleRows.match(/<th scope="row"/g)).toHaveLength(gaps.length);
      expect(articleRows).toContain(words.none);
      if (gaps.some((g) => g.coverage === "national")) expect(articleRows).toContain(words.national);
      expect(r.body).toContain(`href="/${lang}/reports/rights"`);
      expect((await get(`/${lang}/reports/rights`)).body).toContain(`href="/${lang}/reports/data-development"`);
      expect((await get(`/${lang}/framework`)).body).toContain(`href="/${lang}/reports/data-development"`);
    }
  });
});
