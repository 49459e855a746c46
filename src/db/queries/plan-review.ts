/** The review of partnership plans: locking a plan for a workflow step, its state, supersession and review comments. */
import { and, asc, eq, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "../database.ts";
import { planReviewComments, plans } from "../schema.ts";
import type { PlanRow } from "./plans.ts";

export type ReviewCommentRow = typeof planReviewComments.$inferSelect;

/** A plan version, locked for update within the caller's transaction. */
export async function lockPlanVersion(
  tx: Db,
  areaCode: string,
  period: string,
  version: number,
): Promise<PlanRow | undefined> {
  const [row] = await tx
    .select()
    .from(plans)
    .where(and(eq(plans.areaCode, areaCode), eq(plans.period, period), eq(plans.version, version)))
    .for("update");
  return row;
}

/**
 * Sets a plan's workflow state and bumps its row version (so that an edit form loaded before the step is refused
 * as stale); a plan becoming published gets its publication time.
 */
export async function setPlanState(tx: Db, planId: number, status: string): Promise<void> {
  await tx
    .update(plans)
    .set({
      status,
      rowVersion: sql`${plans.rowVersion} + 1`,
      updatedAt: new Date(),
      ...(status === "published" ? { publishedAt: new Date() } : {}),
    })
    .where(eq(plans.id, planId));
}

/**
 * The older versions of a plan that a newly published version supersedes: the published one, and an approved one
 * that a newer version overtook before it was published.
 */
export async function supersededByPublishing(
  tx: Db,
  plan: Pick<PlanRow, "areaCode" | "period" | "version">,
): Promise<PlanRow[]> {
  return tx
    .select()
    .from(plans)
    .where(
      and(
        eq(plans.areaCode, plan.areaCode),
        eq(plans.period, plan.period),
        inArray(plans.status, ["published", "approved"]),
        lt(plans.version, plan.version),
      ),
    );
}

export async function insertReviewComments(tx: Db, rows: (typeof planReviewComments.$inferInsert)[]): Promise<void> {
  if (rows.length > 0) await tx.insert(planReviewComments).values(rows);
}

export async function listReviewComments(db: Db, planId: number): Promise<ReviewCommentRow[]> {
  return db
    .select()
    .from(planReviewComments)
    .where(eq(planReviewComments.planId, planId))
    .orderBy(asc(planReviewComments.id));
}
