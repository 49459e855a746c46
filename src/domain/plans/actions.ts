/**
 * Action plans in a turn-the-curve report: what a partnership proposes to do, with owner, dates and progress.
 * "Overdue" is never stored: it is computed from the due date, so it cannot go stale. Pure; no I/O.
 */

import { isValidIsoDate } from "./dates.ts";

/** Statuses an editor sets on an action. */
export const ACTION_STATUSES = ["not_started", "on_track", "at_risk", "done"] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** Statuses a reader sees: the stored status, or "overdue" when the due date has passed and it is not done. */
export const SHOWN_ACTION_STATUSES = ["not_started", "on_track", "at_risk", "overdue", "done"] as const;
export type ShownActionStatus = (typeof SHOWN_ACTION_STATUSES)[number];

export interface ActionDates {
  status: ActionStatus;
  /** `YYYY-MM-DD`, optional. */
  startDate?: string | null;
  /** `YYYY-MM-DD`, optional. */
  dueDate?: string | null;
}

/** The status shown on `today` (`YYYY-MM-DD`): overdue when due before today and not done. */
export function shownActionStatus(action: ActionDates, today: string): ShownActionStatus {
  if (action.status === "done") return "done";
  if (action.dueDate && action.dueDate < today) return "overdue";
  return action.status;
}

/** Whether an action is due within `days` days of `today` (inclusive), not done and not yet overdue. */
export function actionDueSoon(action: ActionDates, today: string, days: number): boolean {
  if (action.status === "done" || !action.dueDate || action.dueDate < today) return false;
  return action.dueDate <= addDays(today, days);
}

/** Problems with an action's dates, as field → code, for form validation. */
export function actionDateProblems(action: ActionDates): Partial<Record<"startDate" | "dueDate", string>> {
  const problems: Partial<Record<"startDate" | "dueDate", string>> = {};
  if (action.startDate && !isValidIsoDate(action.startDate)) problems.startDate = "invalid_date";
  if (action.dueDate && !isValidIsoDate(action.dueDate)) problems.dueDate = "invalid_date";
  if (
    !problems.startDate &&
    !problems.dueDate &&
    action.startDate &&
    action.dueDate &&
    action.dueDate < action.startDate
  )
    problems.dueDate = "due_before_start";
  return problems;
}

/** `YYYY-MM-DD` plus `days` calendar days (UTC). */
export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(t)) throw new Error(`addDays: not a date: ${date}`);
  return new Date(t + days * 86_400_000).toISOString().slice(0, 10);
}
