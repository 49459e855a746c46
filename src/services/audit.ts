/**
 * The audit service: writes an entry (in the caller's transaction when given one) and reads the trail of a thing.
 * Every audit row is written by src/db/queries/audit.ts; imports and batch operations write theirs through the
 * import session, the framework import and workflow transitions through {@link writeAudit} in their transaction.
 */
import type { Db } from "../db/database.ts";
import { auditTrail, writeAudit } from "../db/queries/audit.ts";
import type { AuditEntry, AuditRecord } from "../domain/audit.ts";

export type { AuditEntry, AuditRecord };

export function createAuditLog(db: Db) {
  return {
    /** Records one entry on its own (a change that has no transaction of its own to join). */
    record: (entry: AuditEntry): Promise<void> => writeAudit(db, entry),
    /** The trail of one thing, oldest first. */
    trail: (entity: string, entityKey: string): Promise<AuditRecord[]> => auditTrail(db, entity, entityKey),
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
