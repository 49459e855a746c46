/**
 * Linear baseline forecast for Results-Based Accountability "turn the curve" charts: where the
 * indicator is heading if nothing changes. Ordinary least squares of value on period with
 * Student-t prediction intervals. Not a Fingertips/PHEindicatormethods method (see METHODS §10
 * for the significance test of a recent trend, which this does not replace). Pure; no I/O.
 */

import { qt } from "./distributions.ts";

/** One observed period. */
export interface ForecastPoint {
  /** Position on the time axis, e.g. 2019 or a period index. */
  period: number;
  value: number;
}

export interface ForecastOptions {
  /** Number of future periods to project (integer ≥ 0). */
  horizon: number;
  /** Prediction-interval level, e.g. 0.8 or 0.95 (80 / 95 also accepted). Default 0.95. */
  level?: number;
  /** Spacing of future periods after the last observed one; default 1. */
  step?: number;
}

export interface ForecastFittedPoint {
  period: number;
  observed: number;
  fitted: number;
  residual: number;
}

export interface ForecastProjectedPoint {
  period: number;
  /** Point forecast on the fitted line. */
  value: number;
  /** Prediction interval for a new observation at `period`. */
  lower: number;
  upper: number;
  /** Standard error of prediction s·√(1 + 1/n + (x₀ − x̄)²/Sxx). */
  se: number;
}

export interface ForecastResult {
  intercept: number;
  /** Change per unit of period. */
  slope: number;
  /** Residual standard deviation s = √(RSS / (n − 2)). */
  residualSd: number;
  n: number;
  degreesOfFreedom: number;
  level: number;
  /** Student t quantile used for the intervals. */
  t: number;
  /** Observed periods with the fitted line. */
  history: ForecastFittedPoint[];
  /** `horizon` projected periods. */
  forecast: ForecastProjectedPoint[];
}

function normaliseLevel(level: unknown): number {
  if (typeof level !== "number" || !Number.isFinite(level)) {
    throw new Error(`forecast: level must be a number such as 0.8 or 0.95; got ${String(level)}`);
  }
  const l = level > 1 && level < 100 ? level / 100 : level;
  if (!(l > 0 && l < 1)) throw new Error(`forecast: level must be between 0 and 1 (or 0 and 100 %); got ${level}`);
  return l;
}

/**
 * Fits value = α + β·period by ordinary least squares and projects `horizon` periods ahead with
 * t-based prediction intervals:
 *
 *   ŷ₀ = α + β·x₀,  se_pred = s·√(1 + 1/n + (x₀ − x̄)²/Sxx),  ŷ₀ ± t_{(1+level)/2, n−2} · se_pred,
 *
 * with s² = Σ residuals² / (n − 2) and Sxx = Σ(x − x̄)². An exactly linear history gives s = 0 and
 * zero-width intervals. Points may be plain numbers (periods 1..n) or `{ period, value }`; they
 * are sorted by period. Future periods are last period + step·h, h = 1..horizon.
 *
 * @throws Error with fewer than 3 points, non-finite numbers, all periods equal, or an invalid
 *   horizon/level/step.
 */
export function forecast(
  points: readonly number[] | readonly ForecastPoint[],
  options: ForecastOptions,
): ForecastResult {
  if (!Array.isArray(points)) throw new Error("forecast: points must be an array");
  if (points.length < 3) {
    throw new Error(
      `forecast: at least 3 points are needed for a linear forecast with intervals; got ${points.length}`,
    );
  }
  const horizon = options?.horizon;
  if (typeof horizon !== "number" || !Number.isInteger(horizon) || horizon < 0) {
    throw new Error(`forecast: horizon must be a non-negative integer; got ${String(horizon)}`);
  }
  const level = normaliseLevel(options.level ?? 0.95);
  const step = options.step ?? 1;
  if (typeof step !== "number" || !Number.isFinite(step) || step <= 0) {
    throw new Error(`forecast: step must be a positive finite number; got ${String(step)}`);
  }

  const data = (points as readonly (number | ForecastPoint)[])
    .map((p, i): ForecastPoint => {
      const point = typeof p === "number" ? { period: i + 1, value: p } : p;
      if (point === null || typeof point !== "object")
        throw new Error(`forecast: points[${i}] must be a number or object`);
      if (typeof point.period !== "number" || !Number.isFinite(point.period)) {
        throw new Error(`forecast: points[${i}].period must be a finite number; got ${String(point.period)}`);
      }
      if (typeof point.value !== "number" || !Number.isFinite(point.value)) {
        throw new Error(`forecast: points[${i}].value must be a finite number; got ${String(point.value)}`);
      }
      return { period: point.period, value: point.value };
    })
    .sort((a, b) => a.period - b.period);

  const n = data.length;
  const xBar = data.reduce((s, p) => s + p.period, 0) / n;
  const yBar = data.reduce((s, p) => s + p.value, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of data) {
    sxx += (p.period - xBar) ** 2;
    sxy += (p.period - xBar) * (p.value - yBar);
  }
  if (!(sxx > 0)) throw new Error("forecast: the periods must not all be equal");
  const slope = sxy / sxx;
  const intercept = yBar - slope * xBar;
  const fittedAt = (x: number) => yBar + slope * (x - xBar);

  const history = data.map((p) => {
    const fitted = fittedAt(p.period);
    return { period: p.period, observed: p.value, fitted, residual: p.value - fitted };
  });
  const rss = history.reduce((s, h) => s + h.residual ** 2, 0);
  const df = n - 2;
  const residualSd = Math.sqrt(rss / df);
  const t = qt((1 + level) / 2, df);

  const last = data[n - 1]!.period;
  const projected: ForecastProjectedPoint[] = [];
  for (let h = 1; h <= horizon; h++) {
    const x0 = last + step * h;
    const value = fittedAt(x0);
    const se = residualSd * Math.sqrt(1 + 1 / n + (x0 - xBar) ** 2 / sxx);
    projected.push({ period: x0, value, lower: value - t * se, upper: value + t * se, se });
  }
  return {
    intercept,
    slope,
    residualSd,
    n,
    degreesOfFreedom: df,
    level,
    t,
    history,
    forecast: projected,
  };
}
