/**
 * The data development agenda (issue 15): a measure in development moves
 *
 *   proposed ──identify_source──▶ data_source_identified ──pilot──▶ piloted ──go_live──▶ live
 *       │                               │                             │
 *       └────────────── drop ───────────┴──────────── drop ───────────┴──▶ dropped ──reopen──▶ proposed
 *
 * A measure that goes live enters the framework as a live measure in the next framework version. Tasks for further
 * action have an owner, a due date and a status. Pure.
 */
import { isValidIsoDate } from "./plans/dates.ts";

export const AGENDA_STAGES = ["proposed", "data_source_identified", "piloted", "live", "dropped"] as const;
export type AgendaStage = (typeof AGENDA_STAGES)[number];

export const AGENDA_ACTIONS = ["identify_source", "pilot", "go_live", "drop", "reopen"] as const;
export type AgendaAction = (typeof AGENDA_ACTIONS)[number];

const TRANSITIONS: Readonly<Record<AgendaAction, { from: readonly AgendaStage[]; to: AgendaStage }>> = {
  identify_source: { from: ["proposed"], to: "data_source_identified" },
  pilot: { from: ["data_source_identified"], to: "piloted" },
  go_live: { from: ["piloted"], to: "live" },
  drop: { from: ["proposed", "data_source_identified", "piloted"], to: "dropped" },
  reopen: { from: ["dropped"], to: "proposed" },
};

/** The stage `action` leads to from `from`, or null when the agenda has no such move. */
export function nextAgendaStage(from: AgendaStage, action: AgendaAction): AgendaStage | null {
  const t = TRANSITIONS[action];
  return t.from.includes(from) ? t.to : null;
}

/** The moves possible from a stage (the choices a form offers). */
export function agendaActionsFrom(stage: AgendaStage): AgendaAction[] {
  return AGENDA_ACTIONS.filter((a) => TRANSITIONS[a].from.includes(stage));
}

export const isAgendaStage = (v: string): v is AgendaStage => (AGENDA_STAGES as readonly string[]).includes(v);
export const isAgendaAction = (v: string): v is AgendaAction => (AGENDA_ACTIONS as readonly string[]).includes(v);

export const TASK_STATUSES = ["open", "in_progress", "done"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const isTaskStatus = (v: string): v is TaskStatus => (TASK_STATUSES as readonly string[]).includes(v);

/** A task is overdue when it is not done and its due date has passed (`today`, YYYY-MM-DD). */
export function taskOverdue(task: { status: string; dueDate: string | null }, today: string): boolean {
  return task.status !== "done" && task.dueDate !== null && task.dueDate < today;
}

export interface TaskInput {
  title: { en: string; cy?: string | undefined };
  owner: string;
  dueDate: string | null;
  status: string;
  measureCode: string | null;
}

/** Problems with a task's fields, as field → code (empty when it may be saved). */
export function taskProblems(t: TaskInput): Partial<Record<"title" | "owner" | "dueDate" | "status", string>> {
  const out: Partial<Record<"title" | "owner" | "dueDate" | "status", string>> = {};
  if (!t.title.en.trim() && !(t.title.cy ?? "").trim()) out.title = "required";
  else if (t.title.en.length > 500 || (t.title.cy ?? "").length > 500) out.title = "too_long";
  if (!t.owner.trim()) out.owner = "required";
  else if (t.owner.length > 200) out.owner = "too_long";
  if (t.dueDate !== null && !isValidIsoDate(t.dueDate)) out.dueDate = "invalid_date";
  if (!isTaskStatus(t.status)) out.status = "unknown";
  return out;
}
