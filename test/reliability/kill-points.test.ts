/**
 * SIGKILL at random points (issue 19): a child process (test/reliability/kill-child.ts) carries out imports (draft
 * and published at once), publications, rollbacks, framework imports, steps of a plan's review (submit, return,
 * approve, publish, a new version, a narrative revised) and assessments of an outcome agreement (self-assessment and
 * moderation) one after another and is killed after a seeded random delay; the next child opens the database the killed one left (on the embedded database, over its
 * stale lock), migrates it, composes the services and checks that the data are consistent (no partial batch, every
 * change with its audit entry, statuses as the audit trail says, no plan version half copied, no assessment without
 * its audit entry; test/reliability/consistency.ts), then carries on
 * until it is killed in turn. A last child only checks. Runs on the database of the run (embedded, or PostgreSQL
 * with TEST_PG_URL); the plan and the agreement are set up once before the first child (kill-fixtures.ts). The seed is printed; `OMF_KILL_SEED=N` replays a run, `OMF_KILL_POINTS=N` sets how many kills.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadFrameworkContent } from "../../src/ingest/framework/read-framework-content.ts";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { copyTemplateToDataDir, freshReferenceDatabase } from "../support/demo-database.ts";
import { seededRandom } from "../support/seeded-random.ts";
import { checkConsistency, FRAMEWORK_MEASURES, queryOf } from "./consistency.ts";
import { seedKillFixtures } from "./kill-fixtures.ts";

const pgUrl = process.env.TEST_PG_URL;
/** 25 on each database in CI (CI=true): 50 kill points in a CI run, which runs the suite on both; 8 in a local run. */
const KILLS = Number(process.env.OMF_KILL_POINTS ?? (process.env.CI === "true" ? 25 : 8));
const SEED = Number(process.env.OMF_KILL_SEED ?? Math.floor(Math.random() * 1e6));
const work = mkdtempSync(join(tmpdir(), "omf-kill-"));
let childScript = "";
let env: Record<string, string> = {};
let cleanup: () => Promise<void> = async () => {};

/** The child bundled once (a Node start without a TypeScript loader: the kills come faster). */
async function bundleChild(): Promise<string> {
  // beside node_modules, where the bundle's package imports are found
  const outfile = join(import.meta.dirname, "../../node_modules/.cache/omf", `kill-child-${process.pid}.mjs`);
  await build({
    entryPoints: [join(import.meta.dirname, "kill-child.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "error",
    plugins: [
      {
        // import.meta.url of each module is its own path (the migrations folder is found from it)
        name: "own-import-meta",
        setup(b) {
          b.onLoad({ filter: /\.ts$/ }, (args) => ({
            contents: readFileSync(args.path, "utf8")
              .replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href))
              .replaceAll("import.meta.dirname", JSON.stringify(dirname(args.path))),
            loader: "ts",
          }));
        },
      },
    ],
  });
  return outfile;
}

beforeAll(async () => {
  const bundled = bundleChild();
  const { content } = await loadFrameworkContent("content/framework");
  const measures = content.measures!.filter((m) => FRAMEWORK_MEASURES.includes(m.code));
  mkdirSync(join(work, "data"));
  let fixtureBatch: number;
  if (pgUrl) {
    const database = await freshReferenceDatabase(); // a new database with the framework and areas, dropped after
    if (database.kind !== "postgres" || !database.url) throw new Error("expected a PostgreSQL test database");
    env = { DATABASE_URL: database.url, OMF_DATA_DIR: join(work, "data") };
    cleanup = () => database.close();
    fixtureBatch = (await seedKillFixtures(database, work)).batchId;
  } else {
    await copyTemplateToDataDir(join(work, "data"), "reference");
    env = { DATABASE_URL: "", OMF_DATA_DIR: join(work, "data") };
    const database = await openDatabase({ url: "", dataDir: join(work, "data", "pglite"), holder: "kill test setup" });
    try {
      fixtureBatch = (await seedKillFixtures(database, work)).batchId;
    } finally {
      await database.close();
    }
  }
  writeFileSync(join(work, "kill-setup.json"), JSON.stringify({ measures, fixtureBatch }));
  childScript = await bundled;
});

