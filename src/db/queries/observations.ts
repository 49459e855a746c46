import { eq, sql } from "drizzle-orm";
import type { Db } from "../database.ts";
import { importBatches, observationSets, type observations } from "../schema.ts";
import { IMPORT_LOCK_KEY } from "./import-lock.ts";

export type NewObservation = typeof observations.$inferInsert;
export type NewBatch = typeof importBatches.$inferInsert;

export async function createBatch(db: Db, batch: NewBatch): Promise<number> {
  const [row] = await db.insert(importBatches).values(batch).returning({ id: importBatches.id });
  return row!.id;
}

/** Null when every element is null (the set stores a NULL array), else the array. */
function column<T>(values: (T | null | undefined)[]): (T | null)[] | null {
  return values.some((v) => v !== null && v !== undefined) ? values.map((v) => v ?? null) : null;
}

/** Null when every element is `fill` (the set stores a NULL array, which the view reads as all `fill`), else the array. */
function nullIfAll<T>(values: T[], fill: T): T[] | null {
  return values.some((v) => v !== fill) ? values : null;
}

/**
 * Appends new observations, one observation set per batch, measure and area (call inside a transaction for
 * all-or-nothing). Takes the import lock, like an import; ids come from the sets' insert trigger. The caller guarantees that
 * no (key, revision) is written twice (bulk writes skip the per-row check of the view's insert trigger).
 */
export async function insertObservations(db: Db, rows: NewObservation[], setsPerStatement = 200): Promise<void> {
  if (rows.length === 0) return;
  await db.execute(sql`SELECT pg_advisory_xact_lock(${IMPORT_LOCK_KEY})`);
  const groups = new Map<string, NewObservation[]>();
  for (const r of rows) {
    const key = [r.batchId, r.measureCode, r.areaCode, r.illustrative ?? false, r.createdBy ?? "", r.reason ?? ""].join(
      "\u0000",
    );
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  const sets = [...groups.values()].map((g) => {
    const first = g[0]!;
    return {
      batchId: first.batchId,
      measureCode: first.measureCode,
      areaCode: first.areaCode,
      illustrative: first.illustrative ?? false,
      createdBy: first.createdBy ?? null,
      reason: first.reason ?? null,
      firstId: sql`NULL`, // the sets' insert trigger gives each set a block of ids
      period: g.map((r) => r.period),
      periodEnd: g.map((r) => r.periodEnd),
      breakdown: nullIfAll(
        g.map((r) => r.breakdown ?? "total"),
        "total",
      ),
      value: g.map((r) => r.value ?? null),
      numerator: column(g.map((r) => r.numerator)),
      denominator: column(g.map((r) => r.denominator)),
      lower95: column(g.map((r) => r.lower95)),
      upper95: column(g.map((r) => r.upper95)),
      lower998: column(g.map((r) => r.lower998)),
      upper998: column(g.map((r) => r.upper998)),
      ciSupplied: g.some((r) => r.ciSupplied) ? g.map((r) => r.ciSupplied ?? false) : null,
      noteCodes: g.some((r) => r.noteCodes?.length) ? g.map((r) => (r.noteCodes ?? []).join(",")) : null,
      withdrawn: g.some((r) => r.withdrawn) ? g.map((r) => r.withdrawn ?? false) : null,
      revision: nullIfAll(
        g.map((r) => r.revision ?? 1),
        1,
      ),
      replacesId: column(g.map((r) => r.replacesId)),
    };
  });
  for (let i = 0; i < sets.length; i += setsPerStatement) {
    await db.insert(observationSets).values(sets.slice(i, i + setsPerStatement));
  }
}

/** Number of observation rows (all revisions, every batch). */
export async function countObservations(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`coalesce(sum(cardinality(${observationSets.period})), 0)::int` })
    .from(observationSets);
  return row?.n ?? 0;
}

export async function findIllustrativeBatch(db: Db): Promise<number | null> {
  const [row] = await db
    .select({ id: importBatches.id })
    .from(importBatches)
    .where(eq(importBatches.illustrative, true))
    .limit(1);
  return row?.id ?? null;
}
