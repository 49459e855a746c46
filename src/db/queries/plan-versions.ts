/**
 * Versions of a partnership plan: every version of one plan (one row of `plans` per version), and copying what a
 * version holds into the next one. Holds no rules: the plans service decides when a new version may start and writes
 * the audit entry in the same transaction.
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../database.ts";
import {
  actionUpdates,
  narrativeVersions,
  performanceValues,
  planActions,
  planMeasures,
  planPriorities,
  plans,
  planTargets,
  programmeMeasures,
  programmes,
} from "../schema.ts";
import type { PlanRow } from "./plans.ts";

/** Every version of one plan, oldest first. */
export async function listPlanVersions(db: Db, areaCode: string, period: string): Promise<PlanRow[]> {
  return db
    .select()
    .from(plans)
    .where(and(eq(plans.areaCode, areaCode), eq(plans.period, period)))
    .orderBy(asc(plans.version));
}

/** What was copied into the new version, for its audit entry. */
export interface PlanCopyCounts {
  priorities: number;
  measures: number;
  targets: number;
  narrativeVersions: number;
  actions: number;
  actionUpdates: number;
  programmes: number;
  performanceMeasures: number;
  performanceValues: number;
}

/**
 * Copies everything plan `fromId` holds into plan `toId` (a new, empty version): priorities, selected measures with
 * the priority each serves and its reason, targets, every version of every narrative (so its history and the
 * narrative merge carry on), actions with their progress updates, programmes with their performance measures and
 * every revision of their values. Authors and times are kept; new ids are mapped through, and a copied priority or
 * action keeps the id of the first row it descends from (`lineageId`), so versions can be compared thing by thing. Review comments stay with
 * the version they were made on.
 */
export async function copyPlanContents(db: Db, fromId: number, toId: number): Promise<PlanCopyCounts> {
  const priorityIds = new Map<number, number>();
  const priorities = await db
    .select()
    .from(planPriorities)
    .where(eq(planPriorities.planId, fromId))
    .orderBy(asc(planPriorities.id));
  for (const { id, ...p } of priorities) {
    const [row] = await db
      .insert(planPriorities)
      .values({ ...p, planId: toId, lineageId: p.lineageId ?? id })
      .returning({ id: planPriorities.id });
    priorityIds.set(id, row!.id);
  }
  const mapPriority = (id: number | null) => (id === null ? null : (priorityIds.get(id) ?? null));

  const measures = await db.select().from(planMeasures).where(eq(planMeasures.planId, fromId));
  if (measures.length)
    await db
      .insert(planMeasures)
      .values(measures.map((m) => ({ ...m, planId: toId, priorityId: mapPriority(m.priorityId) })));

  const targets = await db.select().from(planTargets).where(eq(planTargets.planId, fromId));
  if (targets.length) await db.insert(planTargets).values(targets.map((t) => ({ ...t, planId: toId })));

  const narratives = await db.select().from(narrativeVersions).where(eq(narrativeVersions.planId, fromId));
  if (narratives.length)
    await db.insert(narrativeVersions).values(narratives.map(({ id: _id, ...n }) => ({ ...n, planId: toId })));

  const actions = await db
    .select()
    .from(planActions)
    .where(eq(planActions.planId, fromId))
    .orderBy(asc(planActions.id));
  const actionIds = new Map<number, number>();
  for (const { id, ...a } of actions) {
    const [row] = await db
      .insert(planActions)
      .values({ ...a, planId: toId, lineageId: a.lineageId ?? id })
      .returning({ id: planActions.id });
    actionIds.set(id, row!.id);
  }
  const updates = actions.length
    ? await db
        .select()
        .from(actionUpdates)
        .where(inArray(actionUpdates.actionId, [...actionIds.keys()]))
        .orderBy(asc(actionUpdates.id))
    : [];
  if (updates.length)
    await db
      .insert(actionUpdates)
      .values(updates.map(({ id: _id, ...u }) => ({ ...u, actionId: actionIds.get(u.actionId)! })));

  const progs = await db.select().from(programmes).where(eq(programmes.planId, fromId)).orderBy(asc(programmes.id));
  let performanceMeasureCount = 0;
  let valueCount = 0;
  for (const { id, ...p } of progs) {
    const [row] = await db
      .insert(programmes)
      .values({ ...p, planId: toId, priorityId: mapPriority(p.priorityId) })
      .returning({ id: programmes.id });
    const pms = await db
      .select()
      .from(programmeMeasures)
      .where(eq(programmeMeasures.programmeId, id))
      .orderBy(asc(programmeMeasures.id));
    for (const { id: pmId, ...pm } of pms) {
      const [newPm] = await db
        .insert(programmeMeasures)
        .values({ ...pm, programmeId: row!.id })
        .returning({ id: programmeMeasures.id });
      const values = await db
        .select()
        .from(performanceValues)
        .where(eq(performanceValues.programmeMeasureId, pmId))
        .orderBy(asc(performanceValues.id));
      if (values.length)
        await db
          .insert(performanceValues)
          .values(values.map(({ id: _id, ...v }) => ({ ...v, programmeMeasureId: newPm!.id })));
      performanceMeasureCount++;
      valueCount += values.length;
    }
  }
  return {
    priorities: priorities.length,
    measures: measures.length,
    targets: targets.length,
    narrativeVersions: narratives.length,
    actions: actions.length,
    actionUpdates: updates.length,
    programmes: progs.length,
    performanceMeasures: performanceMeasureCount,
    performanceValues: valueCount,
  };
}
