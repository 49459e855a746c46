/**
 * The plan review workflow in Chromium (issue 14), one app and one browser: an editor submits a plan, a national
 * reviewer returns it with a comment on a section, the editor fixes it and resubmits, the reviewer approves and
 * publishes; in English (the demo's Swansea draft) and in Welsh (a new version of the demo's published Gwynedd plan,
 * started from its Welsh form, then compared with version 1). Axe finds nothing on the review pages. Two browser
 * sessions of two editors of the same partnership load the same forms and both save: the second is refused, with both
 * texts shown to merge by hand (a narrative) or the latest plan shown with the typed values kept (a priority). The plan
 * page printed: navigation, forms and buttons hidden, each core aim on a new page, the chart still an SVG.
 */
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createUser } from "../../src/services/accounts.ts";
import { demoPlanPeriod, seedDemoPlans } from "../../src/services/plans/demo.ts";
import type { PlanActor, PlanRef } from "../../src/services/plans/index.ts";
import {
  axeViolations,
  browserSkipReason,
  openPage,
  signedInPage,
  TEST_PASSWORD as PASSWORD,
} from "../support/browser.ts";
import { useDemoBrowserApp } from "../support/browser-app.ts";
import { completePlan } from "../support/plan-fixtures.ts";

const skip = browserSkipReason();
const PERIOD = demoPlanPeriod();
const SWANSEA = "W06000011";
const GWYNEDD = "W06000002";
const editorActor = (area: string): PlanActor => ({
  id: null,
  email: "fixture@example.org",
  role: "partnership_editor",
  areaCodes: [area],
  channel: "web",
});

