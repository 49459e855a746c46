/**
 * The stored analysis on a real database (PGlite, or PostgreSQL with TEST_PG_URL): what is stored equals a fresh
 * in-memory computation, it is recomputed only when the published data change, and it stores only what the public
 * may see.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { replaceMeasureAnalysis } from "../../src/db/queries/analysis-store.ts";
import { findCurrentFramework, listMeasures } from "../../src/db/queries/framework.ts";
import { createBatch, insertObservations, type NewObservation } from "../../src/db/queries/observations.ts";
import { visibleObservations } from "../../src/db/queries/visible-observations.ts";
import { analysisResults, measures } from "../../src/db/schema.ts";
import {
  analyseMeasure,
  analyseMeasures,
  getAnalysisRuns,
  getAreaResults,
  getGaps,
  getMeasureResults,
  getSeries,
  latestPeriod,
  loadAreaContext,
  measureSpecOf,
  nationalSummary,
  onDataChanged,
  refreshReleasedMeasures,
} from "../../src/services/analysis/index.ts";
import { rollbackBatch } from "../../src/services/import/batches.ts";
import { seedReferenceData } from "../../src/services/seed.ts";
import { freshDatabase, truncateAll } from "../support/test-database.ts";

const WALES = "W92000004";
const CARDIFF = "W06000015";
const MEASURE = "low-birth-weight"; // proportion, lower is better, health-board parent, deprivation breakdown
const NEET = "year-11-leavers-neet"; // proportion, academic year, sex breakdown

let database: Database;
let las: string[];

beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  await truncateAll(database);
  await seedReferenceData(database.db);
  las = await localAuthorities();
});

async function localAuthorities(): Promise<string[]> {
  const ctx = await loadAreaContext(database.db);
  return [...ctx.areas.values()].filter((a) => a.type === "local_authority").map((a) => a.code);
}

/** A published batch of low-birth-weight for calendar years `years`, Wales + every authority (+ optional rows). */
async function publish(
  years: number[],
  options: {
    publishAt?: Date;
    status?: string;
    shift?: number;
    extra?: NewObservation[];
    measure?: string;
    revision?: number;
  } = {},
): Promise<number> {
  const batchId = await createBatch(database.db, {
    format: "test",
    status: options.status ?? "published",
    publishAt: options.publishAt ?? new Date(Date.now() - 1000),
  });
  const rows: NewObservation[] = [];
  for (const y of years) {
    let num = 0;
    let den = 0;
    las.forEach((area, i) => {
      const d = 1000 + i * 50;
      const n = Math.round(d * (0.05 + (i % 7) * 0.006 + (options.shift ?? 0)));
      num += n;
      den += d;
      rows.push({ ...row(options.measure ?? MEASURE, area, y, n, d, batchId), revision: options.revision ?? 1 });
    });
    rows.push({ ...row(options.measure ?? MEASURE, WALES, y, num, den, batchId), revision: options.revision ?? 1 });
  }
  for (const e of options.extra ?? []) rows.push({ ...e, batchId });
  await insertObservations(database.db, rows);
  return batchId;
}

function row(measureCode: string, areaCode: string, y: number, n: number, d: number, batchId: number): NewObservation {
  return {
    measureCode,
    areaCode,
    period: String(y),
    periodEnd: `${y}-12-31`,
    breakdown: "total",
    value: (n / d) * 100,
    numerator: n,
    denominator: d,
    batchId,
  };
}

async function freshComputation(code: string) {
  const framework = await findCurrentFramework(database.db);
  const m = (await listMeasures(database.db, framework!.id)).find((x) => x.code === code)!;
  const observations = await visibleObservations(database.db, { measureCodes: [code] });
  const runs = await getAnalysisRuns(database.db);
  const version = runs.find((r) => r.measureCode === code)!.dataVersion;
  return analyseMeasure(measureSpecOf(m), observations, await loadAreaContext(database.db), version);
}

const byKey = (a: { areaCode: string; period: string; breakdown: string }) =>
  `${a.areaCode}|${a.period}|${a.breakdown}`;

