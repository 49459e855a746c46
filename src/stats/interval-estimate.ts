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
