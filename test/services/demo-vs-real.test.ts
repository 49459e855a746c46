/**
 * Issue 17: illustrative (demo) data is its own thing. A real import never revises demo values nor is warned against
 * their "history"; once real data are published for a measure, its demo values are withdrawn everywhere (reads, the
 * analysis, the API); the demo batch is refused for rollback before any work; `omf demo --remove` removes it all.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { listAnalysisRuns } from "../../src/db/queries/analysis.ts";
import { findIllustrativeBatch } from "../../src/db/queries/observations.ts";
import { visibleObservations } from "../../src/db/queries/visible-observations.ts";
import { parseMapping } from "../../src/ingest/observations/mapping.ts";
import { onDataChanged } from "../../src/services/analysis/index.ts";
import { removeDemoData } from "../../src/services/demo-data.ts";
import { BatchError, publishBatch, rollbackBatch, valueHistory } from "../../src/services/import/batches.ts";
import { runImport } from "../../src/services/import/run-import.ts";
import { buildApp } from "../../src/web/app.ts";
import { readSharedCsv, requireShared, sharedDir } from "../domain/helpers/shared-data.ts";
import { omfInProcess as omf } from "../support/cli.ts";
import { freshDemoDatabase } from "../support/demo-database.ts";
import { TEST_ACTOR, tempFile } from "../support/import-fixtures.ts";

let database: Database;
beforeAll(async () => {
  database = await freshDemoDatabase();
}, 600_000);
afterAll(async () => database?.close());

const LBW = "low-birth-weight";
const FILE = "low_birth_weight.csv";

async function countRows(sql: string): Promise<number> {
  const rows = await database.db.execute(sql as never);
  const list = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as { n: number | string }[];
  return Number(list[0]!.n);
}

/** The same database, but any attempt to open an import session (lock, transaction) throws. */
function withoutSessions(db: Database): Database {
  const refuse = () => {
    throw new Error("an import session was opened");
  };
  return db.kind === "pglite"
    ? { ...db, client: { transaction: refuse } as never }
    : { ...db, pool: { connect: refuse } as never };
}

