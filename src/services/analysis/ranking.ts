/**
 * Quintile and rank of each area among its peers (areas of the same type, e.g. the 22 local authorities) for one
 * period and breakdown.
 *
 * - Quintile: Fingertips quintiles (METHODS §12, percentile bounds; at least 5 values) numbered by value:
 *   1 = lowest values … 5 = highest values, whatever the polarity (the polarity says which end is better).
 * - Rank: 1 = best by polarity (highest value when higher is better, lowest when lower is better); with no
 *   judgement, 1 = highest value. Ties share the best rank ("1, 2, 2, 4").
 */
import { fingertipsQuintiles } from "../../stats/quantiles.ts";
import type { Polarity } from "../../stats/types.ts";

export interface Placing {
  quintile: number | null;
  rank: number | null;
  rankOutOf: number | null;
}

/** Quintile and rank for each value (null values get nulls and are not counted). Aligned with `values`. */
export function placeAmongPeers(values: readonly (number | null)[], polarity: Polarity): Placing[] {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const quintiles = fingertipsQuintiles(
    values.map((v) => (v !== null && Number.isFinite(v) ? v : null)),
    { polarity: "lower_is_better" }, // not reversed: 1 = lowest values
  ).categories;
  const descending = polarity !== "lower_is_better";
  const sorted = [...present].sort((a, b) => (descending ? b - a : a - b));
  const outOf = present.length;
  return values.map((v, i) => {
    if (v === null || !Number.isFinite(v)) return { quintile: null, rank: null, rankOutOf: null };
    const q = quintiles[i] ?? 0;
    return { quintile: q === 0 ? null : q, rank: firstIndex(sorted, v, descending) + 1, rankOutOf: outOf };
  });
}

/** Index of the first element equal to x in `sorted` (ascending, or descending when `descending`). */
function firstIndex(sorted: readonly number[], x: number, descending: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const before = descending ? sorted[mid]! > x : sorted[mid]! < x;
    if (before) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
