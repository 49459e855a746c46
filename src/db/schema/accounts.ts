/** Users, the areas they may edit, sessions, login attempts, API tokens and the audit log. */
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import { createdAt } from "./columns.ts";
import { areas } from "./geography.ts";

export const users = pgTable("users", {
  id: serial().primaryKey(),
  email: text().notNull().unique(),
  displayName: text("display_name"),
  passwordHash: text("password_hash").notNull(),
  role: text().notNull(),
  language: text().notNull().default("en"),
  disabledAt: timestamp("disabled_at", { withTimezone: true, mode: "date" }),
  createdAt: createdAt(),
});

/** Partnership areas a partnership editor may edit. */
export const userAreas = pgTable(
  "user_areas",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    areaCode: text("area_code")
      .notNull()
      .references(() => areas.code),
  },
  (t) => [primaryKey({ columns: [t.userId, t.areaCode] })],
);

export const sessions = pgTable(
  "sessions",
  {
    id: text().primaryKey(),
    data: jsonb().$type<Record<string, unknown>>().notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [index("sessions_expires_idx").on(t.expiresAt)],
);

export const loginAttempts = pgTable(
  "login_attempts",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    email: text().notNull(),
    ip: text().notNull(),
    succeeded: boolean().notNull(),
    attemptedAt: timestamp("attempted_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [index("login_attempts_email_idx").on(t.email, t.attemptedAt), index("login_attempts_ip_idx").on(t.ip)],
);

export const apiTokens = pgTable("api_tokens", {
  id: serial().primaryKey(),
  name: text().notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  userId: integer("user_id")
    .notNull()
    .references(() => users.id),
  createdAt: createdAt(),
  revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
});

/** Who changed what, when, and what it replaced (metadata changes; data changes are revisions). */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    at: timestamp({ withTimezone: true, mode: "date" }).notNull().defaultNow(),
    userId: integer("user_id"),
    actor: text().notNull(),
    action: text().notNull(),
    entity: text().notNull(),
    entityKey: text("entity_key").notNull(),
    before: jsonb(),
    after: jsonb(),
    /** Why the change was made, when a reason was given. */
    reason: text(),
    /** The partnership the entry is about (a plan's or an agreement's area), or null (data, the framework). */
    areaCode: text("area_code"),
  },
  (t) => [
    index("audit_log_entity_idx").on(t.entity, t.entityKey),
    index("audit_log_at_idx").on(t.at, t.id),
    index("audit_log_area_idx").on(t.areaCode, t.at, t.id),
    index("audit_log_user_idx").on(t.userId, t.at, t.id),
    index("audit_log_action_idx").on(t.action, t.at, t.id),
  ],
);
