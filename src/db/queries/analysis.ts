/**
 * Storage of the analysis (`analysis_results`, `analysis_gaps`, `analysis_runs`): replacing a measure's analysis in
 * one transaction, and the reads behind the analysis read API (src/services/analysis/read.ts).
 */
import { and, asc, desc, eq, getTableColumns, gt, inArray, lte, max, type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Db } from "../database.ts";
import { analysisGaps, analysisResults, analysisRuns, dimensions, importBatches, observations } from "../schema.ts";

export type AnalysisResultRow = typeof analysisResults.$inferSelect;
export type AnalysisGapRow = typeof analysisGaps.$inferSelect;
export type AnalysisRunRow = typeof analysisRuns.$inferSelect;
export type NewAnalysisResultRow = typeof analysisResults.$inferInsert;
export type NewAnalysisGapRow = typeof analysisGaps.$inferInsert;

/** Advisory-lock namespace of analysis writes (the second key is the measure code's hash). */
const LOCK_NAMESPACE = 74_101;

/** Rows per bulk INSERT statement (sent as one JSON parameter). */
const BULK_CHUNK = 5000;

/**
 * Inserts rows with one JSON parameter per chunk (`json_populate_recordset`), which both drivers parse far faster
 * than tens of thousands of bound parameters. Keys are the table's column names.
 */
async function bulkInsert<T extends Record<string, unknown>>(
  db: Db,
  tableName: "analysis_results" | "analysis_gaps",
  table: PgTable,
  rows: readonly T[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.entries(getTableColumns(table)).map(([key, column]) => [key, column.name] as const);
  for (let i = 0; i < rows.length; i += BULK_CHUNK) {
    const chunk = rows.slice(i, i + BULK_CHUNK).map((row) => {
      const out: Record<string, unknown> = {};
      for (const [key, name] of columns) out[name] = row[key] ?? null;
      return out;
    });
    const target = sql.identifier(tableName);
    await db.execute(
      sql`insert into ${target} select * from json_populate_recordset(null::${target}, ${JSON.stringify(chunk)}::json)`,
    );
  }
}

/** Breakdown dimensions with their value labels. */
export async function listDimensionsForAnalysis(db: Db) {
  return db.select().from(dimensions).orderBy(asc(dimensions.code));
}

/** The latest analysis run of every analysed measure. */
export async function listAnalysisRuns(db: Db): Promise<AnalysisRunRow[]> {
  return db.select().from(analysisRuns).orderBy(asc(analysisRuns.measureCode));
}

/**
 * Replaces a measure's stored analysis with `results` and `gaps` in one transaction (delete + bulk insert), under an
 * advisory lock per measure so concurrent analyses of the same measure serialise. Skips the write (returns false)
 * when the stored analysis already has `dataVersion`.
 */
export async function replaceMeasureAnalysis(
  db: Db,
  input: {
    measureCode: string;
    dataVersion: string;
    results: readonly NewAnalysisResultRow[];
    gaps: readonly NewAnalysisGapRow[];
    ms: number;
    force?: boolean;
  },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext(${input.measureCode}))`);
    if (!input.force) {
      const [current] = await tx
        .select({ dataVersion: analysisRuns.dataVersion })
        .from(analysisRuns)
        .where(eq(analysisRuns.measureCode, input.measureCode));
      if (current?.dataVersion === input.dataVersion) return false;
    }
    await tx.delete(analysisResults).where(eq(analysisResults.measureCode, input.measureCode));
    await tx.delete(analysisGaps).where(eq(analysisGaps.measureCode, input.measureCode));
    await bulkInsert(tx, "analysis_results", analysisResults, input.results);
    await bulkInsert(tx, "analysis_gaps", analysisGaps, input.gaps);
    const run = {
      dataVersion: input.dataVersion,
      computedAt: new Date(),
      rowCount: input.results.length,
      gapCount: input.gaps.length,
      ms: input.ms,
    };
    await tx
      .insert(analysisRuns)
      .values({ measureCode: input.measureCode, ...run })
      .onConflictDoUpdate({ target: analysisRuns.measureCode, set: run });
    return true;
  });
}

/** Removes a measure's stored analysis (it has no visible data any more, or left the framework). */
export async function deleteMeasureAnalysis(db: Db, measureCode: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext(${measureCode}))`);
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
    .selectDistinct({ code: observations.measureCode })
    .from(observations)
    .innerJoin(importBatches, eq(importBatches.id, observations.batchId))
    .where(
      and(eq(importBatches.status, "published"), gt(importBatches.publishAt, from), lte(importBatches.publishAt, to)),
    )
    .orderBy(asc(observations.measureCode));
  return rows.map((r) => r.code);
}
