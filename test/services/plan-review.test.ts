/**
 * The review of partnership plans (issue 14): submit (refused, naming each missing thing, until the plan is
 * complete) → a national reviewer returns it with a comment on a section → the partnership fixes it and submits
 * again → approve → publish (superseding the previously published version); approved and published plans cannot be
 * changed; a step on a stale page is refused; who may take which step; every step audited; nothing written by a
 * refused step.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoPlanPeriod } from "../../src/services/plans/demo.ts";
import type { PlanActor, PlanRef } from "../../src/services/plans/index.ts";
import { demoAppWithPlans } from "../support/demo-app.ts";
import type { TestApp } from "../support/test-app.ts";

let t: TestApp;
const SWANSEA = "W06000011";
const CARDIFF = "W06000015";
const PERIOD = demoPlanPeriod();
const ref: PlanRef = { areaCode: SWANSEA, period: PERIOD };
const editor: PlanActor = {
  id: null,
  email: "swansea@example.org",
  role: "partnership_editor",
  areaCodes: [SWANSEA],
  channel: "web",
};
const cardiffEditor: PlanActor = { ...editor, email: "cardiff@example.org", areaCodes: [CARDIFF] };
const reviewer: PlanActor = {
  id: null,
  email: "reviewer@example.org",
  role: "national_analyst",
  areaCodes: [],
  channel: "web",
};
const viewer: PlanActor = { ...reviewer, email: "viewer@example.org", role: "viewer" };

beforeAll(async () => {
  t = await demoAppWithPlans();
}, 300_000);
afterAll(async () => {
  await t.close();
});

const plans = () => t.app.services.plans;
const review = () => t.app.services.planReview;
const rowVersion = async () => (await plans().get(editor, ref)).plan.rowVersion;

/** Writes what the plan lacks, as the partnership would: a chosen measure for each priority, then the stories. */
async function complete(): Promise<void> {
  for (const p of await plans().submissionProblems(editor, ref)) {
    if (p.code !== "priority_without_measure") continue;
    const [choice] = await plans().additionalChoices(editor, ref);
    await plans().selectMeasure(editor, ref, await rowVersion(), {
      measureCode: choice!.code,
      priorityId: p.priorityId,
      reason: { en: "It shows whether the priority is being met." },
    });
  }
  for (const p of await plans().submissionProblems(editor, ref)) {
    if (p.code === "measure_without_story")
      await plans().saveNarrative(editor, ref, {
        subjectKind: "measure",
        subjectCode: p.measureCode,
        section: "story",
        body: `Why ${p.measureCode} looks as it does in Swansea.`,
        baseVersion: 0,
      });
  }
}

async function steps(): Promise<string[]> {
  const audit = await plans().changes(editor, ref);
  const order = [...audit].sort((a, b) => Number(a.id) - Number(b.id));
  return order.map((a) => a.action).filter((a) => ["submit", "return", "approve", "publish"].includes(a));
}

describe("plan review", () => {
  it("refuses to submit an incomplete plan, naming each missing thing, and writes nothing", async () => {
    const before = await plans().get(editor, ref);
    const problems = await plans().submissionProblems(editor, ref);
    expect(problems.length).toBeGreaterThan(0);
    const error = await review()
      .act(editor, ref, { action: "submit", rowVersion: before.plan.rowVersion })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "invalid", code: "plan_incomplete", details: { problems } });
    const after = await plans().get(editor, ref);
    expect(after.plan.status).toBe("draft");
    expect(after.plan.rowVersion).toBe(before.plan.rowVersion);
  });

  it("walks submit → return with a comment → fix → submit → approve → publish, each step audited", async () => {
    await complete();
    expect(await plans().submissionProblems(editor, ref)).toEqual([]);
    expect((await review().view(editor, ref)).actions).toEqual(["submit"]);
    expect((await review().view(reviewer, ref)).actions).toEqual([]);
    expect(await review().act(editor, ref, { action: "submit", rowVersion: await rowVersion() })).toMatchObject({
      from: "draft",
      to: "submitted",
    });
    // submitted: nobody can change it; only a reviewer can move it on
    await expect(
      plans().addPriority(editor, ref, await rowVersion(), { text: { en: "Late idea" }, coreAims: ["CA1"] }),
    ).rejects.toMatchObject({ code: "plan_not_editable" });
    expect((await review().view(editor, ref)).actions).toEqual([]);
    expect((await review().view(reviewer, ref)).actions).toEqual(["return", "approve"]);
    // a return needs a comment
    await expect(
      review().act(reviewer, ref, { action: "return", rowVersion: await rowVersion() }),
    ).rejects.toMatchObject({
      code: "return_without_comment",
    });
    const comment = { section: "priorities", body: "Say which children the priority is about." };
    await review().act(reviewer, ref, { action: "return", rowVersion: await rowVersion(), comments: [comment] });
    const returned = await review().view(editor, ref);
    expect(returned.plan.status).toBe("returned");
    expect(returned.comments).toMatchObject([{ action: "return", ...comment, author: "web:reviewer@example.org" }]);
    // fixed and submitted again
    const [priority] = (await plans().get(editor, ref)).priorities;
    await plans().updatePriority(editor, ref, await rowVersion(), priority!.id, {
      text: { en: "Young carers aged 8 to 17 get support" },
      coreAims: priority!.coreAims,
    });
    await review().act(editor, ref, { action: "submit", rowVersion: await rowVersion() });
    await review().act(reviewer, ref, { action: "approve", rowVersion: await rowVersion() });
    // approved: immutable
    await expect(
      plans().saveNarrative(editor, ref, {
        subjectKind: "measure",
        subjectCode: (await plans().get(editor, ref)).measures[0]!.measureCode,
        section: "story",
        body: "Changed after approval",
        baseVersion: 1,
      }),
    ).rejects.toMatchObject({ code: "plan_not_editable" });
    expect(
      (await plans()
        .get(null, ref)
        .catch((e: unknown) => e)) as object,
    ).toMatchObject({ kind: "not_found" });
    await review().act(reviewer, ref, { action: "publish", rowVersion: await rowVersion() });
    const published = await plans().get(null, ref);
    expect(published.plan.status).toBe("published");
    expect(published.plan.publishedAt).not.toBeNull();
    expect(await steps()).toEqual(["submit", "return", "submit", "approve", "publish"]);
  });

  it("refuses a step on a page loaded before another step, who may not take it, and a step the state does not allow", async () => {
    const cardiff: PlanRef = { areaCode: CARDIFF, period: PERIOD };
    const current = (await plans().get(null, cardiff)).plan;
    // a published plan can only be superseded by publishing a newer version
    await expect(
      review().act(reviewer, cardiff, { action: "approve", rowVersion: current.rowVersion }),
    ).rejects.toMatchObject({ kind: "conflict", code: "transition_not_allowed" });
    await expect(
      review().act(reviewer, cardiff, { action: "publish", rowVersion: current.rowVersion - 1 }),
    ).rejects.toMatchObject({
      code: "stale_plan",
    });
    // Swansea's published plan: another area's editor and a viewer may not act on it
    await expect(
      review().act(cardiffEditor, ref, { action: "submit", rowVersion: await rowVersion() }),
    ).rejects.toMatchObject({
      kind: expect.stringMatching(/forbidden|conflict/),
    });
    await expect(
      review().act(viewer, ref, {
        action: "return",
        rowVersion: await rowVersion(),
        comments: [{ section: "general", body: "x" }],
      }),
    ).rejects.toMatchObject({
      kind: expect.stringMatching(/forbidden|conflict/),
    });
  });
});