describe("demo data and real data", () => {
  it("the demo batch is refused for rollback before any value is read or the import lock taken", async () => {
    const demo = (await findIllustrativeBatch(database.db))!;
    expect(demo).not.toBeNull();
    const batchesBefore = await countRows("SELECT count(*) AS n FROM import_batches");
    const started = performance.now();
    const error = await rollbackBatch(withoutSessions(database), demo, { actor: TEST_ACTOR }).catch((e) => e);
    const ms = performance.now() - started;
    expect(error).toBeInstanceOf(BatchError);
    expect((error as BatchError).code).toBe("illustrative");
    expect((error as Error).message).toMatch(/omf demo --remove/);
    expect(await countRows("SELECT count(*) AS n FROM import_batches")).toBe(batchesBefore);
    console.info(`demo batch rollback refused in ${ms.toFixed(0)} ms`);
  });

  it("a real import adds new values beside the demo (no revisions of it, no warnings against its history)", async (ctx) => {
    requireShared(ctx);
    const published = readSharedCsv(`sample-data/${FILE}`);
    const summary = await runImport(database, path.join(sharedDir, "sample-data", FILE), {
      dryRun: false,
      mapping: parseMapping(`measures:\n  ${JSON.stringify(published[0]!.measure)}: ${LBW}\nignore: [unit, source]\n`),
      actor: TEST_ACTOR,
    });
    expect(summary.errors).toEqual([]);
    expect(summary.warnings).toEqual([]);
    expect(summary.counts).toMatchObject({ new: published.length, revised: 0, unchanged: 0 });

    // a draft: the public still sees the demo; analysts see the real draft and no demo value of the measure
    const pub = await visibleObservations(database.db, { measureCodes: [LBW] });
    expect(pub.length).toBeGreaterThan(published.length);
    expect(pub.every((o) => o.illustrative)).toBe(true);
    const drafts = await visibleObservations(database.db, { measureCodes: [LBW], includeDrafts: true });
    expect(drafts).toHaveLength(published.length);
    expect(drafts.some((o) => o.illustrative)).toBe(false);

    // the value's history is the real value alone
    const history = await valueHistory(database, { measureCode: LBW, areaCode: "W06000015", period: "2023" });
    expect(history.map((r) => [r.revision, r.illustrative, r.replacesId])).toEqual([[1, false, null]]);

    await publishBatch(database, summary.batch!.id, { actor: TEST_ACTOR });
    await onDataChanged(database.db, [LBW]);
    const after = await visibleObservations(database.db, { measureCodes: [LBW] });
    expect(after).toHaveLength(published.length);
    expect(after.every((o) => !o.illustrative && o.period === "2023")).toBe(true);
    // other measures keep their demo data
    const other = await visibleObservations(database.db, { measureCodes: ["infant-mortality-rate"] });
    expect(other.length).toBeGreaterThan(0);
    expect(other.every((o) => o.illustrative)).toBe(true);
  });

  it("the pages, the API and the analysis show only the real values of that measure", async (ctx) => {
    requireShared(ctx);
    const app = await buildApp({ database, sessionSecret: "a-test-secret-that-is-at-least-32-characters" });
    try {
      const api = await app.inject({ url: `/api/v1/data?measure=${LBW}` });
      expect(api.statusCode).toBe(200);
      const data = api.json() as { data: { period: string; illustrative: boolean }[] };
      expect(data.data.length).toBe(23);
      expect(data.data.every((r) => r.period === "2023" && r.illustrative === false)).toBe(true);
      const csv = await app.inject({ url: `/api/v1/data.csv?measure=${LBW}` });
      const [header, ...lines] = csv.body
        .replace(/^\uFEFF/, "")
        .trim()
        .split(/\r?\n/);
      const at = header!.split(",").indexOf("illustrative");
      expect(at).toBeGreaterThanOrEqual(0);
      expect(lines).toHaveLength(23);
      expect(lines.every((l) => l.split(",")[at] === "false")).toBe(true);
      const page = await app.inject({ url: `/en/measures/${LBW}` });
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toMatch(/Illustrative data/);
      // the overview marks the measures still shown with demo data, in the table and in its download, row by row
      for (const [lang, tag, yes, no] of [
        ["en", "Illustrative", "yes", "no"],
        ["cy", "Enghreifftiol", "ie", "na"],
      ] as const) {
        const overview = (await app.inject({ url: `/${lang}/overview?tier=all` })).body;
        const rowOf = (code: string) => {
          const at = overview.indexOf(`href="/${lang}/measures/${code}"`);
          return overview.slice(at, overview.indexOf("</th>", at));
        };
        expect(rowOf(LBW)).not.toContain("omf-illustrative");
        expect(rowOf("infant-mortality-rate")).toContain(
          `<strong class="govuk-tag govuk-tag--grey omf-illustrative">${tag}</strong>`,
        );
        const download = (await app.inject({ url: `/${lang}/overview?tier=all&format=csv` })).body;
        const [head, ...rows] = download
          .replace(/^\uFEFF/, "")
          .trim()
          .split(/\r?\n/);
        // the mark is the last column (a title may hold a comma, so rows are read from the end)
        expect(head!.split(",").at(-1), lang).toBe(tag);
        const mark = (code: string) =>
          new Set(rows.filter((r) => r.startsWith(`${code},`)).map((r) => r.split(",").at(-1)));
        expect(mark(LBW)).toEqual(new Set([no]));
        expect(mark("infant-mortality-rate")).toEqual(new Set([yes]));
      }
      const runs = (await listAnalysisRuns(database.db)).find((r) => r.measureCode === LBW);
      expect(runs?.rowCount).toBe(23);
    } finally {
      await app.close();
    }
  });

  it("omf export marks every illustrative row, and a row so marked is refused when imported again", async (ctx) => {
    requireShared(ctx);
    const lines = (args: string[]) =>
      omf(["export", ...args], { database }).then((r) => {
        expect(r.code, r.stderr).toBe(0);
        return r.stdout
          .replace(/^\uFEFF/, "")
          .trim()
          .split(/\r?\n/);
      });
    const [header, ...demo] = await lines(["--measure", "infant-mortality-rate"]);
    const at = header!.split(",").indexOf("illustrative");
    expect(at).toBeGreaterThan(0);
    expect(demo.length).toBeGreaterThan(0);
    expect(demo.every((l) => l.split(",")[at] === "true")).toBe(true);
    const [, ...real] = await lines(["--measure", LBW]);
    expect(real).toHaveLength(23);
    expect(real.every((l) => l.split(",")[at] === "false")).toBe(true);

    // the demo rows never come back as real data: every one is refused, said once with its rows
    const again = await runImport(database, tempFile(`${header}\n${demo.join("\n")}\n`), {
      dryRun: true,
      actor: TEST_ACTOR,
    });
    expect(again.ok).toBe(false);
    expect(again.errorGroups.map((g) => [g.code, g.count])).toEqual([["illustrative_row", demo.length]]);
    // the real rows re-import as they are: unchanged
    const back = await runImport(database, tempFile(`${header}\n${real.join("\n")}\n`), {
      dryRun: true,
      actor: TEST_ACTOR,
    });
    expect(back.errors).toEqual([]);
    expect(back.counts).toMatchObject({ unchanged: 23, new: 0, revised: 0 });

    // JSON-stat says which measures are illustrative
    const json = JSON.parse(
      (await omf(["export", "--measure", "infant-mortality-rate", LBW, "--format", "json"], { database })).stdout,
    );
    expect(json.extension).toEqual({ illustrative: { measures: ["infant-mortality-rate"] } });
    expect(json.note.join(" ")).toContain("infant-mortality-rate are illustrative");
  });

  it("omf demo --remove removes every illustrative value and batch and leaves the real data", async (ctx) => {
    requireShared(ctx);
    const r = await omf(["demo", "--remove"], { database });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const [, removed, measures] = /^removed (\d+) illustrative observations of (\d+) measures\n$/.exec(r.stdout) ?? [];
    expect(Number(removed)).toBeGreaterThan(10_000);
    expect(Number(measures)).toBeGreaterThan(0);
    expect(await countRows("SELECT count(*) AS n FROM observation_sets WHERE illustrative")).toBe(0);
    expect(await countRows("SELECT count(*) AS n FROM import_batches WHERE illustrative")).toBe(0);
    expect(await visibleObservations(database.db, { measureCodes: ["infant-mortality-rate"] })).toEqual([]);
    expect(await visibleObservations(database.db, { measureCodes: [LBW] })).toHaveLength(23);
    const runs = await listAnalysisRuns(database.db);
    expect(runs.map((run) => run.measureCode)).toEqual([LBW]);
    expect(await removeDemoData(database.db)).toEqual({ removed: 0, measures: 0 });
    expect((await omf(["demo", "--remove"], { database })).stdout).toBe("no demo data to remove\n");
  });

  it("a published batch of 20,000 values rolls back in seconds", async () => {
    const years = Array.from({ length: 870 }, (_, i) => 1150 + i);
    const areas = (await database.db.execute(
      "SELECT code FROM areas WHERE type = 'local_authority' ORDER BY code" as never,
    )) as { rows: { code: string }[] } | { code: string }[] as never as { rows?: { code: string }[] } & {
      code: string;
    }[];
    const codes = (areas.rows ?? areas).map((a) => a.code).slice(0, 23);
    // the measure suppresses numerators below 5, so each rate comes with its numerator
    const lines = ["measure,area_code,period,value,numerator"];
    for (const y of years)
      for (const c of codes) lines.push(`under-18-conception-rate,${c},${y},${(y % 7) + 1},${(y % 7) + 10}`);
    const file = tempFile(`${lines.join("\n")}\n`);
    const imported = await runImport(database, file, { dryRun: false, publish: true, actor: TEST_ACTOR });
    expect(imported.errors.slice(0, 3)).toEqual([]);
    expect(imported.counts.new).toBe(years.length * codes.length);
    const started = performance.now();
    const r = await rollbackBatch(database, imported.batch!.id, { actor: TEST_ACTOR });
    const seconds = (performance.now() - started) / 1000;
    expect(r.withdrawn).toBe(years.length * codes.length);
    console.info(`rollback of ${r.withdrawn} values took ${seconds.toFixed(1)} s (${database.kind})`);
  }, 300_000);
});
