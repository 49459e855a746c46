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
  /** The partnership it is about (default: {@link auditAreaCode} reads it from a plan's or agreement's key). */
  areaCode?: string | null | undefined;
}

/** An audit entry as read back. */
export interface AuditRecord extends Required<Omit<AuditEntry, "at" | "reason" | "areaCode">> {
  id: number;
  at: Date;
  reason: string | null;
  areaCode: string | null;
}

/** Entities whose key starts with the partnership's area code (`W06000015/2024-25-to-2026-27/v1`). */
const AREA_KEYED: ReadonlySet<string> = new Set(["plan", "agreement"]);

/**
 * The partnership an entry is about: the one given, else the area code that starts a plan's or an agreement's key;
 * null for data and framework changes (about all of Wales) and for entries not about one partnership.
 */
export function auditAreaCode(entry: Pick<AuditEntry, "areaCode" | "entity" | "entityKey">): string | null {
  if (entry.areaCode !== undefined) return entry.areaCode;
  if (!AREA_KEYED.has(entry.entity)) return null;
  return /^([A-Z]\d{8})\//.exec(entry.entityKey)?.[1] ?? null;
}

/** What the audit log page and its CSV are filtered by; each absent means any. */
export interface AuditFilter {
  areaCode?: string | undefined;
  /** A user's id, or null for entries made without an account (the system, the command line without one). */
  userId?: number | null | undefined;
  /** The kind of entry (its `action`). */
  action?: string | undefined;
  /** From this instant (inclusive). */
  from?: Date | undefined;
  /** Before this instant (exclusive). */
  to?: Date | undefined;
}
