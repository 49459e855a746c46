/**
 * Versions of a partnership plan: every version of one plan (one row of `plans` per version), and copying what a
 * version holds into the next one. Holds no rules: the plans service decides when a new version may start and writes
 * the audit entry in the same transaction.
 */
import { and, asc, eq, sql } from "drizzle-orm";
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

  // copied in SQL, not through JavaScript: a JavaScript Date holds milliseconds, and PostgreSQL's times microseconds, so
  // a copy made through one would no longer carry the exact time of the save it records (and of its audit entry)
  const narratives = await db.$count(narrativeVersions, eq(narrativeVersions.planId, fromId));
  if (narratives)
    await db.execute(sql`INSERT INTO narrative_versions (plan_id, subject_kind, subject_code, section, version, body,
        items, author_id, author, restored_from, created_at)
      SELECT ${toId}, subject_kind, subject_code, section, version, body, items, author_id, author, restored_from,
        created_at
      FROM narrative_versions WHERE plan_id = ${fromId} ORDER BY id`);

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
  let updates = 0;
  for (const [from, to] of actionIds) {
    const count = await db.$count(actionUpdates, eq(actionUpdates.actionId, from));
    if (!count) continue;
    // in SQL, keeping each update's time to the microsecond (as the narratives above)
    await db.execute(sql`INSERT INTO action_updates (action_id, date, text, status_after, author_id, author, created_at)
      SELECT ${to}, date, text, status_after, author_id, author, created_at
      FROM action_updates WHERE action_id = ${from} ORDER BY id`);
    updates += count;
  }

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
    narrativeVersions: narratives,
    actions: actions.length,
    actionUpdates: updates,
    programmes: progs.length,
    performanceMeasures: performanceMeasureCount,
    performanceValues: valueCount,
  };
}
