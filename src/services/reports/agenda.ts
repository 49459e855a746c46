/**
 * The data development agenda (issue 15): where each measure in development has got to (proposed → data source
 * identified → piloted → live, or dropped), with its owner, notes and the date each stage was reached; coverage gaps
 * found from the framework; and tasks for further action (owner, due date, status).
 *
 * A stage move goes through the shared workflow (src/services/workflow.ts, with the agenda's own lifecycle from
 * src/domain/agenda.ts): in one transaction the row is locked, the move checked (409) and the user's role (403),
 * the stage and its date written and the audit entry made. Editing the owner or notes and creating, editing or
 * completing a task each write their audit entry (src/services/audit.ts) in the same transaction as the change.
 * National administrators and analysts manage the agenda; everyone may read it.
 */
import type { Db } from "../../db/database.ts";
import {
  type AgendaMeasureRow,
  type AgendaTaskRow,
  insertAgendaTask,
  listAgendaMeasures,
  listAgendaTasks,
  lockAgendaMeasure,
  lockAgendaTask,
  saveAgendaMeasure,
  updateAgendaTask,
} from "../../db/queries/agenda.ts";
import { withTransaction } from "../../db/queries/transaction.ts";
import {
  type AgendaAction,
  type AgendaStage,
  agendaActionsFrom,
  isAgendaStage,
  nextAgendaStage,
  type TaskInput,
  taskProblems,
} from "../../domain/agenda.ts";
import type { BilingualText } from "../../domain/enums.ts";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from "../../domain/errors.ts";
import { type Principal, permissions } from "../../domain/permissions.ts";
import { createAuditLog } from "../audit.ts";
import type { FrameworkService, MeasureView } from "../framework-service.ts";
import type { PlanActor } from "../plans/index.ts";
import { createWorkflow } from "../workflow.ts";
import { type CoverageGap, dataDevelopmentAgenda } from "./rights.ts";

export const AGENDA_ENTITY = "agenda_measure";
export const TASK_ENTITY = "agenda_task";

export interface AgendaEntry {
  measure: MeasureView;
  stage: AgendaStage;
  /** The owner recorded on the agenda, else the framework content's. */
  owner: string | null;
  notes: BilingualText | null;
  /** The date each stage was reached (YYYY-MM-DD), by stage. */
  stageDates: Partial<Record<AgendaStage, string>>;
  /** The moves possible from its stage. */
  actions: AgendaAction[];
  /**
   * Where a measure that went live stands in the framework: "next_version" (to be added as a live measure in the next
   * framework version) or "in_framework" (the current framework version has it live); null before it goes live.
   */
  framework: "next_version" | "in_framework" | null;
  rowVersion: number;
}

export interface AgendaTask extends AgendaTaskRow {
  overdue: boolean;
}

export interface AgendaView {
  frameworkVersion: string;
  entries: AgendaEntry[];
  gaps: CoverageGap[];
  tasks: AgendaTask[];
}

/** A refusal of one form field (the web shows `agenda.errors.{code}` beside it). */
function invalid(field: string, code: string): InvalidError {
  return new InvalidError(`${field}: ${code.replaceAll("_", " ")}`, { code, details: { field } });
}

const mayManage = (user: Pick<Principal, "role"> | null) => permissions.canReviewPlans(user);
const actorName = (a: PlanActor) => `${a.channel}:${a.email}`;

