/**
 * Versions of a partnership plan (issue 14). An approved or published version is immutable: to change the plan, an
 * editor of the partnership starts a new version, with a reason, which copies everything the plan holds (priorities,
 * selected measures, targets, narratives with their history, actions with their progress updates, programmes with
 * their performance measures and values) into version N+1 as a draft; that draft goes through the review like any
 * plan, and publishing it supersedes version N (src/services/plans/review.ts). Only one unfinished version at a time:
 * a new version starts only from the newest version, and only when that one is approved or published. The copy and
 * its audit entry (who, when, the reason, what was copied) are one transaction.
 */
import type { Database } from "../../db/database.ts";
import { writeAudit } from "../../db/queries/audit.ts";
import { lockPlanVersion } from "../../db/queries/plan-review.ts";
import { copyPlanContents, listPlanVersions } from "../../db/queries/plan-versions.ts";
import { insertPlanRow } from "../../db/queries/plans.ts";
import { withTransaction } from "../../db/queries/transaction.ts";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from "../../domain/errors.ts";
import { permissions } from "../../domain/permissions.ts";
import { type CompareWords, comparePlans, type PlanComparison, type PlanSnapshot } from "../../domain/plans/compare.ts";
import {
  mayRead,
  type PlanActor,
  type PlanDetail,
  type PlanRef,
  type PlanSummary,
  type PlansService,
  planKey,
} from "./index.ts";

/** The states a plan may start a new version from. */
export const NEW_VERSION_FROM = ["approved", "published"] as const;

const actorName = (actor: PlanActor) => `${actor.channel}:${actor.email}`;

/** Each period's value as last revised. */
function latestValues(values: readonly { period: string; value: number; revision: number }[]) {
  const latest = new Map<string, { period: string; value: number; revision: number }>();
  for (const v of values) {
    const seen = latest.get(v.period);
    if (!seen || v.revision > seen.revision) latest.set(v.period, v);
  }
  return [...latest.values()].map((v) => ({ period: v.period, value: v.value }));
}

/** What a version holds, in the shape the pure comparison reads. */
export function snapshotOf(d: PlanDetail): PlanSnapshot {
  const priorityKey = new Map(d.priorities.map((p) => [p.id, String(p.lineageId ?? p.id)] as const));
  return {
    priorities: d.priorities.map((p) => ({
      key: priorityKey.get(p.id)!,
      text: p.text,
      rationale: p.rationale,
      coreAims: p.coreAims,
    })),
    measures: d.measures.map((m) => ({
      code: m.measureCode,
      kind: m.kind,
      priorityKey: m.priorityId === null ? null : (priorityKey.get(m.priorityId) ?? null),
      reason: m.reason,
      targets: m.targets.map((t) => ({ period: t.period, value: t.value, stretch: t.stretch })),
    })),
    narratives: d.narratives.map((n) => ({
      subjectKind: n.subjectKind,
      subjectCode: n.subjectCode,
      section: n.section,
      body: n.body,
      items: n.items ?? null,
    })),
    actions: d.actions.map((a) => ({
      key: String(a.lineageId ?? a.id),
      subjectKind: a.subjectKind,
      subjectCode: a.subjectCode,
      title: a.title,
      owner: a.owner,
      startDate: a.startDate,
      dueDate: a.dueDate,
      status: a.status,
      updates: a.updates.map((u) => ({ date: u.date, text: u.text, status: u.statusAfter })),
    })),
    programmes: d.programmes.map((p) => ({
      code: p.code,
      name: p.name,
      description: p.description,
      priorityKey: p.priorityId === null ? null : (priorityKey.get(p.priorityId) ?? null),
      measures: p.measures.map((m) => ({
        code: m.code,
        title: m.title,
        quadrant: m.quadrant,
        unit: m.unit,
        polarity: m.polarity,
        values: latestValues(m.values),
      })),
    })),
  };
}