afterAll(async () => {
  await cleanup();
  if (childScript) rmSync(childScript, { force: true });
  rmSync(work, { recursive: true, force: true });
});

interface Child {
  process: ChildProcess;
  lines: string[];
  /** Resolves with the first line matching `pattern` (rejects when the child ends first). */
  waitFor(pattern: RegExp): Promise<string>;
  exited: Promise<number | null>;
  stderr(): string;
}

function startChild(cycle: number, checkOnly: boolean): Child {
  const child = spawn(
    process.execPath,
    [childScript, String(SEED), String(cycle), ...(checkOnly ? ["--check-only"] : [])],
    {
      cwd: join(import.meta.dirname, "../.."),
      env: { ...process.env, LOG_LEVEL: "silent", OMF_USER: "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const lines: string[] = [];
  let stderr = "";
  const waiters: { pattern: RegExp; resolve: (line: string) => void; reject: (e: Error) => void }[] = [];
  let buffered = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split("\n");
    buffered = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const w of waiters.filter((x) => x.pattern.test(line))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  exited.then((code) => {
    for (const w of waiters.splice(0)) {
      w.reject(new Error(`the child (cycle ${cycle}) ended (${code}) first: ${lines.join(" | ")} ${stderr}`));
    }
  });
  return {
    process: child,
    lines,
    exited,
    stderr: () => stderr,
    waitFor: (pattern) => {
      const found = lines.find((l) => pattern.test(l));
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => waiters.push({ pattern, resolve, reject }));
    },
  };
}

/** The operation under way when the child was killed ("between operations" when none was). */
function killedDuring(lines: string[]): string {
  const ops = lines.filter((l) => l.startsWith("OP "));
  const last = ops.at(-1);
  if (!last) return "before the first operation";
  const [, , kind, phase] = last.split(" ");
  return phase === "start" ? kind! : "between operations";
}

/**
 * A plan (version 1 returned with a comment, then approved, published and superseded by version 2, which copied its
 * priority, measure and narrative) and an agreement with an outcome self-assessed and moderated, each step with the
 * audit entry the services write: consistent as it stands.
 */
const PLAN_AND_AGREEMENT = `
  INSERT INTO plans (area_code, period, start_year, end_year, framework_id, version, status)
    SELECT 'W06000015', '2024-25-to-2026-27', 2024, 2026, max(id), v, s FROM frameworks,
      (VALUES (1, 'superseded'), (2, 'published')) AS x(v, s) GROUP BY v, s;
  INSERT INTO plan_priorities (plan_id, text, core_aims) SELECT id, '{"en": "P", "cy": "P"}', '{CA1}' FROM plans;
  INSERT INTO plan_measures (plan_id, measure_code, kind) SELECT id, 'low-birth-weight', 'high_level' FROM plans;
  INSERT INTO narrative_versions (plan_id, subject_kind, subject_code, section, version, body, author, created_at)
    SELECT id, 'measure', 'low-birth-weight', 'story', 1, 'Story', 'e', '2025-01-01T10:01:00Z' FROM plans;
  INSERT INTO plan_review_comments (plan_id, action, section, body, author, created_at)
    SELECT id, 'return', 'general', 'Say more', 'n', '2025-01-01T10:03:00Z' FROM plans WHERE version = 1;
  INSERT INTO audit_log (actor, action, entity, entity_key, after, at) VALUES
    ('e', 'plan.create', 'plan', 'W06000015/2024-25-to-2026-27/v1', '{}', '2025-01-01T10:00:00Z'),
    ('e', 'plan.narrative.save', 'plan', 'W06000015/2024-25-to-2026-27/v1', '{}', '2025-01-01T10:01:00Z'),
    ('e', 'submit', 'plan', 'W06000015/2024-25-to-2026-27/v1', '{"state": "submitted"}', '2025-01-01T10:02:00Z'),
    ('n', 'return', 'plan', 'W06000015/2024-25-to-2026-27/v1', '{"state": "returned"}', '2025-01-01T10:03:00Z'),
    ('e', 'submit', 'plan', 'W06000015/2024-25-to-2026-27/v1', '{"state": "submitted"}', '2025-01-01T10:04:00Z'),
    ('n', 'approve', 'plan', 'W06000015/2024-25-to-2026-27/v1', '{"state": "approved"}', '2025-01-01T10:05:00Z'),
    ('n', 'publish', 'plan', 'W06000015/2024-25-to-2026-27/v1', '{"state": "published"}', '2025-01-01T10:06:00Z'),
    ('e', 'plan.version.start', 'plan', 'W06000015/2024-25-to-2026-27/v2', '{"status": "draft", "copied":
      {"priorities": 1, "measures": 1, "narrativeVersions": 1, "actionUpdates": 0}}', '2025-01-01T10:07:00Z'),
    ('e', 'submit', 'plan', 'W06000015/2024-25-to-2026-27/v2', '{"state": "submitted"}', '2025-01-01T10:08:00Z'),
    ('n', 'approve', 'plan', 'W06000015/2024-25-to-2026-27/v2', '{"state": "approved"}', '2025-01-01T10:09:00Z'),
    ('n', 'publish', 'plan', 'W06000015/2024-25-to-2026-27/v2', '{"state": "published"}', '2025-01-01T10:10:00Z'),
    ('n', 'supersede', 'plan', 'W06000015/2024-25-to-2026-27/v1', '{"state": "superseded"}', '2025-01-01T10:10:00Z'),
    ('e', 'agreement.self_assess', 'agreement', 'W06000015/2013-16',
      '{"outcome": 1, "year": "2013-14", "version": 1}', '2025-01-01T11:00:00Z'),
    ('n', 'agreement.moderate', 'agreement', 'W06000015/2013-16',
      '{"outcome": 1, "year": "2013-14", "version": 1}', '2025-01-01T11:01:00Z');
  INSERT INTO agreement_schemes (code, version, definition, author) VALUES ('kill', 1, '{}', 'seed');
  INSERT INTO agreements (area_code, period, start_year, end_year, scheme_id, grant_pence, status)
    SELECT 'W06000015', '2013-16', 2013, 2016, id, 100, 'agreed' FROM agreement_schemes;
  INSERT INTO agreement_outcomes (agreement_id, position, title, measure_codes)
    SELECT id, 1, '{"en": "O", "cy": "O"}', '{}' FROM agreements;
  INSERT INTO agreement_assessments (outcome_id, year, kind, version, category, reason, author, created_at)
    SELECT id, '2013-14', k, 1, 'fully', CASE k WHEN 'moderation' THEN 'r' END, 'a', t::timestamptz FROM agreement_outcomes,
      (VALUES ('self', '2025-01-01T11:00:00Z'), ('moderation', '2025-01-01T11:01:00Z')) AS x(k, t);`;

/** A torn write of each kind (`broken`), what the check says, and the SQL that makes the data whole again. */
const TORN: { name: string; broken: string; problem: string; mend: string }[] = [
  {
    name: "a state change without its audit entry",
    broken: `UPDATE plans SET status = 'approved' WHERE version = 2`,
    problem: "a plan whose state is not the one its audit trail last recorded (or with no audit trail)",
    mend: `UPDATE plans SET status = 'published' WHERE version = 2`,
  },
  {
    name: "an audit entry of a plan that was never written",
    broken: `INSERT INTO audit_log (actor, action, entity, entity_key, after)
               VALUES ('e', 'plan.create', 'plan', 'W06000011/2024-25-to-2026-27/v1', '{}')`,
    problem: "a plan state change in the audit trail of a plan that does not exist",
    mend: `DELETE FROM audit_log WHERE entity_key = 'W06000011/2024-25-to-2026-27/v1'`,
  },
  {
    name: "a publication that did not supersede the version before",
    broken: `UPDATE plans SET status = 'published' WHERE version = 1;
             DELETE FROM audit_log WHERE action = 'supersede'`,
    problem:
      "a plan with two current versions (published twice, an older one still published or approved, or an older one unfinished)",
    mend: `UPDATE plans SET status = 'superseded' WHERE version = 1;
           INSERT INTO audit_log (actor, action, entity, entity_key, after, at) VALUES ('n', 'supersede', 'plan',
             'W06000015/2024-25-to-2026-27/v1', '{"state": "superseded"}', '2025-01-01T10:10:00Z')`,
  },
  {
    name: "a new version copied in part",
    broken: `DELETE FROM narrative_versions WHERE plan_id = (SELECT id FROM plans WHERE version = 2)`,
    problem: "a new plan version that does not hold everything its audit entry says was copied",
    mend: `INSERT INTO narrative_versions (plan_id, subject_kind, subject_code, section, version, body, author, created_at)
             SELECT id, 'measure', 'low-birth-weight', 'story', 1, 'Story', 'e', '2025-01-01T10:01:00Z' FROM plans
             WHERE version = 2`,
  },
  {
    name: "a return without its comment",
    broken: `DELETE FROM plan_review_comments`,
    problem: "a review comment without its audited step, or a return without its comment",
    mend: `INSERT INTO plan_review_comments (plan_id, action, section, body, author, created_at)
             SELECT id, 'return', 'general', 'Say more', 'n', '2025-01-01T10:03:00Z' FROM plans WHERE version = 1`,
  },
  {
    name: "a narrative version without its audited save",
    broken: `INSERT INTO narrative_versions (plan_id, subject_kind, subject_code, section, version, body, author, created_at)
               SELECT id, 'measure', 'low-birth-weight', 'story', 2, 'Story 2', 'e', '2025-01-02T00:00:00Z' FROM plans
               WHERE version = 2`,
    problem:
      "a narrative version written without an audited change of its plan, or a saved narrative that is not there",
    mend: `DELETE FROM narrative_versions WHERE version = 2`,
  },
  {
    name: "a moderation without its audit entry",
    broken: `DELETE FROM audit_log WHERE action = 'agreement.moderate'`,
    problem: "an assessment without its audit entry, or an audit entry without its assessment",
    mend: `INSERT INTO audit_log (actor, action, entity, entity_key, after, at) VALUES ('n', 'agreement.moderate',
             'agreement', 'W06000015/2013-16', '{"outcome": 1, "year": "2013-14", "version": 1}', '2025-01-01T11:01:00Z')`,
  },
  {
    name: "a lost version of a self-assessment",
    broken: `INSERT INTO agreement_assessments (outcome_id, year, kind, version, category, author, created_at)
               SELECT id, '2013-14', 'self', 3, 'fully', 'a', '2025-01-01T12:00:00Z' FROM agreement_outcomes;
             INSERT INTO audit_log (actor, action, entity, entity_key, after, at) VALUES ('e', 'agreement.self_assess',
               'agreement', 'W06000015/2013-16', '{"outcome": 1, "year": "2013-14", "version": 3}', '2025-01-01T12:00:00Z')`,
    problem: "an outcome's assessments for a year with a version missing",
    mend: `DELETE FROM agreement_assessments WHERE version = 3; DELETE FROM audit_log WHERE after->>'version' = '3'`,
  },
  {
    name: "a moderation without the self-assessment it moderates",
    broken: `UPDATE agreement_assessments SET created_at = '2025-01-01T11:02:00Z' WHERE kind = 'self';
             UPDATE audit_log SET at = '2025-01-01T11:02:00Z' WHERE action = 'agreement.self_assess'`,
    problem: "a moderation without the self-assessment it moderates",
    mend: `UPDATE agreement_assessments SET created_at = '2025-01-01T11:00:00Z' WHERE kind = 'self';
           UPDATE audit_log SET at = '2025-01-01T11:00:00Z' WHERE action = 'agreement.self_assess'`,
  },
];

describe("the consistency check", () => {
  // one database for both: every torn plan or agreement is mended before the next check
  let database: Database;
  beforeAll(async () => {
    database = await freshReferenceDatabase();
  });
  afterAll(() => database?.close());

  it(`finds each torn write of a plan or an agreement: ${TORN.map((t) => t.name).join("; ")}`, async () => {
    await database.exec(PLAN_AND_AGREEMENT);
    // the audit log refuses changes: a torn write is simulated here with its guard off (a database thrown away)
    await database.exec("ALTER TABLE audit_log DISABLE TRIGGER USER");
    const query = queryOf(database);
    expect(await checkConsistency(query)).toEqual([]);
    for (const torn of TORN) {
      await database.exec(torn.broken);
      expect(
        (await checkConsistency(query)).map((p) => p.split(":")[0]),
        torn.name,
      ).toEqual([torn.problem]);
      await database.exec(torn.mend);
      expect(await checkConsistency(query), `${torn.name}, mended`).toEqual([]);
    }
  });

  it("finds a partial batch, a batch without its audit entry and a publication that is not in the trail", async () => {
    expect(await checkConsistency(queryOf(database))).toEqual([]);
    await database.exec(
      `INSERT INTO import_batches (format, status, row_counts) VALUES ('csv', 'published', '{"new": 5}')`,
    );
    const problems = await checkConsistency(queryOf(database));
    expect(problems.map((p) => p.split(":")[0])).toEqual([
      "batch without its import audit entry",
      "partial batch",
      "published batch without a publication in its audit trail",
    ]);
  });
});

describe("SIGKILL at random points", () => {
  it(`leaves the data consistent and the app able to start, every time (${KILLS} kills)`, async () => {
    console.log(
      `kill test seed ${SEED} (replay: OMF_KILL_SEED=${SEED}), ${KILLS} kill points, ${pgUrl ? "PostgreSQL" : "embedded"}`,
    );
    const random = seededRandom(SEED);
    const started = performance.now();
    const killedIn: Record<string, number> = {};
    /** Each child's time to open (and migrate) the database it was left, and to check it. */
    const startMs = { OPENED: [] as number[], CHECKED: [] as number[] };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    for (let cycle = 0; cycle < KILLS; cycle++) {
      const child = startChild(cycle, false);
      const check = await child.waitFor(/^CHECK /);
      expect(check, `after kill ${cycle} (seed ${SEED})`).toBe("CHECK ok");
      await child.waitFor(/^OP 1 /);
      // killed somewhere in the next 0.02–1 s of operations
      await new Promise((resolve) => setTimeout(resolve, 20 + random() * 980));
      const during = killedDuring(child.lines);
      // a child that stopped by itself (an operation failed) is a failure, not a kill point
      expect(child.process.exitCode, `child ${cycle} stopped by itself: ${child.stderr()}`).toBeNull();
      child.process.kill("SIGKILL");
      await child.exited;
      killedIn[during] = (killedIn[during] ?? 0) + 1;
      for (const line of child.lines) {
        const [word, ms] = line.split(" ");
        if (word === "OPENED" || word === "CHECKED") startMs[word].push(Number(ms));
      }
    }
    const last = startChild(KILLS, true);
    expect(await last.waitFor(/^CHECK /), `after the last kill (seed ${SEED})`).toBe("CHECK ok");
    expect(await last.exited).toBe(0);
    console.log(
      `kill points survived: ${KILLS} in ${Math.round((performance.now() - started) / 1000)} s, killed during: ${JSON.stringify(killedIn)}; a child opened its database in ${median(startMs.OPENED)} ms and checked it in ${median(startMs.CHECKED)} ms (medians)`,
    );
    // the kills fell during the operations, not only between them
    expect(KILLS - (killedIn["between operations"] ?? 0)).toBeGreaterThanOrEqual(KILLS / 2);
  }, 900_000); // each kill starts a process: minutes on a loaded machine
});
