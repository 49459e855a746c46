/** Framework versions, core aims, UNCRC articles, sources, dimensions, measure groups and measures. */
import {
  date,
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { BilingualText } from "../../domain/enums.ts";
import type { CrossReference } from "../../domain/measure.ts";
import { bilingual, createdAt } from "./columns.ts";

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
    /** Codes of the measure in other national frameworks: [{ framework: "nsi", code: "EDU/002i" }]. */
    crossReferences: jsonb("cross_references").$type<CrossReference[]>().notNull().default([]),
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
