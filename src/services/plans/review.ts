/**
 * The review of partnership plans (issue 14) through the shared workflow (src/services/workflow.ts): an editor of the
 * partnership submits a draft or returned plan (refused, naming each missing thing, unless it passes
 * `submissionProblems`); a national reviewer returns it with comments on its sections, or approves it, and publishes
 * an approved plan, which supersedes the older published (or approved) version. Each step is one transaction with its audit
 * entry and comments; the plan's row version is checked (a step taken on a page loaded before someone else's step is
 * refused) and bumped. Approved and published plans cannot be edited (the plans service allows changes to draft and
 * returned plans only).
 */
import type { Database } from "../../db/database.ts";
import { writeAudit } from "../../db/queries/audit.ts";
import {
  insertReviewComments,
  listReviewComments,
  lockPlanVersion,
  type ReviewCommentRow,
  setPlanState,
  supersededByPublishing,
} from "../../db/queries/plan-review.ts";
import { ConflictError, InvalidError } from "../../domain/errors.ts";
import { permissions } from "../../domain/permissions.ts";
import type { PlanProblem } from "../../domain/plans/model.ts";
import { actionsFrom, isWorkflowState, type WorkflowAction } from "../../domain/workflow.ts";
import { createWorkflow } from "../workflow.ts";
import type { PlanActor, PlanRef, PlanSummary, PlansService } from "./index.ts";

/** The steps a person takes on a plan (superseding happens when a newer version is published). */
export const REVIEW_ACTIONS = ["submit", "return", "approve", "publish"] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

export interface ReviewComment {
  /** "general", "priorities" or "measure:{code}". */
  section: string;
  body: string;
}

export interface PlanReviewView {
  plan: PlanSummary;
  /** The steps this actor may take now. */
  actions: ReviewAction[];
  /** What stops submission (only worked out when the plan can be submitted). */
  problems: PlanProblem[];
  comments: ReviewCommentRow[];
}

const actorName = (actor: PlanActor) => `${actor.channel}:${actor.email}`;

/** Whether `actor` may take `action` on a plan of `areaCode`. */
export function mayReview(action: WorkflowAction, actor: PlanActor | null, areaCode: string): boolean {
  if (action === "submit") return permissions.canEditArea(actor, areaCode);
  if (action === "supersede") return false;
  return permissions.canReviewPlans(actor);
}

export function createPlanReview(deps: { database: Database; plans: PlansService }) {
  const db = deps.database.db;

  return {
    /** The plan's review state for `actor`: what they may do, what stops submission, the comments so far. */
    async view(actor: PlanActor | null, ref: PlanRef): Promise<PlanReviewView> {
      const { plan } = await deps.plans.get(actor, ref);
      const state = isWorkflowState(plan.status) ? plan.status : "draft";
      const actions = actionsFrom(state).filter(
        (a): a is ReviewAction => a !== "supersede" && mayReview(a, actor, plan.areaCode),
      );
      const problems = actions.includes("submit") ? await deps.plans.submissionProblems(actor, ref) : [];
      return { plan, actions, problems, comments: await listReviewComments(db, plan.id) };
    },

    /**
     * Takes a workflow step on the newest version of the plan `actor` may read. `rowVersion` is the plan's row
     * version the page was loaded with. Returning needs at least one comment.
     */
    async act(
      actor: PlanActor,
      ref: PlanRef,
      input: { action: ReviewAction; rowVersion: number; comments?: readonly ReviewComment[] },
    ): Promise<{ from: string; to: string; plan: PlanSummary }> {
      const { plan } = await deps.plans.get(actor, ref);
      const comments = (input.comments ?? [])
        .map((c) => ({ section: c.section.trim() || "general", body: c.body.trim() }))
        .filter((c) => c.body !== "");
      if (input.action === "return" && comments.length === 0)
        throw new InvalidError("say what the partnership should change before returning the plan", {
          code: "return_without_comment",
          details: { field: "comment" },
        });
      if (input.action === "submit" && mayReview("submit", actor, plan.areaCode)) {
        const problems = await deps.plans.submissionProblems(actor, ref);
        if (problems.length > 0)
          throw new InvalidError("the plan is not ready to submit", {
            code: "plan_incomplete",
            details: { problems },
          });
      }
      const key = `${plan.areaCode}/${plan.period}/v${plan.version}`;
      const workflow = createWorkflow<PlanSummary>(db, {
        entity: "plan",
        store: {
          async load(tx) {
            const row = await lockPlanVersion(tx, plan.areaCode, plan.period, plan.version);
            if (!row) return null;
            if (row.rowVersion !== input.rowVersion)
              throw new ConflictError("the plan was changed by someone else since you loaded it", {
                code: "stale_plan",
                details: { loaded: input.rowVersion, current: row.rowVersion },
              });
            return { state: isWorkflowState(row.status) ? row.status : "draft", subject: row as PlanSummary };
          },
          save: (tx, _key, state) => setPlanState(tx, plan.id, state),
        },
        may: (action, _user, subject) => mayReview(action, actor, subject.areaCode),
        async effect(tx, change) {
          await insertReviewComments(
            tx,
            comments.map((c) => ({
              planId: plan.id,
              action: change.action,
              section: c.section,
              body: c.body,
              authorId: actor.id,
              author: actorName(actor),
            })),
          );
          if (change.to !== "published") return;
          for (const older of await supersededByPublishing(tx, plan)) {
            await setPlanState(tx, older.id, "superseded");
            await writeAudit(tx, {
              userId: actor.id,
              actor: actorName(actor),
              action: "supersede",
              entity: "plan",
              entityKey: `${older.areaCode}/${older.period}/v${older.version}`,
              before: { state: older.status },
              after: { state: "superseded", by: plan.version },
            });
          }
        },
      });
      const r = await workflow.transition({
        key,
        action: input.action,
        user: actor,
        actor: actorName(actor),
        reason: comments.map((c) => c.body).join("\n\n") || undefined,
      });
      return { from: r.from, to: r.to, plan };
    },
  };
}

export type PlanReview = ReturnType<typeof createPlanReview>;
