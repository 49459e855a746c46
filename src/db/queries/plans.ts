/**
 * Queries for partnership plans. Functions take a `Db` (a transaction is one too) and hold no rules: the plans
 * service checks permissions, states and versions, and writes the audit log.
 */
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { BilingualText } from "../../domain/enums.ts";
import type { Db } from "../database.ts";
import {
  actionUpdates,
  measureCoreAims,
  measures,
  narrativeVersions,
  observationSets,
  performanceValues,
  planActions,
  planMeasures,
  planPriorities,
  plans,
  planTargets,
  programmeMeasures,
  programmes,
} from "../schema.ts";

export type PlanRow = typeof plans.$inferSelect;
export type PriorityRow = typeof planPriorities.$inferSelect;
export type PlanMeasureRow = typeof planMeasures.$inferSelect;
export type TargetRow = typeof planTargets.$inferSelect;
export type NarrativeVersionRow = typeof narrativeVersions.$inferSelect;
export type ActionRow = typeof planActions.$inferSelect;
export type ActionUpdateRow = typeof actionUpdates.$inferSelect;
export type ProgrammeRow = typeof programmes.$inferSelect;
export type ProgrammeMeasureRow = typeof programmeMeasures.$inferSelect;
export type PerformanceValueRow = typeof performanceValues.$inferSelect;

export interface PlanFilter {
  areaCode?: string | undefined;
  period?: string | undefined;
  statuses?: readonly string[] | undefined;
}

export async function listPlanRows(db: Db, filter: PlanFilter = {}): Promise<PlanRow[]> {
  const where = [];
  if (filter.areaCode) where.push(eq(plans.areaCode, filter.areaCode));
  if (filter.period) where.push(eq(plans.period, filter.period));
  if (filter.statuses) where.push(inArray(plans.status, [...filter.statuses]));
  return db
    .select()
    .from(plans)
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(plans.areaCode), desc(plans.startYear), desc(plans.version));
}

/** The newest version of a plan (any status), or a given version. */
export async function findPlanRow(
  db: Db,
  areaCode: string,
  period: string,
  version?: number,
): Promise<PlanRow | undefined> {
  const [row] = await db
    .select()
    .from(plans)
    .where(
      and(
        eq(plans.areaCode, areaCode),
        eq(plans.period, period),
        version === undefined ? undefined : eq(plans.version, version),
      ),
    )
    .orderBy(desc(plans.version))
    .limit(1);
  return row;
}

export async function findPlanRowById(db: Db, id: number): Promise<PlanRow | undefined> {
  const [row] = await db.select().from(plans).where(eq(plans.id, id));
  return row;
}

export async function insertPlanRow(db: Db, values: typeof plans.$inferInsert): Promise<PlanRow> {
  const [row] = await db.insert(plans).values(values).returning();
  return row!;
}

/**
 * Claims the next row version of a plan if it is still at `expected` (optimistic locking). Returns the new row
 * version, or null when someone else saved in between (the caller refuses the save as a conflict).
 */
export async function bumpPlanRowVersion(db: Db, planId: number, expected: number): Promise<number | null> {
  const rows = await db
    .update(plans)
    .set({ rowVersion: sql`${plans.rowVersion} + 1`, updatedAt: new Date() })
    .where(and(eq(plans.id, planId), eq(plans.rowVersion, expected)))
    .returning({ rowVersion: plans.rowVersion });
  return rows[0]?.rowVersion ?? null;
}

export async function setPlanStatus(db: Db, planId: number, status: string, publishedAt?: Date | null): Promise<void> {
  await db
    .update(plans)
    .set({ status, ...(publishedAt === undefined ? {} : { publishedAt }) })
    .where(eq(plans.id, planId));
}

// Priorities -------------------------------------------------------------------------------------------------------

export async function listPriorities(db: Db, planId: number): Promise<PriorityRow[]> {
  return db
    .select()
    .from(planPriorities)
    .where(eq(planPriorities.planId, planId))
    .orderBy(asc(planPriorities.sortOrder), asc(planPriorities.id));
}

export async function insertPriority(db: Db, values: typeof planPriorities.$inferInsert): Promise<PriorityRow> {
  const [row] = await db.insert(planPriorities).values(values).returning();
  return row!;
}

