/**
 * The one PostgreSQL schema (PostgreSQL 15 compatible), used by both drivers: embedded PGlite and node-postgres.
 * Migrations in /drizzle are generated from this file with `npm run db:generate`.
 */
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
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { BilingualText } from "../domain/enums.ts";

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
const bilingual = (name: string) => jsonb(name).$type<BilingualText>();

// ---------------------------------------------------------------------------------------------------------------
// Framework

export const frameworks = pgTable(
  "frameworks",
  {
    id: serial().primaryKey(),
    code: text().notNull(),
    version: text().notNull(),
    title: bilingual("title").notNull(),
    description: bilingual("description"),
    status: text().notNull(),
    publishedDate: date("published_date", { mode: "string" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("frameworks_code_version_uq").on(t.code, t.version)],
);

export const coreAims = pgTable("core_aims", {
  code: text().primaryKey(),
  sortOrder: integer("sort_order").notNull(),
  title: bilingual("title").notNull(),
  description: bilingual("description"),
});

export const uncrcArticles = pgTable("uncrc_articles", {
  number: integer().primaryKey(),
  title: bilingual("title").notNull(),
  summary: bilingual("summary"),
});

export const coreAimArticles = pgTable(
  "core_aim_articles",
  {
    coreAimCode: text("core_aim_code")
      .notNull()
      .references(() => coreAims.code),
    articleNumber: integer("article_number")
      .notNull()
      .references(() => uncrcArticles.number),
    confidence: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.coreAimCode, t.articleNumber] })],
);

export const sources = pgTable("sources", {
  code: text().primaryKey(),
  name: bilingual("name").notNull(),
  publisher: text().notNull(),
  url: text(),
  licence: text(),
  kind: text().notNull(),
});

export const dimensions = pgTable("dimensions", {
  code: text().primaryKey(),
  title: bilingual("title").notNull(),
  values: jsonb().$type<{ code: string; label: BilingualText }[]>().notNull(),
});

export const measureGroups = pgTable(
  "measure_groups",
  {
    id: serial().primaryKey(),
    frameworkId: integer("framework_id")
      .notNull()
      .references(() => frameworks.id),
    code: text().notNull(),
    coreAimCode: text("core_aim_code")
      .notNull()
      .references(() => coreAims.code),
    title: bilingual("title").notNull(),
    description: bilingual("description"),
  },
  (t) => [uniqueIndex("measure_groups_framework_code_uq").on(t.frameworkId, t.code)],
);

/** A measure as defined in one framework version. Observations refer to measures by their stable code. */
export const measures = pgTable(
  "measures",
  {
    id: serial().primaryKey(),
    frameworkId: integer("framework_id")
      .notNull()
      .references(() => frameworks.id),
    code: text().notNull(),
    title: bilingual("title").notNull(),
    shortTitle: bilingual("short_title"),
    layDefinition: bilingual("lay_definition").notNull(),
    technicalDefinition: bilingual("technical_definition").notNull(),
    rationale: bilingual("rationale"),
    numeratorDefinition: bilingual("numerator_definition"),
    denominatorDefinition: bilingual("denominator_definition"),
    caveats: bilingual("caveats"),
    unit: text().notNull(),
    multiplier: doublePrecision().notNull().default(1),
    decimals: integer().notNull().default(1),
    valueType: text("value_type").notNull(),
    polarity: text().notNull(),
    accountability: text().notNull(),
    tier: text().notNull(),
    groupId: integer("group_id").references(() => measureGroups.id),
    sourceCode: text("source_code").references(() => sources.code),
    frequency: text().notNull(),
    periodType: text("period_type").notNull(),
    geographies: text().array().notNull(),
    breakdowns: text().array().notNull(),
    suppressBelow: integer("suppress_below"),
    roundTo: integer("round_to"),
    targetValue: doublePrecision("target_value"),
    targetNote: bilingual("target_note"),
    status: text().notNull(),
    replacesCode: text("replaces_code"),
    /** A local measure: the partnership (area code) that defined it for its plan; null for framework measures. */
    localAreaCode: text("local_area_code"),
    breakInSeries: text("break_in_series"),
    owner: text(),
    nextReview: date("next_review", { mode: "string" }),
    sortOrder: integer("sort_order").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("measures_framework_code_uq").on(t.frameworkId, t.code)],
);

