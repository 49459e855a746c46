/**
 * Versions of a partnership plan (issue 14), through the web with app.inject on the demo plans: an editor starts a
 * new version of a published plan with a reason (a draft copy of everything in it, audited; one at a time), the
 * public keeps reading the published version until the new one is published, which supersedes it; the plan page
 * lists the versions with their addresses and each version has its own pages; two versions compared side by side in
 * English and Welsh. And immutability: every plan-editing POST route in the app's route table refuses a change to an
 * approved and to a published plan (409, with the reason in the page's language) and writes nothing.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../src/db/database.ts";
import { demoPlanPeriod } from "../../src/services/plans/demo.ts";
import type { PlanActor, PlanRef } from "../../src/services/plans/index.ts";
import { demoAppWithPlans } from "../support/demo-app.ts";
import { completePlan } from "../support/plan-fixtures.ts";
import { registeredRoutes } from "../support/route-table.ts";
import { csrfTokenFrom, signInAs, type TestApp } from "../support/test-app.ts";

const CARDIFF = "W06000015";
const SWANSEA = "W06000011";
const GWYNEDD = "W06000002";
const PERIOD = demoPlanPeriod();
const PLAN = `/plans/${CARDIFF}/${PERIOD}`;
const cardiff: PlanRef = { areaCode: CARDIFF, period: PERIOD };
const admin: PlanActor = { id: null, email: "t@example.org", role: "national_admin", areaCodes: [], channel: "cli" };
const reviewerActor: PlanActor = { ...admin, email: "reviewer@example.org", role: "national_analyst" };

let t: TestApp;
let editor: string;
let other: string;
let gwyneddEditor: string;

beforeAll(async () => {
  t = await demoAppWithPlans();
  editor = (await signInAs(t, "partnership_editor", "cardiff@example.org", undefined, [CARDIFF, SWANSEA])).cookie;
  other = (await signInAs(t, "partnership_editor", "gwynedd@example.org", undefined, [GWYNEDD])).cookie;
  gwyneddEditor = other;
}, 300_000);
afterAll(async () => {
  await t?.close();
});

const get = (url: string, cookie?: string) => t.app.inject({ url, ...(cookie ? { headers: { cookie } } : {}) });
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, " ");

async function post(url: string, cookie: string, fields: Record<string, string>, tokenPage = "/en/plans") {
  const body = new URLSearchParams({ _csrf: csrfTokenFrom((await get(tokenPage, cookie)).body), ...fields });
  return t.app.inject({
    method: "POST",
    url,
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: body.toString(),
  });
}

async function auditCount(): Promise<number> {
  const [row] = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from audit_log`);
  return row!.n;
}

/** Everything a plan holds, as a comparable value. */
async function contents(ref: PlanRef) {
  const d = await t.app.services.plans.get(admin, ref);
  return JSON.parse(JSON.stringify(d));
}

/** Takes the newest version of `ref` through submit → approve (→ publish), as the service would from the review page. */
async function review(ref: PlanRef, editorActor: PlanActor, until: "approve" | "publish") {
  const review = t.app.services.planReview;
  const rv = async () => (await t.app.services.plans.summary(admin, ref)).rowVersion;
  if ((await t.app.services.plans.submissionProblems(editorActor, ref)).length > 0)
    await completePlan(t.app.services.plans, editorActor, ref);
  await review.act(editorActor, ref, { action: "submit", rowVersion: await rv() });
  await review.act(reviewerActor, ref, { action: "approve", rowVersion: await rv() });
  if (until === "publish") await review.act(reviewerActor, ref, { action: "publish", rowVersion: await rv() });
}

