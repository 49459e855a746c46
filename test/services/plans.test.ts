import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { auditTrail } from "../../src/db/queries/audit.ts";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from "../../src/domain/errors.ts";
import { createServices } from "../../src/services/index.ts";
import { createPlansService, type PlanActor, type PlansService } from "../../src/services/plans/index.ts";
import { freshDemoDatabase } from "../support/demo-database.ts";

const CARDIFF = "W06000015";
const SWANSEA = "W06000011";
const cardiffEditor: PlanActor = {
  id: null,
  email: "ed@cardiff.example",
  role: "partnership_editor",
  areaCodes: [CARDIFF],
  channel: "web",
};
const swanseaEditor: PlanActor = { ...cardiffEditor, email: "ed@swansea.example", areaCodes: [SWANSEA] };
const viewer: PlanActor = { ...cardiffEditor, email: "v@example.org", role: "viewer", areaCodes: [] };
const ref = { areaCode: CARDIFF, period: "2024-25-to-2026-27" };

let database: Database;
let plans: PlansService;
let highLevel: string[];
let additional: string;

beforeAll(async () => {
  database = await freshDemoDatabase();
  const services = createServices({ database });
  plans = createPlansService({
    database,
    framework: services.framework,
    publicViews: services.publicViews,
    today: () => "2026-06-01",
  });
  const view = (await services.framework.current())!;
  highLevel = view.measures.filter((m) => m.tier === "high_level" && m.status === "live").map((m) => m.code);
  additional = view.measures.find((m) => m.tier === "additional" && m.status === "live")!.code;
});
afterAll(async () => {
  await database.close();
});

