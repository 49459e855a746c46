/**
 * Output encoding in a real browser (issue 19): markup stored in every user-editable text (a measure's title and
 * definition through a framework import; a plan's priority, rationale, reasons, narratives and their items, actions,
 * progress updates, programme and performance measure; an import's file name and reason; an agreement's outcomes,
 * evidence and moderation reason) is shown as text on every page that shows it, in Chromium with listeners for
 * dialogs, page errors and console errors (a script the content security policy blocks is an error too): none fires,
 * no element of the markup is in the page, and its text is.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { loadFrameworkContent } from "../../src/ingest/framework/read-framework-content.ts";
import { createUser } from "../../src/services/accounts.ts";
import type { AgreementActor } from "../../src/services/agreements/index.ts";
import { importFramework } from "../../src/services/import-framework.ts";
import { DEMO_PLAN_ACTOR, demoPlanPeriod } from "../../src/services/plans/demo.ts";
import { knownFrameworkCodes } from "../../src/services/seed.ts";
import { browserSkipReason, openPage } from "../support/browser.ts";
import { useDemoBrowserApp } from "../support/browser-app.ts";
import { importCsv, tempFile } from "../support/import-fixtures.ts";
import type { TestApp } from "../support/test-app.ts";

const skip = browserSkipReason();
/** Both payloads in one text: an element with a handler, and a script after breaking out of an attribute. */
const MARKUP = `XSS<img src=x onerror=alert(1)>"><script>alert(2)</script>`;
const PASSWORD = "a long passphrase here";
const AREA = "W06000001"; // Isle of Anglesey: no demo plan
const PERIOD = demoPlanPeriod();
const MEASURE = "stored-markup-measure";
const AGREEMENT = { areaCode: "W06000001", period: "2013-16" };
const NATIONAL: AgreementActor = { id: null, email: "test", role: "national_admin", areaCodes: [], channel: "demo" };
let priorityId = 0;
const bi = (label: string) => ({ en: `${label} ${MARKUP}`, cy: `${label} cy ${MARKUP}` });

async function storeMarkup(t: TestApp): Promise<void> {
  // a measure whose title and definitions carry markup, through a framework import
  const yaml = [
    "measures:",
    `  - code: ${MEASURE}`,
    `    title: { en: "Title ${MARKUP.replaceAll('"', '\\"')}", cy: "Teitl ${MARKUP.replaceAll('"', '\\"')}" }`,
    `    layDefinition: { en: "Lay ${MARKUP.replaceAll('"', '\\"')}", cy: "Lleyg ${MARKUP.replaceAll('"', '\\"')}" }`,
    "    technicalDefinition: { en: A technical definition., cy: Diffiniad technegol. }",
    "    numerator: { en: Things, cy: Pethau }",
    "    denominator: { en: People, cy: Pobl }",
    "    unit: percentage",
    "    multiplier: 100",
    "    decimals: 1",
    "    valueType: proportion",
    "    polarity: lower_is_better",
    "    accountability: population_indicator",
    "    tier: additional",
    "    group: sexual-health",
    "    coreAims: [CA3]",
    "    articles: [24]",
    "    source: ons-conceptions",
    "    frequency: annual",
    "    periodType: calendar_year",
    "    geographies: [country, local_authority]",
    "    status: live",
  ].join("\n");
  const { content, problems } = await loadFrameworkContent(
    tempFile(yaml, ".yaml"),
    await knownFrameworkCodes(t.database.db),
  );
  expect(problems.filter((p) => p.severity === "error")).toEqual([]);
  await importFramework(t.database.db, content, { name: "markup" });
  // data for it, from a file whose name and reason carry markup (published)
  const r = await importCsv(
    t.database,
    `measure_code,area_code,period,value,numerator,denominator\n${MEASURE},${AREA},2022,10,50,500\n${MEASURE},W92000004,2022,12,600,5000\n`,
    { publish: true, reason: `Reason ${MARKUP}`, fileName: `file ${MARKUP}.csv` },
  );
  expect(r.ok).toBe(true);

  // a plan with markup in every text an editor types
  const plans = t.app.services.plans;
  const ref = { areaCode: AREA, period: PERIOD };
  const rv = async () => (await plans.get(DEMO_PLAN_ACTOR, ref)).plan.rowVersion;
  await plans.create(DEMO_PLAN_ACTOR, { areaCode: AREA, period: PERIOD });
  const priority = await plans.addPriority(DEMO_PLAN_ACTOR, ref, await rv(), {
    text: bi("Priority"),
    rationale: bi("Rationale"),
    coreAims: ["CA3"],
  });
  priorityId = priority.id;
  await plans.selectMeasure(DEMO_PLAN_ACTOR, ref, await rv(), {
    measureCode: MEASURE,
    priorityId: priority.id,
    reason: bi("Reason"),
  });
  await plans.saveNarrative(DEMO_PLAN_ACTOR, ref, {
    subjectKind: "measure",
    subjectCode: MEASURE,
    section: "story",
    body: `Story **${MARKUP}** [link](javascript:alert(3))`,
    items: [{ text: `Factor ${MARKUP}`, kind: "restricting" }],
    baseVersion: 0,
  });
  const action = await plans.addAction(DEMO_PLAN_ACTOR, ref, {
    subjectKind: "measure",
    subjectCode: MEASURE,
    title: bi("Action"),
    owner: `Owner ${MARKUP}`,
    startDate: null,
    dueDate: null,
    status: "on_track",
  });
  await plans.addActionUpdate(DEMO_PLAN_ACTOR, ref, action.id, {
    date: `${new Date().getUTCFullYear() - 1}-10-01`,
    text: bi("Update"),
    status: "on_track",
  });
  await plans.addProgramme(DEMO_PLAN_ACTOR, ref, await rv(), {
    code: "markup",
    name: bi("Programme"),
    description: bi("Description"),
    priorityId: priority.id,
  });
  await plans.addPerformanceMeasure(DEMO_PLAN_ACTOR, ref, await rv(), "markup", {
    code: "markup-pm",
    title: bi("Performance"),
    quadrant: "how_much",
    unit: "count",
    polarity: "higher_is_better",
    decimals: 0,
  });
  await plans.setStatusForDemo(DEMO_PLAN_ACTOR, ref, "published");

  // an agreement with markup in its outcome, evidence and moderation
  const agreements = t.app.services.agreements;
  await agreements.create(NATIONAL, { ...AGREEMENT, scheme: "2013-16", grant: 1000 });
  for (let i = 1; i <= 5; i++)
    await agreements.addOutcome(NATIONAL, AGREEMENT, {
      title: bi(`Outcome ${i}`),
      theme: `Theme ${MARKUP}`,
      measureCodes: [],
    });
  await agreements.agree(NATIONAL, AGREEMENT, { authority: `Authority ${MARKUP}` });
  await agreements.selfAssess({ ...NATIONAL, role: "partnership_editor", areaCodes: [AREA] }, AGREEMENT, {
    outcome: 1,
    year: "2013-14",
    category: "partially",
    evidence: `Evidence ${MARKUP}`,
    collaboration: `Collaboration ${MARKUP}`,
  });
  await agreements.moderate(NATIONAL, AGREEMENT, {
    outcome: 1,
    year: "2013-14",
    category: "unsuccessful",
    reason: `Moderation ${MARKUP}`,
  });
  await createUser(t.database.db, { email: "markup@example.org", password: PASSWORD, role: "national_admin" });
}