export function createAgendaService(deps: { db: Db; framework: FrameworkService; today?: () => string }) {
  const { db, framework } = deps;
  const today = deps.today ?? (() => new Date().toISOString().slice(0, 10));

  /** The measure a code names in the current framework (404 when none; 409 when it is not on the agenda). */
  async function agendaMeasure(code: string, row: AgendaMeasureRow | undefined): Promise<MeasureView> {
    const view = await framework.current();
    const m = view?.measuresByCode.get(code);
    if (!m) throw new NotFoundError(`there is no measure ${code}`);
    if (m.status !== "in_development" && !row)
      throw new ConflictError(`${code} is not a measure in development`, { code: "not_in_development" });
    return m;
  }

  function guard(actor: PlanActor | null): asserts actor is PlanActor {
    if (!mayManage(actor)) throw new ForbiddenError("only national administrators and analysts manage the agenda");
  }

  const workflow = createWorkflow<AgendaMeasureRow, AgendaStage, AgendaAction>(db, {
    entity: AGENDA_ENTITY,
    lifecycle: { next: nextAgendaStage },
    store: {
      async load(tx, key) {
        const row = await lockAgendaMeasure(tx, key);
        const m = await agendaMeasure(key, row);
        const subject: AgendaMeasureRow = row ?? {
          measureCode: key,
          stage: "proposed",
          owner: m.owner ?? null,
          notes: null,
          stageDates: {},
          rowVersion: 0,
          updatedAt: new Date(),
        };
        return { state: isAgendaStage(subject.stage) ? subject.stage : "proposed", subject };
      },
      async save(tx, key, stage) {
        const row = (await lockAgendaMeasure(tx, key)) ?? null;
        const m = await agendaMeasure(key, row ?? undefined);
        await saveAgendaMeasure(tx, {
          measureCode: key,
          stage,
          owner: row?.owner ?? m.owner ?? null,
          notes: row?.notes ?? null,
          stageDates: { ...(row?.stageDates ?? {}), [stage]: today() },
        });
      },
    },
    may: (_action, user) => mayManage(user),
  });

  return {
    /** The agenda as everyone sees it: measures in development with their stage, coverage gaps, tasks. */
    async view(): Promise<AgendaView | null> {
      const base = await dataDevelopmentAgenda({ framework });
      const current = await framework.current();
      if (!base || !current) return null;
      const rows = new Map((await listAgendaMeasures(db)).map((r) => [r.measureCode, r]));
      const shown = current.measures.filter(
        (m) => !m.localAreaCode && (m.status === "in_development" || rows.has(m.code)),
      );
      const entries = shown.map((m): AgendaEntry => {
        const row = rows.get(m.code);
        const stage: AgendaStage = row && isAgendaStage(row.stage) ? row.stage : "proposed";
        return {
          measure: m,
          stage,
          owner: row?.owner ?? m.owner ?? null,
          notes: row?.notes ?? null,
          stageDates: (row?.stageDates ?? {}) as AgendaEntry["stageDates"],
          actions: agendaActionsFrom(stage),
          framework: stage === "live" ? (m.status === "live" ? "in_framework" : "next_version") : null,
          rowVersion: row?.rowVersion ?? 0,
        };
      });
      const day = today();
      const tasks = (await listAgendaTasks(db)).map((t) => ({
        ...t,
        overdue: t.status !== "done" && t.dueDate !== null && t.dueDate < day,
      }));
      return { frameworkVersion: base.frameworkVersion, entries, gaps: base.gaps, tasks };
    },

    /** Moves a measure to its next stage (or drops or reopens it), through the shared workflow. */
    async move(actor: PlanActor | null, code: string, action: AgendaAction, reason?: string) {
      return workflow.transition({
        key: code,
        action,
        user: actor ? { ...actor, areaCodes: [...actor.areaCodes] } : null,
        actor: actor ? actorName(actor) : "public",
        reason: reason?.trim() || undefined,
      });
    },

    /** Records a measure's owner and notes on the agenda (audited; refused when someone saved it since `rowVersion`). */
    async edit(
      actor: PlanActor | null,
      code: string,
      input: { owner: string; notes: BilingualText | null; rowVersion?: number | undefined },
    ): Promise<void> {
      guard(actor);
      const owner = input.owner.trim();
      if (owner.length > 200) throw invalid("owner", "too_long");
      const notes = input.notes && (input.notes.en.trim() || input.notes.cy?.trim()) ? input.notes : null;
      if (notes && (notes.en.length > 4000 || (notes.cy ?? "").length > 4000)) throw invalid("notes", "too_long");
      await withTransaction(db, async (tx) => {
        const row = await lockAgendaMeasure(tx, code);
        const m = await agendaMeasure(code, row);
        if (input.rowVersion !== undefined && input.rowVersion !== (row?.rowVersion ?? 0))
          throw new ConflictError(`the agenda entry of ${code} was changed by someone else`, { code: "stale" });
        const before = { owner: row?.owner ?? m.owner ?? null, notes: row?.notes ?? null };
        const after = { owner: owner || null, notes };
        await saveAgendaMeasure(tx, {
          measureCode: code,
          stage: row?.stage ?? "proposed",
          stageDates: row?.stageDates ?? {},
          ...after,
        });
        await createAuditLog(tx).record({
          userId: actor.id,
          actor: actorName(actor),
          action: "update",
          entity: AGENDA_ENTITY,
          entityKey: code,
          before,
          after,
        });
      });
    },

    /**
     * Creates a task for further action (`id` null) or edits one; a task whose status becomes done is completed (its
     * completion time recorded). Each is audited ("create", "update", "complete").
     */
    async saveTask(
      actor: PlanActor | null,
      id: number | null,
      input: TaskInput & { rowVersion?: number | undefined },
    ): Promise<AgendaTaskRow> {
      guard(actor);
      const problems = taskProblems(input);
      const first = Object.entries(problems)[0];
      if (first) throw invalid(first[0], first[1]!);
      const measureCode = input.measureCode?.trim() || null;
      if (measureCode && !(await framework.current())?.measuresByCode.has(measureCode))
        throw invalid("measureCode", "unknown");
      const title: BilingualText = input.title.cy?.trim()
        ? { en: input.title.en.trim(), cy: input.title.cy.trim() }
        : { en: input.title.en.trim() };
      return withTransaction(db, async (tx) => {
        const audit = createAuditLog(tx);
        const common = { userId: actor.id, actor: actorName(actor), entity: TASK_ENTITY };
        const values = {
          title,
          owner: input.owner.trim(),
          dueDate: input.dueDate,
          status: input.status,
          measureCode,
          completedAt: input.status === "done" ? new Date() : null,
        };
        if (id === null) {
          const row = await insertAgendaTask(tx, values);
          await audit.record({ ...common, action: "create", entityKey: String(row.id), after: values });
          return row;
        }
        const old = await lockAgendaTask(tx, id);
        if (!old) throw new NotFoundError(`there is no task ${id}`);
        if (input.rowVersion !== undefined && input.rowVersion !== old.rowVersion)
          throw new ConflictError(`task ${id} was changed by someone else`, { code: "stale" });
        if (old.status === "done" && input.status === "done") values.completedAt = old.completedAt;
        const row = await updateAgendaTask(tx, id, values);
        const { rowVersion: _r, createdAt: _c, updatedAt: _u, id: _i, ...before } = old;
        await audit.record({
          ...common,
          action: old.status !== "done" && input.status === "done" ? "complete" : "update",
          entityKey: String(id),
          before,
          after: values,
        });
        return row;
      });
    },
  };
}

export type AgendaService = ReturnType<typeof createAgendaService>;
