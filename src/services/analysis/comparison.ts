/**
 * Comparison of a value with a benchmark (Wales, the parent grouping, a comparator group) with the Fingertips
 * overlapping-confidence-interval methods (METHODS §11): with 95% and 99.8% limits, `single_ci_two_levels`
 * (significant at 95% or 99.8%); with only 95% limits, `single_ci_95`; counts and values without limits are not
 * compared. Higher/lower become better/worse by polarity.
 */
import { compareWithBenchmark, singleCi95, singleCiComparison, singleCiTwoLevels } from "../../stats/benchmark.ts";
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
  const n = (x: number | null) => (x === null ? Number.NaN : x);
  return comparisonMethodOf(
    valueType,
    n(value),
    n(limits.lower95),
    n(limits.upper95),
    n(limits.lower998),
    n(limits.upper998),
  );
}

/** {@link comparisonMethodFor} on numbers (NaN = null). */
export function comparisonMethodOf(
  valueType: string,
  value: number,
  lower95: number,
  upper95: number,
  lower998: number,
  upper998: number,
): ComparisonMethod | null {
  if (valueType === "count" || Number.isNaN(value)) return null;
  if (Number.isNaN(lower95) || Number.isNaN(upper95)) return null;
  if (!Number.isNaN(lower998) && !Number.isNaN(upper998)) return "single_ci_two_levels";
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

/**
 * {@link compareValue} on numbers (NaN = null), for the analysis's rows: the same outcome, without building objects.
 * The single-CI methods are decided here by the very functions `compareWithBenchmark` uses; any other method goes
 * through {@link compareValue}.
 */
export function compareNumbers(
  value: number,
  lower95: number,
  upper95: number,
  lower998: number,
  upper998: number,
  benchmark: number,
  method: ComparisonMethod | null,
  polarity: Polarity,
): ComparisonOutcome {
  if (method === null || Number.isNaN(benchmark) || Number.isNaN(value)) return NOT_COMPARED;
  const has95 = !Number.isNaN(lower95) && !Number.isNaN(upper95);
  const has998 = !Number.isNaN(lower998) && !Number.isNaN(upper998);
  // compareWithBenchmark refuses (throws) on infinite numbers and inverted intervals: not compared.
  if (
    !Number.isFinite(value) ||
    !Number.isFinite(benchmark) ||
    Math.abs(lower95) === Infinity ||
    Math.abs(upper95) === Infinity ||
    Math.abs(lower998) === Infinity ||
    Math.abs(upper998) === Infinity ||
    (has95 && lower95 > upper95) ||
    (has998 && lower998 > upper998)
  ) {
    return NOT_COMPARED;
  }
  if (method === "single_ci_95") {
    return has95 ? singleCiComparison(singleCi95(value, benchmark, lower95, upper95), polarity) : NOT_COMPARED;
  }
  if (method === "single_ci_two_levels") {
    if (!has95 || !has998 || lower998 > lower95 || upper998 < upper95) return NOT_COMPARED;
    const code = singleCiTwoLevels(value, benchmark, lower95, upper95, lower998, upper998);
    return singleCiComparison(code, polarity);
  }
  const orNull = (x: number) => (Number.isNaN(x) ? null : x);
  return compareValue(
    {
      value,
      lower95: orNull(lower95),
      upper95: orNull(upper95),
      lower998: orNull(lower998),
      upper998: orNull(upper998),
    },
    benchmark,
    method,
    polarity,
  );
}
