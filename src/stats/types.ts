/**
 * Domain-neutral enumerations shared by the statistical comparison methods
 * (benchmark comparison, recent trend, funnel plots, quantiles).
 *
 * Each concept has exactly one `as const` list plus the string-literal union derived
 * from it, so callers can both type values and validate untrusted input
 * (`POLARITIES.includes(x)`). See `METHODS.md` §9–§12 for the methods that use them.
 */

/**
 * Which direction of an indicator is desirable (METHODS §11, Fingertips polarity).
 * - `higher_is_better` = Fingertips "RAG – high is good"
 * - `lower_is_better`  = Fingertips "RAG – low is good"
 * - `no_judgement`     = Fingertips "BOB" (blue/orange/blue): differences are reported as higher/lower only.
 */
export const POLARITIES = ["higher_is_better", "lower_is_better", "no_judgement"] as const;
export type Polarity = (typeof POLARITIES)[number];

/**
 * Outcome of comparing an area with a benchmark (METHODS §11).
 * `better`/`worse` are used with a judgemental polarity, `higher`/`lower` with `no_judgement`;
 * `similar` means no significant difference; `not_compared` means the inputs needed were missing.
 */
export const SIGNIFICANCES = ["better", "similar", "worse", "higher", "lower", "not_compared"] as const;
export type Significance = (typeof SIGNIFICANCES)[number];

/** Confidence level (in %) at which a benchmark difference was found (95% or 99.8%). */
export const SIGNIFICANCE_LEVELS = [95, 99.8] as const;
export type SignificanceLevel = (typeof SIGNIFICANCE_LEVELS)[number];

/**
 * Benchmark comparison methods (METHODS §11; Fingertips comparator ids in brackets).
 * - `single_ci_95`: area's 95% CI against the benchmark value (1)
 * - `single_ci_two_levels`: area's 95% and 99.8% CIs against the benchmark value (17)
 * - `double_overlap_95`: overlap of the area's and the benchmark's 95% CIs (12)
 * - `spc_proportion`: Wilson control limits around the benchmark proportion (5)
 * - `spc_dsr`: Poisson control limits around the benchmark rate (6)
 */
export const COMPARISON_METHODS = [
  "single_ci_95",
  "single_ci_two_levels",
  "double_overlap_95",
  "spc_proportion",
  "spc_dsr",
] as const;
export type ComparisonMethod = (typeof COMPARISON_METHODS)[number];

/** Direction of a recent trend (METHODS §10.4). */
export const TREND_DIRECTIONS = ["increasing", "decreasing", "no_significant_change", "cannot_be_calculated"] as const;
export type TrendDirection = (typeof TREND_DIRECTIONS)[number];

/** Judgement of a significant trend given the indicator's polarity (METHODS §10.4 display labels). */
export const TREND_JUDGEMENTS = ["getting_better", "getting_worse"] as const;
export type TrendJudgement = (typeof TREND_JUDGEMENTS)[number];

/**
 * Why a recent trend came out as it did (METHODS §10; PIM-TM reasons plus the platform's own
 * refusals).
 */
export const TREND_REASONS = [
  /** χ² above the 99.8% critical value and no leave-one-out slope changes sign. */
  "significant_trend",
  /** χ² not above the critical value. */
  "no_significant_trend",
  /** χ² significant but a leave-one-out slope has a different sign. */
  "outlier_found",
  /** Fewer than 5 points. */
  "not_enough_data_points",
  /** A value (other) or a count/denominator (proportion) is missing in the last 5 points. */
  "missing_values",
  /** A 95% confidence limit is missing in the last 5 points (non-proportions). */
  "missing_confidence_interval",
  /** Two points share a period. */
  "duplicate_periods",
  /** The last 5 periods are not consecutive (a break in the series). */
  "non_consecutive_periods",
  /** Proportion with count 0 or count = denominator (logit undefined; Fingertips refuses). */
  "degenerate_proportion",
  /** A confidence interval of zero width or with lower > upper (non-proportions). */
  "invalid_confidence_interval",
] as const;
export type TrendReason = (typeof TREND_REASONS)[number];

/** Value type for the recent trend test: proportions use counts, everything else uses values + 95% CIs. */
export const TREND_VALUE_TYPES = ["proportion", "other"] as const;
export type TrendValueType = (typeof TREND_VALUE_TYPES)[number];

/** Statistic shown on a funnel plot (METHODS §9). */
export const FUNNEL_STATISTICS = ["proportion", "ratio", "rate"] as const;
export type FunnelStatistic = (typeof FUNNEL_STATISTICS)[number];

/** Scale of ratio funnel limits: `count` = ratio − 1, `isr` = ratio × 100 (METHODS §9.3). */
export const FUNNEL_RATIO_TYPES = ["count", "isr"] as const;
export type FunnelRatioType = (typeof FUNNEL_RATIO_TYPES)[number];

/** Kind of rate on a rate funnel (METHODS §9.3). */
export const FUNNEL_RATE_TYPES = ["dsr", "crude"] as const;
export type FunnelRateType = (typeof FUNNEL_RATE_TYPES)[number];

/**
 * Position of a point relative to the funnel control limits (METHODS §9).
 * `*_99_8` = beyond the 99.8% ("3 sigma", one-sided 0.001) limit, `*_95` = beyond the 95%
 * ("2 sigma", one-sided 0.025) limit only; `not_applicable` = DSR with fewer than 10 events.
 */
export const FUNNEL_SIGNIFICANCES = [
  "high_99_8",
  "high_95",
  "low_99_8",
  "low_95",
  "not_significant",
  "not_applicable",
] as const;
export type FunnelSignificance = (typeof FUNNEL_SIGNIFICANCES)[number];

/** PHEindicatormethods labels for {@link FunnelSignificance} (factor levels of `assign_funnel_significance`). */
export const FUNNEL_SIGNIFICANCE_LABELS: Readonly<Record<FunnelSignificance, string>> = {
  high_99_8: "High (0.001)",
  high_95: "High (0.025)",
  low_99_8: "Low (0.001)",
  low_95: "Low (0.025)",
  not_significant: "Not significant",
  not_applicable: "Not applicable for events less than 10 for dsrs",
};
