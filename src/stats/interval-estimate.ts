/**
 * Result shape shared by the interval methods (proportion, rate, mean, DSR, ISR, life expectancy).
 */

/**
 * A point estimate with its confidence limits at ONE confidence level (call again for another level).
 * `null` means "not available" (R's NA): a missing input, a suppressed statistic (e.g. DSR with a total
 * count < 10) or an undefined limit (e.g. Byar's lower limit below 0).
 */
export interface IntervalEstimate {
  value: number | null;
  lower: number | null;
  upper: number | null;
  /** The normalised confidence level of `lower`/`upper`, e.g. 0.95 or 0.998. */
  confidence: number;
}

/** The all-missing estimate. */
export function missingEstimate(confidence: number): IntervalEstimate {
  return { value: null, lower: null, upper: null, confidence };
}

/**
 * A column of numbers as the columnar interval methods take it (`Float64Array` or `number[]`): missing values are NaN
 * (null and undefined also count as missing, as in the scalar functions).
 */
export type NumericColumn = ArrayLike<number | null | undefined>;

/**
 * The columnar form of {@link IntervalEstimate}: one element per input row, NaN where the scalar function gives null
 * (a missing input or an undefined limit).
 */
export interface IntervalColumns {
  value: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  /** The normalised confidence level of `lower`/`upper`, e.g. 0.95 or 0.998. */
  confidence: number;
}

/** Three new columns of `length` rows. */
export function newIntervalColumns(length: number, confidence: number): IntervalColumns {
  return {
    value: new Float64Array(length),
    lower: new Float64Array(length),
    upper: new Float64Array(length),
    confidence,
  };
}
