/**
 * Public plan pages (issue 13): a published plan shows on /plans, its page, its turn-the-curve page and its
 * programme page, in English and Welsh; a draft is not found for the public; a stored <script> in every narrative
 * section is shown as text; the narrative history marks differences with <ins>/<del> and words.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PlanActor } from "../../src/services/plans/index.ts";
import { demoApp } from "../support/demo-app.ts";
import type { TestApp } from "../support/test-app.ts";

let t: TestApp;
const CARDIFF = "W06000015";
const SWANSEA = "W06000011";
const PERIOD = "2024-25-to-2026-27";
const SCRIPT = "<script>alert(1)</script>";
const admin: PlanActor = {
  id: null,
  email: "demo@example.org",
  role: "national_admin",
  areaCodes: [],
  channel: "demo",
};
let measure: string;

beforeAll(async () => {
  t = await demoApp();
  const plans = t.app.services.plans;
  for (const area of [CARDIFF, SWANSEA]) {
    const plan = await plans.create(admin, { areaCode: area, period: PERIOD });
    const ref = { areaCode: area, period: PERIOD };
    await plans.addPriority(admin, ref, plan.rowVersion, {
      text: { en: "Fewer babies born small", cy: "Llai o fabanod yn cael eu geni'n fach" },
      rationale: { en: `Because ${SCRIPT}` },
      coreAims: ["CA1"],
    });
    const d = await plans.get(admin, ref);
    measure = d.measures[0]!.measureCode;
    for (const [i, section] of (["story", "partners", "what_works", "data_development"] as const).entries()) {
      const items =
        section === "story"
          ? [{ text: SCRIPT, kind: "contributing" }]
          : section === "partners"
            ? [{ name: SCRIPT, role: "Health visiting" }]
            : section === "what_works"
              ? [{ text: SCRIPT, kind: "evidence" }]
              : null;
      await plans.saveNarrative(admin, ref, {
        subjectKind: "measure",
        subjectCode: measure,
        section,
        body: `First text ${i} ${SCRIPT} [bad](javascript:alert(1)) [good](https://example.org)`,
        items,
        baseVersion: 0,
      });
    }
    await plans.saveNarrative(admin, ref, {
      subjectKind: "measure",
      subjectCode: measure,
      section: "story",
      body: `Second text 0 ${SCRIPT}`,
      items: [{ text: SCRIPT, kind: "restricting" }],
      baseVersion: 1,
    });
  }
  await plans.setStatusForDemo(admin, { areaCode: CARDIFF, period: PERIOD }, "published");
}, 120_000);
afterAll(async () => {
  await t.close();
});

const get = (url: string) => t.app.inject({ method: "GET", url });

describe("public plan pages", () => {
  it("lists published plans only, in English and Welsh", async () => {
    const en = await get("/en/plans");
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain(`/en/plans/${CARDIFF}/${PERIOD}`);
    expect(en.body).not.toContain(`/en/plans/${SWANSEA}/${PERIOD}`);
    const cy = await get("/cy/plans");
    expect(cy.statusCode).toBe(200);
    expect(cy.body).toContain("Cynlluniau partneriaethau");
    const filtered = await get(`/en/plans?partnership=${CARDIFF}&coreAim=CA2`);
    expect(filtered.statusCode).toBe(200);
    expect(filtered.body).not.toContain(`/en/plans/${CARDIFF}/${PERIOD}"`);
  });

  it("shows the plan, its turn-the-curve page and history, with stored script as text", async () => {
    for (const lang of ["en", "cy"]) {
      const plan = await get(`/${lang}/plans/${CARDIFF}/${PERIOD}`);
      expect(plan.statusCode).toBe(200);
      expect(plan.body).toContain(lang === "cy" ? "Llai o fabanod" : "Fewer babies born small");
      expect(plan.body).not.toContain(SCRIPT);
      const page = await get(`/${lang}/plans/${CARDIFF}/${PERIOD}/measures/${measure}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain("<svg");
      expect(page.body).not.toContain(SCRIPT);
      expect(page.body).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(page.body).not.toContain('href="javascript:');
      expect(page.body).toContain('href="https://example.org"');
      expect(page.body).toMatch(/<ins class="omf-diff-added">/);
      expect(page.body).toMatch(/<del class="omf-diff-removed">/);
      expect(page.body).toContain(lang === "cy" ? "Yn cyfyngu" : "Restricting");
    }
  });

  it("never shows a draft to the public", async () => {
    expect((await get(`/en/plans/${SWANSEA}/${PERIOD}`)).statusCode).toBe(404);
    expect((await get(`/cy/plans/${SWANSEA}/${PERIOD}/measures/${measure}`)).statusCode).toBe(404);
    expect((await get(`/en/plans/${CARDIFF}/${PERIOD}/measures/no-such-measure`)).statusCode).toBe(404);
    expect((await get(`/en/plans/${CARDIFF}/${PERIOD}/programmes/none`)).statusCode).toBe(404);
  });
});
