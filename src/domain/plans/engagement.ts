/**
 * The engagement score of a plan (issue 14), like Clear Impact's accountability score: for each selected measure, how
 * far the partnership keeps its turn-the-curve report alive, out of 100, from weighted components, each met or not,
 * each with what would raise it. A plan's score is the mean of its measures' scores. Pure; no I/O.
 */
import { addDays } from "./actions.ts";

/** The components and their weights (they add up to 100). */
export const ENGAGEMENT_COMPONENTS = [
  /** The story behind the baseline is written. */
  { key: "story", weight: 25 },
  /** The story was updated after the latest data for the area were published. */
  { key: "storyCurrent", weight: 15 },
  /** There is a forecast (a baseline with enough history to say where the curve goes if nothing changes). */
  { key: "forecast", weight: 15 },
  /** A target is set for at least one period of the plan. */
  { key: "targets", weight: 15 },
  /** There is an action, and no action is overdue without a progress update in the last 90 days. */
  { key: "actionsCurrent", weight: 20 },
  /** The area has a value for the latest period published for the measure. */
  { key: "dataCurrent", weight: 10 },
] as const;

export type EngagementComponentKey = (typeof ENGAGEMENT_COMPONENTS)[number]["key"];

/** Days within which an overdue action must have had a progress update to count as current. */
export const ACTION_UPDATE_DAYS = 90;

export interface EngagementAction {
  status: string;
  /** `YYYY-MM-DD` or null. */
  dueDate: string | null;
  /** `YYYY-MM-DD` of the latest progress update, or null. */
  lastUpdate: string | null;
}

export interface MeasureEngagementInput {
  /** When the current story behind the baseline was written (ISO timestamp), or null when there is none. */
  storyAt: string | null;
  /** When the area's latest value was published (ISO timestamp), or null when it has none. */
  latestDataAt: string | null;
  hasForecast: boolean;
  hasTargets: boolean;
  actions: readonly EngagementAction[];
  /** Sort keys of the area's latest period and of the latest period published for the measure anywhere. */
  areaLatestPeriodEnd: string | null;
  measureLatestPeriodEnd: string | null;
}

export interface EngagementComponent {
  key: EngagementComponentKey;
  weight: number;
  met: boolean;
  /** Points earned: the weight when met, else 0. */
  earned: number;
}

export interface Engagement {
  /** 0–100. */
  score: number;
  components: EngagementComponent[];
}

/** Whether every action is current on `today`: none overdue (due before today, not done) without a recent update. */
export function actionsCurrent(actions: readonly EngagementAction[], today: string): boolean {
  if (actions.length === 0) return false;
  const since = addDays(today, -ACTION_UPDATE_DAYS);
  return actions.every(
    (a) => a.status === "done" || !a.dueDate || a.dueDate >= today || (a.lastUpdate !== null && a.lastUpdate >= since),
  );
}

/** The engagement of one selected measure on `today` (`YYYY-MM-DD`). */
export function measureEngagement(input: MeasureEngagementInput, today: string): Engagement {
  const met: Record<EngagementComponentKey, boolean> = {
    story: input.storyAt !== null,
    storyCurrent:
      input.storyAt !== null &&
      (input.latestDataAt === null || Date.parse(input.storyAt) >= Date.parse(input.latestDataAt)),
    forecast: input.hasForecast,
    targets: input.hasTargets,
    actionsCurrent: actionsCurrent(input.actions, today),
    dataCurrent:
      input.areaLatestPeriodEnd !== null &&
      input.measureLatestPeriodEnd !== null &&
      input.areaLatestPeriodEnd >= input.measureLatestPeriodEnd,
  };
  const components = ENGAGEMENT_COMPONENTS.map((c) => ({
    key: c.key,
    weight: c.weight,
    met: met[c.key],
    earned: met[c.key] ? c.weight : 0,
  }));
  return { score: components.reduce((s, c) => s + c.earned, 0), components };
}

/**
 * A plan's engagement: the mean of its measures' scores, rounded to a whole number, and how often each component is
 * met; null when the plan has no measures.
 */
export function planEngagement(
  measures: readonly Engagement[],
): { score: number; met: Record<EngagementComponentKey, number>; measures: number } | null {
  if (measures.length === 0) return null;
  const met = Object.fromEntries(ENGAGEMENT_COMPONENTS.map((c) => [c.key, 0])) as Record<
    EngagementComponentKey,
    number
  >;
  for (const m of measures) for (const c of m.components) if (c.met) met[c.key]++;
  const score = Math.round(measures.reduce((s, m) => s + m.score, 0) / measures.length);
  return { score, met, measures: measures.length };
}
