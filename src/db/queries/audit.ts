/**
 * The one writer of `audit_log`. Drizzle callers (framework import, workflow transitions) use {@link writeAudit}
 * inside their transaction; the raw-client import session uses {@link AUDIT_INSERT_SQL} with {@link auditParams}.
 * Both write the same columns from the same {@link AuditEntry}.
 */
import { and, asc, desc, eq, gte, isNull, lt, type SQL, sql } from "drizzle-orm";
import { type AuditEntry, type AuditFilter, type AuditRecord, auditAreaCode } from "../../domain/audit.ts";
import { type Db, queryRows } from "../database.ts";
import { auditLog } from "../schema.ts";

export const AUDIT_INSERT_SQL =
  "INSERT INTO audit_log (user_id, actor, action, entity, entity_key, before, after, reason, at, area_code) " +
  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, coalesce($9::timestamptz, now()), $10)";

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
    auditAreaCode(entry),
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
    areaCode: auditAreaCode(entry),
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
  return rows.map(toRecord);
}

function toRecord(r: typeof auditLog.$inferSelect): AuditRecord {
  return {
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
    areaCode: r.areaCode,
  };
}

function filterConditions(f: AuditFilter): SQL[] {
  const where: SQL[] = [];
  if (f.areaCode !== undefined) where.push(eq(auditLog.areaCode, f.areaCode));
  if (f.userId === null) where.push(isNull(auditLog.userId));
  else if (f.userId !== undefined) where.push(eq(auditLog.userId, f.userId));
  if (f.action !== undefined) where.push(eq(auditLog.action, f.action));
  if (f.from !== undefined) where.push(gte(auditLog.at, f.from));
  if (f.to !== undefined) where.push(lt(auditLog.at, f.to));
  return where;
}

/**
 * One page of the log matching `filter`, newest first (by time, then by id): the `size` entries older than the entry
 * `before`, or newer than the entry `after`, or the newest; and whether there are newer and older ones. Keyset
 * pagination on (time, id), each filter served by an index ending in them, so a page deep in hundreds of thousands of
 * entries costs what the first does. A cursor names an entry by id; its time is read in the query, at full precision.
 */
export async function auditPage(
  db: Db,
  filter: AuditFilter,
  page: { before?: number | undefined; after?: number | undefined; size: number },
): Promise<{ records: AuditRecord[]; newer: boolean; older: boolean }> {
  const where = filterConditions(filter);
  const select = (extra: SQL[], order: "asc" | "desc", limit: number) => slice(db, [...where, ...extra], order, limit);
  const rows =
    page.after !== undefined
      ? (await select([beyond(">", page.after)], "asc", page.size)).reverse()
      : await select(page.before === undefined ? [] : [beyond("<", page.before)], "desc", page.size);
  // whether anything matches beyond each end of the page (past either end: beyond the cursor, the cursor included)
  const newest = rows[0]?.id;
  const oldest = rows.at(-1)?.id;
  const [newer, older] = await Promise.all([
    newest !== undefined
      ? select([beyond(">", newest)], "asc", 1)
      : page.before !== undefined
        ? select([beyond(">=", page.before)], "asc", 1)
        : [],
    oldest !== undefined
      ? select([beyond("<", oldest)], "desc", 1)
      : page.after !== undefined
        ? select([beyond("<=", page.after)], "desc", 1)
        : [],
  ]);
  return { records: rows.map(toRecord), newer: newer.length > 0, older: older.length > 0 };
}

/** Entries after (`>`) or before (`<`) the entry `id` in the log's order (time, then id). */
function beyond(op: ">" | "<" | ">=" | "<=", id: number): SQL {
  return sql`(${auditLog.at}, ${auditLog.id}) ${sql.raw(op)} (SELECT c.at, c.id FROM audit_log c WHERE c.id = ${id})`;
}

function slice(db: Db, where: SQL[], order: "asc" | "desc", limit: number) {
  const by = order === "asc" ? asc : desc;
  return db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(by(auditLog.at), by(auditLog.id))
    .limit(limit);
}

/** Every entry matching `filter`, newest first, in batches of `size` (for a streamed download). */
export async function* auditBatches(db: Db, filter: AuditFilter, size = 1000): AsyncGenerator<AuditRecord[]> {
  const where = filterConditions(filter);
  let before: number | undefined;
  for (;;) {
    const rows = await slice(db, before === undefined ? where : [...where, beyond("<", before)], "desc", size);
    if (rows.length > 0) yield rows.map(toRecord);
    if (rows.length < size) return;
    before = rows.at(-1)!.id;
  }
}

/** The kinds of entry (actions) in the log, each once: a loose index scan, one index probe per kind. */
export async function auditActions(db: Db): Promise<string[]> {
  const rows = await queryRows<{ action: string }>(
    db,
    sql`WITH RECURSIVE k(action) AS (
      (SELECT action FROM audit_log ORDER BY action LIMIT 1)
      UNION ALL
      SELECT (SELECT a.action FROM audit_log a WHERE a.action > k.action ORDER BY a.action LIMIT 1) FROM k
      WHERE k.action IS NOT NULL
    ) SELECT action FROM k WHERE action IS NOT NULL`,
  );
  return rows.map((r) => r.action);
}
