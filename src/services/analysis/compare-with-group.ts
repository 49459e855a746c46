/**
 * Comparison with a comparator group chosen by the reader (e.g. statistical neighbours from `comparator_groups`).
 * Computed on demand from stored results, not stored, because the group is the reader's choice. Pure.
 */
import type { Measure } from "../../domain/measure.ts";
import type { ComparisonMethod } from "../../stats/types.ts";
import { compareValue, statsPolarity } from "./comparison.ts";
import { placeAmongPeers } from "./ranking.ts";
import type { AnalysisResult } from "./types.ts";

/** The fields of a measure the group comparison needs (derived from the canonical {@link Measure}). */
export type GroupMeasureInfo = Pick<Measure, "valueType" | "polarity" | "multiplier">;

export interface GroupAreaComparison {
  areaCode: string;
  /** Against the group value, by the row's comparison method (as for Wales); `not_compared` without limits. */
  significance: AnalysisResult["benchmarkSignificance"];
  level: number | null;
  /** Rank among the group's members (1 = best by polarity; no judgement: 1 = highest); null for non-members. */
  rank: number | null;
  rankOutOf: number | null;
  member: boolean;
}

export interface GroupComparison {
  /**
   * The group's value: pooled Σ numerators / Σ denominators for proportions and crude rates when every member with a
   * value has both, otherwise the unweighted mean of the members' values; null when no member has a value (or the
   * measure is a count).
   */
  groupValue: number | null;
  groupMethod: "pooled" | "mean" | null;
  /** Members with a published value, and members without one (missing or suppressed). */
  membersWithValue: number;
  membersWithoutValue: number;
  /** One entry per result passed in, in the same order. */
  areas: GroupAreaComparison[];
}

/**
 * Compares every area in `results` with the group made of `groupAreaCodes`.
 *
 * @param results analysis rows of ONE measure, period and breakdown (e.g. `getMeasureResults(db, code)`)
 * @throws Error when `results` mixes measures, periods or breakdowns
 */
export function compareWithGroup(
  results: readonly AnalysisResult[],
  groupAreaCodes: readonly string[],
  measure: GroupMeasureInfo,
): GroupComparison {
  const first = results[0];
  if (
    first &&
    results.some(
      (r) => r.measureCode !== first.measureCode || r.period !== first.period || r.breakdown !== first.breakdown,
    )
  ) {
    throw new Error("compareWithGroup: results must be of one measure, period and breakdown");
  }
  const polarity = statsPolarity(measure.polarity);
  const group = new Set(groupAreaCodes);
  const members = results.filter((r) => group.has(r.areaCode));
  const withValue = members.filter((r) => !r.suppressed && r.value !== null);
  let groupValue: number | null = null;
  let groupMethod: GroupComparison["groupMethod"] = null;
  if (measure.valueType !== "count" && withValue.length > 0) {
    const poolable =
      (measure.valueType === "proportion" || measure.valueType === "crude_rate") &&
      withValue.every((r) => r.numerator !== null && r.denominator !== null);
    const den = poolable ? withValue.reduce((s, r) => s + r.denominator!, 0) : 0;
    if (poolable && den > 0) {
      groupValue = (withValue.reduce((s, r) => s + r.numerator!, 0) / den) * measure.multiplier;
      groupMethod = "pooled";
    } else {
      groupValue = withValue.reduce((s, r) => s + r.value!, 0) / withValue.length;
      groupMethod = "mean";
    }
  }
  const placings = placeAmongPeers(
    members.map((r) => (r.suppressed ? null : r.value)),
    polarity,
  );
  const placingOf = new Map(members.map((r, i) => [r, placings[i]!]));
  return {
    groupValue,
    groupMethod,
    membersWithValue: withValue.length,
    membersWithoutValue: group.size - withValue.length,
    areas: results.map((r) => {
      const outcome = r.suppressed
        ? { significance: "not_compared" as const, level: null }
        : compareValue(r, groupValue, r.comparisonMethod as ComparisonMethod | null, polarity);
      const placing = placingOf.get(r);
      return {
        areaCode: r.areaCode,
        significance: outcome.significance,
        level: outcome.level,
        rank: placing?.rank ?? null,
        rankOutOf: placing?.rankOutOf ?? null,
        member: group.has(r.areaCode),
      };
    }),
  };
}
