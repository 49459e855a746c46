/**
 * The data development agenda (issue 15): measures in development move proposed → data source identified → piloted
 * → live (or dropped) through the shared workflow, each move audited with its date; only national roles manage it;
 * owner and notes edits and tasks for further action (create, edit, complete) are audited; refusals write nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from "../../src/domain/errors.ts";
import type { PlanActor } from "../../src/services/plans/index.ts";
import { AGENDA_ENTITY, TASK_ENTITY } from "../../src/services/reports/agenda.ts";
import { dataDevelopmentAgenda } from "../../src/services/reports/rights.ts";
import { demoApp } from "../support/demo-app.ts";
import type { TestApp } from "../support/test-app.ts";

let t: TestApp;
const ADMIN: PlanActor = { id: null, email: "admin@test", role: "national_admin", areaCodes: [], channel: "cli" };
const ANALYST: PlanActor = { ...ADMIN, email: "analyst@test", role: "national_analyst" };
const EDITOR: PlanActor = { ...ADMIN, email: "ed@test", role: "partnership_editor", areaCodes: ["W06000015"] };
const today = new Date().toISOString().slice(0, 10);
const agenda = () => t.app.services.reports.agenda;
let code: string;

beforeAll(async () => {
  t = await demoApp();
  code = (await agenda().view())!.entries[0]!.measure.code;
}, 300_000);
afterAll(async () => {
  await t.close();
});

describe("the data development agenda", () => {
  it("lists every measure in development at its stage, with the content's owner, and the coverage gaps", async () => {
    const view = (await agenda().view())!;
    const base = (await dataDevelopmentAgenda(t.app.services))!;
    expect(view.entries.map((e) => e.measure.code)).toEqual(base.inDevelopment.map((m) => m.code));
    expect(view.entries.length).toBeGreaterThan(0);
    for (const e of view.entries) {
      expect(e.stage).toBe("proposed");
      expect(e.owner).toBe(e.measure.owner ?? null);
      expect(e.actions).toEqual(["identify_source", "drop"]);
    }
    expect(view.gaps).toEqual(base.gaps);
    expect(view.tasks).toEqual([]);
  });

  it("moves a measure stage by stage through the workflow, dated and audited; refusals write nothing", async () => {
    await expect(agenda().move(EDITOR, code, "identify_source")).rejects.toBeInstanceOf(ForbiddenError);
    await expect(agenda().move(ADMIN, code, "go_live")).rejects.toBeInstanceOf(ConflictError);
    expect(await t.app.services.audit.trail(AGENDA_ENTITY, code)).toEqual([]);

    expect(await agenda().move(ADMIN, code, "identify_source", "ONS survey found")).toMatchObject({
      from: "proposed",
      to: "data_source_identified",
    });
    await agenda().move(ANALYST, code, "pilot");
    const piloted = (await agenda().view())!.entries.find((e) => e.measure.code === code)!;
    expect(piloted.stage).toBe("piloted");
    expect(piloted.stageDates).toEqual({ data_source_identified: today, piloted: today });
    expect(piloted.framework).toBeNull();
    await agenda().move(ADMIN, code, "go_live");
    const live = (await agenda().view())!.entries.find((e) => e.measure.code === code)!;
    expect(live.stage).toBe("live");
    // still in development in the current framework version: it enters the framework in the next one
    expect(live.framework).toBe("next_version");
    expect(live.actions).toEqual([]);

    const trail = await t.app.services.audit.trail(AGENDA_ENTITY, code);
    expect(trail.map((a) => [a.action, a.before, a.after, a.actor])).toEqual([
      ["identify_source", { state: "proposed" }, { state: "data_source_identified" }, "cli:admin@test"],
      ["pilot", { state: "data_source_identified" }, { state: "piloted" }, "cli:analyst@test"],
      ["go_live", { state: "piloted" }, { state: "live" }, "cli:admin@test"],
    ]);
    expect(trail[0]!.reason).toBe("ONS survey found");
  });

  it("drops and reopens a measure; refuses measures that are not in development or do not exist", async () => {
    const other = (await agenda().view())!.entries.find((e) => e.stage === "proposed")!.measure.code;
    await agenda().move(ADMIN, other, "drop", "no data source in sight");
    expect((await agenda().view())!.entries.find((e) => e.measure.code === other)!.actions).toEqual(["reopen"]);
    await agenda().move(ADMIN, other, "reopen");
    const live = (await t.app.services.framework.current())!.measures.find((m) => m.status === "live")!;
    await expect(agenda().move(ADMIN, live.code, "identify_source")).rejects.toMatchObject({
      code: "not_in_development",
    });
    await expect(agenda().move(ADMIN, "no-such-measure", "drop")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("records an owner and notes, audited, and refuses a stale edit", async () => {
    const e = (await agenda().view())!.entries.find((x) => x.measure.code === code)!;
    await expect(agenda().edit(EDITOR, code, { owner: "x", notes: null })).rejects.toBeInstanceOf(ForbiddenError);
    await agenda().edit(ADMIN, code, {
      owner: "Welsh Government, Knowledge and Analytical Services",
      notes: { en: "Pilot with three authorities", cy: "Peilot gyda thri awdurdod" },
      rowVersion: e.rowVersion,
    });
    const after = (await agenda().view())!.entries.find((x) => x.measure.code === code)!;
    expect(after.owner).toBe("Welsh Government, Knowledge and Analytical Services");
    expect(after.notes).toEqual({ en: "Pilot with three authorities", cy: "Peilot gyda thri awdurdod" });
    expect(after.stage).toBe("live");
    await expect(
      agenda().edit(ADMIN, code, { owner: "y", notes: null, rowVersion: e.rowVersion }),
    ).rejects.toMatchObject({ code: "stale" });
    const last = (await t.app.services.audit.trail(AGENDA_ENTITY, code)).at(-1)!;
    expect(last.action).toBe("update");
    expect(last.after).toMatchObject({ owner: "Welsh Government, Knowledge and Analytical Services" });
  });

  it("creates, edits and completes tasks for further action, each audited; bad fields are refused by name", async () => {
    const input = {
      title: { en: "Agree a data sharing agreement", cy: "Cytuno ar gytundeb rhannu data" },
      owner: "Data team",
      dueDate: "2020-03-31",
      status: "open",
      measureCode: code,
    };
    await expect(agenda().saveTask(EDITOR, null, input)).rejects.toBeInstanceOf(ForbiddenError);
    const bad = await agenda()
      .saveTask(ADMIN, null, { ...input, dueDate: "2025-02-30" })
      .catch((e) => e);
    expect(bad).toBeInstanceOf(InvalidError);
    expect(bad.details).toEqual({ field: "dueDate" });
    expect((await agenda().view())!.tasks).toEqual([]);

    const task = await agenda().saveTask(ADMIN, null, input);
    let shown = (await agenda().view())!.tasks;
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ owner: "Data team", status: "open", overdue: true });
    await agenda().saveTask(ADMIN, task.id, { ...input, status: "in_progress", rowVersion: task.rowVersion });
    await expect(
      agenda().saveTask(ADMIN, task.id, { ...input, status: "done", rowVersion: task.rowVersion }),
    ).rejects.toMatchObject({ code: "stale" });
    await agenda().saveTask(ANALYST, task.id, { ...input, status: "done" });
    shown = (await agenda().view())!.tasks;
    expect(shown[0]).toMatchObject({ status: "done", overdue: false });
    expect(shown[0]!.completedAt).toBeInstanceOf(Date);
    const trail = await t.app.services.audit.trail(TASK_ENTITY, String(task.id));
    expect(trail.map((a) => a.action)).toEqual(["create", "update", "complete"]);
    await expect(agenda().saveTask(ADMIN, 999_999, input)).rejects.toBeInstanceOf(NotFoundError);
  });
});
