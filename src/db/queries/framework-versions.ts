/** Framework versions through the workflow: listing a framework's versions, locking one, setting its state. */
import { and, asc, eq, ne } from "drizzle-orm";
import type { Db } from "../database.ts";
import { frameworks } from "../schema.ts";
import type { FrameworkRow } from "./framework.ts";

/** Every version of the framework `code`, oldest first. */
export function listFrameworkVersions(db: Db, code: string): Promise<FrameworkRow[]> {
  return db.select().from(frameworks).where(eq(frameworks.code, code)).orderBy(asc(frameworks.id));
}

/** One version, locked for update within the caller's transaction. */
export async function lockFrameworkVersion(tx: Db, code: string, version: string): Promise<FrameworkRow | undefined> {
  const [row] = await tx
    .select()
    .from(frameworks)
    .where(and(eq(frameworks.code, code), eq(frameworks.version, version)))
    .for("update");
  return row;
}

/** Sets a version's state; a version becoming published gets `publishedDate` (YYYY-MM-DD). */
export async function setFrameworkState(tx: Db, id: number, status: string, publishedDate?: string): Promise<void> {
  await tx
    .update(frameworks)
    .set({ status, ...(publishedDate ? { publishedDate } : {}) })
    .where(eq(frameworks.id, id));
}

/** The other published versions of the framework `code` (superseded when `id` is published). */
export function otherPublishedVersions(tx: Db, code: string, id: number): Promise<FrameworkRow[]> {
  return tx
    .select()
    .from(frameworks)
    .where(and(eq(frameworks.code, code), eq(frameworks.status, "published"), ne(frameworks.id, id)));
}
