/**
 * Partnership plans under outcomes-based accountability (Results-Based Accountability): the canonical shapes and
 * the rules that do not need a database. A plan belongs to one partnership (a local authority area) and a plan
 * period, is pinned to the framework version it was made under, and holds priorities, selected measures (every
 * high-level measure, plus additional and local measures chosen for a priority, each with a reason), targets,
 * turn-the-curve reports and programmes with performance measures. Pure; no I/O.
 */

import type { AccountabilityType, BilingualText, Polarity, Unit, ValueType } from "../enums.ts";
import { WORKFLOW_STATES, type WorkflowState } from "../workflow.ts";

/** Plans go through the shared workflow (draft → submitted → returned/approved → published → superseded). */
export const PLAN_STATUSES = WORKFLOW_STATES;
export type PlanStatus = WorkflowState;

/** Why a measure is in a plan: every high-level measure must be; additional and local ones are chosen. */
export const SELECTION_KINDS = ["high_level", "additional", "local"] as const;
export type SelectionKind = (typeof SELECTION_KINDS)[number];

/** The fixed narrative sections of a turn-the-curve report (the action plan is structured, see actions.ts). */
export const NARRATIVE_SECTIONS = ["story", "partners", "what_works", "data_development"] as const;
export type NarrativeSection = (typeof NARRATIVE_SECTIONS)[number];

/** A cause in the story behind the baseline either contributes to the curve or restricts it. */
export const FACTOR_KINDS = ["contributing", "restricting"] as const;
export type FactorKind = (typeof FACTOR_KINDS)[number];

/** Ideas in "what works": backed by evidence, or no-cost / low-cost ideas (RBA's question 6). */
export const IDEA_KINDS = ["evidence", "no_cost", "low_cost"] as const;
export type IdeaKind = (typeof IDEA_KINDS)[number];

/** RBA performance-measure quadrants (the performance types of ACCOUNTABILITY_TYPES without the prefix). */
export const QUADRANTS = ["how_much", "how_well", "better_off_number", "better_off_percent"] as const;
export type Quadrant = (typeof QUADRANTS)[number];

export function quadrantOf(type: AccountabilityType): Quadrant | null {
  return type === "population_indicator" ? null : (type.replace(/^performance_/, "") as Quadrant);
}

export interface Priority {
  id: number;
  text: BilingualText;
  rationale: BilingualText | null;
  /** Core aim codes, e.g. ["CA1", "CA3"]; at least one. */
  coreAims: string[];
}

export interface SelectedMeasure {
  measureCode: string;
  kind: SelectionKind;
  /** The priority an additional or local measure serves (null for high-level measures). */
  priorityId: number | null;
  /** Why it was chosen (required for additional and local measures). */
  reason: BilingualText | null;
}

/** A measure a partnership defines for itself, without code; marked local everywhere. */
export interface LocalMeasureDefinition {
  code: string;
  title: BilingualText;
  definition: BilingualText;
  unit: Unit;
  polarity: Polarity;
  valueType: ValueType;
  multiplier: number | null;
  decimals: number;
  coreAim: string;
}

/** One year's target for a selected measure: the trajectory is the list of these; stretch is optional. */
export interface Target {
  measureCode: string;
  /** Canonical period code of the measure's series the target is for, e.g. "2014" or "2014-15". */
  period: string;
  value: number;
  stretch: number | null;
}

/** Problems found when a plan is checked for submission: codes with the thing they are about. */
export type PlanProblem =
  | { code: "high_level_missing"; measureCode: string }
  | { code: "high_level_without_baseline"; measureCode: string }
  | { code: "priority_without_measure"; priorityId: number }
  | { code: "measure_without_story"; measureCode: string }
  | { code: "choice_without_priority"; measureCode: string }
  | { code: "choice_without_reason"; measureCode: string }
  | { code: "no_priorities" };

export interface PlanForChecking {
  priorities: readonly Pick<Priority, "id">[];
  selected: readonly SelectedMeasure[];
  /** Measure codes that have a baseline (published data at or before the plan's start). */
  withBaseline: ReadonlySet<string>;
  /** Measure codes whose story behind the baseline has text. */
  withStory: ReadonlySet<string>;
}

function hasText(text: BilingualText | null): boolean {
  return !!text && (text.en.trim() !== "" || (text.cy ?? "").trim() !== "");
}

/**
 * What stops a plan from being submitted: every high-level measure present and with a baseline, at least one
 * priority, every priority served by at least one chosen measure, every chosen measure with a priority and a
 * reason, and every selected measure with a story behind the baseline. `highLevelCodes` are the framework
 * version's high-level measures. An empty list means the plan can be submitted.
 */
export function submissionProblems(plan: PlanForChecking, highLevelCodes: readonly string[]): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const selected = new Map(plan.selected.map((s) => [s.measureCode, s]));
  for (const code of highLevelCodes) {
    if (!selected.has(code)) problems.push({ code: "high_level_missing", measureCode: code });
    else if (!plan.withBaseline.has(code)) problems.push({ code: "high_level_without_baseline", measureCode: code });
  }
  if (plan.priorities.length === 0) problems.push({ code: "no_priorities" });
  const served = new Set(plan.selected.map((s) => s.priorityId).filter((id): id is number => id !== null));
  for (const p of plan.priorities)
    if (!served.has(p.id)) problems.push({ code: "priority_without_measure", priorityId: p.id });
  for (const s of plan.selected) {
    if (s.kind !== "high_level") {
      if (s.priorityId === null) problems.push({ code: "choice_without_priority", measureCode: s.measureCode });
      if (!hasText(s.reason)) problems.push({ code: "choice_without_reason", measureCode: s.measureCode });
    }
    if (!plan.withStory.has(s.measureCode))
      problems.push({ code: "measure_without_story", measureCode: s.measureCode });
  }
  return problems;
}

/** Whether a measure may be removed from a plan: high-level measures never can. */
export function canRemoveFromPlan(selection: Pick<SelectedMeasure, "kind">): boolean {
  return selection.kind !== "high_level";
}

/** Local measure codes are namespaced by the partnership so they never collide with framework codes. */
export function localMeasureCode(areaCode: string, shortCode: string): string {
  const short = shortCode.trim().toUpperCase();
  if (!/^[A-Z0-9][A-Z0-9_-]{0,19}$/.test(short))
    throw new Error(`"${shortCode}" is not a local measure code: use up to 20 letters, digits, - or _`);
  return `LOCAL-${areaCode}-${short}`;
}

export function isLocalMeasureCode(code: string): boolean {
  return code.startsWith("LOCAL-");
}
