/**
 * The public plan pages in Chromium, in English and Welsh: zero axe violations (WCAG 2.2 AA) and no console errors on
 * every plan page type (list, plan, turn-the-curve report, programme scorecard), and a stored <script> in every
 * narrative section shown as text with no dialog firing. (The editing walk-through is not built yet.)
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoPlanPeriod, seedDemoPlans } from "../../src/services/plans/demo.ts";
import type { PlanActor } from "../../src/services/plans/index.ts";
import {
  axeViolations,
  browserSkipReason,
  closeContexts,
  listen,
  openPage,
  sharedBrowser,
} from "../support/browser.ts";
import { demoApp } from "../support/demo-app.ts";
import type { TestApp } from "../support/test-app.ts";

const skip = browserSkipReason();
const PERIOD = demoPlanPeriod();
const SCRIPT = "<script>alert('stored')</script>";
const admin: PlanActor = {
  id: null,
  email: "demo@example.org",
  role: "national_admin",
  areaCodes: [],
  channel: "demo",
};

describe.skipIf(skip !== null)("plan pages in Chromium", () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let measure: string;

  beforeAll(async () => {
    t = await demoApp();
    const plans = t.app.services.plans;
    await seedDemoPlans(plans);
    // a second published plan whose every narrative section holds a script
    const ref = { areaCode: "W06000014", period: PERIOD };
    const plan = await plans.create(admin, { areaCode: ref.areaCode, period: PERIOD, illustrative: true });
    await plans.addPriority(admin, ref, plan.rowVersion, {
      text: { en: SCRIPT },
      rationale: { en: SCRIPT },
      coreAims: ["CA1"],
    });
    measure = (await plans.get(admin, ref)).measures[0]!.measureCode;
    for (const section of ["story", "partners", "what_works", "data_development"] as const)
      await plans.saveNarrative(admin, ref, {
        subjectKind: "measure",
        subjectCode: measure,
        section,
        body: `Text ${SCRIPT} <img src=x onerror=alert(1)>`,
        items:
          section === "story"
            ? [{ text: SCRIPT, kind: "restricting" }]
            : section === "partners"
              ? [{ name: SCRIPT, role: SCRIPT }]
              : section === "what_works"
                ? [{ text: SCRIPT, kind: "evidence", source: SCRIPT }]
                : null,
        baseVersion: 0,
      });
    await plans.setStatusForDemo(admin, ref, "published");
    base = await listen(t.app);
    browser = await sharedBrowser();
  }, 180_000);
  afterAll(async () => {
    await closeContexts(browser);
    await t?.close();
  });

  const pages = () => [
    ["list", "/plans"],
    ["choices", "/plans/choices"],
    ["engagement", "/plans/engagement"],
    ["plan engagement", `/plans/W06000015/${PERIOD}/engagement`],
    ["plan", `/plans/W06000015/${PERIOD}`],
    ["turn-the-curve", `/plans/W06000015/${PERIOD}/measures/${measure}`],
    ["programme", `/plans/W06000002/${PERIOD}/programmes/young-carers`],
    ["scripted", `/plans/W06000014/${PERIOD}/measures/${measure}`],
  ];

  describe.each(["en", "cy"] as const)("%s", (lang) => {
    it("has no accessibility violations, console errors or dialogs on every plan page type", async () => {
      // one page for them all (signed out, nothing to carry from one to the next), each page's errors and dialogs its own
      const { page, context, errors } = await openPage(browser);
      const dialogs: string[] = [];
      page.on("dialog", (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      try {
        for (const [name, path] of pages()) {
          errors.length = 0;
          dialogs.length = 0;
          const r = await page.goto(`${base}/${lang}${path}`);
          expect(r?.status(), name).toBe(200);
          expect(await page.getAttribute("html", "lang")).toBe(lang);
          expect(await axeViolations(page), name).toEqual([]);
          expect(errors, name).toEqual([]);
          expect(dialogs, name).toEqual([]);
          if (name === "scripted") expect(await page.textContent("main")).toContain(SCRIPT);
        }
      } finally {
        await context.close();
      }
    });
  });

  it("never shows a draft to the public", async () => {
    const { page, context } = await openPage(browser);
    try {
      expect((await page.goto(`${base}/en/plans/W06000011/${PERIOD}`))?.status()).toBe(404);
    } finally {
      await context.close();
    }
  });
});
