/**
 * Reads of the stored analysis (`analysis_results`, `analysis_gaps`, `analysis_runs`) behind the analysis read API
 * (src/services/analysis/read.ts), and the bookkeeping of analysis runs. Writing a measure's analysis is in
 * `analysis-store.ts`.
 */
import { and, asc, desc, eq, gt, inArray, lte, max, type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "../database.ts";
import { analysisGaps, analysisResults, analysisRuns, dimensions, importBatches, observationSets } from "../schema.ts";
import { ANALYSIS_LOCK_NAMESPACE } from "./analysis-store.ts";

export type AnalysisResultRow = typeof analysisResults.$inferSelect;
export type AnalysisGapRow = typeof analysisGaps.$inferSelect;
export type AnalysisRunRow = typeof analysisRuns.$inferSelect;

/** Breakdown dimensions with their value labels. */
export async function listDimensionsForAnalysis(db: Db) {
  return db.select().from(dimensions).orderBy(asc(dimensions.code));
}

/** The latest analysis run of every analysed measure. */
export async function listAnalysisRuns(db: Db): Promise<AnalysisRunRow[]> {
  return db.select().from(analysisRuns).orderBy(asc(analysisRuns.measureCode));
}

/** Records that a measure's stored analysis is still right for new inputs (same data version, new fingerprint). */
export async function updateRunFingerprint(db: Db, measureCode: string, inputFingerprint: string): Promise<void> {
  await db.update(analysisRuns).set({ inputFingerprint }).where(eq(analysisRuns.measureCode, measureCode));
}

/**
 * A cheap fingerprint per measure of everything its public view is derived from: the number of its observation rows
 * and the highest id of its observation sets (append-only: any change adds a set) and the state of the batches they belong to (status, and
 * whether `publish_at` has passed at `asAt`). When it is unchanged the visible observations cannot have changed, so
 * the analysis can be skipped without reading them. Measures without rows are absent.
 */
export async function selectSourceFingerprints(
  db: Db,
  asAt: Date,
  measureCodes?: readonly string[],
): Promise<Map<string, string>> {
  if (measureCodes && measureCodes.length === 0) return new Map();
  const only = measureCodes
    ? sql`where o.measure_code in (${sql.join(
        measureCodes.map((c) => sql`${c}`),
        sql`, `,
      )})`
    : sql``;
  const rows = await queryRows<{ measure_code: string; fp: string }>(
    db,
    sql`with batch_state as (
          select id, id::text || ':' || status || ':' || coalesce((publish_at <= ${asAt})::text, 'n') as k
          from ${importBatches})
        select o.measure_code,
          sum(cardinality(o.period))::text || ':' || max(o.id)::text || ':' ||
            md5(string_agg(distinct s.k, ',' order by s.k)) as fp
        from ${observationSets} o join batch_state s on s.id = o.batch_id
        ${only}
        group by o.measure_code`,
  );
  return new Map(rows.map((r) => [r.measure_code, r.fp]));
}

/** Removes a measure's stored analysis (it has no visible data any more, or left the framework). */
export async function deleteMeasureAnalysis(db: Db, measureCode: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ANALYSIS_LOCK_NAMESPACE}, hashtext(${measureCode}))`);
    await tx.delete(analysisResults).where(eq(analysisResults.measureCode, measureCode));
    await tx.delete(analysisGaps).where(eq(analysisGaps.measureCode, measureCode));
    await tx.delete(analysisRuns).where(eq(analysisRuns.measureCode, measureCode));
  });
}

/** Period code with the latest period_sort among a measure's results (breakdown "total" unless given), or null. */
export async function selectLatestPeriod(db: Db, measureCode: string, breakdown = "total"): Promise<string | null> {
  const [row] = await db
    .select({ period: analysisResults.period })
    .from(analysisResults)
    .where(and(eq(analysisResults.measureCode, measureCode), eq(analysisResults.breakdown, breakdown)))
    .orderBy(desc(analysisResults.periodSort), desc(analysisResults.period))
    .limit(1);
  return row?.period ?? null;
}

/** A measure's results for one period (and one breakdown unless `breakdown` is null), ordered by area code. */
export async function selectMeasureResults(
  db: Db,
  measureCode: string,
  period: string,
  breakdown: string | null,
): Promise<AnalysisResultRow[]> {
  const where: SQL[] = [eq(analysisResults.measureCode, measureCode), eq(analysisResults.period, period)];
  if (breakdown !== null) where.push(eq(analysisResults.breakdown, breakdown));
  return db
    .select()
    .from(analysisResults)
    .where(and(...where))
    .orderBy(asc(analysisResults.breakdown), asc(analysisResults.areaCode));
}

/**
 * An area's results (one breakdown) for every measure: at each measure's own latest period (`period` null), or at
 * one period code. Ordered by measure code.
 */
export async function selectAreaResults(
  db: Db,
  areaCode: string,
  period: string | null,
  breakdown: string,
): Promise<AnalysisResultRow[]> {
  const where: SQL[] = [eq(analysisResults.areaCode, areaCode), eq(analysisResults.breakdown, breakdown)];
  if (period !== null) {
    where.push(eq(analysisResults.period, period));
  } else {
    const latest = db
      .select({ measureCode: analysisResults.measureCode, periodSort: max(analysisResults.periodSort).as("ps") })
      .from(analysisResults)
      .where(and(eq(analysisResults.areaCode, areaCode), eq(analysisResults.breakdown, breakdown)))
      .groupBy(analysisResults.measureCode)
      .as("latest");
    return db
      .select({ r: analysisResults })
      .from(analysisResults)
      .innerJoin(
        latest,
        and(eq(latest.measureCode, analysisResults.measureCode), eq(latest.periodSort, analysisResults.periodSort)),
      )
      .where(and(...where))
      .orderBy(asc(analysisResults.measureCode))
      .then((rows) => rows.map((x) => x.r));
  }
  return db
    .select()
    .from(analysisResults)
    .where(and(...where))
    .orderBy(asc(analysisResults.measureCode));
}

/** One area's series for a measure and breakdown, oldest first. */
export async function selectSeries(
  db: Db,
  measureCode: string,
  areaCode: string,
  breakdown: string,
): Promise<AnalysisResultRow[]> {
  return db
    .select()
    .from(analysisResults)
    .where(
      and(
        eq(analysisResults.measureCode, measureCode),
        eq(analysisResults.areaCode, areaCode),
        eq(analysisResults.breakdown, breakdown),
      ),
    )
    .orderBy(asc(analysisResults.periodSort), asc(analysisResults.period));
}

/** A measure's inequality gaps, optionally for one area and/or one period, oldest first. */
export async function selectGaps(
  db: Db,
  measureCode: string,
  filter: { areaCode?: string | undefined; period?: string | undefined; dimension?: string | undefined },
): Promise<AnalysisGapRow[]> {
  const where: SQL[] = [eq(analysisGaps.measureCode, measureCode)];
  if (filter.areaCode !== undefined) where.push(eq(analysisGaps.areaCode, filter.areaCode));
  if (filter.period !== undefined) where.push(eq(analysisGaps.period, filter.period));
  if (filter.dimension !== undefined) where.push(eq(analysisGaps.dimension, filter.dimension));
  return db
    .select()
    .from(analysisGaps)
    .where(and(...where))
    .orderBy(asc(analysisGaps.areaCode), asc(analysisGaps.dimension), asc(analysisGaps.periodSort));
}

/** The "total" rows at each measure's latest period, for the national summary (only the columns it needs). */
export async function selectLatestTotals(db: Db, measureCodes?: readonly string[]) {
  const latest = db
    .select({ measureCode: analysisResults.measureCode, periodSort: max(analysisResults.periodSort).as("ps") })
    .from(analysisResults)
    .where(eq(analysisResults.breakdown, "total"))
    .groupBy(analysisResults.measureCode)
    .as("latest");
  const where: SQL[] = [eq(analysisResults.breakdown, "total")];
  if (measureCodes) where.push(inArray(analysisResults.measureCode, [...measureCodes]));
  return db
    .select({
      measureCode: analysisResults.measureCode,
      areaCode: analysisResults.areaCode,
      areaType: analysisResults.areaType,
      period: analysisResults.period,
      benchmarkSignificance: analysisResults.benchmarkSignificance,
      trendDirection: analysisResults.trendDirection,
      trendJudgement: analysisResults.trendJudgement,
      worseAndWorsening: analysisResults.worseAndWorsening,
    })
    .from(analysisResults)
    .innerJoin(
      latest,
      and(eq(latest.measureCode, analysisResults.measureCode), eq(latest.periodSort, analysisResults.periodSort)),
    )
    .where(and(...where));
}

/**
 * Measures with observations in batches whose embargo ended in (from, to]: their public view changed without an
 * import, so their analysis is due.
 */
export async function selectMeasuresReleasedBetween(db: Db, from: Date, to: Date): Promise<string[]> {
  const rows = await db
    .selectDistinct({ code: observationSets.measureCode })
    .from(observationSets)
    .innerJoin(importBatches, eq(importBatches.id, observationSets.batchId))
    .where(
      and(eq(importBatches.status, "published"), gt(importBatches.publishAt, from), lte(importBatches.publishAt, to)),
    )
    .orderBy(asc(observationSets.measureCode));
  return rows.map((r) => r.code);
}
