/**
 * Every public page type in English and Welsh in Chromium: zero axe violations (WCAG 2.2 AA), no console or CSP
 * errors, keyboard operation (skip link, filters, focus visible, scrollable tables reachable), pages that work without
 * JavaScript, and (with OMF_SCREENSHOTS=1) a screenshot of each under test-results/screenshots/.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  axeViolations,
  browserSkipReason,
  closeContexts,
  focused,
  focusIsVisible,
  listen,
  openPage,
  screenshot,
  sharedBrowser,
  type TestPage,
} from "../support/browser.ts";
import { demoApp } from "../support/demo-app.ts";
import type { TestApp } from "../support/test-app.ts";

const skip = browserSkipReason();
if (skip) console.log(`browser tests skipped: ${skip}`);

/** One URL per page type (after /en or /cy) and the screenshot name. */
const PAGE_TYPES: [string, string][] = [
  ["measures-list", "/measures?tier=high_level"],
  ["measure", "/measures/low-birth-weight?area=W06000015"],
  ["areas-list", "/areas"],
  ["area-profile", "/areas/W06000015"],
  ["wales-profile", "/areas/W92000004"],
  ["overview", "/overview"],
  ["compare", "/compare?measure=low-birth-weight&group=W11000029"],
  ["map-significance", "/map?measure=low-birth-weight"],
  ["map-quintile", "/map?measure=low-birth-weight&mode=quintile"],
  ["dashboard", "/dashboard"],
  ["api-docs", "/api"],
  ["data-format", "/data-format"],
];

describe.skipIf(skip !== null)("public pages in Chromium", () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  const shots: string[] = [];

  beforeAll(async () => {
    t = await demoApp();
    base = await listen(t.app);
    browser = await sharedBrowser();
  });
  afterAll(async () => {
    await closeContexts(browser);
    await t?.close();
    if (shots.length) console.log(`screenshots:\n${shots.join("\n")}`);
  });

  describe.each(["en", "cy"] as const)("%s", (lang) => {
    // one page per language, loading each page type in turn: public pages keep no state that one could leak to the next
    let tp: TestPage;
    beforeAll(async () => {
      tp = await openPage(browser);
    });
    afterAll(async () => {
      await tp?.context.close();
    });

    it.each(PAGE_TYPES)("%s has no accessibility violations and no console errors", async (name, path) => {
      const { page, errors } = tp;
      errors.length = 0;
      const r = await page.goto(`${base}/${lang}${path}`);
      expect(r?.status()).toBe(200);
      expect(await page.getAttribute("html", "lang")).toBe(lang);
      // govuk-frontend's JavaScript ran under the nonce-based CSP
      expect(await page.evaluate(() => document.body.classList.contains("govuk-frontend-supported"))).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, `${lang}-${name}`, shots);
      expect(errors).toEqual([]);
    });
  });

  it("still finds a missing label, a nameless select, an image without text and low contrast (a page broken on purpose)", async () => {
    const { page, context } = await openPage(browser);
    try {
      await page.goto(`${base}/en/measures/low-birth-weight?area=W06000015`);
      expect(await axeViolations(page)).toEqual([]);
      // the same document, broken after axe was injected and run once: the second run sees the breach
      await page.evaluate(() => {
        document.querySelector('label[for="area"]')?.remove();
        const main = document.querySelector("main")!;
        main.insertAdjacentHTML("beforeend", '<input type="text" name="unlabelled"><img src="/public/none.png">');
        // a style attribute would be refused by the content security policy; a style set from script is not
        const faint = main.appendChild(document.createElement("p"));
        faint.textContent = "Text of too low contrast";
        faint.style.color = "#b0b0b0";
        faint.style.backgroundColor = "#ffffff";
      });
      const found = (await axeViolations(page)).map((v) => v.id);
      expect(found).toEqual(expect.arrayContaining(["label", "select-name", "image-alt", "color-contrast"]));
    } finally {
      await context.close();
    }
  });

  it("is operable by keyboard: skip link, filters, visible focus, scrollable tables", async () => {
    const { page, context } = await openPage(browser);
    try {
      await page.goto(`${base}/cy/measures/low-birth-weight`);
      await page.keyboard.press("Tab");
      expect((await focused(page)).text).toBe("Neidio i'r prif gynnwys");
      expect(await focusIsVisible(page)).toBe(true);
      await page.keyboard.press("Enter");
      expect((await focused(page)).id).toBe("main-content");
      // choose an area with the keyboard and submit the form with Enter
      await page.focus("#area");
      expect(await focusIsVisible(page)).toBe(true);
      await page.selectOption("#area", "W06000015");
      await page.focus("#choose-heading ~ button, form[aria-labelledby='choose-heading'] button");
      await page.keyboard.press("Enter");
      await page.waitForURL(/area=W06000015/);
      expect(await page.textContent("#over-time")).toContain("Caerdydd");
      // every scrollable table region can be reached by Tab and shows focus
      const regions = await page.$$eval(".omf-table-scroll", (els) => els.map((e) => e.getAttribute("tabindex")));
      expect(regions.length).toBeGreaterThan(1);
      expect(regions.every((x) => x === "0")).toBe(true);
      let reached = false;
      for (let i = 0; i < 200 && !reached; i++) {
        await page.keyboard.press("Tab");
        reached = await page.evaluate(() => document.activeElement?.classList.contains("omf-table-scroll") ?? false);
      }
      expect(reached).toBe(true);
      expect(await focusIsVisible(page)).toBe(true);
      // every focusable element on the page shows a focus indicator
      const links = await page.$$("main a[href], main select, main button, main input");
      for (const el of links.slice(0, 40)) {
        await el.focus();
        expect(await focusIsVisible(page)).toBe(true);
      }
    } finally {
      await context.close();
    }
  });

  it("works without JavaScript: filters are forms that reload the page", async () => {
    const { page, context } = await openPage(browser, { javaScriptEnabled: false });
    try {
      await page.goto(`${base}/en/compare`);
      await page.check("#area-W06000015");
      await page.check("#area-W06000022");
      await page.click("form.omf-filters button[type=submit]");
      await page.waitForURL(/areas=W06000015/);
      expect(await page.$("#table-compare")).not.toBeNull();
      await page.goto(`${base}/en/map`);
      await page.selectOption("#mode", "quintile");
      await page.click("form.omf-filters button[type=submit]");
      await page.waitForURL(/mode=quintile/);
      expect(await page.textContent("h2.govuk-heading-l")).toContain("quintile");
      await screenshot(page, "en-map-no-javascript", shots);
    } finally {
      await context.close();
    }
  });

  it("switches language on the same page, keeping the choices", async () => {
    const { page, context } = await openPage(browser);
    try {
      await page.goto(`${base}/en/map?measure=low-birth-weight&mode=quintile`);
      await page.click('a[hreflang="cy"], a[lang="cy"]');
      await page.waitForURL(/\/cy\/map\?measure=low-birth-weight&mode=quintile/);
      expect(await page.getAttribute("html", "lang")).toBe("cy");
    } finally {
      await context.close();
    }
  });
});
