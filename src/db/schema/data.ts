/** Import batches and observations (stored as observation sets; read through the observations view). */
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import { users } from "./accounts.ts";
import { createdAt } from "./columns.ts";
import { sources } from "./framework.ts";
import { areas } from "./geography.ts";

/** One load of data from a file or generator. Draft until published (optionally at an embargo time). */
export const importBatches = pgTable("import_batches", {
  id: serial().primaryKey(),
  sourceCode: text("source_code").references(() => sources.code),
  fileName: text("file_name"),
  format: text().notNull(),
  status: text().notNull().default("draft"),
  illustrative: boolean().notNull().default(false),
  reason: text(),
  rowCounts: jsonb("row_counts").$type<Record<string, number>>(),
  createdBy: integer("created_by").references(() => users.id),
  createdAt: createdAt(),
  publishAt: timestamp("publish_at", { withTimezone: true, mode: "date" }),
  publishedBy: integer("published_by").references(() => users.id),
  rolledBackBy: integer("rolled_back_by"),
});

/**
 * Observation sets, the storage of observations: one row per import batch, measure and area (a large batch may write
 * several), holding the batch's values for that measure and area as parallel arrays with one element per value
 * (`period`, `value`, …; value k has id `first_id + k − 1`). Optional arrays are NULL when every element would be null,
 * empty or false (note codes: comma-joined, '' for none); `breakdown` and `revision` may be NULL when every element is
 * 'total' and 1 (imports write them so; the view reads them back as such). Written only by imports (binary COPY) and
 * rollbacks; never updated or deleted. Read through the {@link observations} view. Migration 0003 defines it (with the
 * view and its insert trigger); 0004 makes `breakdown` and `revision` optional.
 */
export const observationSets = pgTable(
  "observation_sets",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    batchId: integer("batch_id")
      .notNull()
      .references(() => importBatches.id),
    measureCode: text("measure_code").notNull(),
    areaCode: text("area_code")
      .notNull()
      .references(() => areas.code),
    illustrative: boolean().notNull().default(false),
    createdBy: integer("created_by").references(() => users.id),
    createdAt: createdAt(),
    reason: text(),
    /** Id of the first value; value k (from 1) has id firstId + k − 1 (given by the insert trigger when omitted). */
    firstId: bigint("first_id", { mode: "number" }).notNull(),
    period: text().array().notNull(),
    periodEnd: date("period_end", { mode: "string" }).array().notNull(),
    /** NULL: every value's breakdown is 'total'. */
    breakdown: text().array(),
    value: doublePrecision().array().$type<(number | null)[]>().notNull(),
    numerator: doublePrecision().array().$type<(number | null)[]>(),
    denominator: doublePrecision().array().$type<(number | null)[]>(),
    lower95: doublePrecision("lower_95").array().$type<(number | null)[]>(),
    upper95: doublePrecision("upper_95").array().$type<(number | null)[]>(),
    lower998: doublePrecision("lower_998").array().$type<(number | null)[]>(),
    upper998: doublePrecision("upper_998").array().$type<(number | null)[]>(),
    ciSupplied: boolean("ci_supplied").array(),
    noteCodes: text("note_codes").array(),
    withdrawn: boolean().array(),
    /** NULL: every value is revision 1. */
    revision: integer().array(),
    replacesId: bigint("replaces_id", { mode: "number" }).array().$type<(number | null)[]>(),
  },
  (t) => [
    index("observation_sets_key_idx").on(t.measureCode, t.areaCode),
    index("observation_sets_area_idx").on(t.areaCode),
    index("observation_sets_batch_idx").on(t.batchId),
  ],
);

/**
 * The observations VIEW (over {@link observationSets}): one row per value. Append-only: every change to a value is a
 * new row with a higher revision for the same (measure, area, period, breakdown) key, pointing at the row it replaced.
 * Nothing is updated in place. What a reader sees is the latest revision whose batch is visible to them (published by
 * then, for the public). Declared as a table so that queries can be built on it; a row inserted into the view becomes
 * a set of one value (an INSTEAD OF trigger that also refuses a key and revision that already exist).
 */
export const observations = pgTable("observations", {
  /** Assigned by the database (the insert trigger, or the import from sequence `observation_ids`). */
  id: bigint({ mode: "number" }).notNull().generatedAlwaysAsIdentity(),
  measureCode: text("measure_code").notNull(),
  areaCode: text("area_code").notNull(),
  period: text().notNull(),
  periodEnd: date("period_end", { mode: "string" }).notNull(),
  breakdown: text().notNull().default("total"),
  value: doublePrecision(),
  numerator: doublePrecision(),
  denominator: doublePrecision(),
  lower95: doublePrecision("lower_95"),
  upper95: doublePrecision("upper_95"),
  lower998: doublePrecision("lower_998"),
  upper998: doublePrecision("upper_998"),
  ciSupplied: boolean("ci_supplied").notNull().default(false),
  noteCodes: text("note_codes").array().notNull().default(sql`'{}'::text[]`),
  withdrawn: boolean().notNull().default(false),
  illustrative: boolean().notNull().default(false),
  batchId: integer("batch_id").notNull(),
  revision: integer().notNull().default(1),
  replacesId: bigint("replaces_id", { mode: "number" }),
  createdBy: integer("created_by"),
  createdAt: createdAt(),
  reason: text(),
});
