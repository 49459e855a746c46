/**
 * The one writer of `audit_log`. Drizzle callers (framework import, workflow transitions) use {@link writeAudit}
 * inside their transaction; the raw-client import session uses {@link AUDIT_INSERT_SQL} with {@link auditParams}.
 * Both write the same columns from the same {@link AuditEntry}.
 */
import { and, asc, eq } from "drizzle-orm";
import type { AuditEntry, AuditRecord } from "../../domain/audit.ts";
import type { Db } from "../database.ts";
import { auditLog } from "../schema.ts";

export const AUDIT_INSERT_SQL =
  "INSERT INTO audit_log (user_id, actor, action, entity, entity_key, before, after, reason, at) " +
  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, coalesce($9::timestamptz, now()))";

/** The parameters of {@link AUDIT_INSERT_SQL} for an entry. */
export function auditParams(entry: AuditEntry): unknown[] {
  return [
    entry.userId,
    entry.actor,
    entry.action,
    entry.entity,
    entry.entityKey,
    entry.before === undefined ? null : JSON.stringify(entry.before),
    entry.after === undefined ? null : JSON.stringify(entry.after),
    entry.reason ?? null,
    entry.at ? entry.at.toISOString() : null,
  ];
}

/** Writes one audit entry with `db` (pass the transaction of the change it records). */
export async function writeAudit(db: Pick<Db, "insert">, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    userId: entry.userId,
    actor: entry.actor,
    action: entry.action,
    entity: entry.entity,
    entityKey: entry.entityKey,
    before: entry.before === undefined ? null : entry.before,
    after: entry.after === undefined ? null : entry.after,
    reason: entry.reason ?? null,
    ...(entry.at ? { at: entry.at } : {}),
  });
}

/** The audit trail of one thing, oldest first. */
export async function auditTrail(db: Db, entity: string, entityKey: string): Promise<AuditRecord[]> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entity, entity), eq(auditLog.entityKey, entityKey)))
    .orderBy(asc(auditLog.id));
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    userId: r.userId,
    actor: r.actor,
    action: r.action,
    entity: r.entity,
    entityKey: r.entityKey,
    before: r.before,
    after: r.after,
    reason: r.reason,
  }));
}
