/**
 * "My work" (issue 14), the signed-in home page, on the demo plans with dates relative to today: signing in lands
 * there; a partnership editor sees their plans returned to them and their drafts, their actions overdue or due within
 * 30 days (not later ones, not done ones, not other partnerships'), and the measures whose data were published after
 * their narrative was last updated; a national reviewer sees the plans waiting for review and for publication across
 * Wales; each item links to where to act; empty states are plain sentences; and the Welsh page has no English.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../src/domain/plans/actions.ts";
import { DEMO_PLAN_ACTOR, demoPlanPeriod } from "../../src/services/plans/demo.ts";
import type { PlanActor } from "../../src/services/plans/index.ts";
import { demoAppWithPlans } from "../support/demo-app.ts";
import { englishFragments, englishLeaks } from "../support/english-leaks.ts";
import { cookiesFrom, csrfTokenFrom, signInAs, type TestApp } from "../support/test-app.ts";

let t: TestApp;
let editor: string;
let reviewer: string;
let viewer: string;
let idle: string;
let staleMeasure: string;
let freshMeasure: string;
const PERIOD = demoPlanPeriod();
const SWANSEA = "W06000011"; // the demo's draft
const WREXHAM = "W06000006";
const NEWPORT = "W06000022";
const BRIDGEND = "W06000013";
const today = new Date().toISOString().slice(0, 10);
const due = (days: number) => addDays(today, days);

beforeAll(async () => {
  t = await demoAppWithPlans();
  const plans = t.app.services.plans;
  for (const [areaCode, status] of [
    [WREXHAM, "returned"],
    [NEWPORT, "submitted"],
    [BRIDGEND, "approved"],
  ] as const) {
    await plans.create(DEMO_PLAN_ACTOR, { areaCode, period: PERIOD, illustrative: true });
    await plans.setStatusForDemo(DEMO_PLAN_ACTOR, { areaCode, period: PERIOD }, status);
  }
  const signedIn = await signInAs(t, "partnership_editor", "editor@swansea.example", undefined, [SWANSEA, WREXHAM]);
  editor = signedIn.cookie;
  reviewer = (await signInAs(t, "national_analyst")).cookie;
  viewer = (await signInAs(t, "viewer")).cookie;
  idle = (await signInAs(t, "partnership_editor", "editor@anglesey.example", undefined, ["W06000001"])).cookie;
  const actor: PlanActor = {
    id: signedIn.userId,
    email: "editor@swansea.example",
    role: "partnership_editor",
    areaCodes: [SWANSEA, WREXHAM],
    channel: "web",
  };
  const ref = { areaCode: SWANSEA, period: PERIOD };
  const [first, second] = (await plans.get(actor, ref)).measures;
  staleMeasure = first!.measureCode;
  freshMeasure = second!.measureCode;
  const action = (title: string, cy: string, dueDate: string, status = "on_track") =>
    plans.addAction(actor, ref, {
      subjectKind: "measure",
      subjectCode: staleMeasure,
      title: { en: title, cy },
      owner: null,
      startDate: null,
      dueDate,
      status,
    });
  await action("Later action", "Cam diweddarach", due(45));
  await action("Soon action", "Cam cyn bo hir", due(10));
  await action("Overdue action", "Cam hwyr", due(-5));
  await action("Finished action", "Cam gorffenedig", due(-3), "done");
  await action("Due today action", "Cam heddiw", today);
  for (const code of [staleMeasure, freshMeasure])
    await plans.saveNarrative(actor, ref, {
      subjectKind: "measure",
      subjectCode: code,
      section: "story",
      body: `Why ${code} is as it is.`,
      items: [],
      baseVersion: 0,
    });
  // the first narrative was written long before the demo data were published
  await t.database.db.execute(
    sql`update narrative_versions set created_at = '2000-01-01T00:00:00Z' where subject_code = ${staleMeasure}
      and plan_id = (select id from plans where area_code = ${SWANSEA} and period = ${PERIOD})`,
  );
}, 300_000);
afterAll(async () => {
  await t?.close();
});

const get = (url: string, cookie?: string) => t.app.inject({ method: "GET", url, headers: cookie ? { cookie } : {} });
/** The part of a page from one section's heading to the next. */
const section = (html: string, id: string) => {
  const start = html.indexOf(`id="${id}"`);
  expect(start, id).toBeGreaterThan(-1);
  const end = html.indexOf('<h2 class="govuk-heading-l"', start + 1);
  return html.slice(start, end === -1 ? undefined : end);
};
const plan = (lang: string, area: string) => `/${lang}/plans/${area}/${PERIOD}`;