describe("partnership plans", () => {
  it("creates a draft plan holding every high-level measure, for the editor's own partnership only", async () => {
    await expect(plans.create(swanseaEditor, { areaCode: CARDIFF, period: ref.period })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(plans.create(cardiffEditor, { areaCode: CARDIFF, period: "2026-2024" })).rejects.toBeInstanceOf(
      InvalidError,
    );
    const plan = await plans.create(cardiffEditor, { areaCode: CARDIFF, period: "2024-25 to 2026-27" });
    expect(plan).toMatchObject({ areaCode: CARDIFF, period: ref.period, status: "draft", rowVersion: 1, version: 1 });
    await expect(plans.create(cardiffEditor, { areaCode: CARDIFF, period: ref.period })).rejects.toBeInstanceOf(
      ConflictError,
    );
    const detail = await plans.get(cardiffEditor, ref);
    expect(detail.measures.map((m) => m.measureCode).sort()).toEqual([...highLevel].sort());
    expect(detail.measures.every((m) => m.kind === "high_level")).toBe(true);
    expect(highLevel.length).toBeGreaterThan(0);
  });

  it("hides a draft from the public and from other partnerships", async () => {
    await expect(plans.get(null, ref)).rejects.toBeInstanceOf(NotFoundError);
    await expect(plans.get(swanseaEditor, ref)).rejects.toBeInstanceOf(NotFoundError);
    await expect(plans.get(viewer, ref)).rejects.toBeInstanceOf(NotFoundError);
    expect((await plans.list(null)).some((p) => p.areaCode === CARDIFF)).toBe(false);
    expect((await plans.list(cardiffEditor)).some((p) => p.areaCode === CARDIFF)).toBe(true);
  });

  it("adds priorities and chooses additional measures with a reason; never removes a high-level measure", async () => {
    const priority = await plans.addPriority(cardiffEditor, ref, 1, {
      text: { en: "Every child ready for school", cy: "Pob plentyn yn barod i'r ysgol" },
      coreAims: ["ca1"],
    });
    expect(priority.coreAims).toEqual(["CA1"]);
    // a stale row version is refused: nothing is lost
    await expect(
      plans.addPriority(cardiffEditor, ref, 1, { text: { en: "Stale" }, coreAims: ["CA1"] }),
    ).rejects.toMatchObject({ code: "stale_plan" });
    await expect(
      plans.addPriority(cardiffEditor, ref, 2, { text: { en: "" }, coreAims: ["CA1"] }),
    ).rejects.toBeInstanceOf(InvalidError);
    await expect(
      plans.selectMeasure(cardiffEditor, ref, 2, {
        measureCode: additional,
        priorityId: priority.id,
        reason: { en: " " },
      }),
    ).rejects.toBeInstanceOf(InvalidError);
    await expect(
      plans.selectMeasure(swanseaEditor, ref, 2, {
        measureCode: additional,
        priorityId: priority.id,
        reason: { en: "x" },
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await plans.selectMeasure(cardiffEditor, ref, 2, {
      measureCode: additional,
      priorityId: priority.id,
      reason: { en: "Local concern" },
    });
    const detail = await plans.get(cardiffEditor, ref);
    expect(detail.plan.rowVersion).toBe(3);
    expect(detail.measures.find((m) => m.measureCode === additional)).toMatchObject({
      kind: "additional",
      priorityId: priority.id,
    });
    await expect(plans.deselectMeasure(cardiffEditor, ref, 3, highLevel[0]!)).rejects.toMatchObject({
      code: "high_level_measure",
    });
    await expect(plans.removePriority(cardiffEditor, ref, 3, priority.id)).rejects.toMatchObject({
      code: "priority_in_use",
    });
    const trail = await auditTrail(database.db, "plan", `${CARDIFF}/${ref.period}/v1`);
    expect(trail.map((t) => t.action)).toEqual(["plan.create", "plan.priority.add", "plan.measure.select"]);
    expect(trail[2]).toMatchObject({ actor: "web:ed@cardiff.example" });
  });

  it("computes the baseline and forecast from the published series and takes targets for the plan's periods", async () => {
    const code = highLevel[0]!;
    const b = await plans.baseline(cardiffEditor, ref, code);
    expect(b.planPeriods.length).toBeGreaterThan(0);
    const period = b.planPeriods[0]!;
    await expect(
      plans.setTargets(cardiffEditor, ref, 3, code, [{ period: "1999", value: 5, stretch: null }]),
    ).rejects.toBeInstanceOf(InvalidError);
    await plans.setTargets(cardiffEditor, ref, 3, code, [{ period, value: 50, stretch: null }]);
    const detail = await plans.get(cardiffEditor, ref);
    expect(detail.measures.find((m) => m.measureCode === code)?.targets).toMatchObject([{ period, value: 50 }]);
  });

  it("gives every measure's baseline at once as it gives each alone (each read with its own targets)", async () => {
    const codes = (await plans.get(cardiffEditor, ref)).measures.map((m) => m.measureCode);
    expect(codes.length).toBeGreaterThan(2);
    const all = await plans.baselines(cardiffEditor, ref, codes);
    expect([...all.keys()]).toEqual(codes);
    for (const code of codes) expect(all.get(code), code).toEqual(await plans.baseline(cardiffEditor, ref, code));
    expect((await plans.baselines(cardiffEditor, ref, [])).size).toBe(0);
    await expect(plans.baselines(cardiffEditor, ref, [codes[0]!, "no-such-measure"])).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(plans.baselines(viewer, { ...ref, areaCode: SWANSEA }, codes)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("keeps every version of a narrative and refuses a save over a newer one", async () => {
    const code = highLevel[0]!;
    const key = { subjectKind: "measure" as const, subjectCode: code, section: "story" as const };
    const v1 = await plans.saveNarrative(cardiffEditor, ref, {
      ...key,
      body: "First <script>alert(1)</script>",
      baseVersion: 0,
    });
    expect(v1.version).toBe(1);
    await plans.saveNarrative(cardiffEditor, ref, { ...key, body: "Second", baseVersion: 1 });
    await expect(
      plans.saveNarrative(cardiffEditor, ref, { ...key, body: "Lost?", baseVersion: 1 }),
    ).rejects.toMatchObject({
      code: "stale_narrative",
      details: { current: 2, theirs: "Second" },
    });
    await plans.saveNarrative(cardiffEditor, ref, { ...key, body: v1.body, baseVersion: 2, restoredFrom: 1 });
    const history = await plans.narrativeHistory(cardiffEditor, ref, key);
    expect(history.map((h) => [h.version, h.body, h.restoredFrom])).toEqual([
      [3, "First <script>alert(1)</script>", 1],
      [2, "Second", null],
      [1, "First <script>alert(1)</script>", null],
    ]);
    await expect(
      plans.saveNarrative(cardiffEditor, ref, {
        ...key,
        section: "story",
        body: "x",
        items: [{ text: "Poverty" }],
        baseVersion: 3,
      }),
    ).rejects.toBeInstanceOf(InvalidError);
  });

  it("tracks actions with dated updates; overdue is computed", async () => {
    const action = await plans.addAction(cardiffEditor, ref, {
      subjectKind: "measure",
      subjectCode: highLevel[0]!,
      title: { en: "Run parenting classes" },
      owner: "Flying Start",
      startDate: "2025-01-01",
      dueDate: "2026-03-31",
      status: "on_track",
    });
    await expect(
      plans.addAction(cardiffEditor, ref, {
        ...action,
        title: { en: "x" },
        startDate: "2026-01-01",
        dueDate: "2025-01-01",
        status: "on_track",
        subjectKind: "measure",
      }),
    ).rejects.toBeInstanceOf(InvalidError);
    let detail = await plans.get(cardiffEditor, ref);
    expect(detail.actions[0]).toMatchObject({ status: "on_track", shownStatus: "overdue" });
    await plans.addActionUpdate(cardiffEditor, ref, action.id, {
      date: "2026-05-01",
      text: { en: "Classes finished" },
      status: "done",
    });
    detail = await plans.get(cardiffEditor, ref);
    expect(detail.actions[0]).toMatchObject({ status: "done", shownStatus: "done" });
    expect(detail.actions[0]!.updates.map((u) => u.text.en)).toEqual(["Classes finished"]);
  });

  it("records performance measures by quadrant, revising values with a reason", async () => {
    const detail = await plans.get(cardiffEditor, ref);
    await plans.addProgramme(cardiffEditor, ref, detail.plan.rowVersion, {
      code: "flying-start",
      name: { en: "Flying Start" },
    });
    await plans.addPerformanceMeasure(cardiffEditor, ref, detail.plan.rowVersion + 1, "flying-start", {
      code: "children-reached",
      title: { en: "Children reached" },
      quadrant: "how_much",
      unit: "count",
      polarity: "higher_is_better",
      decimals: 0,
    });
    const input = { programmeCode: "flying-start", measureCode: "children-reached", period: "2024-25" };
    await plans.recordPerformanceValue(cardiffEditor, ref, { ...input, value: 1200 });
    await expect(plans.recordPerformanceValue(cardiffEditor, ref, { ...input, value: 1250 })).rejects.toBeInstanceOf(
      InvalidError,
    );
    const revised = await plans.recordPerformanceValue(cardiffEditor, ref, {
      ...input,
      value: 1250,
      reason: "late returns",
    });
    expect(revised.revision).toBe(2);
    const after = await plans.get(cardiffEditor, ref);
    expect(after.programmes[0]!.measures[0]!.values.map((v) => [v.revision, v.value, v.reason])).toEqual([
      [1, 1200, null],
      [2, 1250, "late returns"],
    ]);
  });

  it("keeps a priority a programme serves, and removes it once nothing serves it", async () => {
    const rv = async () => (await plans.get(cardiffEditor, ref)).plan.rowVersion;
    const priority = await plans.addPriority(cardiffEditor, ref, await rv(), {
      text: { en: "Support in the early years" },
      coreAims: ["CA1"],
    });
    await plans.addProgramme(cardiffEditor, ref, await rv(), {
      code: "family-support",
      name: { en: "Family support" },
      priorityId: priority.id,
    });
    await expect(plans.removePriority(cardiffEditor, ref, await rv(), priority.id)).rejects.toMatchObject({
      code: "priority_in_use",
      details: { serving: "family-support" },
    });
    expect((await plans.get(cardiffEditor, ref)).priorities.some((p) => p.id === priority.id)).toBe(true);
    const other = await plans.addPriority(cardiffEditor, ref, await rv(), {
      text: { en: "Not needed" },
      coreAims: ["CA2"],
    });
    await plans.removePriority(cardiffEditor, ref, await rv(), other.id);
    expect((await plans.get(cardiffEditor, ref)).priorities.some((p) => p.id === other.id)).toBe(false);
  });

  it("refuses an action or a narrative about a measure or performance measure not in the plan, writing nothing", async () => {
    const before = await plans.get(cardiffEditor, ref);
    const action = {
      title: { en: "Orphan action" },
      owner: null,
      startDate: null,
      dueDate: null,
      status: "not_started",
    };
    await expect(
      plans.addAction(cardiffEditor, ref, { ...action, subjectKind: "measure", subjectCode: "NOT-A-MEASURE" }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      plans.addAction(cardiffEditor, ref, {
        ...action,
        subjectKind: "programme_measure",
        subjectCode: "flying-start/not-a-measure",
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      plans.saveNarrative(cardiffEditor, ref, {
        subjectKind: "programme_measure",
        subjectCode: "no-programme/children-reached",
        section: "story",
        body: "x",
        baseVersion: 0,
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const ok = await plans.saveNarrative(cardiffEditor, ref, {
      subjectKind: "programme_measure",
      subjectCode: "flying-start/children-reached",
      section: "story",
      body: "Take-up fell",
      baseVersion: 0,
    });
    expect(ok.version).toBe(1);
    const after = await plans.get(cardiffEditor, ref);
    expect(after.actions).toHaveLength(before.actions.length);
  });

  it("names what stops submission", async () => {
    const problems = await plans.submissionProblems(cardiffEditor, ref);
    expect(problems.some((p) => p.code === "measure_without_story")).toBe(true);
    expect(problems.some((p) => p.code === "high_level_missing")).toBe(false);
  });
});