describe("stored analysis", () => {
  it("equals a fresh in-memory computation of the published data (consistency)", async () => {
    await publish([2016, 2017, 2018, 2019, 2020]);
    const report = await analyseMeasures(database.db);
    expect(report.failed).toBe(0);
    expect(report.measures.find((m) => m.measureCode === MEASURE)).toMatchObject({ status: "analysed", rows: 115 });
    const stored = await getMeasureResults(database.db, MEASURE, { period: "2020" });
    const all = [
      ...stored,
      ...(
        await Promise.all(
          [2016, 2017, 2018, 2019].map((y) => getMeasureResults(database.db, MEASURE, { period: String(y) })),
        )
      ).flat(),
    ];
    const fresh = (await freshComputation(MEASURE)).results;
    expect(all).toHaveLength(fresh.length);
    const freshByKey = new Map(fresh.map((r) => [byKey(r), r]));
    for (const s of all) expect(s).toEqual(freshByKey.get(byKey(s)));
  });

  it("stores the same rows through the INSERT fallback (inside a caller's transaction)", async () => {
    await publish([2016, 2017, 2018, 2019, 2020]);
    await analyseMeasures(database.db);
    const copied = await getSeries(database.db, MEASURE, CARDIFF);
    const fresh = await freshComputation(MEASURE);
    const [run] = await getAnalysisRuns(database.db);
    await database.db.transaction(async (tx) => {
      const stored = await replaceMeasureAnalysis(tx, {
        measureCode: MEASURE,
        dataVersion: run!.dataVersion,
        inputFingerprint: run!.inputFingerprint,
        results: fresh.results,
        gaps: fresh.gaps,
        ms: 1,
        force: true,
      });
      expect(stored).toBe(true);
    });
    expect(await getSeries(database.db, MEASURE, CARDIFF)).toEqual(copied);
  });

  it("is read the same way by every read function", async () => {
    await publish([2016, 2017, 2018, 2019, 2020]);
    await analyseMeasures(database.db);
    expect(await latestPeriod(database.db, MEASURE)).toBe("2020");
    const latest = await getMeasureResults(database.db, MEASURE);
    expect(latest).toHaveLength(23);
    expect(latest.every((r) => r.period === "2020")).toBe(true);
    const cardiff = latest.find((r) => r.areaCode === CARDIFF)!;
    expect((await getAreaResults(database.db, CARDIFF)).find((r) => r.measureCode === MEASURE)).toEqual(cardiff);
    const series = await getSeries(database.db, MEASURE, CARDIFF);
    expect(series.map((r) => r.period)).toEqual(["2016", "2017", "2018", "2019", "2020"]);
    expect(series.at(-1)).toEqual(cardiff);
    expect(cardiff.summary.en).toMatch(/^Cardiff: \d+\.\d% \(95% CI /);
    expect(cardiff.summary.cy).toMatch(/^Caerdydd: \d+\.\d% \(cyfwng hyder o 95%: /);
    // the sentence is written when the row is read, from its stored fields: it is not itself stored
    const [stored] = await database.db.select().from(analysisResults).limit(1);
    expect(stored).toBeDefined();
    expect(Object.keys(stored!)).not.toContain("summary");
    expect(cardiff.parentCode).toBe("W11000029"); // Cardiff and Vale University Health Board
    expect(cardiff.parentPooled).toBe(true);
    expect(await getMeasureResults(database.db, "no-such-measure")).toEqual([]);
    const summary = await nationalSummary(database.db);
    const ca1 = summary.find((a) => a.coreAimCode === "CA1")!;
    expect(ca1.measures).toBe(1);
    const c = ca1.areasComparedWithWales;
    expect(c.better + c.worse + c.similar + c.higher + c.lower + c.notCompared).toBe(22);
  });

  it("is not recomputed when the data version is unchanged, and is when the data change", async () => {
    await publish([2018, 2019, 2020]);
    await analyseMeasures(database.db);
    const [run] = await getAnalysisRuns(database.db);
    const again = await analyseMeasures(database.db);
    expect(again.analysed).toBe(0);
    expect(again.measures.find((m) => m.measureCode === MEASURE)?.status).toBe("unchanged");
    expect((await getAnalysisRuns(database.db))[0]).toEqual(run);

    // A draft batch is not public: still unchanged.
    await publish([2021], { status: "draft" });
    expect((await analyseMeasures(database.db)).analysed).toBe(0);

    // A published revision changes the data version.
    await publish([2021], { revision: 2 });
    const changed = await onDataChanged(database.db, [MEASURE]);
    expect(changed.measures[0]).toMatchObject({ measureCode: MEASURE, status: "analysed" });
    const [run2] = await getAnalysisRuns(database.db);
    expect(run2!.dataVersion).not.toBe(run!.dataVersion);
    expect(await latestPeriod(database.db, MEASURE)).toBe("2021");

    // --force recomputes anyway, to the same data version.
    const forced = await analyseMeasures(database.db, [MEASURE], { force: true });
    expect(forced.analysed).toBe(1);
    expect((await getAnalysisRuns(database.db))[0]!.dataVersion).toBe(run2!.dataVersion);
  });

  it("a definition change (polarity) recomputes even though the observations are the same", async () => {
    await publish([2020]);
    await analyseMeasures(database.db);
    const before = (await getMeasureResults(database.db, MEASURE)).find((r) => r.rank === 1)!.areaCode;
    await database.db.update(measures).set({ polarity: "higher_is_better" }).where(eq(measures.code, MEASURE));
    expect((await analyseMeasures(database.db)).analysed).toBe(1);
    const after = (await getMeasureResults(database.db, MEASURE)).find((r) => r.rank === 1)!.areaCode;
    expect(after).not.toBe(before);
  });

  it("an embargoed batch is analysed only once its embargo has passed", async () => {
    await publish([2019]);
    const soon = new Date(Date.now() + 60_000);
    await publish([2020], { publishAt: soon });
    await analyseMeasures(database.db);
    expect(await latestPeriod(database.db, MEASURE)).toBe("2019");
    const { report } = await refreshReleasedMeasures(
      database.db,
      new Date(Date.now() - 1000),
      new Date(soon.getTime() + 1),
    );
    expect(report.measures.map((m) => m.measureCode)).toEqual([MEASURE]);
    // (the public view is still as at now, so nothing changed yet)
    expect(await latestPeriod(database.db, MEASURE)).toBe("2019");
    const later = await analyseMeasures(database.db, [MEASURE], { asAt: new Date(soon.getTime() + 1) });
    expect(later.analysed).toBe(1);
    expect(await latestPeriod(database.db, MEASURE)).toBe("2020");
  });

  it("a rollback recomputes, and a measure with no public data left loses its analysis", async () => {
    const first = await publish([2019]);
    await analyseMeasures(database.db);
    const second = await publish([2020], { shift: 0.01 });
    await analyseMeasures(database.db);
    expect(await latestPeriod(database.db, MEASURE)).toBe("2020");
    await rollbackBatch(database, second, { actor: { userId: null, name: "test" } });
    await onDataChanged(database.db, [MEASURE]);
    expect(await latestPeriod(database.db, MEASURE)).toBe("2019");
    await rollbackBatch(database, first, { actor: { userId: null, name: "test" } });
    const report = await onDataChanged(database.db, [MEASURE]);
    expect(report.measures[0]?.status).toBe("removed");
    expect(await getMeasureResults(database.db, MEASURE)).toEqual([]);
    expect(await getAnalysisRuns(database.db)).toEqual([]);
  });

  it("stores only what the public may see: suppressed values leak nothing", async () => {
    await database.db.update(measures).set({ suppressBelow: 5 }).where(eq(measures.code, MEASURE));
    const small = row(MEASURE, CARDIFF, 2020, 3, 40, 0);
    await publish([2020], { extra: [] });
    // Replace Cardiff 2020 with a small count in a later published batch.
    await publish([], { extra: [{ ...small, revision: 2 }] });
    await analyseMeasures(database.db);
    const results = await getMeasureResults(database.db, MEASURE);
    const cardiff = results.find((r) => r.areaCode === CARDIFF)!;
    expect(cardiff).toMatchObject({
      suppressed: true,
      value: null,
      numerator: null,
      denominator: null,
      lower95: null,
      upper95: null,
      lower998: null,
      upper998: null,
      rank: null,
      quintile: null,
      benchmarkSignificance: "not_compared",
      parentSignificance: "not_compared",
      parentValue: null,
    });
    expect(cardiff.summary.en).toBe("Cardiff: value suppressed to protect confidentiality.");
    expect(results.filter((r) => r.rank !== null).every((r) => r.rankOutOf === 21)).toBe(true);
    // Nothing derived from the raw count is stored anywhere in the row.
    const [raw] = await database.db.select().from(analysisResults).where(eq(analysisResults.areaCode, CARDIFF));
    expect(JSON.stringify(raw)).not.toMatch(/"(numerator|denominator)":(3|40)\b/);
  });

  it("stores the inequality gaps of a measure with breakdowns", async () => {
    const batchId = await createBatch(database.db, {
      format: "test",
      status: "published",
      publishAt: new Date(Date.now() - 1000),
    });
    const rows: NewObservation[] = [];
    ["2016/17", "2017/18", "2018/19", "2019/20", "2020/21"].forEach((period, i) => {
      const y = 2017 + i;
      for (const [breakdown, n] of [
        ["total", 500],
        ["sex=female", 100 + i * 45],
        ["sex=male", 300],
      ] as const) {
        rows.push({
          measureCode: NEET,
          areaCode: CARDIFF,
          period,
          periodEnd: `${y}-08-31`,
          breakdown,
          value: (n / 5000) * 100,
          numerator: n,
          denominator: 5000,
          batchId,
        });
      }
    });
    await insertObservations(database.db, rows);
    await analyseMeasures(database.db, [NEET]);
    const gaps = await getGaps(database.db, NEET, { areaCode: CARDIFF });
    expect(gaps.map((g) => g.period)).toEqual(["2016/17", "2017/18", "2018/19", "2019/20", "2020/21"]);
    expect(gaps[0]).toMatchObject({ dimension: "sex", groupA: "sex=female", groupB: "sex=male", significant: true });
    expect(gaps[4]).toMatchObject({ trendDirection: "increasing", gapTrend: "narrowing" }); // −4 pp → −0.4 pp
    const female = await getMeasureResults(database.db, NEET, { breakdown: "sex=female" });
    expect(female[0]!.summary.en).toMatch(/^Cardiff \(Female\): /);
    expect((await getMeasureResults(database.db, NEET, { breakdown: "*" })).map((r) => r.breakdown).sort()).toEqual([
      "sex=female",
      "sex=male",
      "total",
    ]);
  });
});
