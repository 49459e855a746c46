/**
 * The engagement score (issue 14) on the demo plans: each plan's page shows every measure's score out of 100 with
 * each component met or not in words, its points and what would raise it; /plans/engagement shows the plans side by
 * side (published ones to the public) with a CSV download. Expectations are computed from the plans through the
 * service, and the demo's Cardiff plan (a story, targets and an action on its first measure) scores more on that
 * measure than a measure with nothing written.
 */
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGAGEMENT_COMPONENTS } from "../../src/domain/plans/engagement.ts";
import { demoPlanPeriod, seedDemoPlans } from "../../src/services/plans/demo.ts";
import { engagementOfPlan } from "../../src/services/plans/engagement.ts";
import { demoApp } from "../support/demo-app.ts";
import type { TestApp } from "../support/test-app.ts";

let t: TestApp;
const CARDIFF = "W06000015";
const SWANSEA = "W06000011";
const PERIOD = demoPlanPeriod();
const today = () => new Date().toISOString().slice(0, 10);
/** Cardiff's engagement as the public sees it, from the service. */
const cardiff = () =>
  engagementOfPlan(
    t.app.services.plans,
    t.app.services.publicViews.data,
    null,
    { areaCode: CARDIFF, period: PERIOD },
    today(),
  );

beforeAll(async () => {
  t = await demoApp();
  await seedDemoPlans(t.app.services.plans);
}, 300_000);
afterAll(async () => {
  await t.close();
});

const get = async (url: string) => {
  const r = await t.app.inject({ method: "GET", url });
  return { status: r.statusCode, body: r.body, type: r.headers["content-type"] };
};
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, " ");

describe("the engagement score", () => {
  it("scores each measure of a plan from its story, targets, actions and data", async () => {
    const e = await cardiff();
    expect(e.measures.length).toBeGreaterThan(1);
    const first = e.measures[0]!;
    const met = (key: string) => first.engagement.components.find((c) => c.key === key)!.met;
    expect(met("story")).toBe(true); // the demo writes the story behind the first measure's baseline
    expect(met("targets")).toBe(true);
    const bare = e.measures.find((m) =>
      m.engagement.components.every((c) => !["story", "targets"].includes(c.key) || !c.met),
    );
    expect(bare).toBeDefined();
    expect(first.engagement.score).toBeGreaterThan(bare!.engagement.score);
    expect(e.score).toBe(Math.round(e.measures.reduce((s, m) => s + m.engagement.score, 0) / e.measures.length));
  });

  it("shows a plan's score in English and Welsh with every component in words and what would raise it", async () => {
    const e = await cardiff();
    const en = await get(`/en/plans/${CARDIFF}/${PERIOD}/engagement`);
    expect(en.status).toBe(200);
    const page = text(en.body);
    expect(page).toContain(`Engagement score of the plan: ${e.score} out of 100`);
    for (const m of e.measures) expect(page).toContain(`${m.engagement.score} out of 100`);
    const unmet = e.measures.flatMap((m) => m.engagement.components.filter((c) => !c.met));
    expect(unmet.length).toBeGreaterThan(0);
    expect(page.match(/Not met/g)?.length).toBe(unmet.length);
    expect(page).toContain("Write the story behind the baseline.");
    for (const c of ENGAGEMENT_COMPONENTS) expect(page).toContain(`${c.weight}`);
    const cy = await get(`/cy/plans/${CARDIFF}/${PERIOD}/engagement`);
    expect(cy.status).toBe(200);
    expect(text(cy.body)).toContain(`Sgôr ymgysylltu'r cynllun: ${e.score} allan o 100`);
    expect(text(cy.body)).toContain("Heb ei bodloni");
    expect(text(cy.body)).not.toContain("Not met");
    // a draft plan is not found for the public
    expect((await get(`/en/plans/${SWANSEA}/${PERIOD}/engagement`)).status).toBe(404);
  });

  it("puts the published plans side by side, with a CSV download", async () => {
    const r = await get("/en/plans/engagement");
    expect(r.status).toBe(200);
    expect(r.body).toContain(`href="/en/plans/${CARDIFF}/${PERIOD}/engagement"`);
    expect(r.body).not.toContain(`/en/plans/${SWANSEA}/`);
    const csv = await get("/en/plans/engagement?format=csv");
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\/csv/);
    const rows = parse(csv.body, { bom: true, relax_column_count: true }) as string[][];
    const header = rows.findIndex((row) => row[0] === "Partnership");
    expect(rows[header]).toContain("Engagement score");
    const cardiffRow = rows.find((row) => row.includes(CARDIFF))!;
    const e = await cardiff();
    expect(cardiffRow[rows[header]!.indexOf("Engagement score")]).toBe(String(e.score));
    expect((await get("/cy/plans/engagement")).body).toContain("Sgoriau ymgysylltu cynlluniau partneriaethau");
    expect((await get("/en/plans/engagement?period=1999-2000")).status).toBe(400);
  });
});