export const measureCoreAims = pgTable(
  "measure_core_aims",
  {
    measureId: integer("measure_id")
      .notNull()
      .references(() => measures.id, { onDelete: "cascade" }),
    coreAimCode: text("core_aim_code")
      .notNull()
      .references(() => coreAims.code),
  },
  (t) => [primaryKey({ columns: [t.measureId, t.coreAimCode] })],
);

export const measureArticles = pgTable(
  "measure_articles",
  {
    measureId: integer("measure_id")
      .notNull()
      .references(() => measures.id, { onDelete: "cascade" }),
    articleNumber: integer("article_number")
      .notNull()
      .references(() => uncrcArticles.number),
  },
  (t) => [primaryKey({ columns: [t.measureId, t.articleNumber] })],
);

// ---------------------------------------------------------------------------------------------------------------
// Geography

export const areas = pgTable(
  "areas",
  {
    code: text().primaryKey(),
    name: bilingual("name").notNull(),
    type: text().notNull(),
    parentCode: text("parent_code"),
    sortOrder: integer("sort_order").notNull().default(0),
    validFrom: date("valid_from", { mode: "string" }),
    validTo: date("valid_to", { mode: "string" }),
  },
  (t) => [index("areas_type_idx").on(t.type)],
);

/** Retired codes and spelling variants that resolve to an area on import. */
export const areaAliases = pgTable(
  "area_aliases",
  {
    id: serial().primaryKey(),
    areaCode: text("area_code")
      .notNull()
      .references(() => areas.code),
    alias: text().notNull(),
    kind: text().notNull(),
  },
  (t) => [uniqueIndex("area_aliases_alias_uq").on(t.alias)],
);

/** Time-versioned membership of an area in a grouping (health board, consortium, region ...). */
export const areaMemberships = pgTable(
  "area_memberships",
  {
    id: serial().primaryKey(),
    groupingCode: text("grouping_code")
      .notNull()
      .references(() => areas.code),
    areaCode: text("area_code")
      .notNull()
      .references(() => areas.code),
    validFrom: date("valid_from", { mode: "string" }),
    validTo: date("valid_to", { mode: "string" }),
  },
  (t) => [index("area_memberships_area_idx").on(t.areaCode)],
);

/** User-defined comparator groups ("statistical neighbours"). */
export const comparatorGroups = pgTable("comparator_groups", {
  id: serial().primaryKey(),
  code: text().notNull().unique(),
  name: bilingual("name").notNull(),
  ownerUserId: integer("owner_user_id").references(() => users.id),
  isPublic: boolean("is_public").notNull().default(true),
  createdAt: createdAt(),
});

export const comparatorGroupMembers = pgTable(
  "comparator_group_members",
  {
    groupId: integer("group_id")
      .notNull()
      .references(() => comparatorGroups.id, { onDelete: "cascade" }),
    areaCode: text("area_code")
      .notNull()
      .references(() => areas.code),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.areaCode] })],
);

// ---------------------------------------------------------------------------------------------------------------
// Data

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

// ---------------------------------------------------------------------------------------------------------------
// Accounts

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
  },
  (t) => [index("audit_log_entity_idx").on(t.entity, t.entityKey)],
);

// ---------------------------------------------------------------------------------------------------------------
// Analysis (derived from the published, disclosure-controlled observations; recomputed when they change)

/**
 * The analysis of one published observation: limits, comparisons with Wales and the parent grouping, quintile and
 * rank among areas of the same type, recent trend, flags, target progress and the bilingual summary sentence.
 * Derived data: a measure's rows are replaced as a whole (in one transaction) when its `data_version` changes.
 */