export async function updatePriority(
  db: Db,
  id: number,
  values: Pick<PriorityRow, "text" | "rationale" | "coreAims">,
): Promise<void> {
  await db.update(planPriorities).set(values).where(eq(planPriorities.id, id));
}

export async function deletePriority(db: Db, id: number): Promise<void> {
  await db.delete(planPriorities).where(eq(planPriorities.id, id));
}

// Selected measures ------------------------------------------------------------------------------------------------

export async function listPlanMeasures(db: Db, planId: number): Promise<PlanMeasureRow[]> {
  return db
    .select()
    .from(planMeasures)
    .where(eq(planMeasures.planId, planId))
    .orderBy(asc(planMeasures.sortOrder), asc(planMeasures.measureCode));
}

export async function insertPlanMeasures(db: Db, rows: (typeof planMeasures.$inferInsert)[]): Promise<void> {
  if (rows.length) await db.insert(planMeasures).values(rows);
}

export async function updatePlanMeasure(
  db: Db,
  planId: number,
  measureCode: string,
  values: { priorityId: number | null; reason: BilingualText | null },
): Promise<void> {
  await db
    .update(planMeasures)
    .set(values)
    .where(and(eq(planMeasures.planId, planId), eq(planMeasures.measureCode, measureCode)));
}

export async function deletePlanMeasure(db: Db, planId: number, measureCode: string): Promise<void> {
  await db.delete(planMeasures).where(and(eq(planMeasures.planId, planId), eq(planMeasures.measureCode, measureCode)));
  await db.delete(planTargets).where(and(eq(planTargets.planId, planId), eq(planTargets.measureCode, measureCode)));
}

// Targets ---------------------------------------------------------------------------------------------------------

export async function listTargets(db: Db, planId: number, measureCode?: string): Promise<TargetRow[]> {
  return db
    .select()
    .from(planTargets)
    .where(and(eq(planTargets.planId, planId), measureCode ? eq(planTargets.measureCode, measureCode) : undefined))
    .orderBy(asc(planTargets.measureCode), asc(planTargets.period));
}

/** Replaces a measure's whole trajectory of targets in a plan. */
export async function replaceTargets(
  db: Db,
  planId: number,
  measureCode: string,
  rows: readonly { period: string; value: number; stretch: number | null }[],
): Promise<void> {
  await db.delete(planTargets).where(and(eq(planTargets.planId, planId), eq(planTargets.measureCode, measureCode)));
  if (rows.length) await db.insert(planTargets).values(rows.map((r) => ({ ...r, planId, measureCode })));
}

// Narratives (append-only) ----------------------------------------------------------------------------------------

export interface NarrativeKey {
  planId: number;
  subjectKind: string;
  subjectCode: string;
  section: string;
}

function narrativeWhere(key: NarrativeKey) {
  return and(
    eq(narrativeVersions.planId, key.planId),
    eq(narrativeVersions.subjectKind, key.subjectKind),
    eq(narrativeVersions.subjectCode, key.subjectCode),
    eq(narrativeVersions.section, key.section),
  );
}

/** Every version of one narrative, newest first. */
export async function listNarrativeVersions(db: Db, key: NarrativeKey): Promise<NarrativeVersionRow[]> {
  return db.select().from(narrativeVersions).where(narrativeWhere(key)).orderBy(desc(narrativeVersions.version));
}

