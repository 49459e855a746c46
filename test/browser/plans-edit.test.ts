/**
 * The plan editing walk-through in Chromium (issue 13), once in English and once in Welsh: a partnership editor signs
 * in, creates a plan, adds a priority, chooses an additional measure with its reason, sets targets, writes the story
 * behind the baseline, adds an action and a progress update, and sees them on the plan's pages. Axe finds no
 * violations on every edit page type (and on a form showing its error summary); no console errors; a stored <script>
 * typed into every narrative field is shown as text afterwards and no dialog fires.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../src/services/accounts.ts";
import {
  browserSkipReason,
  closeContexts,
  expectClean,
  listen,
  openPage,
  TEST_PASSWORD as PASSWORD,
  sharedBrowser,
  signedInPage,
} from "../support/browser.ts";
import { demoApp } from "../support/demo-app.ts";
import type { TestApp } from "../support/test-app.ts";

const skip = browserSkipReason();
const CARDIFF = "W06000015";
const SCRIPT = "<script>alert('stored')</script>";
const fy = (s: number) => `${s}-${String((s + 1) % 100).padStart(2, "0")}`;
const y = new Date().getUTCFullYear();
/** One plan period per language, both within the demo data's years (so the measures have baselines and periods). */
const PERIODS = { en: `${fy(y - 2)}-to-${fy(y)}`, cy: `${fy(y - 3)}-to-${fy(y - 1)}` } as const;

