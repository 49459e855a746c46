/**
 * The analysis off the request path (src/services/analysis/background.ts): it runs in a worker thread on the same
 * database (PGlite through the owning thread, PostgreSQL with its own connections), stores what an in-process run
 * stores, merges requests that arrive while it runs, and the thread that serves requests keeps running meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { createBatch, insertObservations, type NewObservation } from "../../src/db/queries/observations.ts";
import type { Logger } from "../../src/logger.ts";
import {
  AnalysisRunnerClosedError,
  createAnalysisRunner,
  logAnalysisFailure,
} from "../../src/services/analysis/background.ts";
import {
  analyseMeasures,
  getAnalysisRuns,
  getMeasureResults,
  loadAreaContext,
} from "../../src/services/analysis/index.ts";
import { freshReferenceDatabase } from "../support/demo-database.ts";

const MEASURE = "low-birth-weight";
let database: Database;

beforeAll(async () => {
  database = await freshReferenceDatabase(); // the framework and areas, cloned
  const ctx = await loadAreaContext(database.db);
  const areas = [...ctx.areas.values()].filter((a) => a.type === "local_authority" || a.type === "country");
  const batchId = await createBatch(database.db, {
    format: "test",
    status: "published",
    publishAt: new Date(Date.now() - 1000),
  });
  const rows: NewObservation[] = [];
  for (const y of [2016, 2017, 2018, 2019, 2020, 2021]) {
    areas.forEach((a, i) => {
      const d = 1000 + i * 40;
      const n = Math.round(d * (0.05 + (i % 5) * 0.004));
      rows.push({
        measureCode: MEASURE,
        areaCode: a.code,
        period: String(y),
        periodEnd: `${y}-12-31`,
        breakdown: "total",
        value: (n / d) * 100,
        numerator: n,
        denominator: d,
        batchId,
        revision: 1,
      });
    });
  }
  await insertObservations(database.db, rows);
}, 120_000);
afterAll(async () => {
  await database.close();
});

describe("the analysis runner", () => {
  it("analyses in a worker thread what an in-process run would store, and merges waiting requests", async () => {
    const analysed: number[] = [];
    const runner = createAnalysisRunner(database, { onAnalysed: (r) => analysed.push(r.analysed) });
    try {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      const [a, b, c] = await Promise.all([
        runner.analyse([MEASURE]),
        runner.analyse([MEASURE]),
        runner.analyse(undefined),
      ]);
      clearInterval(timer);
      expect(a.measures.find((m) => m.measureCode === MEASURE)?.status).toBe("analysed");
      // the second and third requests waited together and found nothing left to do
      expect(b).toBe(c);
      expect(b.analysed).toBe(0);
      expect(analysed).toEqual([1, 0]);
      expect(ticks).toBeGreaterThan(0); // this thread's timers kept running while the worker worked
      const stored = await getMeasureResults(database.db, MEASURE, { period: "2021" });
      expect(stored.length).toBeGreaterThan(20);
      const before = (await getAnalysisRuns(database.db)).find((r) => r.measureCode === MEASURE)!;
      // an in-process run finds the worker's analysis up to date
      expect((await analyseMeasures(database.db, [MEASURE])).analysed).toBe(0);
      const forced = await runner.analyse([MEASURE], { force: true });
      expect(forced.analysed).toBe(1);
      const after = (await getAnalysisRuns(database.db)).find((r) => r.measureCode === MEASURE)!;
      expect(after.dataVersion).toBe(before.dataVersion);
    } finally {
      await runner.close();
    }
  }, 120_000);

  it("stopping the server while an analysis runs is logged as a stop, not as a failed analysis", async () => {
    const runner = createAnalysisRunner(database, {});
    const settled = runner.analyse(undefined, { force: true }).then(
      () => null,
      (e: unknown) => e,
    );
    await runner.close();
    const error = await settled;
    expect(error).toBeInstanceOf(AnalysisRunnerClosedError);
    await expect(runner.analyse([MEASURE])).rejects.toBeInstanceOf(AnalysisRunnerClosedError);
    const logged: { level: string; message: string }[] = [];
    const log = {
      info: (message: string) => logged.push({ level: "info", message }),
      error: (_fields: unknown, message: string) => logged.push({ level: "error", message }),
    } as unknown as Logger;
    logAnalysisFailure(log, error);
    logAnalysisFailure(log, new Error("disk full"));
    expect(logged).toEqual([
      { level: "info", message: "analysis stopped: the server is stopping" },
      { level: "error", message: "analysis failed; the previous analysis is kept" },
    ]);
  }, 120_000);
});
