/**
 * "My work" (issue 14), the signed-in home page: what waits for the user. A partnership editor: their partnerships'
 * plans returned to them and their drafts, the actions of their plans that are overdue or due within 30 days, and the
 * selected measures whose data were published after their narrative was last written. A national reviewer: the plans
 * across Wales submitted and waiting for review, and those approved and waiting to be published. Superseded versions
 * are left out: only the newest version of each plan is worked on.
 */
import type { BilingualText } from "../../domain/enums.ts";
import { permissions } from "../../domain/permissions.ts";
import { type ActionStatus, actionDueSoon, shownActionStatus } from "../../domain/plans/actions.ts";
import type { PublishedData } from "../public/published-data.ts";
import type { PlanActor, PlanSummary, PlansService } from "./index.ts";

/** Actions due within this many days are listed as due soon. */
export const DUE_SOON_DAYS = 30;

export interface ActionToDo {
  plan: PlanSummary;
  actionId: number;
  title: BilingualText;
  subjectKind: string;
  subjectCode: string;
  /** `YYYY-MM-DD`. */
  dueDate: string;
  overdue: boolean;
}

export interface NarrativeToUpdate {
  plan: PlanSummary;
  measureCode: string;
  title: BilingualText | null;
  /** When the narrative was last written. */
  narrativeAt: Date;
  /** When the partnership's latest data for the measure were published. */
  dataAt: Date;
}

export interface MyWork {
  /** Returned to the partnership with comments (editors). */
  returned: PlanSummary[];
  /** Drafts not yet submitted (editors). */
  drafts: PlanSummary[];
  /** Submitted, waiting for review (national reviewers). */
  toReview: PlanSummary[];
  /** Approved, waiting to be published (national reviewers). */
  toPublish: PlanSummary[];
  /** Overdue first (oldest due date first), then due soon (soonest first). */
  actions: ActionToDo[];
  narratives: NarrativeToUpdate[];
}

const byArea = (a: PlanSummary, b: PlanSummary) =>
  a.areaCode.localeCompare(b.areaCode) || a.period.localeCompare(b.period);

/** What waits for `actor` on `today` (`YYYY-MM-DD`). */
export async function myWork(
  plans: PlansService,
  data: Pick<PublishedData, "rows">,
  actor: PlanActor,
  today: string,
): Promise<MyWork> {
  const work: MyWork = { returned: [], drafts: [], toReview: [], toPublish: [], actions: [], narratives: [] };
  const visible = (await plans.list(actor)).filter((p) => p.status !== "superseded").sort(byArea);
  if (permissions.canReviewPlans(actor)) {
    work.toReview = visible.filter((p) => p.status === "submitted");
    work.toPublish = visible.filter((p) => p.status === "approved");
  }
  if (actor.role !== "partnership_editor") return work;
  const own = visible.filter((p) => actor.areaCodes.includes(p.areaCode));
  work.returned = own.filter((p) => p.status === "returned");
  work.drafts = own.filter((p) => p.status === "draft");
  for (const plan of own) {
    const detail = await plans.get(actor, plan);
    for (const a of detail.actions) {
      if (!a.dueDate) continue;
      const overdue = shownActionStatus({ status: a.status as ActionStatus, dueDate: a.dueDate }, today) === "overdue";
      if (!overdue && !actionDueSoon({ status: a.status as ActionStatus, dueDate: a.dueDate }, today, DUE_SOON_DAYS))
        continue;
      work.actions.push({
        plan,
        actionId: a.id,
        title: a.title,
        subjectKind: a.subjectKind,
        subjectCode: a.subjectCode,
        dueDate: a.dueDate,
        overdue,
      });
    }
    for (const m of detail.measures) {
      const written = detail.narratives
        .filter((n) => n.subjectKind === "measure" && n.subjectCode === m.measureCode)
        .reduce<Date | null>((x, n) => (x === null || n.createdAt > x ? n.createdAt : x), null);
      if (written === null) continue; // nothing written yet: the plan's review page asks for it
      const dataAt = (await data.rows(m.measureCode))
        .filter((r) => r.areaCode === plan.areaCode && r.publishAt !== null)
        .reduce<Date | null>((x, r) => (x === null || r.publishAt! > x ? r.publishAt : x), null);
      if (dataAt !== null && dataAt > written)
        work.narratives.push({
          plan,
          measureCode: m.measureCode,
          title: m.measure?.title ?? null,
          narrativeAt: written,
          dataAt,
        });
    }
  }
  work.actions.sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.dueDate.localeCompare(b.dueDate));
  return work;
}
