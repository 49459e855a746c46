/**
 * The plans service: partnership plans under outcomes-based accountability. Every change checks who may make it
 * (partnership editors their own areas, national administrators all), that the plan is still editable (draft or
 * returned), and that the editor saw the latest version (optimistic locking: a save names the row version it
 * loaded, a stale save is a conflict); then it changes the plan and writes the audit log in one transaction.
 * Narratives, action updates and performance values are append-only: nothing is overwritten.
 */
import type { Database } from "../../db/database.ts";
import { auditTrail, writeAudit } from "../../db/queries/audit.ts";
import { carryLocalMeasures } from "../../db/queries/framework-write.ts";
import * as q from "../../db/queries/plans.ts";
import type { AuditRecord } from "../../domain/audit.ts";
import { type BilingualText, POLARITIES, type Role, UNITS, VALUE_TYPES } from "../../domain/enums.ts";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from "../../domain/errors.ts";
import { diffFrameworks, type MigrationReport, migrationReport } from "../../domain/framework-diff.ts";
import type { PeriodType } from "../../domain/period-type.ts";
import { permissions } from "../../domain/permissions.ts";
import {
  ACTION_STATUSES,
  type ActionStatus,
  actionDateProblems,
  shownActionStatus,
} from "../../domain/plans/actions.ts";
import { isValidIsoDate } from "../../domain/plans/dates.ts";
import {
  canRemoveFromPlan,
  IDEA_KINDS,
  localMeasureCode,
  NARRATIVE_SECTIONS,
  type NarrativeSection,
  type PlanStatus,
  QUADRANTS,
  type Quadrant,
  submissionProblems,
} from "../../domain/plans/model.ts";
import { type PlanPeriod, PlanPeriodError, parsePlanPeriod } from "../../domain/plans/plan-period.ts";
import type { PerformanceCsvProblem, PerformanceCsvRow } from "../../ingest/performance-values.ts";
import type { FrameworkService, MeasureView } from "../framework-service.ts";
import { frameworkSnapshot } from "../framework-versions.ts";
import type { PublicViews } from "../public/index.ts";
import { type PlanBaseline, planBaseline } from "./baseline.ts";

/** Who is acting: a signed-in user (or the CLI's user), and the channel for the audit trail. */
export interface PlanActor {
  id: number | null;
  email: string;
  role: Role;
  areaCodes: readonly string[];
  channel: "web" | "cli" | "api" | "demo";
}

/** Periods a local measure's series may have (one value a year, like the plan's targets). */
export const LOCAL_PERIOD_TYPES = ["financial_year", "calendar_year", "academic_year"] as const;

/** Plan states in which the partnership may still edit it. */
export const EDITABLE: readonly PlanStatus[] = ["draft", "returned"];

/** A plan's move to the current framework version: from and to (version labels), and the migration report. */
export interface PlanFrameworkMove {
  plan: PlanSummary;
  from: string;
  to: string;
  /** Null when the plan is already on the current version. */
  report: MigrationReport | null;
}
/** Plan states the public may read. */
export const PUBLIC_PLAN_STATUSES: readonly PlanStatus[] = ["published", "superseded"];

export interface PlanRef {
  areaCode: string;
  period: string;
  /** One version of the plan; without it, the newest version the reader may see (for an editor, the one to edit). */
  version?: number | undefined;
}

export interface PlanSummary extends q.PlanRow {
  status: PlanStatus;
}

export interface SelectedMeasureView extends q.PlanMeasureRow {
  measure: MeasureView | null;
  targets: q.TargetRow[];
}

/** Which narrative: a section of a selected measure's (or a performance measure's) turn-the-curve report. */
export interface NarrativeSubject {
  subjectKind: "measure" | "programme_measure";
  subjectCode: string;
  section: NarrativeSection;
}

export interface PlanDetail {
  plan: PlanSummary;
  priorities: q.PriorityRow[];
  measures: SelectedMeasureView[];
  narratives: q.NarrativeVersionRow[];
  actions: (q.ActionRow & { shownStatus: ReturnType<typeof shownActionStatus>; updates: q.ActionUpdateRow[] })[];
  programmes: (q.ProgrammeRow & {
    measures: (q.ProgrammeMeasureRow & { values: q.PerformanceValueRow[] })[];
  })[];
}

/**
 * A refusal of one form field: `code` names the problem (the web shows it in English or Welsh from
 * `plans.errors.{code}`, with `params`), `field` the input it is about; `message` is the English text for the CLI and API.
 */
export function invalid(
  code: string,
  field: string,
  message: string,
  params: Record<string, unknown> = {},
): InvalidError {
  return new InvalidError(message, { code, details: { field, ...params } });
}

function actorName(actor: PlanActor): string {
  return `${actor.channel}:${actor.email}`;
}

/**
 * Whether `actor` may read this version of a plan: the public the published ones (and those superseded after being
 * published), the partnership's editors and national staff all.
 */
export function mayRead(actor: PlanActor | null, plan: q.PlanRow): boolean {
  // a version superseded while only approved was never public, and stays so
  if ((PUBLIC_PLAN_STATUSES as readonly string[]).includes(plan.status) && plan.publishedAt !== null) return true;
  if (!actor) return false;
  return (
    actor.role === "national_admin" ||
    actor.role === "national_analyst" ||
    permissions.canEditArea({ role: actor.role, areaCodes: actor.areaCodes }, plan.areaCode)
  );
}

function cleanText(t: BilingualText | null | undefined): BilingualText | null {
  if (!t) return null;
  const en = t.en.trim();
  const cy = (t.cy ?? "").trim();
  if (!en && !cy) return null;
  return cy ? { en, cy } : { en };
}

export function planKey(plan: Pick<q.PlanRow, "areaCode" | "period" | "version">): string {
  return `${plan.areaCode}/${plan.period}/v${plan.version}`;
}

/** An action's checked title (title, status and dates are validated, each refusal naming its field). */
function checkedAction(input: {
  title: BilingualText;
  status: string;
  startDate: string | null;
  dueDate: string | null;
}): BilingualText {
  const title = cleanText(input.title);
  if (!title) throw invalid("action_title_required", "title", "describe the action");
  if (!(ACTION_STATUSES as readonly string[]).includes(input.status))
    throw invalid("status_required", "status", `choose a status (${ACTION_STATUSES.join(", ")})`);
  const problems = actionDateProblems({
    status: input.status as ActionStatus,
    startDate: input.startDate,
    dueDate: input.dueDate,
  });
  const [field, problem] = Object.entries(problems)[0] ?? [];
  if (field)
    throw invalid(
      problem === "due_before_start" ? "due_before_start" : "invalid_date",
      field,
      problem === "due_before_start"
        ? "the due date must not be before the start date"
        : "enter a real date as YYYY-MM-DD",
    );
  return title;
}

/** The subject code of a performance measure's turn-the-curve report: `{programme code}/{measure code}`. */
export function performanceSubject(programmeCode: string, measureCode: string): string {
  return `${programmeCode}/${measureCode}`;
}

