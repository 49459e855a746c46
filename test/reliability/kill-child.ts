/**
 * The process test/reliability/kill-points.test.ts kills. It opens the database the way `omf` does (on the embedded
 * database, over the lock the killed process left), migrates it, checks that no migration is pending and that the
 * data are consistent (test/reliability/consistency.ts) and prints the result; then, unless given
 * `--check-only`, it carries out imports (draft, and published at once), publications, rollbacks, framework
 * imports, steps of a partnership plan's review (a narrative saved, submitted, returned with a comment, approved,
 * published, a new version started) and assessments of an outcome agreement (the authority's self-assessment,
 * national moderation), chosen by a seeded generator, printing `OP n kind start` and `OP n kind done` around each,
 * until it is killed. The plan and the agreement are the fixtures of test/reliability/kill-fixtures.ts. With `--check-only` it checks, then composes the application's services and checks it is ready (the app
 * can start), and exits.
 *
 * Usage: node kill-child.mjs SEED CYCLE [--check-only]   (DATABASE_URL or OMF_DATA_DIR as for omf)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/database.ts";
import type { FrameworkFile } from "../../src/ingest/framework/framework-file-schema.ts";
import { pendingMigrations } from "../../src/db/queries/health.ts";
import { publishBatch, rollbackBatch } from "../../src/services/import/batches.ts";
import { runImport } from "../../src/services/import/run-import.ts";
import type { ReviewAction, ReviewComment } from "../../src/services/plans/review.ts";
import { importFramework } from "../../src/services/import-framework.ts";
import { createServices } from "../../src/services/index.ts";
import { seededRandom } from "../support/seeded-random.ts";
import { checkConsistency, queryOf } from "./consistency.ts";
import { KILL_AGREEMENT, KILL_EDITOR, KILL_NATIONAL, KILL_PLAN } from "./kill-fixtures.ts";

const [seedText, cycleText, flag] = process.argv.slice(2);
const seed = Number(seedText);
const cycle = Number(cycleText);
const random = seededRandom(seed * 1000 + cycle);
const say = (line: string) => process.stdout.write(`${line}\n`);

const config = loadConfig();
const started = performance.now();
const database = await openDatabase({
  url: config.databaseUrl,
  dataDir: join(config.dataDir, "pglite"),
  holder: "kill test",
  poolSize: 2,
});
await database.migrate();
if ((await pendingMigrations(database.db)) !== 0) {
  say(`CHECK fail ${JSON.stringify(["migrations pending after start"])}`);
  process.exit(1);
}
say(`OPENED ${Math.round(performance.now() - started)}`);
const checkStarted = performance.now();
const problems = await checkConsistency(queryOf(database));
say(`CHECKED ${Math.round(performance.now() - checkStarted)}`);
say(problems.length === 0 ? "CHECK ok" : `CHECK fail ${JSON.stringify(problems)}`);
// the application's services, as `omf serve` composes them
const services = createServices({ database, config, analysis: "inline" });
if (flag === "--check-only") {
  // the last child checks the app is ready
  const ready = await services.health.ready();
  say(`READY ${ready.ok}`);
  await services.close();
  process.exit(problems.length === 0 && ready.ok ? 0 : 1);
}

type FrameworkMeasure = NonNullable<FrameworkFile["measures"]>[number];
const actor = { userId: null, name: "kill-test" };
// the measures the framework imports redefine, read from the content files by the test (parsing them here took seconds),
// and the batch of the fixtures' values (left alone by rollbacks: the plan's baselines)
const { measures, fixtureBatch } = JSON.parse(readFileSync(join(config.dataDir, "..", "kill-setup.json"), "utf8")) as {
  measures: FrameworkMeasure[];
  fixtureBatch: number;
};
const file = join(config.dataDir, `kill-${cycle}.csv`);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

async function latestBatch(status: string): Promise<number | null> {
  const { rows } = await queryOf(database)(
    `SELECT id FROM import_batches WHERE status = '${status}' AND format <> 'rollback' AND NOT illustrative
       AND id <> ${fixtureBatch} ORDER BY id DESC LIMIT 1`,
  );
  return rows[0] ? Number(rows[0].id) : null;
}

const operations = {
  async import(publish: boolean) {
    const lines = ["measure_code,area_code,period,value"];
    const first = 1990 + Math.floor(random() * 30);
    const years = 1 + Math.floor(random() * 12);
    for (let year = first; year < first + years; year++) {
      for (let a = 1; a <= 22; a++) {
        lines.push(`low-birth-weight,W060000${String(a).padStart(2, "0")},${year},${(random() * 20).toFixed(1)}`);
      }
    }
    writeFileSync(file, `${lines.join("\n")}\n`);
    const summary = await runImport(database, file, { dryRun: false, actor, publish });
    if (!summary.ok) throw new Error(`the import was refused: ${JSON.stringify(summary.errors?.slice(0, 3))}`);
  },
  async publish() {
    const id = await latestBatch("draft");
    if (id !== null) await publishBatch(database, id, { actor });
  },
  async rollback() {
    const id = await latestBatch(random() < 0.5 ? "published" : "draft");
    if (id === null) return;
    // a rollback refused (a later batch revised the values since) is an answer, not a failure
    await rollbackBatch(database, id, { actor, reason: "kill test" }).catch((error: Error) => {
      if (!/cannot be rolled back/.test(error.message)) throw error;
    });
  },
  async framework() {
    const mark = `Kill test ${seed}/${cycle}/${Math.floor(random() * 1e9)}`;
    await importFramework(
      database.db,
      { measures: measures.map((m) => ({ ...m, caveats: { en: mark, cy: mark } })) },
      { name: actor.name },
    );
  },
  /** The next step of the plan's review, from the state of its newest version. */
  async plan() {
    const newest = (await services.planVersions.list(KILL_NATIONAL, KILL_PLAN)).at(-1)!;
    const ref = { ...KILL_PLAN, version: newest.version };
    const step = (actor: typeof KILL_EDITOR, action: ReviewAction, comments?: ReviewComment[]) =>
      services.planReview.act(actor, ref, { action, rowVersion: newest.rowVersion, comments });
    if (newest.status === "draft" || newest.status === "returned") {
      if (random() < 0.5) {
        // an editor revises a story first (a new version of the narrative; the old one is kept)
        const { narratives } = await services.plans.get(KILL_EDITOR, ref);
        const story = pick(narratives.filter((n) => n.section === "story"));
        await services.plans.saveNarrative(KILL_EDITOR, ref, {
          subjectKind: story.subjectKind as "measure",
          subjectCode: story.subjectCode,
          section: "story",
          body: `${story.body.split(" (revised")[0]} (revised ${seed}/${cycle}/${Math.floor(random() * 1e9)})`,
          baseVersion: story.version,
        });
      } else await step(KILL_EDITOR, "submit");
    } else if (newest.status === "submitted") {
      if (random() < 0.3)
        await step(KILL_NATIONAL, "return", [{ section: "priorities", body: `Kill test ${seed}/${cycle}: say more` }]);
      else await step(KILL_NATIONAL, "approve");
    } else if (newest.status === "approved") await step(KILL_NATIONAL, "publish");
    else if (newest.status === "published")
      await services.planVersions.startNew(KILL_EDITOR, KILL_PLAN, {
        reason: `Kill test ${seed}/${cycle}: a new version`,
        rowVersion: newest.rowVersion,
      });
    else throw new Error(`the plan's newest version is ${newest.status}`);
  },
  /** The authority's self-assessment of an outcome for a year, or its national moderation. */
  async assessment() {
    const outcome = 1 + Math.floor(random() * 3);
    const year = pick(KILL_AGREEMENT.years);
    const category = pick(["fully", "partially", "unsuccessful"]);
    const self = () =>
      services.agreements.selfAssess(KILL_EDITOR, KILL_AGREEMENT, {
        outcome,
        year,
        category,
        evidence: `Kill test ${seed}/${cycle}: the evidence`,
      });
    if (random() < 0.5) return void (await self());
    // a moderation of an outcome not yet self-assessed is refused: the authority assesses it first
    await services.agreements
      .moderate(KILL_NATIONAL, KILL_AGREEMENT, { outcome, year, category, reason: `Kill test ${seed}/${cycle}` })
      .catch(async (error: Error & { code?: string }) => {
        if (error.code !== "not_assessed") throw error;
        await self();
      });
  },
};

const kinds = ["import", "import+publish", "publish", "rollback", "framework", "plan", "assessment"] as const;
for (let n = 1; ; n++) {
  const kind = pick(kinds);
  say(`OP ${n} ${kind} start`);
  if (kind === "import") await operations.import(false);
  else if (kind === "import+publish") await operations.import(true);
  else await operations[kind]();
  say(`OP ${n} ${kind} done`);
}