export const analysisResults = pgTable(
  "analysis_results",
  {
    measureCode: text("measure_code").notNull(),
    areaCode: text("area_code").notNull(),
    areaType: text("area_type").notNull(),
    period: text().notNull(),
    periodEnd: date("period_end", { mode: "string" }).notNull(),
    periodSort: bigint("period_sort", { mode: "number" }).notNull(),
    breakdown: text().notNull(),
    observationId: bigint("observation_id", { mode: "number" }).notNull(),
    illustrative: boolean().notNull().default(false),
    suppressed: boolean().notNull().default(false),
    value: doublePrecision(),
    numerator: doublePrecision(),
    denominator: doublePrecision(),
    lower95: doublePrecision("lower_95"),
    upper95: doublePrecision("upper_95"),
    lower998: doublePrecision("lower_998"),
    upper998: doublePrecision("upper_998"),
    ciMethod: text("ci_method"),
    comparisonMethod: text("comparison_method"),
    benchmarkCode: text("benchmark_code"),
    benchmarkValue: doublePrecision("benchmark_value"),
    benchmarkSignificance: text("benchmark_significance").notNull(),
    benchmarkLevel: doublePrecision("benchmark_level"),
    benchmarkPooled: boolean("benchmark_pooled").notNull().default(false),
    parentCode: text("parent_code"),
    parentValue: doublePrecision("parent_value"),
    parentPooled: boolean("parent_pooled").notNull().default(false),
    parentSignificance: text("parent_significance").notNull(),
    parentLevel: doublePrecision("parent_level"),
    quintile: integer(),
    rank: integer(),
    rankOutOf: integer("rank_out_of"),
    trendDirection: text("trend_direction").notNull(),
    trendJudgement: text("trend_judgement"),
    trendReason: text("trend_reason").notNull(),
    worseAndWorsening: boolean("worse_and_worsening").notNull().default(false),
    targetValue: doublePrecision("target_value"),
    targetMet: boolean("target_met"),
    targetDistance: doublePrecision("target_distance"),
    summary: jsonb().$type<BilingualText>().notNull(),
    dataVersion: text("data_version").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.measureCode, t.areaCode, t.period, t.breakdown] }),
    index("analysis_results_area_idx").on(t.areaCode, t.measureCode),
  ],
);

/** Inequality gap between two groups of a breakdown (e.g. girls − boys) per area and period, with its trend. */
export const analysisGaps = pgTable(
  "analysis_gaps",
  {
    measureCode: text("measure_code").notNull(),
    areaCode: text("area_code").notNull(),
    period: text().notNull(),
    periodSort: bigint("period_sort", { mode: "number" }).notNull(),
    dimension: text().notNull(),
    groupA: text("group_a").notNull(),
    groupB: text("group_b").notNull(),
    valueA: doublePrecision("value_a").notNull(),
    valueB: doublePrecision("value_b").notNull(),
    absolute: doublePrecision().notNull(),
    absoluteLower: doublePrecision("absolute_lower").notNull(),
    absoluteUpper: doublePrecision("absolute_upper").notNull(),
    relative: doublePrecision(),
    relativeLower: doublePrecision("relative_lower"),
    relativeUpper: doublePrecision("relative_upper"),
    significant: boolean().notNull(),
    trendDirection: text("trend_direction").notNull(),
    trendReason: text("trend_reason").notNull(),
    gapTrend: text("gap_trend").notNull(),
    dataVersion: text("data_version").notNull(),
  },
  (t) => [primaryKey({ columns: [t.measureCode, t.areaCode, t.period, t.dimension] })],
);

/** The latest analysis of each measure: which data version it reflects, when, how many rows and how long it took. */
export const analysisRuns = pgTable("analysis_runs", {
  measureCode: text("measure_code").primaryKey(),
  dataVersion: text("data_version").notNull(),
  /** Cheap fingerprint of the inputs (raw rows, batch states, definition, areas): unchanged means nothing to do. */
  inputFingerprint: text("input_fingerprint").notNull().default(""),
  computedAt: timestamp("computed_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  rowCount: integer("row_count").notNull(),
  gapCount: integer("gap_count").notNull(),
  ms: doublePrecision().notNull(),
});

export * from "./plans-schema.ts";