export function createPlansService(deps: {
  database: Database;
  framework: FrameworkService;
  publicViews: PublicViews;
  /** Today as `YYYY-MM-DD` (injected for tests). */
  today?: () => string;
}) {
  const { database, framework, publicViews } = deps;
  const db = database.db;
  const today = deps.today ?? (() => new Date().toISOString().slice(0, 10));

  async function currentFramework() {
    const view = await framework.current();
    if (!view) throw new ConflictError("no framework has been loaded yet (run `omf seed`)", { code: "no_framework" });
    return view;
  }

  async function loadPlan(ref: PlanRef, actor: PlanActor | null): Promise<q.PlanRow> {
    const areaCode = ref.areaCode.toUpperCase();
    const plan =
      ref.version === undefined
        ? (await q.listPlanRows(db, { areaCode, period: ref.period })).find((p) => mayRead(actor, p))
        : await q.findPlanRow(db, areaCode, ref.period, ref.version);
    if (!plan || !mayRead(actor, plan))
      throw new NotFoundError(
        `no plan for ${ref.areaCode} ${ref.period}${ref.version === undefined ? "" : ` version ${ref.version}`}`,
      );
    return plan;
  }

  function checkMayEdit(actor: PlanActor, areaCode: string): void {
    if (!permissions.canEditArea({ role: actor.role, areaCodes: actor.areaCodes }, areaCode))
      throw new ForbiddenError(`${actor.email} may not edit plans of ${areaCode}`);
  }

  /**
   * Runs one change to a plan: permission, editable state and the optimistic row version are checked first, then
   * `change` runs in the transaction and its audit entry is written with it.
   */
  async function change<T>(
    actor: PlanActor,
    ref: PlanRef,
    rowVersion: number | null,
    action: string,
    run: (tx: typeof db, plan: q.PlanRow) => Promise<{ result: T; before?: unknown; after?: unknown }>,
  ): Promise<T> {
    const plan = await loadPlan(ref, actor);
    checkMayEdit(actor, plan.areaCode);
    if (!(EDITABLE as readonly string[]).includes(plan.status))
      throw new ConflictError(`the plan is ${plan.status}: only a draft or returned plan can be changed`, {
        code: "plan_not_editable",
      });
    // a form that lost its row version (or sent something else) cannot say what the editor loaded: a stale plan
    if (rowVersion !== null && !Number.isSafeInteger(rowVersion))
      throw new ConflictError("the form did not say which version of the plan it was loaded from", {
        code: "stale_plan",
        details: { loaded: null, current: plan.rowVersion },
      });
    return db.transaction(async (tx) => {
      if (rowVersion !== null) {
        const next = await q.bumpPlanRowVersion(tx as typeof db, plan.id, rowVersion);
        if (next === null) {
          const now = await q.findPlanRowById(tx as typeof db, plan.id);
          throw new ConflictError("the plan was changed by someone else since you loaded it", {
            code: "stale_plan",
            details: { loaded: rowVersion, current: now?.rowVersion },
          });
        }
      }
      const { result, before, after } = await run(tx as typeof db, plan);
      await writeAudit(tx, {
        userId: actor.id,
        actor: actorName(actor),
        action,
        entity: "plan",
        entityKey: planKey(plan),
        before,
        after,
      });
      return result;
    });
  }

  /**
   * Refuses a narrative or action about something not in the plan: a selected measure by its code, a performance
   * measure as `{programme}/{measure}` (see {@link performanceSubject}).
   */
  async function checkSubject(tx: typeof db, planId: number, kind: string, code: string): Promise<void> {
    if (kind === "measure") {
      if ((await q.listPlanMeasures(tx, planId)).some((s) => s.measureCode === code)) return;
    } else if (kind === "programme_measure") {
      const [programmeCode, measureCode] = code.split("/");
      const programme = (await q.listProgrammes(tx, planId)).find((p) => p.code === programmeCode);
      if (programme && (await q.listProgrammeMeasures(tx, [programme.id])).some((m) => m.code === measureCode)) return;
    }
    throw new NotFoundError(`${code} is not in this plan`);
  }

  /** A selected measure's targets as the audit keeps them: period, value and stretch. */
  async function targetValues(tx: typeof db, planId: number, measureCode: string) {
    return (await q.listTargets(tx, planId, measureCode)).map(({ period, value, stretch }) => ({
      period,
      value,
      stretch,
    }));
  }

  /** The framework version a plan is pinned to (the one it was made under, until its editors move it). */
  async function frameworkOf(plan: Pick<q.PlanRow, "frameworkId">) {
    return (await framework.version(plan.frameworkId)) ?? (await currentFramework());
  }

  async function measuresOf(plan: Pick<q.PlanRow, "frameworkId">): Promise<Map<string, MeasureView>> {
    return (await frameworkOf(plan)).measuresByCode;
  }

  return {
    /** Plans a reader may see: the public sees published ones; editors also their own, national roles all. */
    async list(actor: PlanActor | null, filter: { areaCode?: string; period?: string } = {}): Promise<PlanSummary[]> {
      const rows = await q.listPlanRows(db, { areaCode: filter.areaCode, period: filter.period });
      // newest version of each plan the actor may read
      const seen = new Set<string>();
      const out: PlanSummary[] = [];
      for (const r of rows) {
        if (!mayRead(actor, r)) continue;
        const k = `${r.areaCode}/${r.period}`;
        if (seen.has(k)) continue;
        seen.add(k);
        out.push(r as PlanSummary);
      }
      return out;
    },

    /** Creates a draft plan with every high-level measure of the current framework. */
    async create(
      actor: PlanActor,
      input: { areaCode: string; period: string; title?: BilingualText | null; illustrative?: boolean },
    ): Promise<PlanSummary> {
      const areaCode = input.areaCode.trim().toUpperCase();
      checkMayEdit(actor, areaCode);
      let period: PlanPeriod;
      try {
        period = parsePlanPeriod(input.period);
      } catch (error) {
        if (error instanceof PlanPeriodError) throw invalid("invalid_period", "period", error.message);
        throw error;
      }
      const areas = await publicViews.areas();
      const area = areas.byCode.get(areaCode);
      if (area?.type !== "local_authority")
        throw invalid(
          "invalid_area",
          "areaCode",
          `${areaCode} is not a partnership area (a local authority code such as W06000015)`,
        );
      const view = await currentFramework();
      if (await q.findPlanRow(db, areaCode, period.slug))
        throw new ConflictError(`${areaCode} already has a plan for ${period.slug}`, {
          code: "plan_exists",
          details: { field: "period", period: period.slug },
        });
      const highLevel = view.measures.filter((m) => m.tier === "high_level" && m.status === "live");
      return db.transaction(async (tx) => {
        const plan = await q.insertPlanRow(tx as typeof db, {
          areaCode,
          period: period.slug,
          startYear: period.startYear,
          endYear: period.endYear,
          frameworkId: view.framework.id,
          title: cleanText(input.title),
          illustrative: input.illustrative ?? false,
          createdBy: actor.id,
        });
        await q.insertPlanMeasures(
          tx as typeof db,
          highLevel.map((m, i) => ({ planId: plan.id, measureCode: m.code, kind: "high_level", sortOrder: i })),
        );
        await writeAudit(tx, {
          userId: actor.id,
          actor: actorName(actor),
          action: "plan.create",
          entity: "plan",
          entityKey: planKey(plan),
          after: {
            areaCode,
            period: period.slug,
            frameworkId: view.framework.id,
            highLevel: highLevel.map((m) => m.code),
          },
        });
        return plan as PlanSummary;
      });
    },

    /** The plan's row alone (the newest version `actor` may read, or the version named): its state and versions. */
    async summary(actor: PlanActor | null, ref: PlanRef): Promise<PlanSummary> {
      return (await loadPlan(ref, actor)) as PlanSummary;
    },

    /** A plan with everything in it, for its pages, the API and documents. */
    async get(actor: PlanActor | null, ref: PlanRef): Promise<PlanDetail> {
      const plan = await loadPlan(ref, actor);
      const [priorities, selected, targets, narratives, actions, programmes, byCode] = await Promise.all([
        q.listPriorities(db, plan.id),
        q.listPlanMeasures(db, plan.id),
        q.listTargets(db, plan.id),
        q.currentNarratives(db, plan.id),
        q.listActions(db, plan.id),
        q.listProgrammes(db, plan.id),
        measuresOf(plan),
      ]);
      const updates = await q.listActionUpdates(
        db,
        actions.map((a) => a.id),
      );
      const pMeasures = await q.listProgrammeMeasures(
        db,
        programmes.map((p) => p.id),
      );
      const values = await q.listPerformanceValues(
        db,
        pMeasures.map((m) => m.id),
      );
      const day = today();
      return {
        plan: plan as PlanSummary,
        priorities,
        measures: selected.map((s) => ({
          ...s,
          measure: byCode.get(s.measureCode) ?? null,
          targets: targets.filter((t) => t.measureCode === s.measureCode),
        })),
        narratives,
        actions: actions.map((a) => ({
          ...a,
          shownStatus: shownActionStatus({ status: a.status as ActionStatus, dueDate: a.dueDate }, day),
          updates: updates.filter((u) => u.actionId === a.id),
        })),
        programmes: programmes.map((p) => ({
          ...p,
          measures: pMeasures
            .filter((m) => m.programmeId === p.id)
            .map((m) => ({ ...m, values: values.filter((v) => v.programmeMeasureId === m.id) })),
        })),
      };
    },

    /** Baseline, forecast and the latest value's judgement for one selected measure of a plan. */
    async baseline(actor: PlanActor | null, ref: PlanRef, measureCode: string): Promise<PlanBaseline> {
      return (await this.baselines(actor, ref, [measureCode])).get(measureCode)!;
    },

    /**
     * `baseline` for several measures of one plan, by measure code: the plan, its framework's measures and its
     * targets are read once for all of them (a plan's page, report and API answer show every selected measure).
     */
    async baselines(
      actor: PlanActor | null,
      ref: PlanRef,
      measureCodes: readonly string[],
    ): Promise<Map<string, PlanBaseline>> {
      const plan = await loadPlan(ref, actor);
      const byCode = await measuresOf(plan);
      const result = new Map<string, PlanBaseline>();
      if (measureCodes.length === 0) return result;
      for (const code of measureCodes) if (!byCode.has(code)) throw new NotFoundError(`no measure ${code}`);
      const targets = await q.listTargets(db, plan.id, measureCodes.length === 1 ? measureCodes[0] : undefined);
      for (const code of measureCodes) {
        const measure = byCode.get(code)!;
        const rows = await publicViews.data.rows(code);
        const series = rows
          .filter((r) => r.areaCode === plan.areaCode && r.breakdown === "total")
          .map((r) => ({ period: r.period, value: r.value, lower95: r.lower95, upper95: r.upper95 }));
        const own = new Map(targets.filter((t) => t.measureCode === code).map((t) => [t.period, t.value] as const));
        result.set(
          code,
          planBaseline(
            series,
            measure.periodType as PeriodType,
            parsePlanPeriod(plan.period),
            measure.polarity as "higher_is_better",
            own,
          ),
        );
      }
      return result;
    },

    async addPriority(
      actor: PlanActor,
      ref: PlanRef,
      rowVersion: number,
      input: { text: BilingualText; rationale?: BilingualText | null; coreAims: readonly string[] },
    ): Promise<q.PriorityRow> {
      const text = cleanText(input.text);
      if (!text) throw invalid("priority_text_required", "text", "enter the priority in English or Welsh");
      const aims = await validAims(input.coreAims);
      return change(actor, ref, rowVersion, "plan.priority.add", async (tx, plan) => {
        const existing = await q.listPriorities(tx, plan.id);
        const row = await q.insertPriority(tx, {
          planId: plan.id,
          text,
          rationale: cleanText(input.rationale),
          coreAims: aims,
          sortOrder: existing.length,
        });
        return { result: row, after: row };
      });
    },

    async updatePriority(
      actor: PlanActor,
      ref: PlanRef,
      rowVersion: number,
      priorityId: number,
      input: { text: BilingualText; rationale?: BilingualText | null; coreAims: readonly string[] },
    ): Promise<void> {
      const text = cleanText(input.text);
      if (!text) throw invalid("priority_text_required", "text", "enter the priority in English or Welsh");
      const aims = await validAims(input.coreAims);
      await change(actor, ref, rowVersion, "plan.priority.update", async (tx, plan) => {
        const before = (await q.listPriorities(tx, plan.id)).find((p) => p.id === priorityId);
        if (!before) throw new NotFoundError(`no priority ${priorityId} in this plan`);
        const values = { text, rationale: cleanText(input.rationale), coreAims: aims };
        await q.updatePriority(tx, priorityId, values);
        return { result: undefined, before, after: { ...before, ...values } };
      });
    },

    async removePriority(actor: PlanActor, ref: PlanRef, rowVersion: number, priorityId: number): Promise<void> {
      await change(actor, ref, rowVersion, "plan.priority.remove", async (tx, plan) => {
        const before = (await q.listPriorities(tx, plan.id)).find((p) => p.id === priorityId);
        if (!before) throw new NotFoundError(`no priority ${priorityId} in this plan`);
        const serving = [
          ...(await q.listPlanMeasures(tx, plan.id))
            .filter((m) => m.priorityId === priorityId)
            .map((m) => m.measureCode),
          ...(await q.listProgrammes(tx, plan.id)).filter((p) => p.priorityId === priorityId).map((p) => p.code),
        ];
        if (serving.length)
          throw new ConflictError(`${serving.join(", ")} serve this priority: choose another priority for them first`, {
            code: "priority_in_use",
            details: { serving: serving.join(", ") },
          });
        await q.deletePriority(tx, priorityId);
        return { result: undefined, before };
      });
    },

    /** The framework's live additional measures (and the partnership's own local ones) not yet in the plan. */
    async additionalChoices(actor: PlanActor | null, ref: PlanRef): Promise<MeasureView[]> {
      const plan = await loadPlan(ref, actor);
      const chosen = new Set((await q.listPlanMeasures(db, plan.id)).map((s) => s.measureCode));
      return (await frameworkOf(plan)).measures.filter(
        (m) =>
          m.status === "live" &&
          !chosen.has(m.code) &&
          (m.localAreaCode ? m.localAreaCode === plan.areaCode : m.tier === "additional"),
      );
    },

    /** Chooses an additional (or local) measure for a priority, with a reason. */
    async selectMeasure(
      actor: PlanActor,
      ref: PlanRef,
      rowVersion: number,
      input: { measureCode: string; priorityId: number; reason: BilingualText },
    ): Promise<void> {
      const reason = cleanText(input.reason);
      if (!reason) throw invalid("reason_required", "reason", "say why this measure was chosen");
      const byCode = await measuresOf(await loadPlan(ref, actor));
      const measure = byCode.get(input.measureCode);
      if (measure?.status !== "live")
        throw invalid("measure_required", "measureCode", `${input.measureCode} is not a live measure of the framework`);
      await change(actor, ref, rowVersion, "plan.measure.select", async (tx, plan) => {
        if (measure.localAreaCode && measure.localAreaCode !== plan.areaCode)
          throw invalid("measure_required", "measureCode", `${measure.code} is another partnership's local measure`);
        const selected = await q.listPlanMeasures(tx, plan.id);
        if (selected.some((s) => s.measureCode === measure.code))
          throw new ConflictError(`${measure.code} is already in the plan`, {
            code: "already_selected",
            details: { field: "measureCode" },
          });
        if (!(await q.listPriorities(tx, plan.id)).some((p) => p.id === input.priorityId))
          throw invalid("priority_required", "priorityId", "choose one of the plan's priorities");
        const row = {
          planId: plan.id,
          measureCode: measure.code,
          kind: measure.localAreaCode ? "local" : measure.tier === "high_level" ? "high_level" : "additional",
          priorityId: input.priorityId,
          reason,
          sortOrder: selected.length,
        };
        await q.insertPlanMeasures(tx, [row]);
        return { result: undefined, after: row };
      });
    },

    /** Changes the priority or reason of a chosen measure (high-level measures may be linked to a priority too). */
    async updateSelection(
      actor: PlanActor,
      ref: PlanRef,
      rowVersion: number,
      measureCode: string,
      input: { priorityId: number | null; reason: BilingualText | null },
    ): Promise<void> {
      await change(actor, ref, rowVersion, "plan.measure.update", async (tx, plan) => {
        const before = (await q.listPlanMeasures(tx, plan.id)).find((s) => s.measureCode === measureCode);
        if (!before) throw new NotFoundError(`${measureCode} is not in this plan`);
        const reason = cleanText(input.reason);
        if (before.kind !== "high_level") {
          if (input.priorityId === null)
            throw invalid("priority_required", "priorityId", "choose the priority this measure serves");
          if (!reason) throw invalid("reason_required", "reason", "say why this measure was chosen");
        }
        if (input.priorityId !== null && !(await q.listPriorities(tx, plan.id)).some((p) => p.id === input.priorityId))
          throw invalid("priority_required", "priorityId", "choose one of the plan's priorities");
        await q.updatePlanMeasure(tx, plan.id, measureCode, { priorityId: input.priorityId, reason });
        return { result: undefined, before, after: { ...before, priorityId: input.priorityId, reason } };
      });
    },

    /** Removes a chosen measure; high-level measures can never be removed. */
    async deselectMeasure(actor: PlanActor, ref: PlanRef, rowVersion: number, measureCode: string): Promise<void> {
      await change(actor, ref, rowVersion, "plan.measure.remove", async (tx, plan) => {
        const before = (await q.listPlanMeasures(tx, plan.id)).find((s) => s.measureCode === measureCode);
        if (!before) throw new NotFoundError(`${measureCode} is not in this plan`);
        if (!canRemoveFromPlan({ kind: before.kind as "high_level" }))
          throw new ConflictError(`${measureCode} is a high-level measure: every plan reports on it`, {
            code: "high_level_measure",
          });
        // its targets go with it (kept here in the audit entry); narratives and actions stay, shown if it comes back
        const targets = await targetValues(tx, plan.id, measureCode);
        await q.deletePlanMeasure(tx, plan.id, measureCode);
        return { result: undefined, before: { ...before, targets } };
      });
    },

    /** Sets a selected measure's targets, one per period of the plan (a trajectory), each with an optional stretch. */
    async setTargets(
      actor: PlanActor,
      ref: PlanRef,
      rowVersion: number,
      measureCode: string,
      rows: readonly { period: string; value: number | null; stretch: number | null }[],
    ): Promise<void> {
      const plan = await loadPlan(ref, actor);
      const baseline = await this.baseline(actor, ref, measureCode);
      const allowed = new Set(baseline.planPeriods);
      const measure = (await measuresOf(plan)).get(measureCode)!;
      const clean: { period: string; value: number; stretch: number | null }[] = [];
      for (const r of rows) {
        if (!allowed.has(r.period))
          throw invalid(
            "not_plan_period",
            `target-${r.period}`,
            `${r.period} is not a period of this plan (${[...allowed].join(", ")})`,
            { period: r.period },
          );
        if (r.value === null) {
          if (r.stretch !== null)
            throw invalid(
              "stretch_without_target",
              `target-${r.period}`,
              `give a target for ${r.period} before a stretch target`,
              {
                period: r.period,
              },
            );
          continue;
        }
        for (const [field, v] of [
          ["target", r.value],
          ["stretch", r.stretch],
        ] as const) {
          if (v === null) continue;
          if (!Number.isFinite(v))
            throw invalid(
              `${field}_not_number`,
              `${field}-${r.period}`,
              `the ${field} for ${r.period} must be a number`,
              {
                period: r.period,
              },
            );
          if (measure.unit === "percentage" && (v < 0 || v > 100))
            throw invalid(
              `${field}_percentage`,
              `${field}-${r.period}`,
              `the ${field} for ${r.period} must be a percentage from 0 to 100`,
              { period: r.period },
            );
          if (v < 0 && measure.unit !== "score")
            throw invalid(
              `${field}_negative`,
              `${field}-${r.period}`,
              `the ${field} for ${r.period} cannot be negative`,
              {
                period: r.period,
              },
            );
        }
        if (r.stretch !== null) {
          const polarity = measure.polarity;
          const stretchBetter =
            polarity === "higher_is_better"
              ? r.stretch > r.value
              : polarity === "lower_is_better"
                ? r.stretch < r.value
                : true;
          if (!stretchBetter)
            throw invalid(
              "stretch_not_better",
              `stretch-${r.period}`,
              `the stretch target for ${r.period} must be better than its target`,
              { period: r.period },
            );
        }
        clean.push({ period: r.period, value: r.value, stretch: r.stretch });
      }
      await change(
        actor,
        { areaCode: plan.areaCode, period: plan.period },
        rowVersion,
        "plan.targets.set",
        async (tx) => {
          if (!(await q.listPlanMeasures(tx, plan.id)).some((s) => s.measureCode === measureCode))
            throw new NotFoundError(`${measureCode} is not in this plan`);
          const before = await targetValues(tx, plan.id, measureCode);
          await q.replaceTargets(tx, plan.id, measureCode, clean);
          return {
            result: undefined,
            before: { measureCode, targets: before },
            after: { measureCode, targets: clean },
          };
        },
      );
    },

    /**
     * Saves a new version of a narrative section. `baseVersion` is the version the editor loaded (0 for none): a save
     * over a newer version is refused as a conflict, so no edit is lost.
     */
    async saveNarrative(
      actor: PlanActor,
      ref: PlanRef,
      input: NarrativeSubject & {
        body: string;
        items?: unknown[] | null;
        baseVersion: number;
        restoredFrom?: number | null;
      },
    ): Promise<q.NarrativeVersionRow> {
      if (!(NARRATIVE_SECTIONS as readonly string[]).includes(input.section))
        throw invalid("unknown_section", "section", `unknown section ${input.section}`);
      if (input.body.length > 50_000)
        throw invalid("body_too_long", "body", "the text is too long (at most 50,000 characters)");
      checkItems(input.section, input.items ?? null);
      return change(actor, ref, null, "plan.narrative.save", async (tx, plan) => {
        const key = {
          planId: plan.id,
          subjectKind: input.subjectKind,
          subjectCode: input.subjectCode,
          section: input.section,
        };
        await checkSubject(tx, plan.id, input.subjectKind, input.subjectCode);
        const versions = await q.listNarrativeVersions(tx, key);
        const current = versions[0]?.version ?? 0;
        if (current !== input.baseVersion)
          throw new ConflictError("this text was changed by someone else since you loaded it", {
            code: "stale_narrative",
            details: {
              loaded: input.baseVersion,
              current,
              theirs: versions[0]?.body ?? "",
              theirItems: versions[0]?.items ?? null,
              author: versions[0]?.author ?? "",
              at: versions[0]?.createdAt.toISOString() ?? "",
            },
          });
        const row = await q.appendNarrativeVersion(tx, key, {
          body: input.body,
          items: input.items ?? null,
          authorId: actor.id,
          author: actor.email,
          restoredFrom: input.restoredFrom ?? null,
        });
        return {
          result: row,
          before: versions[0] ? { version: current } : undefined,
          after: { ...key, version: row.version },
        };
      });
    },

    /**
     * Restores an earlier version of a narrative section by saving its text and items again as a new version (marked
     * as restored from it); nothing is overwritten. `baseVersion` is the current version the editor saw.
     */
    async restoreNarrative(
      actor: PlanActor,
      ref: PlanRef,
      input: NarrativeSubject & { version: number; baseVersion: number },
    ): Promise<q.NarrativeVersionRow> {
      const { version, baseVersion, ...key } = input;
      const earlier = (await this.narrativeHistory(actor, ref, key)).find((v) => v.version === version);
      if (!earlier) throw new NotFoundError(`no version ${version} of ${key.section} for ${key.subjectCode}`);
      return this.saveNarrative(actor, ref, {
        ...key,
        body: earlier.body,
        items: earlier.items ?? null,
        baseVersion,
        restoredFrom: version,
      });
    },

    /**
     * Every change made to the plan, newest first: who, when, what was done, and what it was before and after (the
     * audit entries its changes wrote in their own transactions). Readers of the plan's drafts only.
     */
    async changes(actor: PlanActor, ref: PlanRef): Promise<AuditRecord[]> {
      const plan = await loadPlan(ref, actor);
      return (await auditTrail(db, "plan", planKey(plan))).reverse();
    },

    /** Every version of one narrative section, newest first. */
    async narrativeHistory(
      actor: PlanActor | null,
      ref: PlanRef,
      key: { subjectKind: string; subjectCode: string; section: string },
    ): Promise<q.NarrativeVersionRow[]> {
      const plan = await loadPlan(ref, actor);
      return q.listNarrativeVersions(db, { planId: plan.id, ...key });
    },

    async addAction(
      actor: PlanActor,
      ref: PlanRef,
      input: {
        subjectKind: "measure" | "programme_measure";
        subjectCode: string;
        title: BilingualText;
        owner: string | null;
        startDate: string | null;
        dueDate: string | null;
        status: string;
        /** The plan's row version the editor loaded (the web always sends it; a stale one is a conflict). */
        rowVersion?: number | null;
      },
    ): Promise<q.ActionRow> {
      const title = checkedAction(input);
      return change(actor, ref, input.rowVersion ?? null, "plan.action.add", async (tx, plan) => {
        await checkSubject(tx, plan.id, input.subjectKind, input.subjectCode);
        const row = await q.insertAction(tx, {
          planId: plan.id,
          subjectKind: input.subjectKind,
          subjectCode: input.subjectCode,
          title,
          owner: input.owner?.trim() || null,
          startDate: input.startDate,
          dueDate: input.dueDate,
          status: input.status,
          createdBy: actor.id,
        });
        return { result: row, after: row };
      });
    },

    /**
     * Changes an action's title, owner and dates (its status changes by progress updates). What it replaced is kept
     * in the plan's changes.
     */
    async updateAction(
      actor: PlanActor,
      ref: PlanRef,
      actionId: number,
      input: {
        title: BilingualText;
        owner: string | null;
        startDate: string | null;
        dueDate: string | null;
        rowVersion: number;
      },
    ): Promise<void> {
      await change(actor, ref, input.rowVersion, "plan.action.change", async (tx, plan) => {
        const action = await q.findAction(tx, actionId);
        if (!action || action.planId !== plan.id) throw new NotFoundError(`no action ${actionId} in this plan`);
        const title = checkedAction({ ...input, status: action.status });
        const values = {
          title,
          owner: input.owner?.trim() || null,
          startDate: input.startDate,
          dueDate: input.dueDate,
        };
        await q.updateAction(tx, actionId, values);
        const was = { title: action.title, owner: action.owner, startDate: action.startDate, dueDate: action.dueDate };
        return { result: undefined, before: was, after: values };
      });
    },

    /** A dated progress update of an action; it also sets the action's status. */
    async addActionUpdate(
      actor: PlanActor,
      ref: PlanRef,
      actionId: number,
      input: { date: string; text: BilingualText; status: string; rowVersion?: number | null },
    ): Promise<q.ActionUpdateRow> {
      const text = cleanText(input.text);
      if (!text) throw invalid("update_text_required", "text", "say what progress was made");
      if (!isValidIsoDate(input.date)) throw invalid("invalid_date", "date", "enter a real date as YYYY-MM-DD");
      if (!(ACTION_STATUSES as readonly string[]).includes(input.status))
        throw invalid("status_required", "status", `choose a status (${ACTION_STATUSES.join(", ")})`);
      return change(actor, ref, input.rowVersion ?? null, "plan.action.update", async (tx, plan) => {
        const action = await q.findAction(tx, actionId);
        if (!action || action.planId !== plan.id) throw new NotFoundError(`no action ${actionId} in this plan`);
        const row = await q.insertActionUpdate(tx, {
          actionId,
          date: input.date,
          text,
          statusAfter: input.status,
          authorId: actor.id,
          author: actor.email,
        });
        await q.setActionStatus(tx, actionId, input.status);
        return {
          result: row,
          before: { title: action.title, status: action.status },
          after: { title: action.title, status: input.status, text, update: row.id },
        };
      });
    },

    async addProgramme(
      actor: PlanActor,
      ref: PlanRef,
      rowVersion: number,
      input: { code: string; name: BilingualText; description?: BilingualText | null; priorityId?: number | null },
    ): Promise<q.ProgrammeRow> {
      const code = input.code.trim().toLowerCase();
      if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(code))
        throw invalid("code_format", "code", "the programme code must be up to 40 lower-case letters, digits or -");
      const name = cleanText(input.name);
      if (!name) throw invalid("programme_name_required", "name", "enter the programme's name");
      return change(actor, ref, rowVersion, "plan.programme.add", async (tx, plan) => {
        if ((await q.listProgrammes(tx, plan.id)).some((p) => p.code === code))
          throw new ConflictError(`the plan already has a programme ${code}`, {
            code: "programme_exists",
            details: { field: "code" },
          });
        const row = await q.insertProgramme(tx, {
          planId: plan.id,
          code,
          name,
          description: cleanText(input.description),
          priorityId: input.priorityId ?? null,
        });
        return { result: row, after: row };
      });
    },

    async addPerformanceMeasure(
      actor: PlanActor,
      ref: PlanRef,
      rowVersion: number,
      programmeCode: string,
      input: {
        code: string;
        title: BilingualText;
        quadrant: Quadrant;
        unit: string;
        polarity: string;
        decimals: number;
      },
    ): Promise<q.ProgrammeMeasureRow> {
      const code = input.code.trim().toLowerCase();
      if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(code))
        throw invalid("code_format", "code", "the measure code must be up to 40 lower-case letters, digits or -");
      const title = cleanText(input.title);
      if (!title) throw invalid("title_required", "title", "enter the measure's title");
      if (!(QUADRANTS as readonly string[]).includes(input.quadrant))
        throw invalid("quadrant_required", "quadrant", `choose a quadrant (${QUADRANTS.join(", ")})`);
      if (!(UNITS as readonly string[]).includes(input.unit))
        throw invalid("unit_required", "unit", `choose a unit (${UNITS.join(", ")})`);
      if (!(POLARITIES as readonly string[]).includes(input.polarity))
        throw invalid("polarity_required", "polarity", `choose which direction is better (${POLARITIES.join(", ")})`);
      if (!Number.isInteger(input.decimals) || input.decimals < 0 || input.decimals > 6)
        throw invalid("decimals_range", "decimals", "give the number of decimal places, 0 to 6");
      return change(actor, ref, rowVersion, "plan.performance_measure.add", async (tx, plan) => {
        const programme = (await q.listProgrammes(tx, plan.id)).find((p) => p.code === programmeCode);
        if (!programme) throw new NotFoundError(`no programme ${programmeCode} in this plan`);
        const row = await q.insertProgrammeMeasure(tx, {
          programmeId: programme.id,
          code,
          title,
          quadrant: input.quadrant,
          unit: input.unit,
          polarity: input.polarity,
          decimals: input.decimals,
        });
        return { result: row, after: row };
      });
    },

    /**
     * Records a performance measure's value for a period. A value already recorded for that period is revised (a new
     * revision, keeping who, when and why), never overwritten; a revision needs a reason.
     */
    async recordPerformanceValue(
      actor: PlanActor,
      ref: PlanRef,
      input: {
        programmeCode: string;
        measureCode: string;
        period: string;
        value: number;
        numerator?: number | null;
        denominator?: number | null;
        reason?: string | null;
        rowVersion?: number | null;
      },
    ): Promise<q.PerformanceValueRow> {
      if (!Number.isFinite(input.value)) throw invalid("value_not_number", "value", "the value must be a number");
      if (!/^\S{1,20}$/.test(input.period))
        throw invalid("period_required", "period", "enter the period, e.g. 2024-25");
      return change(actor, ref, input.rowVersion ?? null, "plan.performance_value.record", async (tx, plan) => {
        const programme = (await q.listProgrammes(tx, plan.id)).find((p) => p.code === input.programmeCode);
        if (!programme) throw new NotFoundError(`no programme ${input.programmeCode} in this plan`);
        const measure = (await q.listProgrammeMeasures(tx, [programme.id])).find((m) => m.code === input.measureCode);
        if (!measure) throw new NotFoundError(`no performance measure ${input.measureCode} in ${input.programmeCode}`);
        if (measure.quadrant === "better_off_percent" && (input.value < 0 || input.value > 100))
          throw invalid("value_percentage", "value", "a percentage must be from 0 to 100");
        const previous = (await q.listPerformanceValues(tx, [measure.id]))
          .filter((v) => v.period === input.period)
          .at(-1);
        if (previous && !input.reason?.trim())
          throw invalid(
            "revision_reason_required",
            "reason",
            `${input.period} already has a value (${previous.value}): give a reason for the revision`,
            { period: input.period, previous: previous.value },
          );
        const row = await q.appendPerformanceValue(tx, {
          programmeMeasureId: measure.id,
          period: input.period,
          value: input.value,
          numerator: input.numerator ?? null,
          denominator: input.denominator ?? null,
          reason: input.reason?.trim() || null,
          authorId: actor.id,
          author: actor.email,
        });
        const named = { code: measure.code, programme: programme.code };
        return { result: row, before: previous ? { ...named, ...previous } : undefined, after: { ...named, ...row } };
      });
    },

    /**
     * Imports a programme's performance values from the rows of a CSV (src/ingest/performance-values.ts): every row
     * is checked first (a known measure of the programme, a period, a number, a percentage within 0 to 100, one row
     * per measure and period, a reason where the period already has a value) and any problem refuses the whole file,
     * naming each row, field and problem, with nothing written. Otherwise each row is a new value or a new revision.
     */
    async importPerformanceValues(
      actor: PlanActor,
      ref: PlanRef,
      rowVersion: number,
      programmeCode: string,
      csv: { rows: readonly PerformanceCsvRow[]; problems: readonly PerformanceCsvProblem[] },
    ): Promise<{ values: number; revisions: number }> {
      return change(actor, ref, rowVersion, "plan.performance_value.import", async (tx, plan) => {
        const programme = (await q.listProgrammes(tx, plan.id)).find((p) => p.code === programmeCode);
        if (!programme) throw new NotFoundError(`no programme ${programmeCode} in this plan`);
        const measures = await q.listProgrammeMeasures(tx, [programme.id]);
        const existing = await q.listPerformanceValues(
          tx,
          measures.map((m) => m.id),
        );
        const problems: PerformanceCsvProblem[] = [...csv.problems];
        const seen = new Map<string, number>();
        for (const r of csv.rows) {
          const measure = measures.find((m) => m.code === r.measure);
          if (!measure) {
            problems.push({
              row: r.row,
              field: "measure",
              code: "unknown_performance_measure",
              params: { measure: r.measure, measures: measures.map((m) => m.code).join(", ") },
            });
            continue;
          }
          if (!/^\S{1,20}$/.test(r.period)) problems.push({ row: r.row, field: "period", code: "period_required" });
          if (r.value === null) problems.push({ row: r.row, field: "value", code: "value_not_number" });
          else if (measure.quadrant === "better_off_percent" && (r.value < 0 || r.value > 100))
            problems.push({ row: r.row, field: "value", code: "value_percentage" });
          const key = `${measure.code}\n${r.period}`;
          const first = seen.get(key);
          if (first !== undefined)
            problems.push({ row: r.row, field: "period", code: "duplicate_row", params: { first, period: r.period } });
          seen.set(key, first ?? r.row);
          const previous = existing.filter((v) => v.programmeMeasureId === measure.id && v.period === r.period).at(-1);
          if (previous && !r.reason.trim())
            problems.push({
              row: r.row,
              field: "reason",
              code: "revision_reason_required",
              params: { period: r.period, previous: previous.value },
            });
        }
        if (problems.length)
          throw new InvalidError(`${problems.length} problem(s) in the file: nothing was imported`, {
            code: "performance_rows_invalid",
            details: { field: "file", problems },
          });
        let revisions = 0;
        for (const r of csv.rows) {
          const measure = measures.find((m) => m.code === r.measure)!;
          const row = await q.appendPerformanceValue(tx, {
            programmeMeasureId: measure.id,
            period: r.period,
            value: r.value!,
            numerator: r.numerator,
            denominator: r.denominator,
            reason: r.reason.trim() || null,
            authorId: actor.id,
            author: actor.email,
          });
          if (row.revision > 1) revisions++;
        }
        const result = { values: csv.rows.length, revisions };
        return { result, after: { code: programmeCode, ...result } };
      });
    },

    /**
     * Defines a local measure for the plan's partnership (a row of `measures` in the plan's framework, owned by the
     * area, code LOCAL-{GSS}-{SHORT}) and selects it in the plan for a priority, with a reason, in one transaction.
     */
    async addLocalMeasure(
      actor: PlanActor,
      ref: PlanRef,
      rowVersion: number,
      input: {
        shortCode: string;
        title: BilingualText;
        definition: BilingualText;
        unit: string;
        polarity: string;
        valueType: string;
        periodType: string;
        decimals: number;
        multiplier: number | null;
        coreAim: string;
        priorityId: number | null;
        reason: BilingualText;
      },
    ): Promise<{ code: string }> {
      const plan = await loadPlan(ref, actor);
      checkMayEdit(actor, plan.areaCode);
      let code: string;
      try {
        code = localMeasureCode(plan.areaCode, input.shortCode);
      } catch (error) {
        throw invalid("local_code_format", "shortCode", (error as Error).message);
      }
      const title = cleanText(input.title);
      if (!title) throw invalid("title_required", "title", "enter the measure's title");
      const definition = cleanText(input.definition);
      if (!definition) throw invalid("definition_required", "definition", "say what the measure counts");
      if (!(UNITS as readonly string[]).includes(input.unit))
        throw invalid("unit_required", "unit", `choose a unit (${UNITS.join(", ")})`);
      if (!(POLARITIES as readonly string[]).includes(input.polarity))
        throw invalid("polarity_required", "polarity", `choose which direction is better (${POLARITIES.join(", ")})`);
      if (!(VALUE_TYPES as readonly string[]).includes(input.valueType))
        throw invalid("value_type_required", "valueType", `choose a value type (${VALUE_TYPES.join(", ")})`);
      if (!(LOCAL_PERIOD_TYPES as readonly string[]).includes(input.periodType))
        throw invalid("period_type_required", "periodType", `choose a period (${LOCAL_PERIOD_TYPES.join(", ")})`);
      if (!Number.isInteger(input.decimals) || input.decimals < 0 || input.decimals > 6)
        throw invalid("decimals_range", "decimals", "give the number of decimal places, 0 to 6");
      if (input.unit === "rate" && !(input.multiplier && input.multiplier > 0))
        throw invalid("multiplier_required", "multiplier", "a rate needs its multiplier, e.g. 1000 for per 1,000");
      const [aim] = await validAims([input.coreAim]);
      const reason = cleanText(input.reason);
      if (input.priorityId === null) throw invalid("priority_required", "priorityId", "choose the priority it serves");
      if (!reason) throw invalid("reason_required", "reason", "say why this measure was chosen");
      const view = await currentFramework();
      const result = await change(actor, ref, rowVersion, "plan.local_measure.add", async (tx, p) => {
        if (p.frameworkId !== view.framework.id)
          throw new ConflictError("the plan was made under an earlier framework version", { code: "old_framework" });
        if (await q.measureCodeExists(tx, p.frameworkId, code))
          throw new ConflictError(`the partnership already has a measure ${code}`, {
            code: "local_exists",
            details: { field: "shortCode", code },
          });
        if (!(await q.listPriorities(tx, p.id)).some((x) => x.id === input.priorityId))
          throw invalid("priority_required", "priorityId", "choose one of the plan's priorities");
        const row = {
          frameworkId: p.frameworkId,
          code,
          title,
          layDefinition: definition,
          technicalDefinition: definition,
          unit: input.unit,
          multiplier: input.unit === "rate" ? input.multiplier! : 1,
          decimals: input.decimals,
          valueType: input.valueType,
          polarity: input.polarity,
          accountability: "population_indicator",
          tier: "additional",
          frequency: "annual",
          periodType: input.periodType,
          geographies: ["local_authority"],
          breakdowns: ["total"],
          status: "live",
          localAreaCode: p.areaCode,
        };
        await q.insertLocalMeasure(tx, row, aim!);
        const selected = await q.listPlanMeasures(tx, p.id);
        await q.insertPlanMeasures(tx, [
          {
            planId: p.id,
            measureCode: code,
            kind: "local",
            priorityId: input.priorityId,
            reason,
            sortOrder: selected.length,
          },
        ]);
        return { result: { code }, after: { ...row, coreAim: aim, priorityId: input.priorityId, reason } };
      });
      framework.invalidate();
      return result;
    },

    /**
     * Removes the illustrative (demo) plans and the local measures only they used, for `omf demo --remove`. Real
     * plans are untouched; the removal is audited.
     */
    async removeIllustrative(actor: PlanActor): Promise<{ plans: number; localMeasures: number }> {
      if (actor.role !== "national_admin") throw new ForbiddenError("only an administrator removes the demo plans");
      const removed = await db.transaction(async (tx) => {
        const r = await q.deleteIllustrativePlans(tx as typeof db);
        if (r.plans.length)
          await writeAudit(tx, {
            userId: actor.id,
            actor: actorName(actor),
            action: "plan.demo.remove",
            entity: "plan",
            entityKey: "illustrative",
            before: r,
          });
        return r;
      });
      if (removed.localMeasures.length) framework.invalidate();
      return { plans: removed.plans.length, localMeasures: removed.localMeasures.length };
    },

    /**
     * What moving the plan to the current framework version would mean for it (nothing is changed): the migration
     * report, one item per selected measure retired or redefined and per new high-level measure; null when the plan
     * is already on the current version.
     */
    async frameworkMove(actor: PlanActor | null, ref: PlanRef): Promise<PlanFrameworkMove> {
      const plan = await loadPlan(ref, actor);
      const [from, to] = [await frameworkOf(plan), await currentFramework()];
      const selected = (await q.listPlanMeasures(db, plan.id)).map((s) => s.measureCode);
      const report =
        from.framework.id === to.framework.id
          ? null
          : migrationReport(diffFrameworks(frameworkSnapshot(from), frameworkSnapshot(to)), selected);
      return { plan: plan as PlanSummary, from: from.framework.version, to: to.framework.version, report };
    },

    /**
     * Moves a draft or returned plan to the current framework version, as its migration report says: a retired
     * measure gives way to its replacement (same priority and reason) or leaves the plan (its targets kept in the
     * audit entry), new high-level measures join, the partnership's local measures come along. `toVersion` is the
     * version the editor saw the report for: if the framework moved on since, nothing is changed.
     */
    async moveToFramework(
      actor: PlanActor,
      ref: PlanRef,
      rowVersion: number,
      toVersion: string,
    ): Promise<MigrationReport> {
      const target = await currentFramework();
      return change(actor, ref, rowVersion, "plan.framework.move", async (tx, plan) => {
        if (target.framework.version !== toVersion)
          throw new ConflictError(`framework version ${target.framework.version} is current, not ${toVersion}`, {
            code: "framework_changed",
          });
        const from = await frameworkOf(plan);
        if (from.framework.id === target.framework.id)
          throw new ConflictError(`the plan is already on framework version ${toVersion}`, {
            code: "same_framework",
          });
        const selected = await q.listPlanMeasures(tx, plan.id);
        const report = migrationReport(
          diffFrameworks(frameworkSnapshot(from), frameworkSnapshot(target)),
          selected.map((x) => x.measureCode),
        );
        const removed: unknown[] = [];
        const added: (typeof selected)[number][] = [];
        for (const item of report.items) {
          const old = selected.find((x) => x.measureCode === item.code);
          if (item.advice === "replace" || item.advice === "remove") {
            removed.push({ ...old, targets: await targetValues(tx, plan.id, item.code) });
            await q.deletePlanMeasure(tx, plan.id, item.code);
          }
          const code = item.advice === "add" ? item.code : item.advice === "replace" ? item.replacement! : null;
          if (code === null || selected.some((x) => x.measureCode === code)) continue;
          const m = target.measuresByCode.get(code)!;
          added.push({
            planId: plan.id,
            measureCode: code,
            kind: m.tier === "high_level" ? "high_level" : "additional",
            priorityId: old?.priorityId ?? null,
            reason: old?.reason ?? null,
            sortOrder: old?.sortOrder ?? selected.length + added.length,
          });
        }
        await q.insertPlanMeasures(tx, added);
        const local = selected.filter((x) => x.kind === "local").map((x) => x.measureCode);
        const carried = await carryLocalMeasures(tx, plan.frameworkId, target.framework.id, local);
        await q.setPlanFramework(tx, plan.id, target.framework.id);
        return {
          result: report,
          before: { frameworkVersion: from.framework.version, removed },
          after: {
            frameworkVersion: target.framework.version,
            added: added.map((a) => a.measureCode),
            localMeasuresCarried: carried,
            report: report.items.map((i) => ({ code: i.code, advice: i.advice, replacement: i.replacement })),
          },
        };
      });
    },

    /**
     * Demo only: sets a plan's status directly, for `omf demo`'s illustrative plans (every other plan goes through
     * the review workflow, services/plans/review.ts); only a national administrator acting through the demo channel
     * may use it.
     */
    async setStatusForDemo(actor: PlanActor, ref: PlanRef, status: PlanStatus): Promise<void> {
      if (actor.channel !== "demo" || actor.role !== "national_admin")
        throw new ForbiddenError("only the demo sets a plan's status directly");
      const plan = await loadPlan(ref, actor);
      await db.transaction(async (tx) => {
        await q.setPlanStatus(tx as typeof db, plan.id, status, status === "published" ? new Date() : null);
        await writeAudit(tx, {
          userId: actor.id,
          actor: actorName(actor),
          action: "plan.status.demo",
          entity: "plan",
          entityKey: planKey(plan),
          before: { status: plan.status },
          after: { status },
        });
      });
    },

    /** What stops the plan from being submitted (issue: plan approval); empty when it can be submitted. */
    async submissionProblems(actor: PlanActor | null, ref: PlanRef) {
      const detail = await this.get(actor, ref);
      const baselines = await this.baselines(
        actor,
        ref,
        detail.measures.map((m) => m.measureCode),
      );
      const withBaseline = new Set([...baselines].filter(([, b]) => b.baseline).map(([code]) => code));
      const withStory = new Set(
        detail.narratives
          .filter((n) => n.subjectKind === "measure" && n.section === "story" && n.body.trim() !== "")
          .map((n) => n.subjectCode),
      );
      const view = await frameworkOf(detail.plan);
      const highLevel = view.measures.filter((m) => m.tier === "high_level" && m.status === "live").map((m) => m.code);
      return submissionProblems(
        {
          priorities: detail.priorities,
          selected: detail.measures.map((m) => ({
            measureCode: m.measureCode,
            kind: m.kind as "additional",
            priorityId: m.priorityId,
            reason: m.reason,
          })),
          withBaseline,
          withStory,
        },
        highLevel,
      );
    },
  };

  async function validAims(codes: readonly string[]): Promise<string[]> {
    const view = await currentFramework();
    const known = new Set(view.aims.map((a) => a.code));
    const aims = [...new Set(codes.map((c) => c.trim().toUpperCase()).filter(Boolean))];
    if (aims.length === 0) throw invalid("core_aims_required", "coreAims", "choose at least one core aim");
    const unknown = aims.filter((a) => !known.has(a));
    if (unknown.length) throw invalid("core_aims_required", "coreAims", `unknown core aim ${unknown.join(", ")}`);
    return aims;
  }
}

