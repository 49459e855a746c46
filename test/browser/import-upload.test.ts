/**
 * The data upload in a real browser (Chromium): sign in, upload with visible progress, preview, confirm, the problems
 * CSV download, the batches page, the revision history of a value, my work and the audit log; zero axe violations (WCAG 2.2 AA) on every page in English and Welsh and no console
 * or CSP errors.
 */
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { visibleObservations } from "../../src/db/queries/visible-observations.ts";
import { createUser } from "../../src/services/accounts.ts";
import { buildApp } from "../../src/web/app.ts";
import {
  axeViolations,
  browserSkipReason,
  closeContexts,
  listen,
  openPage,
  TEST_PASSWORD as PASSWORD,
  screenshot,
  sharedBrowser,
  signedInPage,
  signIn,
} from "../support/browser.ts";
import { freshReferenceDatabase } from "../support/demo-database.ts";
import { clearImports, importCsv } from "../support/import-fixtures.ts";
import type { TestApp } from "../support/test-app.ts";

const skip = browserSkipReason();
if (skip) console.log(`browser tests skipped: ${skip}`);

const HEADER = "measure_code,area_code,period,value,numerator,denominator\n";

describe.skipIf(skip !== null)("data upload in Chromium", () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    const database = await freshReferenceDatabase(); // the framework and areas, cloned
    await clearImports(database);
    await createUser(database.db, { email: "analyst@example.org", password: PASSWORD, role: "national_analyst" });
    const app = await buildApp({ database, sessionSecret: "a-test-secret-that-is-at-least-32-characters" });
    t = {
      app,
      database,
      close: async () => {
        await app.close();
        await database.close();
      },
    };
    base = await listen(t.app);
    browser = await sharedBrowser();
  });
  afterAll(async () => {
    await closeContexts(browser);
    await t?.close();
  });

  /** A page signed in as the analyst (through the form the first time, then with the cookies it stored). */
  const signedIn = (lang: "en" | "cy", width = 1200) =>
    signedInPage(browser, base, lang, "analyst@example.org", {
      acceptDownloads: true,
      viewport: { width, height: 900 },
    });

  async function expectAccessible(page: Page, name: string) {
    await screenshot(page, `import-${name}`);
    expect(await axeViolations(page), name).toEqual([]);
  }

  it("uploads with progress, previews, confirms and publishes (English)", async () => {
    const { page, context, errors } = await signedIn("en");
    try {
      await page.goto(`${base}/en/data/import`);
      await expectAccessible(page, "upload-en");
      // a file big enough for the progress box to be seen while it is checked
      const areas = ["W06000015", "W06000001", "W06000002", "W92000004"];
      const lines = Array.from(
        { length: 20_000 },
        (_, i) => `low-birth-weight,${areas[i % 4]},${1000 + Math.floor(i / 4)},7,7,100`,
      );
      await page.setInputFiles("#file", {
        name: "lbw.csv",
        mimeType: "text/csv",
        buffer: Buffer.from(`${HEADER}${lines.join("\n")}\n`),
      });
      await page.fill("#reason", "First load");
      await page.click("#upload-button");
      await page.waitForSelector("#upload-progress:not([hidden])");
      await page.waitForURL(/\/en\/data\/import\/[a-f0-9]{32}$/);
      expect(await page.locator("#import-summary").textContent()).toContain("20,000");
      await expectAccessible(page, "preview-en");
      expect(await visibleObservations(t.database.db, { includeDrafts: true })).toEqual([]);

      await page.check("#publish-2"); // publish now
      // confirming imports 20,000 rows, publishes them and waits for their analysis: generous under load
      await Promise.all([page.waitForURL(/\/confirm$/, { timeout: 180_000 }), page.click("#confirm-button")]);
      expect(await page.locator("#import-done").textContent()).toContain("Data imported");
      await expectAccessible(page, "done-en");
      expect((await visibleObservations(t.database.db, {})).length).toBe(20_000);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 600_000);

  it("shows every problem, offers the problems as CSV and imports nothing (Welsh)", async () => {
    const { page, context, errors } = await signedIn("cy");
    try {
      const before = (await visibleObservations(t.database.db, { includeDrafts: true })).length;
      await page.goto(`${base}/cy/data/import`);
      await expectAccessible(page, "upload-cy");
      await page.setInputFiles("#file", {
        name: "gwallau.csv",
        mimeType: "text/csv",
        buffer: Buffer.from(
          `${HEADER}low-birth-weight,Atlantis,2022,7,7,100\nlow-birth-weight,W06000015,2022-23,saith,7,100\n`,
        ),
      });
      await page.click("#upload-button");
      await page.waitForURL(/\/cy\/data\/import\/[a-f0-9]{32}$/);
      expect(await page.locator("#problems-table").textContent()).toContain("Atlantis");
      expect(await page.locator("#problems-table tbody tr").count()).toBe(3);
      expect(await page.locator("#confirm-button").count()).toBe(0);
      await expectAccessible(page, "preview-errors-cy");
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.click('a[href$="/problems.csv"] >> nth=0'),
      ]);
      const csv = readFileSync((await download.path())!, "utf8");
      expect(csv).toContain("error,2,area_code,Atlantis,unknown_area");
      expect(csv).toContain("error,3,value,saith,not_a_number");
      expect((await visibleObservations(t.database.db, { includeDrafts: true })).length).toBe(before);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("explains a missing file next to the field, and lists batches accessibly", async () => {
    const { page, context, errors } = await signedIn("en");
    try {
      await page.goto(`${base}/en/data/import`);
      await page.click("#upload-button");
      await page.waitForSelector(".govuk-error-summary");
      expect(await page.locator(".govuk-error-summary a[href='#file']").textContent()).toContain(
        "Select a file to upload",
      );
      await expectAccessible(page, "upload-error-en");
      for (const lang of ["en", "cy"]) {
        await page.goto(`${base}/${lang}/data/batches`);
        expect(await page.locator("h1").textContent()).toMatch(
          lang === "en" ? /Uploaded batches/ : /Sypiau a lanlwythwyd/,
        );
        await expectAccessible(page, `batches-${lang}`);
      }
      // the form with errors is answered 400, which Chromium logs; nothing else may appear
      expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("fits a 320 px screen, and asks for the embargo date and time only when an embargo is chosen (issue 17)", async () => {
    const csv = `${HEADER}low-birth-weight,W06000012,2010,6.8,68,1000\n`;
    expect((await importCsv(t.database, csv, { publish: true, reason: "Browser test" })).ok).toBe(true);
    for (const lang of ["en", "cy"] as const) {
      const { page, context } = await signedIn(lang, 320);
      try {
        const overflow = () =>
          page.evaluate(() => {
            const root = document.scrollingElement ?? document.documentElement;
            return root.scrollWidth - root.clientWidth;
          });
        await page.goto(`${base}/${lang}/data/import`);
        expect(await overflow(), "upload").toBeLessThanOrEqual(0);
        await page.setInputFiles("#file", {
          name: "lbw.csv",
          mimeType: "text/csv",
          buffer: Buffer.from(`${HEADER}low-birth-weight,W06000012,2010,6.9,69,1000\n`),
        });
        await page.click("#upload-button");
        await page.waitForURL(/\/data\/import\/[a-f0-9]{32}$/);
        expect(await overflow(), "preview").toBeLessThanOrEqual(0);
        // the embargo fields are hidden until the embargo is chosen, and hidden again when another choice is made
        expect(await page.isVisible("#embargo-day")).toBe(false);
        await page.check("#publish-3");
        expect(await page.isVisible("#embargo-day")).toBe(true);
        expect(await page.isVisible("#embargo-time")).toBe(true);
        await screenshot(page, `import-preview-embargo-320-${lang}`);
        await page.check("#publish-2");
        expect(await page.isVisible("#embargo-day")).toBe(false);
        await page.goto(`${base}/${lang}/data/batches`);
        expect(await overflow(), "batches").toBeLessThanOrEqual(0);
        await page.goto(`${base}/${lang}/data/history?measure=low-birth-weight&area=W06000012&period=2010`);
        expect(await page.locator("#history-table tbody tr").count()).toBe(1);
        expect(await overflow(), "history").toBeLessThanOrEqual(0);
        await screenshot(page, `import-history-320-${lang}`);
      } finally {
        await context.close();
      }
    }
  });

  it("shows the revision history of a value, chosen with the form, and its CSV (English and Welsh)", async () => {
    for (const [value, numerator, publish] of [
      ["6.9", 69, true],
      ["7.2", 72, false],
    ] as const) {
      const csv = `${HEADER}low-birth-weight,W06000011,2009,${value},${numerator},1000\n`;
      const summary = await importCsv(t.database, csv, {
        publish,
        reason: "Browser test",
      });
      expect(summary.ok, summary.message).toBe(true);
    }
    for (const lang of ["en", "cy"] as const) {
      const { page, context, errors } = await signedIn(lang);
      try {
        await page.goto(`${base}/${lang}/data/history`);
        await expectAccessible(page, `history-form-${lang}`);
        await page.selectOption("#measure", "low-birth-weight");
        await page.selectOption("#area", "W06000011");
        await page.fill("#period", "2009");
        await Promise.all([page.waitForURL(/\/data\/history\?/), page.click("#history-button")]);
        expect(await page.locator("#history-table tbody tr").count()).toBe(2);
        expect(await page.locator("#history-table").textContent()).toContain(lang === "en" ? "Draft" : "Drafft");
        await expectAccessible(page, `history-${lang}`);
        const [download] = await Promise.all([
          page.waitForEvent("download"),
          page.click('a[href*="/data/history.csv?"]'),
        ]);
        const csv = readFileSync((await download.path())!, "utf8");
        expect(csv.split("\r\n")[0]).toContain(lang === "en" ? "Revision" : "Diwygiad");
        await page.goto(`${base}/${lang}/data/history?measure=low-birth-weight&area=W06000001`);
        await expectAccessible(page, `history-error-${lang}`);
        // the form with errors is answered 400, which Chromium logs; nothing else may appear
        expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
      } finally {
        await context.close();
      }
    }
  });

  it("lands on my work after signing in; reads, filters and downloads the audit log (English and Welsh)", async () => {
    expect(
      (
        await importCsv(t.database, `${HEADER}low-birth-weight,W06000014,2010,6.1,61,1000\n`, {
          publish: true,
          reason: "Audit walk",
        })
      ).ok,
    ).toBe(true);
    for (const lang of ["en", "cy"] as const) {
      const { page, context, errors } = await openPage(browser, { acceptDownloads: true });
      try {
        await signIn(page, base, lang, "analyst@example.org");
        expect(page.url()).toBe(`${base}/${lang}/my-work`);
        expect(await page.locator("#to-review").count()).toBe(1); // the reviewer's queue, empty here
        await expectAccessible(page, `my-work-${lang}`);
        await page.click(`a[href="/${lang}/audit"]`);
        await page.waitForURL(`${base}/${lang}/audit`);
        await page.selectOption("#kind", "import");
        await Promise.all([page.waitForURL(/\/audit\?/), page.click("#audit-apply")]);
        const rows = page.locator("#audit-log tbody tr");
        expect(await rows.count()).toBeGreaterThan(0);
        expect(await rows.first().textContent()).toContain("Audit walk");
        await rows.first().locator("summary").click();
        expect(await rows.first().locator("pre").first().isVisible()).toBe(true);
        await expectAccessible(page, `audit-${lang}`);
        const [download] = await Promise.all([page.waitForEvent("download"), page.click('a[href*="/audit.csv?"]')]);
        const csv = readFileSync((await download.path())!, "utf8");
        expect(csv.split("\r\n")[0]).toContain(lang === "en" ? "Kind code" : "Cod y math");
        expect(csv).toContain("Audit walk");
        await page.goto(`${base}/${lang}/audit?from=2026-13-01`);
        await expectAccessible(page, `audit-error-${lang}`);
        // the form with errors is answered 400, which Chromium logs; nothing else may appear
        expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
      } finally {
        await context.close();
      }
    }
  });
});
