/**
 * Means with Student's t confidence intervals — `phe_mean` (METHODS.md §4).
 */

import { normaliseConfidence } from "./confidence.ts";
import { qt } from "./distributions.ts";
import type { IntervalEstimate } from "./interval-estimate.ts";

/** Options for {@link meanCI}. */
export interface MeanOptions {
  /** 0.9–1 or 90–100; default 0.95. */
  confidence?: number;
}

/** A mean with its t interval plus the summary statistics it was computed from. */
export interface MeanEstimate extends IntervalEstimate {
  /** Σ values (null if any value is missing). */
  sum: number | null;
  /** Number of values INCLUDING missing ones (R `length`, METHODS.md §13 quirk 4). */
  count: number;
  /** Sample standard deviation (n − 1 denominator); null if any value is missing or count = 1. */
  standardDeviation: number | null;
  method: "Student's t-distribution";
}

/** Neumaier-compensated sum (close to R's extended-precision accumulation). */
function compensatedSum(values: readonly number[]): number {
  let sum = 0;
  let compensation = 0;
  for (const v of values) {
    const t = sum + v;
    compensation += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + compensation;
}

/**
 * Mean of `values` with a two-sided Student's t interval: mean ± |t⁻¹((1 − c)/2; n − 1)| · sd / √n.
 *
 * Missing values (null/undefined) are NOT dropped: as in the reference (no `na.rm`), any missing value
 * makes value, limits, sum and standard deviation null, while `count` still counts it. With one value
 * the standard deviation and limits are null; with all values equal the limits equal the mean.
 *
 * @throws Error if `values` is empty, a value is NaN/±Infinity, or the confidence is invalid
 */
export function meanCI(values: readonly (number | null | undefined)[], options: MeanOptions = {}): MeanEstimate {
  const confidence = normaliseConfidence(options.confidence);
  if (!Array.isArray(values) || values.length === 0) throw new Error("values must be a non-empty array");
  const count = values.length;
  const present: number[] = [];
  values.forEach((v, i) => {
    if (v === null || v === undefined) return;
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new Error(`values[${i}] must be a finite number or null; got ${String(v)}`);
    }
    present.push(v);
  });
  const method = "Student's t-distribution" as const;
  if (present.length < count) {
    return { value: null, lower: null, upper: null, confidence, sum: null, count, standardDeviation: null, method };
  }
  const sum = compensatedSum(present);
  const value = sum / count;
  if (count === 1) {
    return { value, lower: null, upper: null, confidence, sum, count, standardDeviation: null, method };
  }
  const squaredDeviations = present.map((v) => (v - value) * (v - value));
  const standardDeviation = Math.sqrt(compensatedSum(squaredDeviations) / (count - 1));
  const halfWidth =
    standardDeviation === 0
      ? 0
      : (Math.abs(qt((1 - confidence) / 2, count - 1)) * standardDeviation) / Math.sqrt(count);
  return {
    value,
    lower: value - halfWidth,
    upper: value + halfWidth,
    confidence,
    sum,
    count,
    standardDeviation,
    method,
  };
}
