/** Helpers for tests of the plan review and versions: filling in what a demo plan lacks before it can be submitted. */
import type { PlanActor, PlanRef, PlansService } from "../../src/services/plans/index.ts";

/**
 * Fills in what stops `ref` from being submitted, through the service, as the partnership would through its forms: a
 * measure for each priority without one, and a story behind the baseline for each measure without one.
 */
export async function completePlan(plans: PlansService, editor: PlanActor, ref: PlanRef): Promise<void> {
  for (const p of await plans.submissionProblems(editor, ref)) {
    if (p.code !== "priority_without_measure") continue;
    const [choice] = await plans.additionalChoices(editor, ref);
    await plans.selectMeasure(editor, ref, (await plans.get(editor, ref)).plan.rowVersion, {
      measureCode: choice!.code,
      priorityId: p.priorityId,
      reason: { en: "It shows whether the priority is being met." },
    });
  }
  for (const p of await plans.submissionProblems(editor, ref))
    if (p.code === "measure_without_story")
      await plans.saveNarrative(editor, ref, {
        subjectKind: "measure",
        subjectCode: p.measureCode,
        section: "story",
        body: "Why the curve looks as it does.",
        baseVersion: 0,
      });
}