/** Structured items of the story (causes), partners and what works: checked shapes, bounded sizes. */
function checkItems(section: NarrativeSection, items: unknown[] | null): void {
  if (items === null) return;
  if (!Array.isArray(items) || items.length > 100) throw invalid("too_many_items", "items", "at most 100 items");
  for (const [i, item] of items.entries()) {
    const o = item as Record<string, unknown>;
    const str = (k: string, required: boolean) => {
      const v = o?.[k];
      if (v === undefined || v === null || v === "") {
        if (required) throw invalid("item_missing", `items-${i}-${k}`, `item ${i + 1}: ${k} is missing`, { n: i + 1 });
        return;
      }
      if (typeof v !== "string" || v.length > 2000)
        throw invalid(
          "item_too_long",
          `items-${i}-${k}`,
          `item ${i + 1}: ${k} must be text of at most 2,000 characters`,
          {
            n: i + 1,
          },
        );
    };
    if (section === "story") {
      str("text", true);
      if (o.kind !== "contributing" && o.kind !== "restricting")
        throw invalid(
          "item_kind",
          `items-${i}-kind`,
          `item ${i + 1}: say whether the cause is contributing or restricting`,
          {
            n: i + 1,
          },
        );
    } else if (section === "partners") {
      str("name", true);
      str("organisationType", false);
      str("role", false);
    } else if (section === "what_works") {
      str("text", true);
      str("source", false);
      if (!(IDEA_KINDS as readonly unknown[]).includes(o.kind))
        throw invalid("item_kind", `items-${i}-kind`, `item ${i + 1}: choose evidence, no-cost or low-cost`, {
          n: i + 1,
        });
    }
  }
}

export type PlansService = ReturnType<typeof createPlansService>;
