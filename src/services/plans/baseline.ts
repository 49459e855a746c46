/**
 * The baseline of a plan's selected measure (Results-Based Accountability): the published series of the
 * partnership's area up to the plan's start, a forecast of where the curve goes if nothing changes (a linear trend
 * with a 95% prediction interval, `forecast` in src/stats), and the latest value after the baseline judged against
 * that forecast. Pure: it takes the published points and returns numbers and codes; wording lives in the render wing.
 */

import type { Polarity } from "../../domain/enums.ts";
import type { Period } from "../../domain/period-model.ts";
import { comparePeriods, periodsBetween, shiftPeriod } from "../../domain/period-order.ts";
import { parsePeriod } from "../../domain/period-parse.ts";
import type { PeriodType } from "../../domain/period-type.ts";
import type { PlanPeriod } from "../../domain/plans/plan-period.ts";
import {
  type CurveJudgement,
  judgeAgainstForecast,
  type TargetStatus,
  targetStatus,
} from "../../domain/plans/turn-the-curve.ts";
import { forecast as fitForecast } from "../../stats/forecast.ts";

/** One published value of the area's series (total breakdown), disclosure control already applied. */
export interface SeriesValue {
  period: string;
  value: number | null;
  lower95?: number | null;
  upper95?: number | null;
}

export interface BaselinePoint {
  period: string;
  value: number;
  lower95: number | null;
  upper95: number | null;
}

export interface ForecastPoint {
  period: string;
  value: number;
  lower: number;
  upper: number;
}

export type NoForecastReason = "no_baseline" | "too_few_points" | "unknown_period_type";

export interface PlanBaseline {
  /** The latest published value ending before the plan starts, or null. */
  baseline: BaselinePoint | null;
  /** Published values up to and including the baseline, oldest first (the history the forecast is fitted to). */
  history: BaselinePoint[];
  /** Published values after the baseline, oldest first. */
  actuals: BaselinePoint[];
  /** The forecast for every period of the series from after the baseline to the end of the plan. */
  forecast: ForecastPoint[];
  /** Why there is no forecast, when there is none. */
  noForecast: NoForecastReason | null;
  /** The periods of the series that fall in the plan (targets are set for these). */
  planPeriods: string[];
  /** The latest value after the baseline, judged against the forecast for its period (when there is one). */
  latest: (BaselinePoint & { judgement: CurveJudgement | null; target: TargetStatus | null }) | null;
  /** Prediction-interval level of the forecast. */
  level: number;
}

/** First and last day of a plan period: calendar years run January–December, financial years April–March. */
export function planDates(plan: PlanPeriod): { start: string; end: string } {
  return plan.kind === "calendar_years"
    ? { start: `${plan.startYear}-01-01`, end: `${plan.endYear}-12-31` }
    : { start: `${plan.startYear}-04-01`, end: `${plan.endYear}-03-31` };
}

const LEVEL = 0.95;

/**
 * Computes the baseline, forecast and latest judgement of one measure for one plan. `targets` maps a period code to
 * its target value (to report whether the latest value met its target).
 */
export function planBaseline(
  series: readonly SeriesValue[],
  periodType: PeriodType,
  plan: PlanPeriod,
  polarity: Polarity,
  targets: ReadonlyMap<string, number> = new Map(),
): PlanBaseline {
  const { start, end } = planDates(plan);
  const parsed: { period: Period; point: BaselinePoint }[] = [];
  for (const s of series) {
    if (s.value === null || !Number.isFinite(s.value)) continue;
    const p = parsePeriod(s.period, periodType);
    if (!p.ok) continue;
    parsed.push({
      period: p.period,
      point: { period: s.period, value: s.value, lower95: s.lower95 ?? null, upper95: s.upper95 ?? null },
    });
  }
  parsed.sort((a, b) => comparePeriods(a.period, b.period));
  const before = parsed.filter((x) => x.period.end < start);
  const after = parsed.filter((x) => x.period.end >= start);
  const baselineEntry = before.at(-1) ?? null;

  const planPeriods: Period[] = [];
  const anchor = baselineEntry?.period ?? after[0]?.period;
  if (anchor) {
    // walk forward from the anchor to the end of the plan, keeping the periods that end inside the plan
    let p = anchor;
    for (let i = 0; i < 1000 && p.end <= end; i++) {
      if (p.end >= start) planPeriods.push(p);
      p = shiftPeriod(p, 1);
    }
  }

  const result: PlanBaseline = {
    baseline: baselineEntry?.point ?? null,
    history: before.map((x) => x.point),
    actuals: after.map((x) => x.point),
    forecast: [],
    noForecast: null,
    planPeriods: planPeriods.map((p) => p.code),
    latest: null,
    level: LEVEL,
  };

  if (!baselineEntry) result.noForecast = "no_baseline";
  else if (before.length < 3) result.noForecast = "too_few_points";
  else {
    // positions on the series (shifting a period by one adds one), so the forecast's steps are the series' steps
    const first = before[0]!.period;
    const position = (p: Period) => periodsBetween(first, p).length - 1;
    const horizon: Period[] = [];
    for (let p = shiftPeriod(baselineEntry.period, 1); p.end <= end; p = shiftPeriod(p, 1)) horizon.push(p);
    const fit = fitForecast(
      before.map((x) => ({ period: position(x.period), value: x.point.value })),
      { horizon: horizon.length, level: LEVEL },
    );
    result.forecast = fit.forecast.map((f, i) => ({
      period: horizon[i]!.code,
      value: f.value,
      lower: f.lower,
      upper: f.upper,
    }));
  }

  const latestEntry = after.at(-1);
  if (latestEntry) {
    const band = result.forecast.find((f) => f.period === latestEntry.point.period);
    const target = targets.get(latestEntry.point.period);
    result.latest = {
      ...latestEntry.point,
      judgement: band ? judgeAgainstForecast(latestEntry.point.value, { ...band, level: LEVEL }, polarity) : null,
      target: target === undefined ? null : targetStatus(latestEntry.point.value, target, polarity),
    };
  }
  return result;
}
