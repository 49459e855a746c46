/**
 * The audit service: writes an entry (in the caller's transaction when given one), reads the trail of a thing, and
 * reads the log for national roles (a page at a time, newest first, or every entry for a download, filtered by
 * partnership, user, kind and date). Every audit row is written by src/db/queries/audit.ts; imports and batch
 * operations write theirs through the import session, the framework import and workflow transitions through
 * {@link writeAudit} in their transaction. Nothing changes or deletes an entry: the database refuses it (migration 0020).
 */
import type { Db } from "../db/database.ts";
import { auditActions, auditBatches, auditPage, auditTrail, writeAudit } from "../db/queries/audit.ts";
import type { AuditEntry, AuditFilter, AuditRecord } from "../domain/audit.ts";

export type { AuditEntry, AuditFilter, AuditRecord };

/** Entries on one page of the audit log. */
export const AUDIT_PAGE_SIZE = 50;

export function createAuditLog(db: Db) {
  return {
    /** Records one entry on its own (a change that has no transaction of its own to join). */
    record: (entry: AuditEntry): Promise<void> => writeAudit(db, entry),
    /** The trail of one thing, oldest first. */
    trail: (entity: string, entityKey: string): Promise<AuditRecord[]> => auditTrail(db, entity, entityKey),
    /** A page of the log, newest first: the newest, or those older than `before` or newer than `after` (entry ids). */
    page: (
      filter: AuditFilter,
      at: { before?: number | undefined; after?: number | undefined } = {},
      size = AUDIT_PAGE_SIZE,
    ) => auditPage(db, filter, { ...at, size }),
    /** Every entry matching the filter, newest first, in batches (for a streamed download). */
    all: (filter: AuditFilter): AsyncGenerator<AuditRecord[]> => auditBatches(db, filter),
    /** The kinds of entry (actions) the log holds. */
    kinds: (): Promise<string[]> => auditActions(db),
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
