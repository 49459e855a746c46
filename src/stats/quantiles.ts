/**
 * Assigning values to quantiles: the rank-based PHEindicatormethods `phe_quantile` (METHODS §7)
 * and the percentile-based Fingertips quintiles (METHODS §12). The two can disagree on ties and
 * boundaries; callers pick one explicitly.
 */

import { assertOneOf } from "./input-checks.ts";
import { optionalFiniteNumber } from "./interval-checks.ts";
import { POLARITIES, type Polarity } from "./types.ts";

export interface QuantileOptions {
  /** Number of quantiles (e.g. 10 for deciles, 5 for quintiles); an integer ≥ 1. */
  n: number;
  /**
   * `true` (the PHEindicatormethods default): quantile 1 holds the **highest** values.
   * `false`: quantile 1 holds the lowest values. May be given per value (like PIM's
   * `inverttype = "field"`), in which case every entry must be the same.
   */
  invert?: boolean | readonly boolean[];
}

/**
 * Assigns each value of one group to a quantile with the PHEindicatormethods `phe_quantile`
 * algorithm (METHODS §7). Grouping is the caller's job: call once per group.
 *
 * With N = number of non-missing values, rank = rank of the value (or of max − value when
 * inverted) with ties taking the minimum rank:
 * quantile = floor((n + 1) − ceiling((N + 1 − rank) / (N / n))), and 0 becomes 1.
 * Missing values get `null`; if N < n every quantile is `null` ("too few small areas").
 *
 * @returns quantiles aligned with `values` (1..n or `null`)
 * @throws Error if n is not a positive integer, a value is not finite, or `invert` is given per
 *   value with differing entries or the wrong length (PIM: "invert field values must take the
 *   same logical value for each data grouping set").
 */
export function quantiles(values: readonly (number | null | undefined)[], options: QuantileOptions): (number | null)[] {
  if (!Array.isArray(values)) throw new Error("quantiles: values must be an array");
  const n = options?.n;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
    throw new Error(`quantiles: n must be a positive integer; got ${String(n)}`);
  }
  const invert = resolveInvert(options.invert, values.length);
  const xs = values.map((v, i) => optionalFiniteNumber(v, `quantiles: values[${i}]`));
  const present = xs.filter((v): v is number => v !== null);
  const count = present.length;
  if (count < n) return xs.map(() => null);

  // PIM ranks max(value) − value when inverting (not −value); replicate exactly, including ties
  // created by floating-point subtraction.
  const max = present.reduce((m, v) => Math.max(m, v), Number.NEGATIVE_INFINITY);
  const adjusted = xs.map((v) => (v === null ? null : invert ? max - v : v));
  const sorted = adjusted.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const width = count / n;
  return adjusted.map((v) => {
    if (v === null) return null;
    const rank = lowerBound(sorted, v) + 1; // ties.method = "min"
    const q = Math.floor(n + 1 - Math.ceil((count + 1 - rank) / width));
    return q === 0 ? 1 : q;
  });
}

function resolveInvert(invert: QuantileOptions["invert"], length: number): boolean {
  if (invert === undefined) return true;
  if (typeof invert === "boolean") return invert;
  if (!Array.isArray(invert)) throw new Error("quantiles: invert must be a boolean or an array of booleans");
  if (invert.length !== length) {
    throw new Error(`quantiles: invert has ${invert.length} entries but there are ${length} values`);
  }
  if (invert.some((x) => typeof x !== "boolean")) throw new Error("quantiles: invert entries must be booleans");
  const first = invert[0] ?? true;
  if (invert.some((x) => x !== first)) {
    throw new Error("quantiles: invert must take the same value for every value in a group (mixed polarity)");
  }
  return first;
}

/** Index of the first element of ascending `sorted` that is ≥ x. */
function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Fingertips category bounds (METHODS §12, `ValueCategoriesCalculator.GetCategoryBounds`):
 * [min, P(1/k), …, P((k−1)/k), max] where P(f) interpolates linearly at position
 * h = (count − 1)·f + 1 of the sorted values (Excel PERCENTILE.INC / R type 7), rounded to 10
 * decimal places (half away from zero). Needs more than 3 values; otherwise `null`.
 *
 * @param k number of categories (5 = quintiles, 4 = quartiles)
 */
