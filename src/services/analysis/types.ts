/**
 * Types of the analysis over the published data: what the pure core takes in (a measure, its visible observations,
 * the areas) and what it produces (one {@link AnalysisResult} per observation, one {@link AnalysisGap} per area,
 * period and breakdown dimension). The stored rows have exactly these fields (see `analysis_results`,
 * `analysis_gaps` in `src/db/schema.ts`).
 */
import type { BilingualText } from "../../domain/enums.ts";
import type { Measure } from "../../domain/measure.ts";
import type { Observation } from "../../domain/observation.ts";
import type { Significance, TrendDirection, TrendJudgement } from "../../stats/types.ts";

/** What the analysis needs to know about a measure (derived from the canonical {@link Measure}). */
export type MeasureSpec = Pick<
  Measure,
  | "code"
  | "valueType"
  | "polarity"
  | "unit"
  | "multiplier"
  | "decimals"
  | "periodType"
  | "geographies"
  | "breakdowns"
  | "targetValue"
  | "suppressBelow"
  | "roundTo"
>;

/** One visible observation (the latest published revision of its key), before disclosure control. */
export type AnalysisObservation = Pick<
  Observation,
  | "areaCode"
  | "period"
  | "periodEnd"
  | "breakdown"
  | "value"
  | "numerator"
  | "denominator"
  | "lower95"
  | "upper95"
  | "lower998"
  | "upper998"
  | "noteCodes"
  | "illustrative"
> & { id: number };

/** An observation as the public may see it: after the suppress/round rule. */
export interface PublicObservation extends AnalysisObservation {
  /** True when the value is withheld to protect confidentiality (value, counts and limits are then null). */
  suppressed: boolean;
}

export interface AreaInfo {
  code: string;
  type: string;
  name: BilingualText;
}

/** Time-versioned membership of an area in a grouping (health board, consortium …); null dates are open. */
export interface MembershipInfo {
  groupingCode: string;
  areaCode: string;
  validFrom: string | null;
  validTo: string | null;
}

export interface DimensionInfo {
  code: string;
  title: BilingualText;
  values: readonly { code: string; label: BilingualText }[];
}

/** Areas, groupings and breakdown labels shared by every measure of one analysis run. */
export interface AreaContext {
  /** Code of the country (Wales), the benchmark. */
  walesCode: string;
  areas: ReadonlyMap<string, AreaInfo>;
  memberships: readonly MembershipInfo[];
  dimensions: ReadonlyMap<string, DimensionInfo>;
}

/** How the confidence limits were obtained. */
export type CiMethod = "supplied" | "wilson" | "byar_exact" | "poisson_count" | "dobson_single_stratum" | null;

/** Trend outcome reasons: those of `recentTrend` plus the platform's own refusals. */
export type AnalysisTrendReason =
  | "significant_trend"
  | "no_significant_trend"
  | "outlier_found"
  | "not_enough_data_points"
  | "missing_values"
  | "missing_confidence_interval"
  | "duplicate_periods"
  | "non_consecutive_periods"
  | "degenerate_proportion"
  | "invalid_confidence_interval"
  /** Rolling multi-year periods overlap, so their points are not independent (METHODS §10.1). */
  | "overlapping_periods"
  /** Monthly and quarterly series are not tested (METHODS §10.1). */
  | "period_type_not_annual";

/** The analysis of one published observation (one row of `analysis_results`). */
export interface AnalysisResult {
  measureCode: string;
  areaCode: string;
  areaType: string;
  period: string;
  periodEnd: string;
  /** Chronological sort key of the period (`Period.sortKey`). */
  periodSort: number;
  breakdown: string;
  /** The observation revision this row was computed from. */
  observationId: number;
  illustrative: boolean;
  /** Withheld to protect confidentiality: no value, limits, comparison, rank or trend. */
  suppressed: boolean;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  lower95: number | null;
  upper95: number | null;
  lower998: number | null;
  upper998: number | null;
  ciMethod: CiMethod;
  /** Benchmark comparison method used for Wales and the parent (`single_ci_two_levels`, `single_ci_95`), or null. */
  comparisonMethod: string | null;
  /** Wales; null on the Wales row itself. */
  benchmarkCode: string | null;
  benchmarkValue: number | null;
  benchmarkSignificance: Significance;
  /** 95 or 99.8 when significantly different, else null. */
  benchmarkLevel: number | null;
  /** Wales had no published value, so it was pooled from the local authorities' numerators and denominators. */
  benchmarkPooled: boolean;
  /** The area's parent grouping (e.g. its health board) at the period, or null. */
  parentCode: string | null;
  parentValue: number | null;
  /** The parent had no published value, so it was pooled from its members' numerators and denominators. */
  parentPooled: boolean;
  parentSignificance: Significance;
  parentLevel: number | null;
  /** Quintile among areas of the same type: 1 = lowest values … 5 = highest values (every polarity); null if not ranked. */
  quintile: number | null;
  /** Rank among areas of the same type: 1 = best (by polarity); with no judgement 1 = highest value. */
  rank: number | null;
  rankOutOf: number | null;
  trendDirection: TrendDirection;
  trendJudgement: TrendJudgement | null;
  trendReason: AnalysisTrendReason;
  /** Significantly worse than Wales and getting worse. */
  worseAndWorsening: boolean;
  targetValue: number | null;
  /** Met by polarity (null with no target, no value or no judgement). */
  targetMet: boolean | null;
  /** value − target. */
  targetDistance: number | null;
  /**
   * The plain-language sentence (src/render/wording/summary.ts), made from the fields above when a row is read: it is
   * not stored (millions of sentences nobody reads would be most of the analysis's time and space).
   */
  summary: BilingualText;
  dataVersion: string;
}

/** A result row as stored: every field but the summary sentence. */
export type StoredAnalysisResult = Omit<AnalysisResult, "summary">;

/** Gap trend in words: is the gap between the groups widening or narrowing? */
export type GapTrend = "widening" | "narrowing" | "no_significant_change" | "cannot_be_calculated";

/** The gap between two groups of one breakdown dimension for one area and period (one row of `analysis_gaps`). */
export interface AnalysisGap {
  measureCode: string;
  areaCode: string;
  period: string;
  periodSort: number;
  /** Breakdown dimension, e.g. "sex". */
  dimension: string;
  /** Breakdown codes of the two groups: the gap is A − B (e.g. "sex:female" − "sex:male"). */
  groupA: string;
  groupB: string;
  valueA: number;
  valueB: number;
  absolute: number;
  absoluteLower: number;
  absoluteUpper: number;
  relative: number | null;
  relativeLower: number | null;
  relativeUpper: number | null;
  /** The 95% interval of the absolute gap excludes 0. */
  significant: boolean;
  trendDirection: TrendDirection;
  trendReason: AnalysisTrendReason;
  gapTrend: GapTrend;
  dataVersion: string;
}

/**
 * Everything the pure core computes for one measure. The analysis is held in columns; its rows become objects only
 * when asked for: all at once (`results`, built on first access and kept), or a batch at a time (`rows`, new objects
 * each call, e.g. to write them without keeping them all in memory).
 */
export interface MeasureAnalysis {
  readonly results: AnalysisResult[];
  /** The number of result rows (one per observation). */
  readonly rowCount: number;
  /** Result rows from … to − 1 (row order = observation order), as new objects. */
  rows(from: number, to: number): AnalysisResult[];
  /** The same rows without their summary sentences, as they are stored. */
  storedRows(from: number, to: number): StoredAnalysisResult[];
  gaps: AnalysisGap[];
}