describe("a new version of a published plan", () => {
  it("is offered to the partnership's editors only, with a form asking why", async () => {
    const plan = await get(`/en${PLAN}`, editor);
    expect(plan.body).toContain(`href="/en${PLAN}/new-version"`);
    expect((await get(`/en${PLAN}`)).body).not.toContain("/new-version");
    // also from the plan's edit page (which says it can no longer be changed) and its review page
    for (const page of ["edit", "review"])
      expect((await get(`/en${PLAN}/${page}`, editor)).body, page).toContain(`href="/en${PLAN}/new-version"`);
    const form = await get(`/cy${PLAN}/new-version`, editor);
    expect(form.statusCode).toBe(200);
    expect(text(form.body)).toContain("Pam mae angen fersiwn newydd o'r cynllun?");
    expect(text(form.body)).toContain("Dechrau fersiwn 2");
    expect((await get(`/en${PLAN}/new-version`, other)).statusCode).toBe(403);
    expect((await get(`/en${PLAN}/new-version`)).statusCode).toBe(303);
    const rowVersion = String((await t.app.services.plans.summary(admin, cardiff)).rowVersion);
    expect((await post(`/en${PLAN}/new-version`, other, { rowVersion, reason: "Not mine" })).statusCode).toBe(403);
  });

  it("needs a reason, in the page's language, and starts nothing without one", async () => {
    const before = await auditCount();
    const rowVersion = String((await t.app.services.plans.summary(admin, cardiff)).rowVersion);
    const r = await post(`/cy${PLAN}/new-version`, editor, { rowVersion, reason: "  " });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain("govuk-error-summary");
    expect(r.body).toContain('href="#reason"');
    expect(text(r.body)).toContain("Rhowch pam mae angen fersiwn newydd o'r cynllun");
    expect((await t.app.services.planVersions.list(admin, cardiff)).map((v) => v.version)).toEqual([1]);
    expect(await auditCount()).toBe(before);
  });

  it("copies everything the plan holds into a draft version 2, audited with the reason, one at a time", async () => {
    const v1 = await contents({ ...cardiff, version: 1 });
    const rowVersion = String(v1.plan.rowVersion);
    const r = await post(`/en${PLAN}/new-version`, editor, {
      rowVersion,
      reason: "The council changed its priorities",
    });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe(`/en${PLAN}/edit`);
    const v2 = await contents(cardiff);
    expect(v2.plan).toMatchObject({ version: 2, status: "draft" });
    const strip = (d: typeof v1) => ({
      priorities: d.priorities.map((p: Record<string, unknown>) => [p.text, p.rationale, p.coreAims]),
      measures: d.measures.map((m: Record<string, unknown>) => [m.measureCode, m.kind, m.reason, m.targets]),
      narratives: d.narratives.map((n: Record<string, unknown>) => [n.subjectCode, n.section, n.version, n.body]),
      actions: d.actions.map((a: Record<string, unknown>) => [
        a.title,
        a.owner,
        a.dueDate,
        a.status,
        (a.updates as Record<string, unknown>[]).map((u) => [u.date, u.text, u.statusAfter, u.author]),
      ]),
    });
    expect(v1.priorities.length).toBeGreaterThan(0);
    expect(v1.actions[0].updates.length).toBeGreaterThan(0);
    expect(
      v2.measures.map((m: { targets: { planId: number; measureCode: string }[] }) =>
        m.targets.map(({ planId: _p, ...x }) => x),
      ),
    ).toEqual(
      v1.measures.map((m: { targets: { planId: number; measureCode: string }[] }) =>
        m.targets.map(({ planId: _p, ...x }) => x),
      ),
    );
    expect(strip({ ...v2, measures: v2.measures.map((m: object) => ({ ...m, targets: [] })) })).toEqual(
      strip({ ...v1, measures: v1.measures.map((m: object) => ({ ...m, targets: [] })) }),
    );
    // a chosen measure still serves the same priority (the copy's id)
    const chosen = v2.measures.find((m: { kind: string }) => m.kind === "additional");
    expect(v2.priorities.map((p: { id: number }) => p.id)).toContain(chosen.priorityId);
    // audited on the new version, with the reason and what was copied
    const [entry] = (await t.app.services.plans.changes(admin, cardiff)).filter(
      (c) => c.action === "plan.version.start",
    );
    expect(entry).toMatchObject({ reason: "The council changed its priorities", before: { version: 1 } });
    expect((entry!.after as { copied: { priorities: number } }).copied.priorities).toBe(v1.priorities.length);
    // the copied narratives and progress updates keep their times to the microsecond (a copy made through a
    // JavaScript Date lost PostgreSQL's microseconds, and with them the match with each save's audit entry)
    const times = async (table: "narratives" | "updates", version: number) =>
      (
        await queryRows<{ at: string }>(
          t.database.db,
          table === "narratives"
            ? sql`select to_char(n.created_at, 'YYYY-MM-DD HH24:MI:SS.US') as at from narrative_versions n
                join plans p on p.id = n.plan_id where p.area_code = ${CARDIFF} and p.period = ${PERIOD}
                and p.version = ${version} order by n.subject_kind, n.subject_code, n.section, n.version`
            : sql`select to_char(u.created_at, 'YYYY-MM-DD HH24:MI:SS.US') as at from action_updates u
                join plan_actions x on x.id = u.action_id join plans p on p.id = x.plan_id
                where p.area_code = ${CARDIFF} and p.period = ${PERIOD} and p.version = ${version} order by u.id`,
        )
      ).map((r) => r.at);
    expect((await times("narratives", 1)).length).toBeGreaterThan(0);
    expect(await times("narratives", 2)).toEqual(await times("narratives", 1));
    expect(await times("updates", 2)).toEqual(await times("updates", 1));
    // one draft version at a time
    const again = await post(`/en${PLAN}/new-version`, editor, {
      rowVersion: String(v2.plan.rowVersion),
      reason: "Again",
    });
    expect(again.statusCode).toBe(409);
    expect(text(again.body)).toContain("Version 2 of this plan is Draft");
    expect((await t.app.services.planVersions.list(admin, cardiff)).map((v) => v.version)).toEqual([1, 2]);
  });

  it("keeps the public on version 1 while version 2 is a draft; the editor edits version 2", async () => {
    const pub = await get(`/en${PLAN}`);
    expect(pub.statusCode).toBe(200);
    expect(text(pub.body)).toMatch(/Version 1 Status Published/);
    expect(pub.body).not.toContain("Versions of this plan");
    const mine = await get(`/en${PLAN}`, editor);
    expect(text(mine.body)).toMatch(/Version 2 Status Draft/);
    expect(mine.body).toContain("Versions of this plan");
    expect((await get(`/en${PLAN}/versions/2`)).statusCode).toBe(404);
    // the draft is editable: change the first priority's text through its form
    const d = await t.app.services.plans.get(admin, cardiff);
    const p = d.priorities[0]!;
    const r = await post(`/en${PLAN}/edit/priorities/${p.id}`, editor, {
      rowVersion: String(d.plan.rowVersion),
      "text-en": `${p.text.en} and a healthy childhood`,
      "text-cy": p.text.cy ?? "",
      "rationale-en": p.rationale?.en ?? "",
      "rationale-cy": p.rationale?.cy ?? "",
      coreAims: p.coreAims[0]!,
    });
    expect(r.statusCode).toBe(303);
    // version 1 is untouched
    const v1 = await t.app.services.plans.get(null, { ...cardiff, version: 1 });
    expect(v1.priorities[0]!.text.en).toBe(p.text.en);
  });

  it("supersedes version 1 when version 2 is published; both are listed with their addresses", async () => {
    const cardiffEditor: PlanActor = { ...admin, role: "partnership_editor", areaCodes: [CARDIFF], channel: "web" };
    await review(cardiff, cardiffEditor, "publish");
    const versions = await t.app.services.planVersions.list(null, cardiff);
    expect(versions.map((v) => [v.version, v.status])).toEqual([
      [1, "superseded"],
      [2, "published"],
    ]);
    const page = await get(`/en${PLAN}`);
    expect(text(page.body)).toMatch(/Version 2 Status Published/);
    expect(page.body).toContain(`href="/en${PLAN}/versions/1"`);
    expect(text(page.body)).toContain("Version 2 (shown on this page)");
    const old = await get(`/cy${PLAN}/versions/1`);
    expect(old.statusCode).toBe(200);
    expect(text(old.body)).toContain("Rydych yn darllen fersiwn 1 o'r cynllun hwn, a'i statws yw Wedi'i ddisodli");
    expect(old.body).toContain(`href="/cy${PLAN}/versions/1/measures/`);
    const measure = /href="(\/cy\/plans\/[^"]+\/versions\/1\/measures\/[^"]+)"/.exec(old.body)![1]!;
    expect((await get(measure)).statusCode).toBe(200);
    expect((await get(`/en${PLAN}/versions/9`)).statusCode).toBe(404);
    expect((await get(`/en${PLAN}/versions/x`)).statusCode).toBe(404);
    // the new version's changes list its start with the reason, and the review's steps, in English and Welsh
    const history = text((await get(`/en${PLAN}/edit/history`, editor)).body);
    expect(history).toContain("New version started");
    expect(history).toContain("Reason: “The council changed its priorities”");
    expect(history).toContain("Submitted for review");
    expect(history).toContain("Published");
    const hanes = await get(`/cy${PLAN}/edit/history`, editor);
    expect(hanes.statusCode).toBe(200);
    expect(text(hanes.body)).toContain("Dechreuwyd fersiwn newydd");
    // the publishing superseded version 1 in the audit log
    const trail = await t.app.services.audit.trail("plan", `${CARDIFF}/${PERIOD}/v1`);
    expect(trail.at(-1)).toMatchObject({ action: "supersede", after: { state: "superseded", by: 2 } });
  });

  it("compares two versions side by side, differences marked in words, in English and Welsh", async () => {
    const en = await get(`/en${PLAN}/compare?from=1&to=2`);
    expect(en.statusCode).toBe(200);
    const body = en.body;
    expect(text(body)).toContain("version 1 compared with version 2");
    expect(body).toMatch(/<strong class="govuk-tag omf-change omf-change--changed">Changed<\/strong>/);
    expect(body).toContain(
      '<ins class="omf-diff-added"><span class="govuk-visually-hidden">[added: </span> and a healthy childhood',
    );
    expect(text(body)).toContain("Version 1 Version 2");
    for (const heading of [
      "Priorities",
      "Measures chosen",
      "Targets",
      "Turn-the-curve reports",
      "Action plans",
      "Programmes",
      "Performance measures",
    ])
      expect(text(body)).toContain(heading);
    expect(text(body)).toContain("No differences in this section.");
    const cy = await get(`/cy${PLAN}/compare?from=1&to=2`);
    expect(cy.statusCode).toBe(200);
    // the Welsh text of the priority was not changed, so in Welsh only the stories written for version 2 differ
    expect(cy.body).toContain('<strong class="govuk-tag omf-change omf-change--added">Ychwanegwyd</strong>');
    expect(cy.body).not.toContain("omf-change--changed");
    expect(cy.body).toContain('<span class="govuk-visually-hidden">[ychwanegwyd: </span>');
    expect(text(cy.body)).toContain("Mesurau a ddewiswyd");
    expect(text(cy.body)).toContain("Mesurau perfformiad");
    // defaults to the newest and the one before it; a version that does not exist is a 400 in the page's language
    expect(text((await get(`/en${PLAN}/compare`)).body)).toContain("version 1 compared with version 2");
    const bad = await get(`/cy${PLAN}/compare?from=1&to=7`);
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain("Dewiswch ddwy fersiwn o'r cynllun hwn i'w cymharu");
  });

  it("copies programmes, performance measures and every revision of their values", async () => {
    const gwynedd: PlanRef = { areaCode: GWYNEDD, period: PERIOD };
    const v1 = await t.app.services.plans.get(admin, gwynedd);
    const r = await post(`/en/plans/${GWYNEDD}/${PERIOD}/new-version`, gwyneddEditor, {
      rowVersion: String(v1.plan.rowVersion),
      reason: "New programme targets",
    });
    expect(r.statusCode).toBe(303);
    const v2 = await t.app.services.plans.get(admin, gwynedd);
    const shape = (d: typeof v1) =>
      d.programmes.map((p) => [
        p.code,
        p.name,
        d.priorities.find((x) => x.id === p.priorityId)?.text ?? null,
        p.measures.map((m) => [m.code, m.quadrant, m.values.map((v) => [v.period, v.value, v.revision, v.reason])]),
      ]);
    expect(v1.programmes.length).toBeGreaterThan(0);
    expect(shape(v2)).toEqual(shape(v1));
    expect(v2.programmes[0]!.id).not.toBe(v1.programmes[0]!.id);
  });
});

