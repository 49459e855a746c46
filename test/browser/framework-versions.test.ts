/**
 * Framework versions in Chromium, in English and Welsh (issue 15): zero axe violations (WCAG 2.2 AA) and no console
 * errors on the list of versions, a version's page with its workflow form (a national analyst), the readable diff of
 * the fixture change (test/fixtures/framework-v2) and a plan editor's migration report; the editor moves the plan by
 * keyboard-reachable button and the plan then names the new version.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadFrameworkContent } from "../../src/ingest/framework/read-framework-content.ts";
import { createUser } from "../../src/services/accounts.ts";
import type { FrameworkActor } from "../../src/services/framework-versions.ts";
import { demoPlanPeriod } from "../../src/services/plans/demo.ts";
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
import { demoAppWithPlans } from "../support/demo-app.ts";
import type { TestApp } from "../support/test-app.ts";

const skip = browserSkipReason();
const SWANSEA = "W06000011"; // a draft plan in the demo
const plan = `/plans/${SWANSEA}/${demoPlanPeriod()}`;

describe.skipIf(skip !== null)("framework versions in Chromium", () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await demoAppWithPlans();
    const versions = t.app.services.frameworkVersions;
    const { content } = await loadFrameworkContent(
      "test/fixtures/framework-v2",
      await t.app.services.content.knownCodes(),
    );
    await versions.importFile(content, { name: "test" });
    const analyst: FrameworkActor = { user: { id: null, role: "national_analyst", areaCodes: [] }, name: "test" };
    for (const step of ["submit", "approve"] as const) await versions.act(analyst, "2", step);
    await createUser(t.database.db, { email: "analyst@gov.wales", password: PASSWORD, role: "national_analyst" });
    await createUser(t.database.db, {
      email: "editor@swansea.example",
      password: PASSWORD,
      role: "partnership_editor",
      areaCodes: [SWANSEA],
    });
    base = await listen(t.app);
    browser = await sharedBrowser();
  }, 300_000);
  afterAll(async () => {
    await closeContexts(browser);
    await t?.close();
  });

  it("lets a national analyst publish version 2 from its page, with no accessibility violations", async () => {
    const { page, context, errors } = await signedInPage(browser, base, "cy", "analyst@gov.wales");
    try {
      await page.goto(`${base}/cy/framework/versions/2`);
      await clean(page, "version 2 (approved) with its workflow form", errors);
      await page.locator('label:has-text("Cyhoeddi")').click();
      await Promise.all([page.waitForNavigation(), page.click("form[action$='/workflow'] button")]);
      expect(await page.textContent(".govuk-notification-banner")).toContain("Cyhoeddwyd");
      await clean(page, "version 2 published", errors);
    } finally {
      await context.close();
    }
  });

  for (const lang of ["en", "cy"] as const) {
    it(`shows the versions and the diff in ${lang} with no accessibility violations or console errors`, async () => {
      const { page, context, errors } = await openPage(browser);
      try {
        for (const p of ["/framework/versions", "/framework/versions/1", "/framework/versions/2/diff"]) {
          expect((await page.goto(`${base}/${lang}${p}`))?.status(), p).toBe(200);
          expect(await page.getAttribute("html", "lang")).toBe(lang);
          await clean(page, p, errors);
        }
      } finally {
        await context.close();
      }
    });
  }

  it("shows a plan's editor the migration report, and moves the plan on confirmation", async () => {
    const { page, context, errors } = await signedInPage(browser, base, "en", "editor@swansea.example");
    try {
      await page.goto(`${base}/en${plan}`);
      await Promise.all([page.waitForNavigation(), page.click(`a[href$="/edit/framework"]`)]);
      expect(await page.textContent("#migration-report")).toContain("Retired, with no replacement");
      await clean(page, "migration report", errors);
      await Promise.all([page.waitForNavigation(), page.click("#move button")]);
      await page.goto(`${base}/en${plan}`);
      expect((await page.textContent("#plan-framework-version"))?.trim()).toBe("2");
      await clean(page, "the plan on version 2", errors);
    } finally {
      await context.close();
    }
  });
});