describe("signing in", () => {
  it("lands on my work, linked from the menu for signed-in users only", async () => {
    const page = await get("/cy/sign-in");
    const cookie = cookiesFrom(page);
    const r = await t.app.inject({
      method: "POST",
      url: "/cy/sign-in",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({
        _csrf: csrfTokenFrom(page.body),
        email: "editor@swansea.example",
        password: "a long passphrase here",
      }).toString(),
    });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe("/cy/my-work");
    const home = await get("/en/", editor);
    expect(home.body).toContain('href="/en/my-work"');
    expect((await get("/en/")).body).not.toContain('href="/en/my-work"');
    const anonymous = await get("/en/my-work");
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe("/en/sign-in");
  });
});

describe("a partnership editor's work", () => {
  it("lists their plans returned to them and their drafts, linked to where to change them", async () => {
    const r = await get("/en/my-work", editor);
    expect(r.statusCode).toBe(200);
    expect(r.headers["cache-control"]).toBe("no-store");
    const returned = section(r.body, "returned");
    expect(returned).toContain(`href="${plan("en", WREXHAM)}/edit"`);
    expect(returned).toContain(`Change the plan for Wrexham, ${PERIOD}`);
    expect(returned).not.toContain(SWANSEA);
    const drafts = section(r.body, "drafts");
    expect(drafts).toContain(`href="${plan("en", SWANSEA)}/edit"`);
    expect(drafts).toContain(`Finish the plan for Swansea, ${PERIOD}`);
    expect(drafts).not.toContain(WREXHAM);
    // the review queues are for national reviewers; other partnerships' plans are not theirs
    expect(r.body).not.toContain('id="to-review"');
    for (const other of [NEWPORT, BRIDGEND, "W06000015"]) expect(r.body).not.toContain(`/plans/${other}/`);
  });

  it("lists actions overdue or due within 30 days, overdue first, and no later or finished ones", async () => {
    const r = await get("/en/my-work", editor);
    const actions = section(r.body, "actions-due");
    const titles = [...actions.matchAll(/#actions">([^<]+)<\/a>/g)].map((m) => m[1]);
    expect(titles).toEqual(["Overdue action", "Due today action", "Soon action"]);
    expect(actions).toContain(`href="${plan("en", SWANSEA)}/measures/${staleMeasure}/edit#actions"`);
    expect(actions).toContain(due(-5));
    expect(actions).toContain(due(10));
    expect(actions.match(/<td class="govuk-table__cell">Overdue<\/td>/g)).toHaveLength(1);
    expect(actions.match(/<td class="govuk-table__cell">Due within 30 days<\/td>/g)).toHaveLength(2);
  });

  it("lists the measures whose data were published after their narrative was last updated", async () => {
    const r = await get("/en/my-work", editor);
    const narratives = section(r.body, "narratives-due");
    expect(narratives).toContain(`href="${plan("en", SWANSEA)}/measures/${staleMeasure}/edit"`);
    expect(narratives).toContain("2000-01-01 00:00");
    expect(narratives).not.toContain(`/measures/${freshMeasure}/`);
  });

  it("says so in plain words when nothing waits", async () => {
    const r = await get("/en/my-work", idle);
    expect(r.statusCode).toBe(200);
    for (const text of [
      "No plans have been returned to you.",
      "You have no draft plans.",
      "None of your plans&#39; actions is overdue or due in the next 30 days.",
      "Every narrative has been updated since the latest data were published.",
    ])
      expect(r.body).toContain(text);
    const v = await get("/en/my-work", viewer);
    expect(v.body).toContain("Nothing is waiting for you.");
  });
});

describe("a national reviewer's work", () => {
  it("lists the plans across Wales waiting for review and for publication, linked to their review pages", async () => {
    const r = await get("/en/my-work", reviewer);
    expect(r.statusCode).toBe(200);
    const review = section(r.body, "to-review");
    expect(review).toContain(`href="${plan("en", NEWPORT)}/review"`);
    expect(review).toContain(`Review the plan for Newport, ${PERIOD}`);
    expect(review).not.toContain(BRIDGEND);
    const publish = section(r.body, "to-publish");
    expect(publish).toContain(`href="${plan("en", BRIDGEND)}/review"`);
    expect(publish).not.toContain(NEWPORT);
    for (const other of [SWANSEA, WREXHAM]) expect(r.body).not.toContain(`/plans/${other}/`);
    expect(r.body).not.toContain('id="actions-due"');
  });
});

describe("in Welsh", () => {
  it("shows each person's work with no English", async () => {
    const fragments = englishFragments();
    for (const cookie of [editor, reviewer, idle, viewer]) {
      const r = await get("/cy/my-work", cookie);
      expect(r.statusCode).toBe(200);
      expect(r.body).toContain("Fy ngwaith");
      expect(englishLeaks(r.body, fragments)).toEqual([]);
    }
    const editorPage = await get("/cy/my-work", editor);
    expect(section(editorPage.body, "returned")).toContain(`Newid y cynllun ar gyfer Wrecsam, ${PERIOD}`);
    expect(section(editorPage.body, "actions-due")).toContain("Cam hwyr");
  });
});
