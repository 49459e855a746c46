/**
 * Framework versions (issue 15) on the fixture change in test/fixtures/framework-v2 (one measure retired, one
 * redefined, one added): importing it starts a draft that is not live; submit → approve → publish through the
 * shared workflow, each step audited; publishing makes it current and supersedes version 1, which stays readable;
 * the diff between them; who may take the steps and who may see a draft. A plan made under version 1 stays on it
 * until its editor moves it: the migration report says what happens to each selected measure retired or redefined
 * before anything changes, and the move (on confirmation, audited) applies it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadFrameworkContent } from "../../src/ingest/framework/read-framework-content.ts";
import type { FrameworkActor } from "../../src/services/framework-versions.ts";
import { DEMO_PLAN_ACTOR } from "../../src/services/plans/demo.ts";
import type { PlanActor, PlanRef } from "../../src/services/plans/index.ts";
import { createServices, type Database, type Services } from "../../src/services/index.ts";
import { freshReferenceDatabase } from "../support/demo-database.ts";

const FIXTURE_V2 = "test/fixtures/framework-v2";

let database: Database;
let services: Services;
const analyst: FrameworkActor = {
  user: { id: null, role: "national_analyst", areaCodes: [] },
  name: "web:analyst@example.org",
};
const editor: FrameworkActor = {
  user: { id: null, role: "partnership_editor", areaCodes: ["W06000015"] },
  name: "web:editor@example.org",
};

const CARDIFF = "W06000015";
const SWANSEA = "W06000011";
const PERIOD = "2025-26-to-2027-28";
const planRef: PlanRef = { areaCode: CARDIFF, period: PERIOD };
const planEditor: PlanActor = {
  id: null,
  email: "cardiff@example.org",
  role: "partnership_editor",
  areaCodes: [CARDIFF],
  channel: "web",
};

beforeAll(async () => {
  database = await freshReferenceDatabase(); // the shipped framework (version 1) and the areas
  services = createServices({ database, analysis: "inline" });
  // plans made under version 1: Cardiff's a draft, Swansea's published
  await services.plans.create(planEditor, { areaCode: CARDIFF, period: PERIOD });
  await services.plans.create(DEMO_PLAN_ACTOR, { areaCode: SWANSEA, period: PERIOD });
  await services.plans.setStatusForDemo(DEMO_PLAN_ACTOR, { areaCode: SWANSEA, period: PERIOD }, "published");
}, 300_000);
afterAll(async () => {
  await services.close();
});

const versions = () => services.frameworkVersions;

describe("a new framework version", () => {
  it("is imported from a file as a draft that is not live and that only national roles see", async () => {
    const { content, problems } = await loadFrameworkContent(FIXTURE_V2, await services.content.knownCodes());
    expect(problems.filter((p) => p.severity === "error")).toEqual([]);
    const r = await versions().importFile(content, { name: "cli" });
    expect(r).toMatchObject({ versionCreated: true, measuresAdded: 1, measuresUpdated: 2 });
    const current = (await services.framework.current())!;
    expect(current.framework.version).toBe("1");
    expect(current.measuresByCode.has("mmr2-by-5")).toBe(false);
    expect((await versions().list(analyst.user)).map((v) => [v.version, v.state, v.current])).toEqual([
      ["1", "published", true],
      ["2", "draft", false],
    ]);
    expect((await versions().list(null)).map((v) => v.version)).toEqual(["1"]);
    await expect(versions().get(editor.user, "2")).rejects.toMatchObject({ status: 404 });
    const audit = await services.audit.trail("framework", "wales-omf/2");
    expect(audit.map((a) => [a.action, a.actor])).toEqual([["create", "cli"]]);
  });

  it("shows what changed: the measure added, the one retired, the one redefined field by field, the break in series", async () => {
    const diff = (await versions().diff(analyst.user, "2"))!;
    expect(diff).toMatchObject({ from: "1", to: "2" });
    expect(diff.added.map((m) => m.code)).toEqual(["mmr2-by-5"]);
    expect(diff.retired.map((m) => m.code)).toEqual(["mmr1-by-2"]);
    expect(diff.redefined.map((m) => m.code)).toEqual(["low-birth-weight"]);
    const fields = diff.redefined[0]!.changes.map((c) => c.field);
    expect(fields).toEqual(expect.arrayContaining(["technicalDefinition", "breakInSeries", "nextReview"]));
    expect(diff.breaks).toEqual([
      expect.objectContaining({
        code: "low-birth-weight",
        note: "From 2026 only births at term (37 weeks or more) are counted.",
      }),
    ]);
    expect(await versions().diff(analyst.user, "1")).toBeNull();
  });

  it("is refused a step by who may not take it, and a step the workflow does not allow, writing nothing", async () => {
    await expect(versions().act(editor, "2", "submit")).rejects.toMatchObject({ status: 403 });
    await expect(versions().act(analyst, "2", "publish")).rejects.toMatchObject({
      status: 409,
      code: "transition_not_allowed",
    });
    await expect(versions().act(analyst, "9", "submit")).rejects.toMatchObject({ status: 404 });
    expect((await services.audit.trail("framework", "wales-omf/2")).length).toBe(1);
  });

  it("is submitted, approved and published through the workflow, becoming current; version 1 stays readable", async () => {
    expect(await versions().act(analyst, "2", "submit")).toEqual({ from: "draft", to: "submitted" });
    expect(await versions().act(analyst, "2", "approve")).toEqual({ from: "submitted", to: "approved" });
    expect((await services.framework.current())!.framework.version).toBe("1");
    expect(await versions().act(analyst, "2", "publish", "Agreed by the board")).toEqual({
      from: "approved",
      to: "published",
    });
    const current = (await services.framework.current())!;
    expect(current.framework.version).toBe("2");
    expect(current.framework.publishedDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(current.measuresByCode.get("mmr1-by-2")!.status).toBe("retired");
    expect((await versions().list(null)).map((v) => [v.version, v.state, v.current])).toEqual([
      ["1", "superseded", false],
      ["2", "published", true],
    ]);
    const v1 = await versions().view(null, "1");
    expect(v1.measuresByCode.get("mmr1-by-2")!.status).toBe("live");
    expect(v1.measuresByCode.has("mmr2-by-5")).toBe(false);
    const trail = await services.audit.trail("framework", "wales-omf/2");
    expect(trail.map((a) => [a.action, a.before, a.after])).toEqual([
      ["create", null, { state: "draft", version: "2" }],
      ["submit", { state: "draft" }, { state: "submitted" }],
      ["approve", { state: "submitted" }, { state: "approved" }],
      ["publish", { state: "approved" }, { state: "published" }],
    ]);
    expect(trail.at(-1)!.reason).toBe("Agreed by the board");
    const old = await services.audit.trail("framework", "wales-omf/1");
    expect(old.map((a) => [a.action, a.after]).at(-1)).toEqual(["supersede", { state: "superseded", by: "2" }]);
  });
});

describe("a plan made under an earlier framework version", () => {
  const selected = async () => (await services.plans.get(planEditor, planRef)).measures.map((m) => m.measureCode);

  it("stays on its version, showing the measures as that version defines them", async () => {
    const plan = await services.plans.get(planEditor, planRef);
    const mmr1 = plan.measures.find((m) => m.measureCode === "mmr1-by-2")!;
    expect(mmr1.measure!.status).toBe("live"); // retired in version 2, live in the plan's version 1
    expect(await selected()).not.toContain("mmr2-by-5");
    const lbw = plan.measures.find((m) => m.measureCode === "low-birth-weight")!;
    expect(lbw.measure!.breakInSeries).toBeNull();
  });

  it("gets a migration report before anything changes: what to do about each measure retired or redefined", async () => {
    const before = await selected();
    const move = await services.plans.frameworkMove(planEditor, planRef);
    expect(move).toMatchObject({ from: "1", to: "2" });
    expect(move.report!.items.map((i) => [i.code, i.advice])).toEqual([
      ["mmr1-by-2", "remove"],
      ["low-birth-weight", "review"],
      ["mmr2-by-5", "add"],
    ]);
    expect(move.report!.items[1]!.changes.map((c) => c.field)).toContain("technicalDefinition");
    expect(move.report!.items[1]!.breakNote).toBe("From 2026 only births at term (37 weeks or more) are counted.");
    expect(await selected()).toEqual(before);
    expect((await services.plans.summary(planEditor, planRef)).frameworkId).not.toBe(
      (await services.framework.current())!.framework.id,
    );
  });

  it("is moved only on confirmation for the version the report was for, by its editor, and audited", async () => {
    const rowVersion = async () => (await services.plans.summary(planEditor, planRef)).rowVersion;
    const before = await selected();
    await expect(services.plans.moveToFramework(planEditor, planRef, await rowVersion(), "3")).rejects.toMatchObject({
      status: 409,
      code: "framework_changed",
    });
    const other: PlanActor = { ...planEditor, email: "swansea@example.org", areaCodes: [SWANSEA] };
    await expect(services.plans.moveToFramework(other, planRef, await rowVersion(), "2")).rejects.toMatchObject({
      status: 404, // another partnership's draft plan is not found
    });
    await expect(services.plans.moveToFramework(planEditor, planRef, 0, "2")).rejects.toMatchObject({
      code: "stale_plan",
    });
    expect(await selected()).toEqual(before);

    const report = await services.plans.moveToFramework(planEditor, planRef, await rowVersion(), "2");
    expect(report.items.map((i) => i.code)).toEqual(["mmr1-by-2", "low-birth-weight", "mmr2-by-5"]);
    const after = await selected();
    expect(after).not.toContain("mmr1-by-2");
    expect(after).toContain("mmr2-by-5");
    expect(after).toContain("low-birth-weight");
    const plan = await services.plans.get(planEditor, planRef);
    expect(plan.plan.frameworkId).toBe((await services.framework.current())!.framework.id);
    expect(plan.measures.find((m) => m.measureCode === "low-birth-weight")!.measure!.breakInSeries).toMatch(
      /^From 2026/,
    );
    const audit = (await services.audit.trail("plan", `${CARDIFF}/${PERIOD}/v1`)).at(-1)!;
    expect(audit.action).toBe("plan.framework.move");
    expect(audit.actor).toBe("web:cardiff@example.org");
    expect(audit.before).toMatchObject({
      frameworkVersion: "1",
      removed: [expect.objectContaining({ measureCode: "mmr1-by-2", targets: [] })],
    });
    expect(audit.after).toMatchObject({ frameworkVersion: "2", added: ["mmr2-by-5"] });
    expect((await services.plans.frameworkMove(planEditor, planRef)).report).toBeNull();
    await expect(services.plans.moveToFramework(planEditor, planRef, await rowVersion(), "2")).rejects.toMatchObject({
      code: "same_framework",
    });
  });

  it("cannot be moved once published: a new version of the plan is moved instead", async () => {
    const ref = { areaCode: SWANSEA, period: PERIOD };
    const summary = await services.plans.summary(DEMO_PLAN_ACTOR, ref);
    expect((await services.plans.frameworkMove(DEMO_PLAN_ACTOR, ref)).report).not.toBeNull();
    await expect(services.plans.moveToFramework(DEMO_PLAN_ACTOR, ref, summary.rowVersion, "2")).rejects.toMatchObject({
      code: "plan_not_editable",
    });
  });
});
