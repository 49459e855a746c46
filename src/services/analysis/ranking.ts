/**
 * Quintile and rank of each area among its peers (areas of the same type, e.g. the 22 local authorities) for one
 * period and breakdown.
 *
 * - Quintile: Fingertips quintiles (METHODS §12: percentile bounds from `fingertipsCategoryBounds`, at least 5 values;
 *   a value is in the first quintile i with value ≤ bound[i]) numbered by value: 1 = lowest values … 5 = highest
 *   values, whatever the polarity (the polarity says which end is better). This equals `fingertipsQuintiles` with a
 *   polarity that is not reversed; the values are sorted once here because peers can number thousands (England).
 * - Rank: 1 = best by polarity (highest value when higher is better, lowest when lower is better); with no
 *   judgement, 1 = highest value. Ties share the best rank ("1, 2, 2, 4").
 */
import { fingertipsCategoryBounds } from "../../stats/quantiles.ts";
import type { Polarity } from "../../stats/types.ts";

export interface Placing {
  quintile: number | null;
  rank: number | null;
  rankOutOf: number | null;
}

const UNPLACED: Placing = Object.freeze({ quintile: null, rank: null, rankOutOf: null });

/** Index of the first element of ascending `sorted` that is ≥ x (`strict`: > x). */
function bound(sorted: Float64Array, x: number, strict: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v < x || (strict && v === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Quintile and rank for each value (null values get nulls and are not counted). Aligned with `values`. */
export function placeAmongPeers(values: readonly (number | null)[], polarity: Polarity): Placing[] {
  const column = Float64Array.from(values, (v) => (v === null ? Number.NaN : v));
  const rows = Int32Array.from(column.keys());
  const quintile = new Uint8Array(column.length);
  const rank = new Int32Array(column.length);
  const rankOutOf = new Int32Array(column.length);
  placeRows(column, rows, 0, rows.length, polarity, quintile, rank, rankOutOf);
  return values.map((_, i): Placing => {
    if (rank[i] === 0) return UNPLACED;
    return { quintile: quintile[i] === 0 ? null : quintile[i]!, rank: rank[i]!, rankOutOf: rankOutOf[i]! };
  });
}

/**
 * {@link placeAmongPeers} in columns, for the analysis: places the peers rows[from … to − 1] by their `values` (NaN or
 * infinite = no value) and writes each placed row's quintile (0 = none), rank and rankOutOf; unplaced rows are left
 * as they are (0).
 */
export function placeRows(
  values: Float64Array,
  rows: Int32Array,
  from: number,
  to: number,
  polarity: Polarity,
  quintile: Uint8Array,
  rank: Int32Array,
  rankOutOf: Int32Array,
): void {
  let count = 0;
  for (let k = from; k < to; k++) if (Number.isFinite(values[rows[k]!]!)) count++;
  const sorted = new Float64Array(count);
  let j = 0;
  for (let k = from; k < to; k++) {
    const v = values[rows[k]!]!;
    if (Number.isFinite(v)) sorted[j++] = v;
  }
  sorted.sort();
  // Already sorted, so the library's own sort is linear; it needs more than 3 values, categories need 5.
  const bounds = count >= 5 ? fingertipsCategoryBounds(Array.from(sorted), 5) : null;
  const descending = polarity !== "lower_is_better";
  for (let k = from; k < to; k++) {
    const row = rows[k]!;
    const v = values[row]!;
    if (!Number.isFinite(v)) continue;
    if (bounds) {
      let i = 1;
      while (i < 5 && v > bounds[i]!) i++;
      quintile[row] = i;
    }
    rank[row] = descending ? count - bound(sorted, v, true) + 1 : bound(sorted, v, false) + 1;
    rankOutOf[row] = count;
  }
}