describe.skipIf(skip !== null)("stored markup in Chromium", () => {
  const s = useDemoBrowserApp(storeMarkup);
  const plan = `plans/${AREA}/${PERIOD}`;
  const PAGES = [
    "measures",
    `measures/${MEASURE}`,
    "framework",
    "aims/CA3",
    `areas/${AREA}`,
    `compare?measure=${MEASURE}`,
    "plans",
    plan,
    `${plan}/measures/${MEASURE}`,
    `${plan}/programmes/markup`,
    `${plan}/programmes/markup/measures/markup-pm`,
    `${plan}/engagement`,
    `plans/choices/${MEASURE}`,
    `${plan}/edit`,
    `${plan}/edit/history`,
    `${plan}/edit/priorities/:priority`,
    `${plan}/measures/${MEASURE}/edit`,
    `${plan}/programmes/markup/edit`,
    "data/batches",
    "data/history",
    `agreements/${AGREEMENT.areaCode}/${AGREEMENT.period}`,
    `agreements/${AGREEMENT.areaCode}/${AGREEMENT.period}/moderate`,
    "agreements",
  ];

  /** Lists that show none of the stored texts (checked for markup all the same). */
  const LISTS = new Set([`areas/${AREA}`, "plans", "agreements"]);

  async function visit(page: Page, errors: string[], lang: string, path: string): Promise<string[]> {
    const url = `${s.base}/${lang}/${path.replace(":priority", String(priorityId))}`;
    const problems: string[] = [];
    const response = await page.goto(url);
    if (!response || response.status() >= 400) problems.push(`${url}: ${response?.status()}`);
    const injected = await page.evaluate(() => ({
      images: document.querySelectorAll('img[src="x"]').length,
      scripts: [...document.scripts].filter((s) => /alert\(/.test(s.textContent ?? "")).length,
      links: document.querySelectorAll('a[href^="javascript:"]').length,
      // as text, or as the value of a form field
      text: [
        document.body.textContent ?? "",
        ...[...document.querySelectorAll("input, textarea")].map((e) => (e as HTMLInputElement).value),
      ].some((t) => t.includes("XSS<img src=x onerror=alert(1)>")),
    }));
    if (injected.images || injected.scripts || injected.links)
      problems.push(`${url}: markup in the page ${JSON.stringify(injected)}`);
    if (!injected.text && !LISTS.has(path)) problems.push(`${url}: the stored text is not shown`);
    if (errors.length) problems.push(`${url}: ${errors.splice(0).join("; ")}`);
    return problems;
  }

  it("never runs and is shown as text, in English and Welsh, signed in and out", async () => {
    const { page, errors, context } = await openPage(s.browser);
    const dialogs: string[] = [];
    page.on("dialog", async (d) => {
      dialogs.push(`${page.url()}: ${d.message()}`);
      await d.dismiss();
    });
    const problems: string[] = [];
    // signed out: the public pages
    for (const lang of ["en", "cy"]) {
      for (const path of PAGES.slice(0, 13)) problems.push(...(await visit(page, errors, lang, path)));
    }
    // signed in as a national administrator: the edit, data and moderation pages too
    await page.goto(`${s.base}/en/sign-in`);
    await page.fill("#email", "markup@example.org");
    await page.fill("#password", PASSWORD);
    await Promise.all([page.waitForURL(`${s.base}/en/my-work`), page.click("#sign-in-button")]);
    for (const lang of ["en", "cy"]) {
      for (const path of PAGES.slice(13)) problems.push(...(await visit(page, errors, lang, path)));
    }
    await context.close();
    console.log(
      `stored markup: ${PAGES.length * 2} page views, ${problems.length} problems, ${dialogs.length} dialogs`,
    );
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
  }, 300_000);
});
