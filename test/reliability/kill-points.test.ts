/**
 * SIGKILL at random points (issue 19): a child process (test/reliability/kill-child.ts) carries out imports (draft
 * and published at once), publications, rollbacks and framework imports one after another and is killed after a
 * seeded random delay; the next child opens the database the killed one left (on the embedded database, over its
 * stale lock), migrates it, composes the services and checks that the data are consistent (no partial batch, every
 * change with its audit entry, statuses as the audit trail says; test/reliability/consistency.ts), then carries on
 * until it is killed in turn. A last child only checks. Runs on the database of the run (embedded, or PostgreSQL
 * with TEST_PG_URL). The seed is printed; `OMF_KILL_SEED=N` replays a run, `OMF_KILL_POINTS=N` sets how many kills.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadFrameworkContent } from "../../src/ingest/framework/read-framework-content.ts";
import { copyTemplateToDataDir, freshReferenceDatabase } from "../support/demo-database.ts";
import { seededRandom } from "../support/seeded-random.ts";
import { checkConsistency, FRAMEWORK_MEASURES, queryOf } from "./consistency.ts";

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
  childScript = await bundleChild();
  const { content } = await loadFrameworkContent("content/framework");
  writeFileSync(
    join(work, "kill-measures.json"),
    JSON.stringify(content.measures!.filter((m) => FRAMEWORK_MEASURES.includes(m.code))),
  );
  if (pgUrl) {
    const database = await freshReferenceDatabase(); // a new database with the framework and areas, dropped after
    if (database.kind !== "postgres" || !database.url) throw new Error("expected a PostgreSQL test database");
    mkdirSync(join(work, "data"));
    env = { DATABASE_URL: database.url, OMF_DATA_DIR: join(work, "data") };
    cleanup = () => database.close();
  } else {
    mkdirSync(join(work, "data"));
    await copyTemplateToDataDir(join(work, "data"), "reference");
    env = { DATABASE_URL: "", OMF_DATA_DIR: join(work, "data") };
  }
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

describe("the consistency check", () => {
  it("finds a partial batch, a batch without its audit entry and a publication that is not in the trail", async () => {
    const database = await freshReferenceDatabase();
    try {
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
    } finally {
      await database.close();
    }
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
    }
    const last = startChild(KILLS, true);
    expect(await last.waitFor(/^CHECK /), `after the last kill (seed ${SEED})`).toBe("CHECK ok");
    expect(await last.exited).toBe(0);
    console.log(
      `kill points survived: ${KILLS} in ${Math.round((performance.now() - started) / 1000)} s, killed during: ${JSON.stringify(killedIn)}`,
    );
    // the kills fell during the operations, not only between them
    expect(KILLS - (killedIn["between operations"] ?? 0)).toBeGreaterThanOrEqual(KILLS / 2);
  }, 900_000); // each kill starts a process: minutes on a loaded machine
});
