/** The review of partnership plans: locking a plan for a workflow step, its state, supersession and review comments. */
import { and, asc, eq, ne, sql } from "drizzle-orm";
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

/** The other published versions of a plan (the ones a newly published version supersedes). */
export async function otherPublishedVersions(
  tx: Db,
  plan: Pick<PlanRow, "id" | "areaCode" | "period">,
): Promise<PlanRow[]> {
  return tx
    .select()
    .from(plans)
    .where(
      and(
        eq(plans.areaCode, plan.areaCode),
        eq(plans.period, plan.period),
        eq(plans.status, "published"),
        ne(plans.id, plan.id),
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
