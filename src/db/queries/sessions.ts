import { eq, lt } from "drizzle-orm";
import type { Db } from "../database.ts";
import { sessions } from "../schema.ts";

export async function findSession(db: Db, id: string): Promise<Record<string, unknown> | null> {
  const [row] = await db.select().from(sessions).where(eq(sessions.id, id));
  if (!row || row.expiresAt.getTime() < Date.now()) return null;
  return row.data;
}

export async function saveSession(db: Db, id: string, data: Record<string, unknown>, expiresAt: Date): Promise<void> {
  await db
    .insert(sessions)
    .values({ id, data, expiresAt })
    .onConflictDoUpdate({ target: sessions.id, set: { data, expiresAt } });
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, id));
}

/** Deletes sessions past their expiry; returns how many. */
export async function deleteExpiredSessions(db: Db, now: Date = new Date()): Promise<number> {
  const rows = await db.delete(sessions).where(lt(sessions.expiresAt, now)).returning({ id: sessions.id });
  return rows.length;
}
