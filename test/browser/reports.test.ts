/**
 * The national reports (issue 15) in Chromium, in English and Welsh: the children's rights report (with the demo
 * plans quoted) and the data development agenda have zero axe violations (WCAG 2.2 AA) and no console or CSP errors;
 * their wide tables are scrollable regions reachable by keyboard. The agenda's management page (signed in as a national
 * administrator, with a task and a refused form showing its error) has no axe violations either.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  axeViolations,
  browserSkipReason,
  closeContexts,
  listen,
  openPage,
  screenshot,
  sharedBrowser,
  type TestPage,
} from "../support/browser.ts";
import { demoAppWithPlans } from "../support/demo-app.ts";
import { signInAs, type TestApp } from "../support/test-app.ts";

const skip = browserSkipReason();
if (skip) console.log(`browser tests skipped: ${skip}`);

describe.skipIf(skip !== null)("national reports in Chromium", () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await demoAppWithPlans();
    base = await listen(t.app);
    browser = await sharedBrowser();
  }, 300_000);
  afterAll(async () => {
    await closeContexts(browser);
    await t?.close();
  });

  describe.each(["en", "cy"] as const)("%s", (lang) => {
    // one page for both reports (signed out), each report's errors its own
    let tp: TestPage;
    beforeAll(async () => {
      tp = await openPage(browser);
    });
    afterAll(async () => {
      await tp?.context.close();
    });

    it.each([
      ["rights", "/reports/rights"],
      ["data-development", "/reports/data-development"],
    ])("%s has no accessibility violations and no console errors", async (name, path) => {
      const { page, errors } = tp;
      errors.length = 0;
      const r = await page.goto(`${base}/${lang}${path}`);
      expect(r?.status()).toBe(200);
      expect(await page.getAttribute("html", "lang")).toBe(lang);
      expect(await axeViolations(page)).toEqual([]);
      // every table sits in a focusable, labelled scroll region
      const regions = await page.$$eval(".omf-table-scroll", (els) =>
        els.map((e) => [e.getAttribute("tabindex"), e.getAttribute("aria-labelledby")]),
      );
      expect(regions.length).toBeGreaterThan(0);
      expect(regions.every(([tab, label]) => tab === "0" && Boolean(label))).toBe(true);
      await screenshot(page, `${lang}-report-${name}`);
      expect(errors).toEqual([]);
    });
  });

  it("the agenda's management page has no accessibility violations, in English and Welsh, with an error shown", async () => {
    const { cookie } = await signInAs(t, "national_admin", "agenda-admin@example.org");
    const code = (await t.app.services.reports.agenda.view())!.entries[0]!.measure.code;
    await t.app.services.reports.agenda.saveTask(
      { id: null, email: "agenda-admin@example.org", role: "national_admin", areaCodes: [], channel: "cli" },
      null,
      {
        title: { en: "Agree data sharing", cy: "Cytuno ar rannu data" },
        owner: "Data team",
        dueDate: "2020-01-31",
        status: "open",
        measureCode: code,
      },
    );
    const { page, context, errors } = await openPage(browser);
    try {
      const host = new URL(base).hostname;
      await context.addCookies(
        cookie.split("; ").map((c) => {
          const [name, ...value] = c.split("=");
          return { name: name!, value: value.join("="), domain: host, path: "/" };
        }),
      );
      for (const lang of ["en", "cy"] as const) {
        const r = await page.goto(`${base}/${lang}/reports/data-development/manage`);
        expect(r?.status()).toBe(200);
        expect(await axeViolations(page)).toEqual([]);
      }
      // a refused task: the error summary links to the field, which says what is wrong
      await page.fill("#task-new-title-en", "Find a source");
      await page.fill("#task-new-owner", "Data team");
      await page.fill("#task-new-dueDate", "31/01/2027");
      await Promise.all([page.waitForNavigation(), page.click("text=Ychwanegu'r dasg")]);
      expect(await page.textContent(".govuk-error-summary")).toContain("dyddiad cwblhau");
      expect(await page.inputValue("#task-new-title-en")).toBe("Find a source");
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, "cy-agenda-manage-error");
      // the refused form is answered 400, which the browser logs; nothing else may be
      expect(
        errors.filter((e) => !e.includes("status of 400") || !e.includes("/reports/data-development/tasks")),
      ).toEqual([]);
    } finally {
      await context.close();
    }
  }, 240_000);
});
