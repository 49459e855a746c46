/**
 * Outcome agreements: their period and years, states, and which assessment of an outcome counts (the moderated one
 * where moderation changed it, otherwise the authority's own). Pure.
 */
import type { AssessmentCategory } from "./scheme.ts";

/**
 * An agreement is negotiated as a draft, submitted for agreement (and returned for changes, or agreed). Agreeing goes
 * through the shared workflow (src/domain/workflow.ts), where `agreed` is its `approved` state.
 */
export const AGREEMENT_STATUSES = ["draft", "submitted", "returned", "agreed"] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];

/** Whether an agreement's terms may still be edited (a draft or one returned for changes). */
export function isNegotiable(status: string): boolean {
  return status === "draft" || status === "returned";
}

/** A link from an outcome to a priority or an action of the authority's plan, with its title as it was linked. */
export interface PlanLink {
  kind: "priority" | "action";
  /** The priority's or action's id in the plan version it was linked from. */
  id: number;
  plan: string;
  title: { en: string; cy?: string | undefined };
}

export interface AgreementPeriod {
  /** "2013-16" */
  slug: string;
  startYear: number;
  endYear: number;
  /** The financial years of the agreement: "2013-14", "2014-15", "2015-16". */
  years: string[];
}

export class AgreementPeriodError extends Error {}

/** Parses "2013-16" (financial years April 2013 to March 2016); at most ten years. */
export function parseAgreementPeriod(input: string): AgreementPeriod {
  const m = /^(\d{4})-(\d{2})$/.exec(input.trim());
  if (!m) throw new AgreementPeriodError(`${input} is not an agreement period such as 2013-16`);
  const startYear = Number(m[1]);
  let endYear = startYear - (startYear % 100) + Number(m[2]);
  if (endYear <= startYear) endYear += 100;
  if (endYear - startYear > 10)
    throw new AgreementPeriodError(`${input} is longer than ten years: give an agreement period such as 2013-16`);
  const years: string[] = [];
  for (let y = startYear; y < endYear; y++) years.push(`${y}-${String((y + 1) % 100).padStart(2, "0")}`);
  return { slug: `${startYear}-${String(endYear % 100).padStart(2, "0")}`, startYear, endYear, years };
}

export interface AssessmentVersion {
  category: AssessmentCategory;
  collaboration: string | null;
}

/** The assessment that counts for an outcome and year: the moderated one when there is one. */
export function countingAssessment<T extends AssessmentVersion>(self: T | null, moderated: T | null): T | null {
  return moderated ?? self;
}

/** Whether collaboration is evidenced in a year: some outcome's counting assessment records collaboration evidence. */
export function collaborationEvidenced(counting: readonly (AssessmentVersion | null)[]): boolean {
  return counting.some((a) => (a?.collaboration ?? "").trim() !== "");
}
