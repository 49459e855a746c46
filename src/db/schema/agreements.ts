/**
 * Outcome agreements (issue 16): versioned schemes, agreements between the Welsh Government and one local authority
 * for a period, their outcomes with linked measures and targets, annual assessments of each outcome (the authority's
 * self-assessment and national moderation, append-only, both kept) and separately judged parts of the grant. Part of
 * the one schema (gathered by src/db/schema.ts).
 */
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
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { PlanLink } from "../../domain/agreements/model.ts";
import type { AssessmentCategory, Scheme } from "../../domain/agreements/scheme.ts";
import { at, bilingual, createdAt } from "./columns.ts";

/** Every version of every scheme (append-only); an agreement keeps the version it was made under. */
export const agreementSchemes = pgTable(
  "agreement_schemes",
  {
    id: serial().primaryKey(),
    code: text().notNull(),
    version: integer().notNull(),
    definition: jsonb().$type<Scheme>().notNull(),
    reason: text(),
    author: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("agreement_schemes_code_version_uq").on(t.code, t.version)],
);

export const agreements = pgTable(
  "agreements",
  {
    id: serial().primaryKey(),
    areaCode: text("area_code").notNull(),
    period: text().notNull(),
    startYear: integer("start_year").notNull(),
    endYear: integer("end_year").notNull(),
    schemeId: integer("scheme_id").notNull(),
    status: text().notNull().default("draft"),
    /** The grant for each year, in pence. */
    grantPence: bigint("grant_pence", { mode: "number" }).notNull(),
    illustrative: boolean().notNull().default(false),
    /** Who agreed for each side, and when (null while a draft). */
    agreedByGovernment: text("agreed_by_government"),
    agreedByAuthority: text("agreed_by_authority"),
    agreedAt: at("agreed_at"),
    /** The dates each side agreed (recorded with the agreement). */
    governmentAgreedOn: date("government_agreed_on", { mode: "string" }),
    authorityAgreedOn: date("authority_agreed_on", { mode: "string" }),
    /** Whether a national administrator has published the agreement's summary to the public. */
    summaryPublished: boolean("summary_published").notNull().default(false),
    createdBy: integer("created_by"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("agreements_area_period_uq").on(t.areaCode, t.period)],
);

export const agreementOutcomes = pgTable(
  "agreement_outcomes",
  {
    id: serial().primaryKey(),
    agreementId: integer("agreement_id").notNull(),
    position: integer().notNull(),
    title: bilingual("title").notNull(),
    theme: text(),
    /** Framework or local measures that evidence the outcome. */
    measureCodes: text("measure_codes").array().notNull(),
    /** Local measures (the authority's own, not in the framework), by name. */
    localMeasures: text("local_measures").array().notNull().default([]),
    /** The authority's plan priorities and actions the outcome is linked to (their titles kept as linked). */
    planLinks: jsonb("plan_links").$type<PlanLink[]>().notNull().default([]),
  },
  (t) => [uniqueIndex("agreement_outcomes_position_uq").on(t.agreementId, t.position)],
);

export const agreementTargets = pgTable(
  "agreement_targets",
  {
    outcomeId: integer("outcome_id").notNull(),
    measureCode: text("measure_code").notNull(),
    period: text().notNull(),
    value: doublePrecision().notNull(),
  },
  (t) => [primaryKey({ columns: [t.outcomeId, t.measureCode, t.period] })],
);

/**
 * Assessments of one outcome for one year (append-only): `kind` is `self` (the authority's) or `moderation` (the
 * national moderator's, with its reason). The current one of each kind is the highest version; none is overwritten.
 */
export const agreementAssessments = pgTable(
  "agreement_assessments",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    outcomeId: integer("outcome_id").notNull(),
    year: text().notNull(),
    kind: text().notNull(),
    version: integer().notNull(),
    category: text().$type<AssessmentCategory>().notNull(),
    evidence: text().notNull().default(""),
    collaboration: text(),
    reason: text(),
    authorId: integer("author_id"),
    author: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("agreement_assessments_uq").on(t.outcomeId, t.year, t.kind, t.version),
    index("agreement_assessments_outcome_idx").on(t.outcomeId),
  ],
);

/** Judgements of a separately judged part of the grant (e.g. corporate governance) for a year (append-only). */
export const agreementJudgements = pgTable(
  "agreement_judgements",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    agreementId: integer("agreement_id").notNull(),
    year: text().notNull(),
    partKey: text("part_key").notNull(),
    version: integer().notNull(),
    awardedPercent: doublePrecision("awarded_percent").notNull(),
    reason: text().notNull(),
    author: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("agreement_judgements_uq").on(t.agreementId, t.year, t.partKey, t.version)],
);

/**
 * Variations of an agreed agreement (append-only): each changes the grant or one outcome, with its reason, and keeps
 * what it replaced (`before`) and what it made (`after`).
 */
export const agreementVariations = pgTable(
  "agreement_variations",
  {
    id: serial().primaryKey(),
    agreementId: integer("agreement_id").notNull(),
    number: integer().notNull(),
    kind: text().$type<"grant" | "outcome">().notNull(),
    outcomePosition: integer("outcome_position"),
    before: jsonb().$type<Record<string, unknown>>().notNull(),
    after: jsonb().$type<Record<string, unknown>>().notNull(),
    reason: text().notNull(),
    authorId: integer("author_id"),
    author: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("agreement_variations_uq").on(t.agreementId, t.number)],
);