/** The current version of every narrative in a plan. */
export async function currentNarratives(db: Db, planId: number): Promise<NarrativeVersionRow[]> {
  const rows = await db
    .select()
    .from(narrativeVersions)
    .where(eq(narrativeVersions.planId, planId))
    .orderBy(
      asc(narrativeVersions.subjectKind),
      asc(narrativeVersions.subjectCode),
      asc(narrativeVersions.section),
      desc(narrativeVersions.version),
    );
  const seen = new Set<string>();
  return rows.filter((r) => {
    const k = `${r.subjectKind}\u0000${r.subjectCode}\u0000${r.section}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Appends a version (number = the latest + 1) and returns it. */
export async function appendNarrativeVersion(
  db: Db,
  key: NarrativeKey,
  values: {
    body: string;
    items: unknown[] | null;
    authorId: number | null;
    author: string;
    restoredFrom: number | null;
  },
): Promise<NarrativeVersionRow> {
  const [last] = await db
    .select({ version: narrativeVersions.version })
    .from(narrativeVersions)
    .where(narrativeWhere(key))
    .orderBy(desc(narrativeVersions.version))
    .limit(1);
  const [row] = await db
    .insert(narrativeVersions)
    .values({ ...key, ...values, version: (last?.version ?? 0) + 1 })
    .returning();
  return row!;
}

// Actions --------------------------------------------------------------------------------------------------------

export async function listActions(db: Db, planId: number): Promise<ActionRow[]> {
  return db.select().from(planActions).where(eq(planActions.planId, planId)).orderBy(asc(planActions.id));
}

export async function findAction(db: Db, id: number): Promise<ActionRow | undefined> {
  const [row] = await db.select().from(planActions).where(eq(planActions.id, id));
  return row;
}

export async function insertAction(db: Db, values: typeof planActions.$inferInsert): Promise<ActionRow> {
  const [row] = await db.insert(planActions).values(values).returning();
  return row!;
}

export async function updateAction(
  db: Db,
  id: number,
  values: Pick<typeof planActions.$inferInsert, "title" | "owner" | "startDate" | "dueDate">,
): Promise<void> {
  await db.update(planActions).set(values).where(eq(planActions.id, id));
}

export async function setActionStatus(db: Db, id: number, status: string): Promise<void> {
  await db.update(planActions).set({ status }).where(eq(planActions.id, id));
}

export async function listActionUpdates(db: Db, actionIds: readonly number[]): Promise<ActionUpdateRow[]> {
  if (actionIds.length === 0) return [];
  return db
    .select()
    .from(actionUpdates)
    .where(inArray(actionUpdates.actionId, [...actionIds]))
    .orderBy(asc(actionUpdates.date), asc(actionUpdates.id));
}

export async function insertActionUpdate(db: Db, values: typeof actionUpdates.$inferInsert): Promise<ActionUpdateRow> {
  const [row] = await db.insert(actionUpdates).values(values).returning();
  return row!;
}

// Programmes and performance measures ------------------------------------------------------------------------------

export async function listProgrammes(db: Db, planId: number): Promise<ProgrammeRow[]> {
  return db.select().from(programmes).where(eq(programmes.planId, planId)).orderBy(asc(programmes.code));
}

export async function insertProgramme(db: Db, values: typeof programmes.$inferInsert): Promise<ProgrammeRow> {
  const [row] = await db.insert(programmes).values(values).returning();
  return row!;
}

export async function listProgrammeMeasures(db: Db, programmeIds: readonly number[]): Promise<ProgrammeMeasureRow[]> {
  if (programmeIds.length === 0) return [];
  return db
    .select()
    .from(programmeMeasures)
    .where(inArray(programmeMeasures.programmeId, [...programmeIds]))
    .orderBy(asc(programmeMeasures.programmeId), asc(programmeMeasures.id));
}

export async function insertProgrammeMeasure(
  db: Db,
  values: typeof programmeMeasures.$inferInsert,
): Promise<ProgrammeMeasureRow> {
  const [row] = await db.insert(programmeMeasures).values(values).returning();
  return row!;
}

/** Every revision of the values of some performance measures, oldest first. */
export async function listPerformanceValues(
  db: Db,
  programmeMeasureIds: readonly number[],
): Promise<PerformanceValueRow[]> {
  if (programmeMeasureIds.length === 0) return [];
  return db
    .select()
    .from(performanceValues)
    .where(inArray(performanceValues.programmeMeasureId, [...programmeMeasureIds]))
    .orderBy(asc(performanceValues.programmeMeasureId), asc(performanceValues.period), asc(performanceValues.revision));
}

/** Appends a revision of one performance value (revision = the latest for that period + 1). */
export async function appendPerformanceValue(
  db: Db,
  values: Omit<typeof performanceValues.$inferInsert, "revision" | "id" | "createdAt">,
): Promise<PerformanceValueRow> {
  const [last] = await db
    .select({ revision: performanceValues.revision })
    .from(performanceValues)
    .where(
      and(
        eq(performanceValues.programmeMeasureId, values.programmeMeasureId),
        eq(performanceValues.period, values.period),
      ),
    )
    .orderBy(desc(performanceValues.revision))
    .limit(1);
  const [row] = await db
    .insert(performanceValues)
    .values({ ...values, revision: (last?.revision ?? 0) + 1 })
    .returning();
  return row!;
}

// Local measures ---------------------------------------------------------------------------------------------------

export async function listLocalMeasureCodes(db: Db, areaCode: string): Promise<string[]> {
  const rows = await db
    .select({ code: measures.code })
    .from(measures)
    .where(eq(measures.localAreaCode, areaCode))
    .orderBy(asc(measures.code));
  return rows.map((r) => r.code);
}

/** Adds a partnership's local measure to a framework version, with its core aim (a row of `measures`). */
export async function insertLocalMeasure(
  db: Db,
  values: typeof measures.$inferInsert & { localAreaCode: string },
  coreAim: string,
): Promise<void> {
  const [row] = await db.insert(measures).values(values).returning({ id: measures.id });
  await db.insert(measureCoreAims).values({ measureId: row!.id, coreAimCode: coreAim });
}

export async function measureCodeExists(db: Db, frameworkId: number, code: string): Promise<boolean> {
  const rows = await db
    .select({ id: measures.id })
    .from(measures)
    .where(and(eq(measures.frameworkId, frameworkId), eq(measures.code, code)))
    .limit(1);
  return rows.length > 0;
}

/**
 * Deletes the illustrative (demo) plans with everything in them, and the local measures only they selected that have
 * no data. Returns what was deleted, for the audit log and the command's output.
 */
export async function deleteIllustrativePlans(db: Db): Promise<{ plans: string[]; localMeasures: string[] }> {
  const demo = await db.select().from(plans).where(eq(plans.illustrative, true));
  if (demo.length === 0) return { plans: [], localMeasures: [] };
  const ids = demo.map((p) => p.id);
  const chosenLocal = await db
    .select({ code: planMeasures.measureCode })
    .from(planMeasures)
    .where(and(inArray(planMeasures.planId, ids), eq(planMeasures.kind, "local")));
  const programmeIds = (
    await db.select({ id: programmes.id }).from(programmes).where(inArray(programmes.planId, ids))
  ).map((r) => r.id);
  if (programmeIds.length) {
    const pmIds = (
      await db
        .select({ id: programmeMeasures.id })
        .from(programmeMeasures)
        .where(inArray(programmeMeasures.programmeId, programmeIds))
    ).map((r) => r.id);
    if (pmIds.length) await db.delete(performanceValues).where(inArray(performanceValues.programmeMeasureId, pmIds));
    await db.delete(programmeMeasures).where(inArray(programmeMeasures.programmeId, programmeIds));
    await db.delete(programmes).where(inArray(programmes.id, programmeIds));
  }
  const actionIds = (
    await db.select({ id: planActions.id }).from(planActions).where(inArray(planActions.planId, ids))
  ).map((r) => r.id);
  if (actionIds.length) await db.delete(actionUpdates).where(inArray(actionUpdates.actionId, actionIds));
  await db.delete(planActions).where(inArray(planActions.planId, ids));
  await db.delete(narrativeVersions).where(inArray(narrativeVersions.planId, ids));
  await db.delete(plans).where(inArray(plans.id, ids));
  const localMeasures: string[] = [];
  for (const code of [...new Set(chosenLocal.map((r) => r.code))]) {
    const stillChosen = await db
      .select({ code: planMeasures.measureCode })
      .from(planMeasures)
      .where(eq(planMeasures.measureCode, code))
      .limit(1);
    const hasData = await db
      .select({ id: observationSets.id })
      .from(observationSets)
      .where(eq(observationSets.measureCode, code))
      .limit(1);
    if (stillChosen.length || hasData.length) continue;
    await db.delete(measures).where(and(eq(measures.code, code), sql`${measures.localAreaCode} IS NOT NULL`));
    localMeasures.push(code);
  }
  return { plans: demo.map((p) => `${p.areaCode}/${p.period}/v${p.version}`), localMeasures };
}

/** Points a plan at another framework version (moving it to a newer version of the framework). */
export async function setPlanFramework(db: Db, planId: number, frameworkId: number): Promise<void> {
  await db.update(plans).set({ frameworkId, updatedAt: new Date() }).where(eq(plans.id, planId));
}