describe.skipIf(skip !== null)("editing a plan in Chromium", () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await demoApp();
    await createUser(t.database.db, {
      email: "editor@cardiff.example",
      password: PASSWORD,
      role: "partnership_editor",
      areaCodes: [CARDIFF],
    });
    base = await listen(t.app);
    browser = await sharedBrowser();
  }, 180_000);
  afterAll(async () => {
    await closeContexts(browser);
    await t?.close();
  });

  /** Submits the form whose action ends with `action` and waits for the next page. */
  async function submit(page: Page, action: string) {
    await Promise.all([page.waitForNavigation(), page.click(`form[action$="${action}"] button[type="submit"]`)]);
  }

  /** No axe violations; a refused form answers 400 or 409 by design (Chromium logs that status), nothing else. */
  const expectAccessible = (page: Page, name: string, errors: string[]) => expectClean(page, name, errors, [400, 409]);

  describe.each(["en", "cy"] as const)("%s", (lang) => {
    it("walks an editor from a new plan to a progress update, axe-clean on every edit page", async () => {
      const period = PERIODS[lang];
      const plan = `/${lang}/plans/${CARDIFF}/${period}`;
      const { page, context, errors } = await signedInPage(browser, base, lang, "editor@cardiff.example");
      const dialogs: string[] = [];
      page.on("dialog", (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      try {
        await page.goto(`${base}/${lang}/plans`);
        await Promise.all([page.waitForURL(`${base}/${lang}/plans/new`), page.click(`a[href="/${lang}/plans/new"]`)]);
        await expectAccessible(page, "new plan", errors);
        // a mistake first: the error summary is shown, linked to the field, and is accessible
        await page.selectOption("#create-areaCode", CARDIFF);
        await page.fill("#create-period", "soon");
        await submit(page, "/plans/new");
        expect(await page.textContent(".govuk-error-summary")).toContain(
          lang === "en" ? "There is a problem" : "Mae problem wedi codi",
        );
        expect(await page.getAttribute(".govuk-error-summary a", "href")).toBe("#create-period");
        await expectAccessible(page, "new plan with errors", errors);
        await page.fill("#create-period", period);
        await submit(page, "/plans/new");
        expect(page.url()).toBe(`${base}${plan}/edit`);
        await expectAccessible(page, "plan edit page", errors);

        // a priority
        await page.fill("#priority-text-en", "Give every baby a healthy start");
        await page.fill("#priority-text-cy", "Rhoi dechrau iach i bob babi");
        await page.check("#priority-coreAims");
        await submit(page, "/edit/priorities");
        expect(await page.textContent("#main-content")).toContain(
          lang === "en" ? "Give every baby a healthy start" : "Rhoi dechrau iach i bob babi",
        );

        // an additional measure for it, with a reason
        const measureCode = await page.$eval(
          "#choose-measureCode optgroup option",
          (o) => (o as HTMLOptionElement).value,
        );
        await page.selectOption("#choose-measureCode", measureCode);
        await page.selectOption("#choose-priorityId", { index: 1 });
        await page.fill("#choose-reason-en", "It shows early whether support in pregnancy works");
        await page.fill("#choose-reason-cy", "Mae'n dangos yn gynnar a yw cymorth yn gweithio");
        await submit(page, "/edit/measures");
        expect(await page.textContent("#measures")).toBeTruthy();
        expect(await page.textContent("main")).toContain(
          lang === "en" ? "It shows early whether support in pregnancy works" : "Mae'n dangos yn gynnar",
        );

        // the change-priority page and the local-measure page are accessible too
        const priorityHref = await page.getAttribute("#main-content a[href*='/edit/priorities/']", "href");
        await page.goto(`${base}${priorityHref}`);
        await expectAccessible(page, "priority page", errors);
        await page.goto(`${base}${plan}/edit/local-measure`);
        await expectAccessible(page, "local measure page", errors);

        // targets, the story behind the baseline, an action and its progress update
        await page.goto(`${base}${plan}/edit`);
        const measureHref = (await page.getAttribute("table a[href$='/edit']", "href"))!;
        await page.goto(`${base}${measureHref}`);
        await expectAccessible(page, "measure edit page", errors);
        const firstTarget = page.locator("input[name^='target-']").first();
        await firstTarget.fill("10");
        await submit(page, "/targets");
        expect(await page.inputValue("input[name^='target-']")).toBe("10");
        await page.fill(
          "#story-body",
          lang === "en"
            ? "Fewer families took up early support."
            : "Roedd llai o deuluoedd yn manteisio ar gymorth cynnar.",
        );
        await page.fill(
          "#story-items-0-text",
          lang === "en" ? "Reorganised services" : "Gwasanaethau wedi'u had-drefnu",
        );
        await page.selectOption("#story-items-0-kind", "restricting");
        await submit(page, "/narratives/story");
        await page.fill("#action-title-en", "Offer every family a visit in the first month");
        await page.fill("#action-title-cy", "Cynnig ymweliad i bob teulu yn y mis cyntaf");
        await page.fill("#action-owner", "Health visiting");
        await page.fill("#action-startDate", `${y - 1}-04-01`);
        await page.fill("#action-dueDate", `${y + 1}-03-31`);
        await page.selectOption("#action-status", "on_track");
        await submit(page, "/actions");
        const updateForm = "form[action*='/actions/'][action$='/updates']";
        const updatePrefix = (await page.getAttribute(`${updateForm} input[name='date']`, "id"))!.replace(/-date$/, "");
        await page.fill(`#${updatePrefix}-date`, `${y}-01-15`);
        await page.fill(`#${updatePrefix}-text-en`, "Visits now reach four in five families");
        await page.fill(`#${updatePrefix}-text-cy`, "Mae ymweliadau bellach yn cyrraedd pedwar o bob pum teulu");
        await page.selectOption(`#${updatePrefix}-status`, "on_track");
        await Promise.all([page.waitForNavigation(), page.click(`${updateForm} button[type="submit"]`)]);
        // (checked below, once the story has a second version: the same page with its history added)

        // the story rewritten, its first version restored (a new version), and the plan's changes listed
        const firstStory = await page.inputValue("#story-body");
        await page.fill("#story-body", lang === "en" ? "Take-up fell." : "Gostyngodd y nifer a fanteisiodd.");
        await submit(page, "/narratives/story");
        await page.click("#story-history summary");
        await expectAccessible(page, "measure edit page with earlier versions", errors);
        await submit(page, "/narratives/story/restore");
        expect(await page.inputValue("#story-body")).toBe(firstStory);
        await page.goto(`${base}${plan}/edit/history`);
        await expectAccessible(page, "changes page", errors);
        const changes = (await page.textContent("main"))!;
        expect(changes).toContain(lang === "en" ? "Narrative saved" : "Cadwyd naratif");
        expect(changes).toContain(lang === "en" ? "Version: was “2”, now “3”" : "Fersiwn: roedd yn “2”, bellach “3”");
        // the draft waits on the editor's "my work" page
        await page.goto(`${base}/${lang}/my-work`);
        expect(await page.getAttribute(`#drafts ~ ul a[href="${plan}/edit"]`, "href")).toBe(`${plan}/edit`);
        await expectAccessible(page, "my work", errors);

        // the plan's report shows it all (the editor sees the draft)
        await page.goto(`${base}${measureHref.replace(/\/edit$/, "")}`);
        const report = (await page.textContent("main"))!;
        expect(report).toContain(lang === "en" ? "Fewer families took up early support." : "Roedd llai o deuluoedd");
        expect(report).toContain(lang === "en" ? "Offer every family a visit" : "Cynnig ymweliad i bob teulu");
        expect(report).toContain(lang === "en" ? "Visits now reach four in five families" : "Mae ymweliadau bellach");
        expect(report).toContain(lang === "en" ? "Restricting" : "Yn cyfyngu");

        // a programme: its edit page is accessible
        await page.goto(`${base}${plan}/edit`);
        await page.fill("#programme-code", "flying-start");
        await page.fill("#programme-name-en", "Flying Start");
        await page.fill("#programme-name-cy", "Dechrau'n Deg");
        await submit(page, "/edit/programmes");
        expect(page.url()).toBe(`${base}${plan}/programmes/flying-start/edit`);
        await expectAccessible(page, "programme edit page", errors);
        // a performance measure and its turn-the-curve report, edited and read
        await page.fill("#pm-code", "children-reached");
        await page.fill("#pm-title-en", "Children reached");
        await page.fill("#pm-title-cy", "Plant a gyrhaeddwyd");
        await page.selectOption("#pm-quadrant", "how_much");
        await page.selectOption("#pm-unit", "count");
        await page.selectOption("#pm-polarity", "higher_is_better");
        await submit(page, "/edit/measures");
        await page.goto(`${base}${plan}/programmes/flying-start/measures/children-reached/edit`);
        await expectAccessible(page, "performance measure edit page", errors);
        await page.fill("#story-body", lang === "en" ? "Referrals fell." : "Gostyngodd yr atgyfeiriadau.");
        await submit(page, "/narratives/story");
        await page.goto(`${base}${plan}/programmes/flying-start/measures/children-reached`);
        await expectAccessible(page, "performance measure report", errors);
        expect(await page.textContent("main")).toContain(lang === "en" ? "Referrals fell." : "Gostyngodd yr");
        expect(dialogs).toEqual([]);
      } finally {
        await context.close();
      }
      // the public never sees the draft
      const anon = await openPage(browser);
      try {
        expect((await anon.page.goto(`${base}${plan}`))?.status()).toBe(404);
      } finally {
        await anon.context.close();
      }
    }, 480_000);
  });

  it("shows a stored script typed into every narrative field as text, and no dialog fires", async () => {
    const plan = `/en/plans/${CARDIFF}/${PERIODS.en}`;
    const { page, context, errors } = await signedInPage(browser, base, "en", "editor@cardiff.example");
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    try {
      await page.goto(`${base}${plan}/edit`);
      const measureHref = (await page.getAttribute("table a[href$='/edit']", "href"))!;
      await page.goto(`${base}${measureHref}`);
      const fields: Record<string, string[]> = {
        story: ["#story-items-0-text"],
        partners: ["#partners-items-0-name", "#partners-items-0-organisationType", "#partners-items-0-role"],
        what_works: ["#what_works-items-0-text", "#what_works-items-0-source"],
        data_development: [],
      };
      for (const [section, ids] of Object.entries(fields)) {
        await page.fill(`#${section}-body`, `Text ${SCRIPT}`);
        for (const id of ids) await page.fill(id, SCRIPT);
        if (section === "story") await page.selectOption("#story-items-0-kind", "contributing");
        if (section === "what_works") await page.selectOption("#what_works-items-0-kind", "evidence");
        await submit(page, `/narratives/${section}`);
      }
      expect(await page.inputValue("#data_development-body")).toBe(`Text ${SCRIPT}`);
      await page.goto(`${base}${measureHref.replace(/\/edit$/, "")}`);
      const text = (await page.textContent("main"))!;
      expect(text.split(SCRIPT).length - 1).toBeGreaterThanOrEqual(9);
      expect(await page.locator("main script").count()).toBe(0);
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 480_000);
});
