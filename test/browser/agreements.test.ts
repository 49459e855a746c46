/**
 * Outcome agreements in Chromium, in English and Welsh: zero axe violations (WCAG 2.2 AA) and no console errors on
 * the list and the agreement page; the authority's partnership editor signs in and self-assesses an outcome (an error
 * first, named on the form), then a national analyst moderates it with a reason, and the public page shows both; a
 * national administrator's overview and forms (create, outcomes, agree, vary, judge, schemes) pass axe too, and an
 * agreement is created through the form.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../src/services/accounts.ts";
import { DEMO_AGREEMENT, seedDemoAgreements } from "../../src/services/agreements/demo.ts";
import {
  browserSkipReason,
  expectClean as clean,
  closeContexts,
  listen,
  openPage,
  TEST_PASSWORD as PASSWORD,
  sharedBrowser,
  signedInPage,
} from "../support/browser.ts";
import { demoApp } from "../support/demo-app.ts";
import type { TestApp } from "../support/test-app.ts";

const skip = browserSkipReason();
const path = `/agreements/${DEMO_AGREEMENT.areaCode}/${DEMO_AGREEMENT.period}`;

describe.skipIf(skip !== null)("outcome agreements in Chromium", () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await demoApp();
    await seedDemoAgreements(t.app.services.agreements, t.app.services.framework);
    await createUser(t.database.db, {
      email: "editor@vale.example",
      password: PASSWORD,
      role: "partnership_editor",
      areaCodes: [DEMO_AGREEMENT.areaCode],
    });
    await createUser(t.database.db, { email: "moderator@gov.wales", password: PASSWORD, role: "national_analyst" });
    await createUser(t.database.db, { email: "admin@gov.wales", password: PASSWORD, role: "national_admin" });
    base = await listen(t.app);
    browser = await sharedBrowser();
  }, 300_000);
  afterAll(async () => {
    await closeContexts(browser);
    await t?.close();
  });

  describe.each([
    ["en", 1, "Fully successful", "Save the assessment of outcome 1", "Save the moderation of outcome 1"],
    ["cy", 2, "Llwyddiannus yn llawn", "Cadw asesiad canlyniad 2", "Cadw cymedroli canlyniad 2"],
  ] as const)("%s", (lang, outcome, fully, saveSelf, saveModeration) => {
    it("has no accessibility violations or console errors on the list and the agreement", async () => {
      const { page, context, errors } = await openPage(browser);
      try {
        for (const p of ["/agreements", path]) {
          expect((await page.goto(`${base}/${lang}${p}`))?.status(), p).toBe(200);
          expect(await page.getAttribute("html", "lang")).toBe(lang);
          await clean(page, p, errors);
        }
      } finally {
        await context.close();
      }
    });

    it("has no accessibility violations on the national overview and forms, and creates an agreement", async () => {
      const { page, context, errors } = await signedInPage(browser, base, lang, "admin@gov.wales");
      try {
        for (const p of [
          "/agreements",
          "/agreements/new",
          `${path}/agree`,
          `${path}/vary`,
          `${path}/vary?outcome=1`,
          `${path}/judge`,
          "/agreements/schemes",
          "/agreements/schemes/2010-13",
        ]) {
          expect((await page.goto(`${base}/${lang}${p}`))?.status(), p).toBe(200);
          await clean(page, p, errors);
        }
        await page.goto(`${base}/${lang}/agreements/new`);
        const area = lang === "en" ? "W06000001" : "W06000002";
        await page.selectOption("#areaCode", area);
        await page.fill("#period", "2010-13");
        await page.check('input[name="scheme"][value="2010-13"]');
        await page.fill("#grant", "500000");
        await Promise.all([page.waitForNavigation(), page.click("form#create button")]);
        expect(page.url()).toBe(`${base}/${lang}/agreements/${area}/2010-13`);
        await clean(page, "new draft agreement", errors);
        await Promise.all([page.waitForNavigation(), page.click(`a[href$="/outcomes"]`)]);
        await clean(page, "outcome form", errors);
      } finally {
        await context.close();
      }
    });

    it("walks the authority through self-assessment and a national moderator through moderation", async () => {
      const editor = await signedInPage(browser, base, lang, "editor@vale.example");
      try {
        const { page, errors } = editor;
        await page.goto(`${base}/${lang}${path}`);
        await Promise.all([page.waitForNavigation(), page.click(`a[href$="/assess"]`)]);
        await Promise.all([page.waitForNavigation(), page.click(`a[href$="?year=2014-15"]`)]);
        await clean(page, "self-assessment form", errors);
        const form = page.locator(`#outcome-${outcome}`);
        await form.locator(`label:has-text("${fully}")`).click();
        await Promise.all([page.waitForNavigation(), form.locator(`button:has-text("${saveSelf}")`).click()]);
        expect(await page.locator(".govuk-error-summary").count()).toBe(1);
        // the form with the error is answered 400 (the browser logs that status); nothing else may go wrong
        await clean(page, "form with an error", errors, [400]);
        errors.length = 0;
        await page.locator(`#outcome-${outcome} label:has-text("${fully}")`).click();
        await page.fill(`#evidence-${outcome}`, `Evidence typed in ${lang}`);
        await Promise.all([
          page.waitForNavigation(),
          page.locator(`#outcome-${outcome} button:has-text("${saveSelf}")`).click(),
        ]);
        expect(page.url()).toContain("year=2014-15");
        expect(await page.inputValue(`#evidence-${outcome}`)).toBe(`Evidence typed in ${lang}`);
      } finally {
        await editor.context.close();
      }

      const moderator = await signedInPage(browser, base, lang, "moderator@gov.wales");
      try {
        const { page, errors } = moderator;
        await page.goto(`${base}/${lang}${path}/moderate?year=2014-15`);
        await clean(page, "moderation form", errors);
        const form = page.locator(`#outcome-${outcome}`);
        await form.locator('input[value="partially"]').check();
        await page.fill(`#reason-${outcome}`, `Moderated in ${lang}: the measures fell short`);
        await Promise.all([page.waitForNavigation(), form.locator(`button:has-text("${saveModeration}")`).click()]);
      } finally {
        await moderator.context.close();
      }

      const reader = await openPage(browser);
      try {
        await reader.page.goto(`${base}/${lang}${path}`);
        const main = (await reader.page.textContent("main")) ?? "";
        expect(main).toContain(`Evidence typed in ${lang}`);
        expect(main).toContain(`Moderated in ${lang}: the measures fell short`);
      } finally {
        await reader.context.close();
      }
    });
  });
});
