/**
 * One entry of the audit trail: who did what to which thing, when, what it was before and after, and why. Written
 * only through src/db/queries/audit.ts (the one writer of `audit_log`), in the same transaction as the change.
 */
export interface AuditEntry {
  /** The user who acted (null for the system or a CLI user without an account). */
  userId: number | null;
  /** Who, as shown: "web:ann@example.org", "cli:alice", "api:ann@example.org", "seed". */
  actor: string;
  /** What was done: "create", "update", "publish", "rollback", "submit", "approve", … */
  action: string;
  /** The kind of thing: "measure", "import_batch", "plan", … */
  entity: string;
  /** Which one: its stable key. */
  entityKey: string;
  before?: unknown;
  after?: unknown;
  /** Why, when a reason was given. */
  reason?: string | null | undefined;
  /** When (default: the database's now(), i.e. the transaction's start). */
  at?: Date | undefined;
}

/** An audit entry as read back. */
export interface AuditRecord extends Required<Omit<AuditEntry, "at" | "reason">> {
  id: number;
  at: Date;
  reason: string | null;
}
