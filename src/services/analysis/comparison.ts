/**
 * Comparison of a value with a benchmark (Wales, the parent grouping, a comparator group) with the Fingertips
 * overlapping-confidence-interval methods (METHODS §11): with 95% and 99.8% limits, `single_ci_two_levels`
 * (significant at 95% or 99.8%); with only 95% limits, `single_ci_95`; counts and values without limits are not
 * compared. Higher/lower become better/worse by polarity.
 */
import { compareWithBenchmark } from "../../stats/benchmark.ts";
import type { ComparisonMethod, Polarity, Significance } from "../../stats/types.ts";
import { POLARITIES } from "../../stats/types.ts";

export interface ComparedValue {
  value: number | null;
  lower95: number | null;
  upper95: number | null;
  lower998: number | null;
  upper998: number | null;
}

export interface ComparisonOutcome {
  significance: Significance;
  /** 95 or 99.8 when significant, else null. */
  level: number | null;
}

export const NOT_COMPARED: ComparisonOutcome = Object.freeze({ significance: "not_compared", level: null });

/** The comparison method for a value: two levels when both intervals exist, 95% only, or none. */
export function comparisonMethodFor(
  valueType: string,
  value: number | null,
  limits: Omit<ComparedValue, "value">,
): ComparisonMethod | null {
  if (valueType === "count" || value === null) return null;
  if (limits.lower95 === null || limits.upper95 === null) return null;
  if (limits.lower998 !== null && limits.upper998 !== null) return "single_ci_two_levels";
  return "single_ci_95";
}

/** A measure's polarity as the statistics library knows it (unknown values count as no judgement). */
export function statsPolarity(polarity: string): Polarity {
  return (POLARITIES as readonly string[]).includes(polarity) ? (polarity as Polarity) : "no_judgement";
}

/** Compares `v` with a benchmark value by `method`; inconsistent limits give "not compared" rather than an error. */
export function compareValue(
  v: ComparedValue,
  benchmark: number | null,
  method: ComparisonMethod | null,
  polarity: Polarity,
): ComparisonOutcome {
  if (method === null || benchmark === null || v.value === null) return NOT_COMPARED;
  try {
    const r = compareWithBenchmark(v, benchmark, { method, polarity });
    return { significance: r.significance, level: r.level };
  } catch {
    return NOT_COMPARED;
  }
}