describe.skipIf(skip !== null)("the plan review in Chromium", () => {
  const s = useDemoBrowserApp(async (t) => {
    await seedDemoPlans(t.app.services.plans);
    await completePlan(t.app.services.plans, editorActor(SWANSEA), { areaCode: SWANSEA, period: PERIOD });
    for (const [email, role, areaCodes] of [
      ["ann@example.org", "partnership_editor", [SWANSEA, GWYNEDD]],
      ["bob@example.org", "partnership_editor", [SWANSEA]],
      ["rhian@example.org", "national_analyst", []],
    ] as const)
      await createUser(t.database.db, { email, password: PASSWORD, role, areaCodes: [...areaCodes] });
  });

  /** A page signed in as `email` (through the form the first time, then with the cookies it stored). */
  const signedIn = (email: string, lang: "en" | "cy"): Promise<{ page: Page; context: BrowserContext }> =>
    signedInPage(s.browser, s.base, lang, email);

  /** Clicks a button and waits for the page it leads to. */
  async function press(page: Page, selector: string) {
    await Promise.all([page.waitForNavigation(), page.click(selector)]);
  }

  const main = async (page: Page) => ((await page.textContent("main")) ?? "").replace(/\s+/g, " ");

  async function walk(lang: "en" | "cy", area: string, fix: (page: Page) => Promise<void>) {
    const plan = `${s.base}/${lang}/plans/${area}/${PERIOD}`;
    const editor = await signedIn("ann@example.org", lang);
    const reviewer = await signedIn("rhian@example.org", lang);
    try {
      await editor.page.goto(`${plan}/review`);
      expect(await axeViolations(editor.page), "review page, editor").toEqual([]);
      await press(editor.page, `form[action$="/review"] button`);
      expect(editor.page.url()).toBe(`${plan}/review?done=submit`);

      // the reviewer returns it with a comment on the priorities
      await reviewer.page.goto(`${plan}/review`);
      expect(await axeViolations(reviewer.page), "review page, reviewer").toEqual([]);
      await press(reviewer.page, 'button[value="return"]');
      expect(await reviewer.page.textContent(".govuk-error-summary")).toContain(
        lang === "en" ? "Enter a comment" : "Rhowch sylw",
      );
      expect(await axeViolations(reviewer.page), "review page with an error").toEqual([]);
      await reviewer.page.selectOption("#section", "priorities");
      const comment = lang === "en" ? "Say which children the priority is for." : "Dywedwch ar gyfer pa blant.";
      await reviewer.page.fill("#comment", comment);
      await press(reviewer.page, 'button[value="return"]');

      // the editor sees the comment against its section, fixes the plan and submits it again
      await editor.page.goto(`${plan}/review`);
      const returned = await main(editor.page);
      expect(returned).toContain(lang === "en" ? "Returned" : "Wedi'i ddychwelyd");
      expect(returned).toContain(`${lang === "en" ? "Priorities" : "Blaenoriaethau"} ${comment}`);
      await fix(editor.page);
      await editor.page.goto(`${plan}/review`);
      await press(editor.page, `form[action$="/review"] button`);

      // the reviewer approves and publishes; the public reads it
      await reviewer.page.goto(`${plan}/review`);
      await press(reviewer.page, 'button[value="approve"]');
      await press(reviewer.page, `form[action$="/review"] input[value="publish"] ~ button`);
      expect(await main(reviewer.page)).toContain(lang === "en" ? "Published" : "Cyhoeddwyd");
      expect(await axeViolations(reviewer.page), "review page, published").toEqual([]);
    } finally {
      await editor.context.close();
      await reviewer.context.close();
    }
    const anon = await openPage(s.browser);
    try {
      expect((await anon.page.goto(plan))?.status()).toBe(200);
      return { page: anon.page, context: anon.context, text: await main(anon.page) };
    } catch (error) {
      await anon.context.close();
      throw error;
    }
  }

  /** Changes the first priority's English text from its own page (the fix the reviewer asked for). */
  const rewordPriority = (words: string) => async (page: Page) => {
    const edit = page.url().replace(/\/review.*$/, "/edit");
    await page.goto(edit);
    await page.goto(`${s.base}${await page.getAttribute("a[href*='/edit/priorities/']", "href")}`);
    await page.fill("#priority-text-en", words);
    await press(page, 'form[action*="/edit/priorities/"]:not([action$="/remove"]) button');
  };

  it("two editors save the same forms: the second is refused, with both versions to merge by hand", async () => {
    const plan = `${s.base}/en/plans/${SWANSEA}/${PERIOD}`;
    const ann = await signedIn("ann@example.org", "en");
    const bob = await signedIn("bob@example.org", "en");
    try {
      // a narrative: both open the story of the same measure
      await ann.page.goto(`${plan}/edit`);
      const measureEdit = `${s.base}${await ann.page.getAttribute("table a[href$='/edit']", "href")}`;
      await ann.page.goto(measureEdit);
      await bob.page.goto(measureEdit);
      await ann.page.fill("#story-body", "Ann: attendance fell after the pandemic.");
      await bob.page.fill("#story-body", "Bob: attendance fell in the older years.");
      await press(ann.page, 'form[action$="/narratives/story"] button[type="submit"]');
      await press(bob.page, 'form[action$="/narratives/story"] button[type="submit"]');
      expect(await bob.page.textContent(".govuk-error-summary")).toContain("There is a problem");
      expect(await bob.page.textContent("#story-theirs")).toBe("Ann: attendance fell after the pandemic.");
      expect(await bob.page.inputValue("#story-body")).toBe("Bob: attendance fell in the older years.");
      const merge = (await bob.page.textContent("#story-merge")) ?? "";
      expect(merge).toContain("ann@example.org");
      expect(merge).toMatch(/\[removed: .*Ann/);
      expect(merge).toMatch(/\[added: .*Bob/);
      expect(await axeViolations(bob.page), "merge view").toEqual([]);
      // Bob merges by hand and saves: a new version on top of Ann's
      const merged = "Attendance fell after the pandemic, most in the older years.";
      await bob.page.fill("#story-body", merged);
      await press(bob.page, 'form[action$="/narratives/story"] button[type="submit"]');
      expect(await bob.page.locator(".govuk-error-summary").count()).toBe(0);
      await ann.page.goto(measureEdit);
      expect(await ann.page.inputValue("#story-body")).toBe(merged);

      // a priority (the plan's row version): the second save is refused, the typed text kept, nothing written
      await ann.page.goto(`${plan}/edit`);
      const priority = `${s.base}${await ann.page.getAttribute("a[href*='/edit/priorities/']", "href")}`;
      await ann.page.goto(priority);
      await bob.page.goto(priority);
      await ann.page.fill("#priority-text-en", "Keep every young person in learning");
      await bob.page.fill("#priority-text-en", "Keep young people in learning or training");
      const save = 'form[action*="/edit/priorities/"]:not([action$="/remove"]) button';
      await press(ann.page, save);
      await press(bob.page, save);
      expect(await bob.page.textContent("#stale")).toContain("Someone else changed this plan");
      expect(await bob.page.inputValue("#priority-text-en")).toBe("Keep young people in learning or training");
      await ann.page.goto(`${plan}/edit`);
      expect(await main(ann.page)).toContain("Keep every young person in learning");
    } finally {
      await ann.context.close();
      await bob.context.close();
    }
  }, 300_000);

  it("walks submit → return with a comment → fix → resubmit → approve → publish, in English", async () => {
    const r = await walk("en", SWANSEA, rewordPriority("Keep every young person aged 11 to 18 in learning"));
    try {
      expect(r.text).toContain("Keep every young person aged 11 to 18 in learning");
    } finally {
      await r.context.close();
    }
  }, 300_000);

  it("walks a new version of a published plan through the review in Welsh, then compares it with version 1", async () => {
    const ref: PlanRef = { areaCode: GWYNEDD, period: PERIOD };
    const plan = `${s.base}/cy/plans/${GWYNEDD}/${PERIOD}`;
    const editor = await signedIn("ann@example.org", "cy");
    try {
      await editor.page.goto(plan);
      await press(editor.page, `a[href$="/new-version"]`);
      expect(await axeViolations(editor.page), "new version form").toEqual([]);
      await editor.page.fill("#reason", "Mae'r cyngor wedi newid ei flaenoriaethau");
      await press(editor.page, 'form[action$="/new-version"] button');
      expect(editor.page.url()).toBe(`${plan}/edit`);
      expect(await main(editor.page)).toContain("Drafft");
    } finally {
      await editor.context.close();
    }
    await completePlan(s.t.app.services.plans, editorActor(GWYNEDD), ref);
    const r = await walk("cy", GWYNEDD, rewordPriority("Support every young carer"));
    try {
      // the public reads version 2, lists version 1 and compares the two
      expect(r.text).toMatch(/Fersiwn\s*2\s*Statws\s*Cyhoeddwyd/);
      expect(await r.page.getAttribute(`a[href="/cy/plans/${GWYNEDD}/${PERIOD}/versions/1"]`, "href")).toBeTruthy();
      await r.page.selectOption("#compare-from", "1");
      await r.page.selectOption("#compare-to", "2");
      await press(r.page, `form[action$="/compare"] button`);
      expect(r.page.url()).toContain("/compare?from=1&to=2");
      expect(await axeViolations(r.page), "compare page").toEqual([]);
      expect(await main(r.page)).toContain("Blaenoriaethau");
      expect(await r.page.locator("ins.omf-diff-added").count()).toBeGreaterThan(0);
    } finally {
      await r.context.close();
    }
  }, 300_000);

  it("prints the plan page on A4 without navigation, forms or buttons, a core aim to a page, charts as SVG", async () => {
    const { page, context } = await openPage(s.browser);
    try {
      const plan = `${s.base}/en/plans/${SWANSEA}/${PERIOD}`;
      await page.goto(plan);
      await page.emulateMedia({ media: "print" });
      const shown = (selector: string) =>
        page.$$eval(selector, (els) => els.some((e) => getComputedStyle(e).display !== "none"));
      for (const hidden of [
        ".govuk-service-navigation",
        ".govuk-footer",
        ".govuk-breadcrumbs",
        "form",
        ".govuk-button",
      ])
        expect(await shown(hidden), hidden).toBe(false);
      expect(await shown("h1")).toBe(true);
      const breaks = await page.$$eval("#measures ~ h3", (els) => els.map((e) => getComputedStyle(e).breakBefore));
      expect(breaks.length).toBeGreaterThan(0);
      expect(breaks.every((b) => b === "page")).toBe(true);
      const pdf = await page.pdf({ preferCSSPageSize: true });
      expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
      // a turn-the-curve report prints its chart as SVG
      await page.goto(`${s.base}${await page.getAttribute("#measures ~ ul a", "href")}`);
      expect(await shown("main svg")).toBe(true);
      await page.emulateMedia({ media: "screen" });
      expect(await shown(".govuk-service-navigation")).toBe(true);
    } finally {
      await context.close();
    }
  }, 120_000);
});
