/** Analysis (derived from the published, disclosure-controlled observations; recomputed when they change). */
import {
  bigint,
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from "drizzle-orm/pg-core";

/**
 * The analysis of one published observation: limits, comparisons with Wales and the parent grouping, quintile and
 * rank among areas of the same type, recent trend, flags and target progress (the bilingual summary sentence is made
 * from these when a row is read: src/services/analysis/read.ts).
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
