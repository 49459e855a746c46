/**
 * The national reports (issue 15) in Chromium, in English and Welsh: the children's rights report (with the demo
 * plans quoted) and the data development agenda have zero axe violations (WCAG 2.2 AA) and no console or CSP errors;
 * their wide tables are scrollable regions reachable by keyboard.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations, browserSkipReason, launchBrowser, listen, openPage, screenshot } from "../support/browser.ts";
import { demoAppWithPlans } from "../support/demo-app.ts";
import type { TestApp } from "../support/test-app.ts";

const skip = browserSkipReason();
if (skip) console.log(`browser tests skipped: ${skip}`);

describe.skipIf(skip !== null)("national reports in Chromium", () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await demoAppWithPlans();
    base = await listen(t.app);
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  describe.each(["en", "cy"] as const)("%s", (lang) => {
    it.each([
      ["rights", "/reports/rights"],
      ["data-development", "/reports/data-development"],
    ])("%s has no accessibility violations and no console errors", async (name, path) => {
      const { page, context, errors } = await openPage(browser);
      try {
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
      } finally {
        await context.close();
      }
    });
  });
});
