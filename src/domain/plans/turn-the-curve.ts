/**
 * Results-Based Accountability judgements for a plan's selected measure: does the latest value beat the baseline
 * forecast ("turning the curve"), and does it meet its target? Pure; no I/O. The wording of these judgements in
 * English and Welsh lives in the render wing; this module returns codes and numbers only.
 */

import type { Polarity } from "../enums.ts";

/** The forecast at one position: point value and prediction interval (from `forecast` in src/stats). */
export interface ForecastBand {
  value: number;
  lower: number;
  upper: number;
  /** Prediction-interval level, e.g. 0.95. */
  level: number;
}

/** How an actual value stands against the forecast made at the baseline. */
export type CurveVerdict =
  /** Better than forecast, outside the prediction interval: the curve has turned. */
  | "better_significant"
  /** Better than forecast but inside the prediction interval: not yet distinguishable from the forecast. */
  | "better_not_significant"
  /** Exactly the forecast value. */
  | "as_forecast"
  | "worse_not_significant"
  | "worse_significant"
  /** Measures with no judgement of direction: higher or lower, never better or worse. */
  | "higher_significant"
  | "higher_not_significant"
  | "lower_not_significant"
  | "lower_significant";

export interface CurveJudgement {
  verdict: CurveVerdict;
  /** actual − forecast value. */
  difference: number;
  /** Whether the actual lies outside the forecast's prediction interval (at `band.level`). */
  significant: boolean;
  /** True when the verdict says the curve has turned for the better (significantly better than forecast). */
  turned: boolean;
}

/**
 * Judges an actual value against the forecast band for the same period. A prediction interval is the range in
 * which a new observation would fall, at the interval's level, if nothing changed; a value outside it is a
 * significant departure from the baseline trend. A value exactly on an interval limit counts as inside.
 */
export function judgeAgainstForecast(actual: number, band: ForecastBand, polarity: Polarity): CurveJudgement {
  if (!Number.isFinite(actual)) throw new Error(`judgeAgainstForecast: actual must be a finite number; got ${actual}`);
  if (!(band.lower <= band.value && band.value <= band.upper))
    throw new Error("judgeAgainstForecast: the band must satisfy lower ≤ value ≤ upper");
  const difference = actual - band.value;
  const significant = actual > band.upper || actual < band.lower;
  if (difference === 0) return { verdict: "as_forecast", difference, significant: false, turned: false };
  const higher = difference > 0;
  if (polarity === "no_judgement") {
    const verdict: CurveVerdict = higher
      ? significant
        ? "higher_significant"
        : "higher_not_significant"
      : significant
        ? "lower_significant"
        : "lower_not_significant";
    return { verdict, difference, significant, turned: false };
  }
  const better = polarity === "higher_is_better" ? higher : !higher;
  const verdict: CurveVerdict = better
    ? significant
      ? "better_significant"
      : "better_not_significant"
    : significant
      ? "worse_significant"
      : "worse_not_significant";
  return { verdict, difference, significant, turned: better && significant };
}

/** Where an actual value stands against a target set for its period. */
export type TargetStatus = "met" | "not_met" | "not_judged";

/**
 * A target is met when the actual is at least as good as the target in the measure's direction (equal counts as
 * met). Measures without a direction (`no_judgement`) are not judged against targets.
 */
export function targetStatus(actual: number, target: number, polarity: Polarity): TargetStatus {
  if (!Number.isFinite(actual) || !Number.isFinite(target)) throw new Error("targetStatus: numbers must be finite");
  if (polarity === "no_judgement") return "not_judged";
  const met = polarity === "higher_is_better" ? actual >= target : actual <= target;
  return met ? "met" : "not_met";
}

/**
 * Whether a proposed target asks for better than the forecast (a target worse than where the curve is heading
 * anyway is not a target for improvement). Returns null for measures without a direction.
 */
export function targetBeatsForecast(target: number, forecastValue: number, polarity: Polarity): boolean | null {
  if (polarity === "no_judgement") return null;
  return polarity === "higher_is_better" ? target > forecastValue : target < forecastValue;
}
