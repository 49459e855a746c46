/**
 * What the kill test's plan and assessment operations work on, set up once before the first child starts
 * (test/reliability/kill-points.test.ts): published values of every live high-level measure for Cardiff (a plan's
 * measures need a baseline before it can be submitted), a draft plan ready to submit (a priority served by an
 * additional measure with its reason, the story behind every measure's baseline, an action with a progress update),
 * and an agreed outcome agreement to assess. Everything goes through the application's services, as `omf` does;
 * the values are imported without the analysis that would follow (nothing here reads it).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Database } from "../../src/db/database.ts";
import type { AgreementActor } from "../../src/services/agreements/index.ts";
import { runImport } from "../../src/services/import/run-import.ts";
import { createServices } from "../../src/services/index.ts";
import type { PlanActor } from "../../src/services/plans/index.ts";

export const KILL_AREA = "W06000015";
/** A plan period after the fixture's values (their baselines) and an agreement with three years to assess. */
export const KILL_PLAN = { areaCode: KILL_AREA, period: "2024-25-to-2026-27" };
export const KILL_AGREEMENT = { areaCode: KILL_AREA, period: "2013-16", years: ["2013-14", "2014-15", "2015-16"] };

/** The national reviewer (approves, returns, publishes, moderates) and the partnership's editor (submits, assesses). */
export const KILL_NATIONAL: PlanActor & AgreementActor = {
  id: null,
  email: "kill-test",
  role: "national_admin",
  areaCodes: [],
  channel: "cli",
};
export const KILL_EDITOR: PlanActor & AgreementActor = {
  ...KILL_NATIONAL,
  email: "kill-test-editor",
  role: "partnership_editor",
  areaCodes: [KILL_AREA],
};

/** A period of each type before the plan starts (one value each is a baseline). */
const PERIOD_OF_TYPE: Record<string, string> = {
  calendar_year: "2019",
  financial_year: "2019-20",
  academic_year: "2019/20",
  snapshot_date: "2020-03-31",
  multi_year: "2017-2019",
};

const text = (en: string) => ({ en, cy: `${en} (cy)` });

/** Sets up the fixtures; returns the id of the batch of values (the kill test's rollbacks leave it alone). */
export async function seedKillFixtures(database: Database, dir: string): Promise<{ batchId: number }> {
  // not closed: closing the services closes the database, which the caller owns
  const services = createServices({ database, analysis: "inline" });
  const current = await services.framework.current();
  const live = (current?.measures ?? []).filter((m) => m.tier === "high_level" && m.status === "live");
  const lines = ["measure_code,area_code,period,value,numerator,denominator"];
  for (const m of live) {
    const period = PERIOD_OF_TYPE[m.periodType];
    if (!period) throw new Error(`no fixture period for ${m.code} (${m.periodType})`);
    // counts with every value (some measures control disclosure by them)
    lines.push(`${m.code},${KILL_AREA},${period},${(50 / 400) * m.multiplier},50,400`);
  }
  const file = join(dir, "kill-fixture.csv");
  writeFileSync(file, `${lines.join("\n")}\n`);
  const summary = await runImport(database, file, {
    dryRun: false,
    publish: true,
    actor: { userId: null, name: "kill-test" },
  });
  if (!summary.ok || !summary.batch)
    throw new Error(`the fixture import was refused: ${JSON.stringify(summary.errors?.slice(0, 3))}`);

  const { plans, agreements } = services;
  const ref = KILL_PLAN;
  const rv = async () => (await plans.summary(KILL_EDITOR, ref)).rowVersion;
  await plans.create(KILL_EDITOR, ref);
  const priority = await plans.addPriority(KILL_EDITOR, ref, await rv(), {
    text: text("Give every baby a healthy start"),
    coreAims: ["CA1"],
  });
  const [additional] = await plans.additionalChoices(KILL_EDITOR, ref);
  if (!additional) throw new Error("no additional measure to choose");
  await plans.selectMeasure(KILL_EDITOR, ref, await rv(), {
    measureCode: additional.code,
    priorityId: priority.id,
    reason: text("It shows early whether support is working"),
  });
  const detail = await plans.get(KILL_EDITOR, ref);
  for (const m of detail.measures)
    await plans.saveNarrative(KILL_EDITOR, ref, {
      subjectKind: "measure",
      subjectCode: m.measureCode,
      section: "story",
      body: `The story behind the baseline of ${m.measureCode}.`,
      baseVersion: 0,
    });
  const first = detail.measures[0]!.measureCode;
  const action = await plans.addAction(KILL_EDITOR, ref, {
    subjectKind: "measure",
    subjectCode: first,
    title: text("Offer every family a visit"),
    owner: "Health visiting",
    startDate: "2024-04-01",
    dueDate: "2027-03-31",
    status: "on_track",
  });
  await plans.addActionUpdate(KILL_EDITOR, ref, action.id, {
    date: "2024-10-01",
    text: text("Visits reach four in five families"),
    status: "on_track",
  });
  const problems = await plans.submissionProblems(KILL_EDITOR, ref);
  if (problems.length > 0) throw new Error(`the fixture plan cannot be submitted: ${JSON.stringify(problems)}`);

  await agreements.create(KILL_NATIONAL, { ...KILL_AGREEMENT, scheme: "2013-16", grant: 1_000_000 });
  const { scheme } = await agreements.get(KILL_NATIONAL, KILL_AGREEMENT);
  for (let i = 0; i < scheme.outcomes; i++)
    await agreements.addOutcome(KILL_NATIONAL, KILL_AGREEMENT, {
      title: text(`Outcome ${i + 1}`),
      measureCodes: [live[i % live.length]!.code],
    });
  await agreements.agree(KILL_NATIONAL, KILL_AGREEMENT, { authority: "The Leader of the council" });
  return { batchId: summary.batch.id };
}