export function createPlanVersions(deps: { database: Database; plans: PlansService }) {
  const db = deps.database.db;

  return {
    /** Every version of the plan that `actor` may read, oldest first (the public: published and superseded ones). */
    async list(actor: PlanActor | null, ref: PlanRef): Promise<PlanSummary[]> {
      const rows = await listPlanVersions(db, ref.areaCode.toUpperCase(), ref.period);
      const readable = rows.filter((r) => mayRead(actor, r)) as PlanSummary[];
      if (readable.length === 0) throw new NotFoundError(`no plan for ${ref.areaCode} ${ref.period}`);
      return readable;
    },

    /**
     * Starts version N+1 of the plan as a draft copy of version N (the newest), which must be approved or published.
     * `rowVersion` is version N's row version as the page was loaded (a step taken since is refused as stale).
     */
    async startNew(
      actor: PlanActor,
      ref: PlanRef,
      input: { reason: string; rowVersion: number },
    ): Promise<PlanSummary> {
      const areaCode = ref.areaCode.toUpperCase();
      if (!permissions.canEditArea({ role: actor.role, areaCodes: actor.areaCodes }, areaCode))
        throw new ForbiddenError(`${actor.email} may not start a new version of plans of ${areaCode}`);
      const reason = input.reason.trim();
      if (!reason)
        throw new InvalidError("say why the plan needs a new version", {
          code: "version_reason_required",
          details: { field: "reason" },
        });
      if (reason.length > 5000)
        throw new InvalidError("the reason is too long (at most 5,000 characters)", {
          code: "version_reason_too_long",
          details: { field: "reason" },
        });
      return withTransaction(db, async (tx) => {
        const versions = await listPlanVersions(tx, areaCode, ref.period);
        const newest = versions.at(-1);
        if (!newest) throw new NotFoundError(`no plan for ${areaCode} ${ref.period}`);
        const current = await lockPlanVersion(tx, areaCode, ref.period, newest.version);
        if (!current) throw new NotFoundError(`no plan for ${areaCode} ${ref.period}`);
        if (!(NEW_VERSION_FROM as readonly string[]).includes(current.status))
          throw new ConflictError(
            `version ${current.version} of the plan is ${current.status}: a new version starts only from an approved or published plan, one at a time`,
            { code: "version_in_progress", details: { status: current.status, version: current.version } },
          );
        if (current.rowVersion !== input.rowVersion)
          throw new ConflictError("the plan was changed by someone else since you loaded it", {
            code: "stale_plan",
            details: { loaded: input.rowVersion, current: current.rowVersion },
          });
        const next = await insertPlanRow(tx, {
          areaCode,
          period: current.period,
          startYear: current.startYear,
          endYear: current.endYear,
          frameworkId: current.frameworkId,
          version: current.version + 1,
          status: "draft",
          title: current.title,
          illustrative: current.illustrative,
          createdBy: actor.id,
        });
        const copied = await copyPlanContents(tx, current.id, next.id);
        await writeAudit(tx, {
          userId: actor.id,
          actor: actorName(actor),
          action: "plan.version.start",
          entity: "plan",
          entityKey: planKey(next),
          before: { version: current.version, status: current.status },
          after: { version: next.version, status: "draft", reason, copied },
          reason,
        });
        return next as PlanSummary;
      });
    },

    /** Two versions of a plan (each one `actor` may read) and their differences section by section, as `words` reads them. */
    async compare(
      actor: PlanActor | null,
      ref: PlanRef,
      from: number,
      to: number,
      words: CompareWords,
    ): Promise<{ from: PlanDetail; to: PlanDetail; comparison: PlanComparison }> {
      const a = await deps.plans.get(actor, { areaCode: ref.areaCode, period: ref.period, version: from });
      const b = await deps.plans.get(actor, { areaCode: ref.areaCode, period: ref.period, version: to });
      return { from: a, to: b, comparison: comparePlans(snapshotOf(a), snapshotOf(b), words) };
    },
  };
}

export type PlanVersions = ReturnType<typeof createPlanVersions>;