export function fingertipsCategoryBounds(values: readonly number[], k: number): number[] | null {
  if (typeof k !== "number" || !Number.isInteger(k) || k < 2) {
    throw new Error(`fingertipsCategoryBounds: k must be an integer >= 2; got ${String(k)}`);
  }
  const sorted = values.map((v, i) => requireValue(v, i)).sort((a, b) => a - b);
  if (sorted.length <= 3) return null;
  const count = sorted.length;
  const step = 1 / k;
  const bounds = [sorted[0]!];
  for (let i = 1; i < k; i++) bounds.push(percentileInc(sorted, step * i));
  bounds.push(sorted[count - 1]!);
  return bounds;
}

function requireValue(v: unknown, i: number): number {
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new Error(`fingertipsCategoryBounds: values[${i}] must be a finite number; got ${String(v)}`);
  }
  return v;
}

function percentileInc(sorted: readonly number[], fraction: number): number {
  const count = sorted.length;
  const h = (count - 1) * fraction + 1;
  if (h === 1) return sorted[0]!;
  if (h === count) return sorted[count - 1]!;
  const k = Math.trunc(h);
  const d = h - k;
  const p = sorted[k - 1]! + d * (sorted[k]! - sorted[k - 1]!);
  return roundHalfAwayFromZero(p, 10);
}

/**
 * .NET `Math.Round(x, digits, MidpointRounding.AwayFromZero)`: scale by 10^digits, split off the
 * fraction, add ±1 if |fraction| ≥ 0.5, unscale; values with |x| ≥ 1e16 are returned unchanged.
 * Note (Fingertips quirk): rounding the interpolated bounds to 10 dp means values smaller than
 * ~1e-10 can produce a bound below the minimum.
 */
function roundHalfAwayFromZero(x: number, digits: number): number {
  if (!(Math.abs(x) < 1e16)) return x;
  const power = 10 ** digits;
  const scaled = x * power;
  let whole = Math.trunc(scaled);
  const fraction = scaled - whole;
  if (Math.abs(fraction) >= 0.5) whole += Math.sign(fraction);
  return whole / power;
}

/** Quintile category: 1..5, or 0 = not categorised (too few values or missing value). */
export type QuintileCategory = 0 | 1 | 2 | 3 | 4 | 5;

export interface FingertipsQuintiles {
  /** [min, P20, P40, P60, P80, max], or `null` when there are 3 or fewer values. */
  bounds: number[] | null;
  /** Category per input value (aligned with the input; missing values get 0). */
  categories: QuintileCategory[];
}

/**
 * Fingertips quintiles (METHODS §12; `QuintilesCalculator` / `QuintilesComparer`).
 *
 * Bounds come from {@link fingertipsCategoryBounds} over the non-missing values (k = 5). A value
 * is in the first quintile i (1..5) with value ≤ bound[i]; 1 = lowest values. With
 * `higher_is_better` the category is reversed (6 − i) so that 1 = best. Fewer than 5 non-missing
 * values → every category is 0 (not compared).
 *
 * Label for a category c with 1 = lowest values: "Lowest quintile", "2nd lowest quintile",
 * "Middle quintile", "2nd highest quintile", "Highest quintile".
 */
export function fingertipsQuintiles(
  values: readonly (number | null | undefined)[],
  options: { polarity: Polarity },
): FingertipsQuintiles {
  if (!Array.isArray(values)) throw new Error("fingertipsQuintiles: values must be an array");
  assertOneOf(options?.polarity, POLARITIES, "fingertipsQuintiles: polarity");
  const xs = values.map((v, i) => optionalFiniteNumber(v, `fingertipsQuintiles: values[${i}]`));
  const valid = xs.filter((v): v is number => v !== null);
  const bounds = fingertipsCategoryBounds(valid, 5);
  if (bounds === null || valid.length < 5) {
    return { bounds, categories: xs.map(() => 0) };
  }
  const reverse = options.polarity === "higher_is_better";
  const categories = xs.map((v): QuintileCategory => {
    if (v === null) return 0;
    let i = 1;
    while (i < 5 && v > bounds[i]!) i++;
    return (reverse ? 6 - i : i) as QuintileCategory;
  });
  return { bounds, categories };
}
