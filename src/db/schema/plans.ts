/**
 * Partnership plans (Results-Based Accountability): plans, priorities, selected measures, targets, versioned
 * narratives, actions with progress updates, programmes with performance measures and their values. Part of the one
 * schema (gathered by src/db/schema.ts). Nothing here is updated in place where history matters: narratives, action
 * updates and performance values are append-only, each row keeping who and when.
 */
import {
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
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { at, bilingual } from "./columns.ts";

/** One version of one partnership's plan for a plan period, pinned to a framework version. */
export const plans = pgTable(
  "plans",
  {
    id: serial().primaryKey(),
    areaCode: text("area_code").notNull(),
    period: text().notNull(),
    startYear: integer("start_year").notNull(),
    endYear: integer("end_year").notNull(),
    frameworkId: integer("framework_id").notNull(),
    version: integer().notNull().default(1),
    status: text().notNull().default("draft"),
    /** Optimistic lock: a save names the row version it loaded; a save over a newer one is refused. */
    rowVersion: integer("row_version").notNull().default(1),
    title: bilingual("title"),
    illustrative: boolean().notNull().default(false),
    createdBy: integer("created_by"),
    createdAt: at("created_at").notNull().defaultNow(),
    updatedAt: at("updated_at").notNull().defaultNow(),
    publishedAt: at("published_at"),
  },
  (t) => [uniqueIndex("plans_area_period_version_uq").on(t.areaCode, t.period, t.version)],
);

export const planPriorities = pgTable(
  "plan_priorities",
  {
    id: serial().primaryKey(),
    planId: integer("plan_id").notNull(),
    text: bilingual("text").notNull(),
    rationale: bilingual("rationale"),
    coreAims: text("core_aims").array().notNull(),
    sortOrder: integer("sort_order").notNull().default(0),
    /** The first priority this one was copied from by a new version of the plan (null when written in this one). */
    lineageId: integer("lineage_id"),
  },
  (t) => [index("plan_priorities_plan_idx").on(t.planId)],
);

export const planMeasures = pgTable(
  "plan_measures",
  {
    planId: integer("plan_id").notNull(),
    measureCode: text("measure_code").notNull(),
    kind: text().notNull(),
    priorityId: integer("priority_id"),
    reason: bilingual("reason"),
    sortOrder: integer("sort_order").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.planId, t.measureCode] })],
);

export const planTargets = pgTable(
  "plan_targets",
  {
    planId: integer("plan_id").notNull(),
    measureCode: text("measure_code").notNull(),
    period: text().notNull(),
    value: doublePrecision().notNull(),
    stretch: doublePrecision(),
  },
  (t) => [primaryKey({ columns: [t.planId, t.measureCode, t.period] })],
);

/**
 * Every version of every narrative section of a turn-the-curve report (append-only). `subject_kind` is `measure`
 * (a selected measure) or `programme_measure`; the current text is the highest version.
 */
export const narrativeVersions = pgTable(
  "narrative_versions",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    planId: integer("plan_id").notNull(),
    subjectKind: text("subject_kind").notNull(),
    subjectCode: text("subject_code").notNull(),
    section: text().notNull(),
    version: integer().notNull(),
    body: text().notNull(),
    items: jsonb().$type<unknown[]>(),
    authorId: integer("author_id"),
    author: text().notNull(),
    restoredFrom: integer("restored_from"),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("narrative_versions_uq").on(t.planId, t.subjectKind, t.subjectCode, t.section, t.version)],
);

export const planActions = pgTable(
  "plan_actions",
  {
    id: serial().primaryKey(),
    planId: integer("plan_id").notNull(),
    subjectKind: text("subject_kind").notNull(),
    subjectCode: text("subject_code").notNull(),
    title: bilingual("title").notNull(),
    owner: text(),
    startDate: date("start_date", { mode: "string" }),
    dueDate: date("due_date", { mode: "string" }),
    status: text().notNull().default("not_started"),
    createdBy: integer("created_by"),
    createdAt: at("created_at").notNull().defaultNow(),
    /** The first action this one was copied from by a new version of the plan (null when written in this one). */
    lineageId: integer("lineage_id"),
  },
  (t) => [index("plan_actions_plan_idx").on(t.planId)],
);

/** Dated progress updates of an action (append-only). */
export const actionUpdates = pgTable(
  "action_updates",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    actionId: integer("action_id").notNull(),
    date: date({ mode: "string" }).notNull(),
    text: bilingual("text").notNull(),
    statusAfter: text("status_after").notNull(),
    authorId: integer("author_id"),
    author: text().notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [index("action_updates_action_idx").on(t.actionId)],
);

/** A programme or service in a plan (e.g. Flying Start in Cardiff), measured by performance measures. */
export const programmes = pgTable(
  "programmes",
  {
    id: serial().primaryKey(),
    planId: integer("plan_id").notNull(),
    code: text().notNull(),
    name: bilingual("name").notNull(),
    description: bilingual("description"),
    priorityId: integer("priority_id"),
  },
  (t) => [uniqueIndex("programmes_plan_code_uq").on(t.planId, t.code)],
);

export const programmeMeasures = pgTable(
  "programme_measures",
  {
    id: serial().primaryKey(),
    programmeId: integer("programme_id").notNull(),
    code: text().notNull(),
    title: bilingual("title").notNull(),
    quadrant: text().notNull(),
    unit: text().notNull(),
    polarity: text().notNull(),
    decimals: integer().notNull().default(0),
  },
  (t) => [uniqueIndex("programme_measures_code_uq").on(t.programmeId, t.code)],
);

/** Values of performance measures; a change is a new revision (who, when, why), never an update in place. */
export const performanceValues = pgTable(
  "performance_values",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    programmeMeasureId: integer("programme_measure_id").notNull(),
    period: text().notNull(),
    value: doublePrecision().notNull(),
    numerator: doublePrecision(),
    denominator: doublePrecision(),
    revision: integer().notNull(),
    reason: text(),
    authorId: integer("author_id"),
    author: text().notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("performance_values_uq").on(t.programmeMeasureId, t.period, t.revision)],
);

/** Review comments on a plan (append-only): the workflow step they came with and the section they are about. */
export const planReviewComments = pgTable(
  "plan_review_comments",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    planId: integer("plan_id").notNull(),
    action: text().notNull(),
    /** "general", "priorities" or "measure:{code}". */
    section: text().notNull(),
    body: text().notNull(),
    authorId: integer("author_id"),
    author: text().notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [index("plan_review_comments_plan_idx").on(t.planId)],
);