describe("approved and published plans are immutable through every route", () => {
  /** Every POST route that changes a plan's contents, from the app's route table (so new ones are covered too). */
  const editRoutes = () => {
    const all = registeredRoutes(t.app).filter(
      (r) => r.method === "POST" && r.path.startsWith("/en/plans/:area/:period/"),
    );
    // the workflow's own steps act on an approved or published plan by design: they are tested in their own files
    const steps = ["/en/plans/:area/:period/review", "/en/plans/:area/:period/new-version"];
    expect(
      all
        .filter((r) => steps.includes(r.path))
        .map((r) => r.path)
        .sort(),
    ).toEqual([...steps].sort());
    return all.filter((r) => !steps.includes(r.path)).map((r) => r.path);
  };

  const concrete = (path: string, area: string, measure: string) =>
    path
      .replace("/en/plans/:area/:period", `/plans/${area}/${PERIOD}`)
      .replace(":code", measure)
      .replace(":pm", "carers-supported")
      .replace(":section", "story")
      .replace(":id", "1");

  it("finds the edit routes", () => {
    const routes = editRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(15);
    expect(routes).toEqual(
      expect.arrayContaining([
        "/en/plans/:area/:period/edit/priorities",
        "/en/plans/:area/:period/measures/:code/edit/targets",
        "/en/plans/:area/:period/programmes/:code/edit/values/import",
      ]),
    );
  });

  it.each([
    ["approved", SWANSEA, "en"],
    ["published", GWYNEDD, "cy"],
  ] as const)(
    "refuses every change to an %s plan (409, said in the page's language) and writes nothing",
    async (state, area, lang) => {
      const ref: PlanRef = { areaCode: area, period: PERIOD };
      if (state === "approved") {
        const swanseaEditor: PlanActor = { ...admin, role: "partnership_editor", areaCodes: [SWANSEA], channel: "web" };
        await review(ref, swanseaEditor, "approve");
      } else if ((await t.app.services.plans.summary(admin, ref)).status !== "published") {
        // the Gwynedd draft version 2 of the test above, published
        const gwyneddActor: PlanActor = { ...admin, role: "partnership_editor", areaCodes: [GWYNEDD], channel: "web" };
        await review(ref, gwyneddActor, "publish");
      }
      const cookie = area === SWANSEA ? editor : gwyneddEditor;
      const before = await contents(ref);
      expect(before.plan.status).toBe(state);
      const audits = await auditCount();
      const measure = before.measures[0].measureCode;
      const token = csrfTokenFrom((await get(`/${lang}/plans`, cookie)).body);
      const routes = editRoutes();
      for (const path of routes) {
        const url = `/${lang}${concrete(path, area, measure)}`;
        const r = await t.app.inject({
          method: "POST",
          url,
          headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
          payload: new URLSearchParams({
            _csrf: token,
            rowVersion: String(before.plan.rowVersion),
            baseVersion: "1",
            version: "1",
            "text-en": "Changed after approval",
            coreAims: "CA1",
            body: "Changed after approval",
            measureCode: measure,
            reason: "x",
          }).toString(),
        });
        expect(r.statusCode, url).toBe(409);
        expect(text(r.body), url).toContain(
          lang === "en"
            ? `Version ${before.plan.version} of this plan is Approved, so it cannot be changed and nothing was saved`
            : `Statws fersiwn ${before.plan.version} o'r cynllun hwn yw Cyhoeddwyd, felly ni ellir ei newid ac ni chadwyd dim`,
        );
      }
      expect(await contents(ref)).toEqual(before);
      expect(await auditCount()).toBe(audits);
    },
  );

  it("is also refused by the service itself, whatever calls it", async () => {
    const ref: PlanRef = { areaCode: GWYNEDD, period: PERIOD };
    const d = await t.app.services.plans.get(admin, ref);
    await expect(
      t.app.services.plans.addPriority(admin, ref, d.plan.rowVersion, {
        text: { en: "Sneaked in" },
        rationale: null,
        coreAims: ["CA1"],
      }),
    ).rejects.toMatchObject({ code: "plan_not_editable" });
  });
});

