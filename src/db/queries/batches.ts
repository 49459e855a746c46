/**
 * Import batches: listing, publication (now or at an embargo time), rollback by new revisions, and the revision
 * history of one value. The statements that change data run inside an {@link ImportSession} (one transaction holding
 * the import lock); observations are only ever appended.
 */
import { asc, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../database.ts";
import { importBatches, observationSets, observations, users } from "../schema.ts";
import type { ImportSession } from "./import-session.ts";

export type BatchRow = typeof importBatches.$inferSelect;

export async function listBatches(db: Db, limit = 200): Promise<BatchRow[]> {
  return db.select().from(importBatches).orderBy(desc(importBatches.id)).limit(limit);
}

export async function findBatch(db: Db, id: number): Promise<BatchRow | null> {
  const [row] = await db.select().from(importBatches).where(eq(importBatches.id, id));
  return row ?? null;
}

interface SessionBatch {
  id: number;
  status: string;
  format: string;
  publish_at: Date | string | null;
  illustrative: boolean;
}

/** Reads a batch inside the session (under the import lock). */
export async function lockBatch(session: ImportSession, id: number): Promise<SessionBatch | null> {
  const [row] = await session.raw<SessionBatch>(
    "SELECT id, status, format, publish_at, illustrative FROM import_batches WHERE id = $1 FOR UPDATE",
    [id],
  );
  return row ? { ...row, id: Number(row.id) } : null;
}

export async function setBatchPublished(
  session: ImportSession,
  id: number,
  publishAt: Date,
  userId: number | null,
): Promise<void> {
  await session.raw(
    "UPDATE import_batches SET status = 'published', publish_at = $2, published_by = $3 WHERE id = $1",
    [id, publishAt.toISOString(), userId],
  );
}

export interface RollbackConflict {
  measureCode: string;
  areaCode: string;
  period: string;
  breakdown: string;
  batchId: number;
}

/**
 * The values of every measure and area that batch $1 touched, read once (`touched_values`), and the batch's own values
 * (`n`). Illustrative values are left out: they are never the history of real values, and an illustrative batch is
 * not rolled back (`omf demo --remove` removes it).
 * The queries below join these by key with hash joins, so a batch of a million values costs a few passes over the
 * touched sets, not a lookup through the observations view per value.
 */
const TOUCHED_ROWS = `
  touched AS (SELECT DISTINCT measure_code, area_code FROM observation_sets WHERE batch_id = $1),
  touched_values AS MATERIALIZED (
    SELECT o.* FROM observations o JOIN touched t ON t.measure_code = o.measure_code AND t.area_code = o.area_code
    WHERE NOT o.illustrative),
  n AS MATERIALIZED (SELECT * FROM touched_values WHERE batch_id = $1)`;

/**
 * Keys of batch `id` that a later batch has changed since and that is still in force (not rolled back; rollback
 * batches only restore earlier values and do not count): rolling back `id` would overwrite those changes.
 */
export async function laterRevisions(session: ImportSession, id: number, limit = 5): Promise<RollbackConflict[]> {
  // A later revision is always written by a later batch (revisions are numbered under the import lock), so only the
  // sets of later batches in force are unnested; when there are none, the batch's own values are not read at all.
  const rows = await session.raw<{
    measure_code: string;
    area_code: string;
    period: string;
    breakdown: string;
    batch_id: number;
  }>(
    `WITH touched AS (SELECT DISTINCT measure_code, area_code FROM observation_sets WHERE batch_id = $1),
     later AS MATERIALIZED (
       SELECT o.measure_code, o.area_code, o.period, o.breakdown, o.revision, o.batch_id
       FROM observations o JOIN touched t ON t.measure_code = o.measure_code AND t.area_code = o.area_code
       JOIN import_batches lb ON lb.id = o.batch_id
       WHERE o.batch_id > $1 AND NOT o.illustrative AND lb.status <> 'rolled_back' AND lb.format <> 'rollback'),
     n AS MATERIALIZED (
       SELECT measure_code, area_code, period, breakdown, revision FROM observations
       WHERE batch_id = $1 AND EXISTS (SELECT 1 FROM later))
     SELECT l.measure_code, l.area_code, l.period, l.breakdown, l.batch_id
     FROM n JOIN later l
       ON l.measure_code = n.measure_code AND l.area_code = n.area_code AND l.period = n.period
      AND l.breakdown = n.breakdown AND l.revision > n.revision
     ORDER BY l.batch_id LIMIT $2`,
    [id, limit],
  );
  return rows.map((r) => ({
    measureCode: r.measure_code,
    areaCode: r.area_code,
    period: r.period,
    breakdown: r.breakdown,
    batchId: Number(r.batch_id),
  }));
}

/** Keys of batch `id` whose replaced value is not public now (it would be published by a published rollback). */
export async function unpublishedPredecessors(
  session: ImportSession,
  id: number,
  limit = 5,
): Promise<RollbackConflict[]> {
  const rows = await session.raw<{
    measure_code: string;
    area_code: string;
    period: string;
    breakdown: string;
    batch_id: number;
  }>(
    `WITH ${TOUCHED_ROWS}
     SELECT n.measure_code, n.area_code, n.period, n.breakdown, p.batch_id
     FROM n JOIN touched_values p ON p.id = n.replaces_id
     JOIN import_batches pb ON pb.id = p.batch_id
     WHERE NOT (pb.status IN ('published', 'rolled_back') AND pb.publish_at IS NOT NULL AND pb.publish_at <= now())
     ORDER BY p.batch_id LIMIT $2`,
    [id, limit],
  );
  return rows.map((r) => ({
    measureCode: r.measure_code,
    areaCode: r.area_code,
    period: r.period,
    breakdown: r.breakdown,
    batchId: Number(r.batch_id),
  }));
}

/**
 * Appends, in batch `rollbackBatchId`, one row per key that batch `id` touched, restoring the value it replaced (or a
 * withdrawn row where batch `id` created the key) as the newest revision of the key, and marks batch `id` rolled back.
 * Returns the rows appended.
 */
export async function appendRollbackRows(
  session: ImportSession,
  id: number,
  rollbackBatchId: number,
  userId: number | null,
  reason: string,
): Promise<{ restored: number; withdrawn: number }> {
  const rows = await session.raw<{ restored: number | string; withdrawn: number | string }>(
    `WITH ${TOUCHED_ROWS},
     cur AS (
       SELECT DISTINCT ON (measure_code, area_code, period, breakdown) measure_code, area_code, period, breakdown, id,
         revision
       FROM touched_values ORDER BY measure_code, area_code, period, breakdown, revision DESC),
     restore AS (
       SELECT n.measure_code, n.area_code, n.period, n.period_end, n.breakdown, p.value, p.numerator, p.denominator,
         p.lower_95, p.upper_95, p.lower_998, p.upper_998, COALESCE(p.ci_supplied, false) AS ci_supplied,
         COALESCE(p.note_codes, '{}'::text[]) AS note_codes, (p.id IS NULL OR p.withdrawn) AS withdrawn,
         COALESCE(p.illustrative, n.illustrative) AS illustrative, cur.revision + 1 AS revision, cur.id AS replaces_id
       FROM n
       LEFT JOIN touched_values p ON p.id = n.replaces_id
       JOIN cur ON cur.measure_code = n.measure_code AND cur.area_code = n.area_code AND cur.period = n.period
        AND cur.breakdown = n.breakdown),
     ins AS (
       INSERT INTO observation_sets (batch_id, measure_code, area_code, illustrative, created_by, reason, period,
         period_end, breakdown, value, numerator, denominator, lower_95, upper_95, lower_998, upper_998, ci_supplied,
         note_codes, withdrawn, revision, replaces_id)
       SELECT $2, measure_code, area_code, bool_or(illustrative), $3, $4,
         array_agg(period), array_agg(period_end), array_agg(breakdown), array_agg(value), array_agg(numerator),
         array_agg(denominator), array_agg(lower_95), array_agg(upper_95), array_agg(lower_998), array_agg(upper_998),
         array_agg(ci_supplied), array_agg(array_to_string(note_codes, ',')), array_agg(withdrawn), array_agg(revision),
         array_agg(replaces_id)
       FROM restore GROUP BY measure_code, area_code
       RETURNING 1)
     SELECT count(*) FILTER (WHERE NOT withdrawn) AS restored, count(*) FILTER (WHERE withdrawn) AS withdrawn
     FROM restore`,
    [id, rollbackBatchId, userId, reason],
  );
  await session.raw("UPDATE import_batches SET status = 'rolled_back', rolled_back_by = $2 WHERE id = $1", [
    id,
    rollbackBatchId,
  ]);
  return { restored: Number(rows[0]?.restored ?? 0), withdrawn: Number(rows[0]?.withdrawn ?? 0) };
}

export interface RevisionRow {
  id: number;
  revision: number;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  lower95: number | null;
  upper95: number | null;
  noteCodes: string[];
  withdrawn: boolean;
  batchId: number;
  batchStatus: string;
  batchFormat: string;
  fileName: string | null;
  publishAt: Date | null;
  replacesId: number | null;
  illustrative: boolean;
  createdAt: Date;
  createdBy: string | null;
  reason: string | null;
}

/**
 * Every revision of one value, oldest first (analysts only: raw values, drafts included); only its real revisions
 * when it has any.
 */
export async function revisionHistory(
  db: Db,
  key: { measureCode: string; areaCode: string; period: string; breakdown: string },
): Promise<RevisionRow[]> {
  const rows = await db
    .select({
      id: observations.id,
      revision: observations.revision,
      value: observations.value,
      numerator: observations.numerator,
      denominator: observations.denominator,
      lower95: observations.lower95,
      upper95: observations.upper95,
      noteCodes: observations.noteCodes,
      withdrawn: observations.withdrawn,
      batchId: observations.batchId,
      batchStatus: importBatches.status,
      batchFormat: importBatches.format,
      fileName: importBatches.fileName,
      publishAt: importBatches.publishAt,
      replacesId: observations.replacesId,
      illustrative: observations.illustrative,
      createdAt: observations.createdAt,
      createdBy: users.email,
      reason: observations.reason,
    })
    .from(observations)
    .innerJoin(importBatches, eq(importBatches.id, observations.batchId))
    .leftJoin(users, eq(users.id, observations.createdBy))
    .where(
      sql`${observations.measureCode} = ${key.measureCode} AND ${observations.areaCode} = ${key.areaCode}
          AND ${observations.period} = ${key.period} AND ${observations.breakdown} = ${key.breakdown}`,
    )
    .orderBy(asc(observations.revision));
  // Illustrative (demo) values are never the history of a real value: once the key has real values, only they count.
  const real = rows.filter((r) => !r.illustrative);
  return (real.length > 0 ? real : rows).map((r) => ({
    ...r,
    id: Number(r.id),
    replacesId: r.replacesId === null ? null : Number(r.replacesId),
  }));
}

/** Row count per batch (for listings). */
export async function batchRowCount(db: Db, id: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`coalesce(sum(cardinality(${observationSets.period})), 0)::int` })
    .from(observationSets)
    .where(eq(observationSets.batchId, id));
  return row?.n ?? 0;
}
