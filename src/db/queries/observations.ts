import { eq, sql } from "drizzle-orm";
import type { Db } from "../database.ts";
import { importBatches, observations } from "../schema.ts";

export type NewObservation = typeof observations.$inferInsert;
export type NewBatch = typeof importBatches.$inferInsert;

export async function createBatch(db: Db, batch: NewBatch): Promise<number> {
  const [row] = await db.insert(importBatches).values(batch).returning({ id: importBatches.id });
  return row!.id;
}

/** Inserts rows in multi-row statements of `chunk` rows (call inside a transaction for all-or-nothing). */
export async function insertObservations(db: Db, rows: NewObservation[], chunk = 1000): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    await db.insert(observations).values(rows.slice(i, i + chunk));
  }
}

export async function countObservations(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(observations);
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