describe("a new version of an approved plan", () => {
  it("supersedes the approved version when published, which stays unseen by the public as it was never published", async () => {
    const swansea: PlanRef = { areaCode: SWANSEA, period: PERIOD };
    const v1 = await t.app.services.plans.summary(admin, swansea);
    expect(v1.status).toBe("approved"); // by the immutability test above
    const swanseaEditor: PlanActor = { ...admin, role: "partnership_editor", areaCodes: [SWANSEA], channel: "web" };
    await expect(
      t.app.services.planVersions.startNew(swanseaEditor, swansea, { reason: "Stale", rowVersion: v1.rowVersion - 1 }),
    ).rejects.toMatchObject({ code: "stale_plan" });
    await t.app.services.planVersions.startNew(swanseaEditor, swansea, {
      reason: "A change asked for after approval",
      rowVersion: v1.rowVersion,
    });
    await review(swansea, swanseaEditor, "publish");
    const all = await t.app.services.planVersions.list(admin, swansea);
    expect(all.map((v) => [v.version, v.status])).toEqual([
      [1, "superseded"],
      [2, "published"],
    ]);
    expect((await t.app.services.planVersions.list(null, swansea)).map((v) => v.version)).toEqual([2]);
    expect((await get(`/en/plans/${SWANSEA}/${PERIOD}/versions/1`)).statusCode).toBe(404);
    expect((await get(`/en/plans/${SWANSEA}/${PERIOD}/compare?from=1&to=2`)).statusCode).toBe(400);
    expect((await get(`/en/plans/${SWANSEA}/${PERIOD}/versions/1`, editor)).statusCode).toBe(200);
  });
});
