/**
 * The review pages of a partnership plan (issue 14) in English and Welsh, as the partnership's editor and a national
 * reviewer use them: the missing things listed and linked, a refused submit with an error summary, submit → return
 * with a comment on a section → fix → submit → approve → publish, the plan public at the end; editors of another
 * partnership and viewers get 403, the public is sent to sign in.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoPlanPeriod } from "../../src/services/plans/demo.ts";
import type { PlanActor, PlanRef } from "../../src/services/plans/index.ts";
import { demoAppWithPlans } from "../support/demo-app.ts";
import { completePlan } from "../support/plan-fixtures.ts";
import { csrfTokenFrom, signInAs, type TestApp } from "../support/test-app.ts";

let t: TestApp;
const SWANSEA = "W06000011";
const PERIOD = demoPlanPeriod();
const ref: PlanRef = { areaCode: SWANSEA, period: PERIOD };
const REVIEW = `/plans/${SWANSEA}/${PERIOD}/review`;
const serviceEditor: PlanActor = {
  id: null,
  email: "fixture@example.org",
  role: "partnership_editor",
  areaCodes: [SWANSEA],
  channel: "web",
};
let editor: string;
let reviewer: string;
let other: string;
let viewer: string;

beforeAll(async () => {
  t = await demoAppWithPlans();
  editor = (await signInAs(t, "partnership_editor", "swansea@example.org", undefined, [SWANSEA])).cookie;
  other = (await signInAs(t, "partnership_editor", "cardiff@example.org", undefined, ["W06000015"])).cookie;
  reviewer = (await signInAs(t, "national_analyst", "reviewer@example.org")).cookie;
  viewer = (await signInAs(t, "viewer")).cookie;
}, 300_000);
afterAll(async () => {
  await t.close();
});

const get = (url: string, cookie?: string) => t.app.inject({ url, ...(cookie ? { headers: { cookie } } : {}) });
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, " ");

/** Takes a step from the review page as the signed-in user: the page's own token and row version. */
async function step(lang: "en" | "cy", cookie: string, fields: Record<string, string>) {
  const page = await get(`/${lang}${REVIEW}`, cookie);
  const rowVersion = /name="rowVersion" value="(\d+)"/.exec(page.body)?.[1] ?? "0";
  const body = new URLSearchParams({ _csrf: csrfTokenFrom(page.body), rowVersion, ...fields });
  return t.app.inject({
    method: "POST",
    url: `/${lang}${REVIEW}`,
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: body.toString(),
  });
}

/** Fills in what the demo's Swansea plan lacks, through the service, as the partnership would through its forms. */
const complete = () => completePlan(t.app.services.plans, serviceEditor, ref);

describe("the plan review pages", () => {
  it("are for the partnership's editors and national reviewers only", async () => {
    expect((await get(`/en${REVIEW}`)).statusCode).toBe(303);
    expect((await get(`/en${REVIEW}`, other)).statusCode).toBe(403);
    expect((await get(`/en${REVIEW}`, viewer)).statusCode).toBe(403);
    expect((await step("en", other, { action: "submit" })).statusCode).toBe(403);
    expect((await get(`/en${REVIEW}`, editor)).statusCode).toBe(200);
    expect((await get(`/cy${REVIEW}`, reviewer)).statusCode).toBe(200);
  });

  it("list what stops submission and refuse a submit with an error summary, in Welsh", async () => {
    const page = text((await get(`/cy${REVIEW}`, editor)).body);
    expect(page).toContain("Ni ellir cyflwyno'r cynllun eto");
    expect(page).toMatch(
      /Ysgrifennwch y stori y tu ôl i'r llinell sylfaen ar gyfer|Dewiswch fesur ar gyfer y flaenoriaeth/,
    );
    const r = await step("cy", editor, { action: "submit" });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain("govuk-error-summary");
    expect(text(r.body)).toContain("trwsiwch y pethau a restrir isod yn gyntaf");
    expect((await t.app.services.plans.get(serviceEditor, ref)).plan.status).toBe("draft");
  });

  it("walk submit → return with a comment → submit → approve → publish", async () => {
    await complete();
    expect(text((await get(`/en${REVIEW}`, editor)).body)).toContain("The plan has everything it needs");
    let r = await step("en", editor, { action: "submit" });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe(`/en${REVIEW}?done=submit`);
    expect(text((await get(r.headers.location as string, editor)).body)).toContain(
      "The plan was submitted for review.",
    );
    // the reviewer must say why
    r = await step("en", reviewer, { action: "return", section: "priorities", comment: "" });
    expect(r.statusCode).toBe(400);
    expect(text(r.body)).toContain("Enter a comment saying what the partnership should change");
    r = await step("cy", reviewer, { action: "return", section: "priorities", comment: "Pa blant? Which children?" });
    expect(r.statusCode).toBe(303);
    const returned = text((await get(`/en${REVIEW}`, editor)).body);
    expect(returned).toContain("Returned");
    expect(returned).toMatch(/Priorities Pa blant\? Which children\? Returned: reviewer@example.org/);
    expect((await step("en", editor, { action: "submit" })).statusCode).toBe(303);
    expect((await step("en", reviewer, { action: "approve" })).statusCode).toBe(303);
    // the public does not see an approved plan until it is published
    expect((await get(`/en/plans/${SWANSEA}/${PERIOD}`)).statusCode).toBe(404);
    expect((await step("en", reviewer, { action: "publish" })).statusCode).toBe(303);
    expect((await get(`/en/plans/${SWANSEA}/${PERIOD}`)).statusCode).toBe(200);
    expect(text((await get(`/en${REVIEW}`, editor)).body)).toContain(
      "There is nothing for you to do on this plan at the moment.",
    );
  });

  it("refuses a step from a page loaded before another step", async () => {
    const page = await get(`/en${REVIEW}`, reviewer);
    const body = new URLSearchParams({ _csrf: csrfTokenFrom(page.body), rowVersion: "1", action: "publish" });
    const r = await t.app.inject({
      method: "POST",
      url: `/en${REVIEW}`,
      headers: { cookie: reviewer, "content-type": "application/x-www-form-urlencoded" },
      payload: body.toString(),
    });
    expect(r.statusCode).toBe(409);
    expect(r.body).toContain("govuk-error-summary");
  });
});
