/**
 * Benchmark of the analysis over the data (issue 4): `npx tsx bench/analysis.ts [--skip-wales] [--skip-england]
 * [--store-england | --store-url URL] [--areas N] [--measures N] [--periods N]`.
 *
 * 1. Wales scale: the shipped framework with demo data (every live measure × 23 areas × 15 periods) in an embedded
 *    database: `analyseMeasures` end to end (read, compute, store), forced, then again unchanged (the no-op check).
 *    Baseline: reading the same visible observations once.
 * 2. England scale: synthetic data (7,000 areas × 50 measures × 10 periods = 3.5 million observations, five value
 *    types) analysed in memory measure by measure (the pure core, as `analyseMeasures` runs it). Baseline: generating
 *    the observations. The analysis is timed in two parts, both in CPU time (user + system, the honest figure on a
 *    shared machine) and elapsed: the pure core, which keeps its results in columns, and making the result rows into
 *    objects a batch at a time, as the database write does (without summary sentences, which are made when a row is
 *    read). With `--store-england`,
 *    the results are also stored in an embedded database; with `--store-url postgres://user:pass@host:5432` in a
 *    scratch PostgreSQL database (created and dropped).
 *
 * Prints seconds, rows/s, peak RSS and the ratio to the baseline of the same run. No assertions: numbers only.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { type Database, wrapPglite, wrapPostgres } from "../src/db/database.ts";
import { replaceMeasureAnalysis } from "../src/db/queries/analysis-store.ts";
import { findCurrentFramework, listMeasures } from "../src/db/queries/framework.ts";
import { visibleObservations } from "../src/db/queries/visible-observations.ts";
import { analyseMeasure } from "../src/services/analysis/analyse-measure.ts";
import { analyseMeasures } from "../src/services/analysis/index.ts";
import type { AnalysisObservation, AreaContext, AreaInfo, MeasureSpec } from "../src/services/analysis/types.ts";
import { demoPeriods, seedDemoData } from "../src/services/demo-data.ts";
import { seedReferenceData } from "../src/services/seed.ts";
import { seededRandom as rng } from "../test/support/seeded-random.ts";

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const num = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};

/** Rows per batch when the result rows are made into objects (as the database write makes them: COPY_CHUNK). */
const ROW_BATCH = 5_000;

/** Peak resident set size of this process so far (kept by the OS, so it includes peaks inside synchronous work). */
const peakRss = () => process.resourceUsage().maxRSS * 1024;
const mib = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MiB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
const rate = (rows: number, ms: number) => `${Math.round(rows / (ms / 1000)).toLocaleString("en-GB")} rows/s`;

/** A new embedded database on disk in a temporary folder (as `./data` is; faster than in-memory for bulk loads). */
async function freshEmbedded(): Promise<Database> {
  const dir = mkdtempSync(join(tmpdir(), "omf-bench-analysis-"));
  const database = wrapPglite(await PGlite.create({ dataDir: dir }), "bench");
  const close = database.close;
  database.close = async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  };
  await database.migrate();
  return database;
}

/** A scratch PostgreSQL database on the server at `url` (no database name), dropped on close. */
async function freshPostgres(url: string): Promise<Database> {
  const name = `omf_bench_analysis_${process.pid}`;
  const admin = new pg.Client({ connectionString: `${url}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const database = wrapPostgres(new pg.Pool({ connectionString: `${url}/${name}`, max: 2 }), "bench");
  const close = database.close;
  database.close = async () => {
    await close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  };
  await database.migrate();
  return database;
}

// ---------------------------------------------------------------------------------------------------------------
// 1. Wales scale

async function walesScale(): Promise<void> {
  const database = await freshEmbedded();
  const db = database.db;
  await seedReferenceData(db);
  // 15 periods: the demo generator makes 12; add three earlier periods so the series are 15 long.
  await seedDemoData(db, { onlyIfEmpty: false });
  await extendDemoTo15Periods(database);
  const framework = await findCurrentFramework(db);
  const codes = (await listMeasures(db, framework!.id)).filter((m) => m.status === "live").map((m) => m.code);

  await analyseMeasures(db, undefined, { force: true }); // warm-up (JIT, plan caches)
  const b0 = performance.now();
  const observations = await visibleObservations(db, { measureCodes: codes });
  const baseline = performance.now() - b0;

  const t0 = performance.now();
  const forced = await analyseMeasures(db, undefined, { force: true });
  const total = performance.now() - t0;
  const compute = forced.measures.reduce((s, m) => s + m.computeMs, 0);
  const t1 = performance.now();
  const again = await analyseMeasures(db);
  const noop = performance.now() - t1;

  console.log(
    `Wales scale: ${codes.length} live measures, ${observations.length.toLocaleString("en-GB")} observations, ` +
      `${forced.rows.toLocaleString("en-GB")} result rows`,
  );
  console.log(`  baseline (read the visible observations once) ${secs(baseline)}`);
  console.log(
    `  analyse --force, end to end      ${secs(total)}  (${rate(forced.rows, total)}; ${(total / baseline).toFixed(1)}× baseline)`,
  );
  console.log(`    of which computing              ${secs(compute)}  (${rate(forced.rows, compute)})`);
  console.log(
    `  analyse, nothing changed         ${secs(noop)}  (${again.analysed} recomputed; ${(noop / baseline).toFixed(1)}× baseline)`,
  );
  await database.close();
}

/** Copies each demo series three periods further back (same values as the first period) so series have 15 points. */
async function extendDemoTo15Periods(database: Database): Promise<void> {
  // Period codes differ by type, so the extension is done in TypeScript.
  const framework = await findCurrentFramework(database.db);
  const measures = await listMeasures(database.db, framework!.id);
  const values: string[] = [];
  for (const m of measures.filter((x) => x.status === "live")) {
    const periods = demoPeriods(m.periodType as Parameters<typeof demoPeriods>[0], 15).slice(0, 3);
    for (const p of periods) values.push(`('${m.code}', '${p.code}', '${p.end}')`);
  }
  if (values.length === 0) return;
  await database.exec(`
    WITH extra(measure_code, code, period_end) AS (VALUES ${values.join(",")}),
    first AS (
      SELECT o.* FROM observations o
      JOIN (SELECT measure_code, min(period_end) AS e FROM observations GROUP BY measure_code) f
        ON f.measure_code = o.measure_code AND f.e = o.period_end)
    INSERT INTO observations (measure_code, area_code, period, period_end, breakdown, value, numerator, denominator,
      lower_95, upper_95, ci_supplied, illustrative, batch_id)
    SELECT f.measure_code, f.area_code, x.code, x.period_end::date, f.breakdown, f.value, f.numerator, f.denominator,
      f.lower_95, f.upper_95, f.ci_supplied, f.illustrative, f.batch_id
    FROM first f JOIN extra x ON x.measure_code = f.measure_code;`);
}

// ---------------------------------------------------------------------------------------------------------------
// 2. England scale (synthetic)

const VALUE_TYPES = ["proportion", "crude_rate", "supplied_ci", "count", "directly_standardised_rate"] as const;
const POLARITY = ["higher_is_better", "lower_is_better", "no_judgement"] as const;

function syntheticContext(areaCount: number): AreaContext {
  const areas = new Map<string, AreaInfo>();
  areas.set("E92000001", { code: "E92000001", type: "country", name: { en: "England", cy: "Lloegr" } });
  const memberships = [];
  const regions = 50;
  for (let r = 0; r < regions; r++) {
    const code = `E12${String(r).padStart(6, "0")}`;
    areas.set(code, { code, type: "region", name: { en: `Region ${r}`, cy: `Rhanbarth ${r}` } });
  }
  for (let i = 0; i < areaCount; i++) {
    const code = `E06${String(i).padStart(6, "0")}`;
    areas.set(code, { code, type: "local_authority", name: { en: `Area ${i}`, cy: `Ardal ${i}` } });
    memberships.push({
      groupingCode: `E12${String(i % regions).padStart(6, "0")}`,
      areaCode: code,
      validFrom: null,
      validTo: null,
    });
  }
  return { walesCode: "E92000001", areas, memberships, dimensions: new Map() };
}

function syntheticMeasure(index: number): MeasureSpec {
  const valueType = VALUE_TYPES[index % VALUE_TYPES.length]!;
  return {
    code: `synthetic-${index}`,
    valueType,
    polarity: POLARITY[index % POLARITY.length]!,
    unit:
      valueType === "proportion" || valueType === "supplied_ci"
        ? "percentage"
        : valueType === "count"
          ? "count"
          : "rate",
    multiplier: valueType === "proportion" || valueType === "supplied_ci" ? 100 : valueType === "count" ? 1 : 100000,
    decimals: 1,
    periodType: "calendar_year",
    geographies: ["country", "local_authority", "region"],
    breakdowns: [],
    targetValue: index % 4 === 0 ? 50 : null,
    suppressBelow: null,
    roundTo: null,
  };
}

function syntheticObservations(m: MeasureSpec, ctx: AreaContext, periods: number, seed: number): AnalysisObservation[] {
  const rand = rng(seed);
  const out: AnalysisObservation[] = [];
  let id = seed * 10_000_000;
  const areaCodes = [...ctx.areas.values()].filter((a) => a.type === "local_authority").map((a) => a.code);
  const effect = areaCodes.map(() => (rand() - 0.5) * 0.4);
  for (let p = 0; p < periods; p++) {
    const year = 2015 + p;
    let sumNum = 0;
    let sumDen = 0;
    areaCodes.forEach((areaCode, i) => {
      const level = 0.2 * (1 + effect[i]!) * (1 + 0.01 * p);
      const den = 2000 + Math.floor(rand() * 20000);
      const num = Math.max(
        1,
        Math.round(den * level * (m.valueType === "proportion" ? 1 : 0.05) * (0.9 + 0.2 * rand())),
      );
      const period = String(year);
      const periodEnd = `${year}-12-31`;
      const ci = m.valueType === "supplied_ci";
      const count = m.valueType === "count";
      const v = ci ? level * 100 : count ? num : (num / den) * m.multiplier;
      out.push({
        id: id++,
        areaCode,
        period,
        periodEnd,
        breakdown: "total",
        value: v,
        numerator: ci ? null : num,
        denominator: ci || count ? null : den,
        lower95: ci ? v - 2 : null,
        upper95: ci ? v + 2 : null,
        lower998: null,
        upper998: null,
        noteCodes: [],
        illustrative: true,
      });
      sumNum += num;
      sumDen += den;
    });
    out.push({
      id: id++,
      areaCode: ctx.walesCode,
      period: String(year),
      periodEnd: `${year}-12-31`,
      breakdown: "total",
      value: m.valueType === "count" ? sumNum : (sumNum / sumDen) * m.multiplier,
      numerator: sumNum,
      denominator: m.valueType === "count" ? null : sumDen,
      lower95: m.valueType === "supplied_ci" ? 19 : null,
      upper95: m.valueType === "supplied_ci" ? 21 : null,
      lower998: null,
      upper998: null,
      noteCodes: [],
      illustrative: true,
    });
  }
  return out;
}

async function englandScale(): Promise<void> {
  const areaCount = num("--areas", 7000);
  const measureCount = num("--measures", 50);
  const periods = num("--periods", 10);
  const storeUrl = (() => {
    const i = args.indexOf("--store-url");
    return i >= 0 ? args[i + 1] : undefined;
  })();
  const ctx = syntheticContext(areaCount);
  const database = storeUrl ? await freshPostgres(storeUrl) : flag("--store-england") ? await freshEmbedded() : null;

  let generateMs = 0;
  let analyseMs = 0;
  let storeMs = 0;
  let analyseCpuMs = 0;
  let rowsMs = 0;
  let rowsCpuMs = 0;
  let rows = 0;
  let gaps = 0;
  for (let i = 0; i < measureCount; i++) {
    const m = syntheticMeasure(i);
    const g0 = performance.now();
    const observations = syntheticObservations(m, ctx, periods, i + 1);
    generateMs += performance.now() - g0;
    const a0 = performance.now();
    const c0 = process.cpuUsage();
    const analysis = analyseMeasure(m, observations, ctx, `bench-${i}`);
    const c1 = process.cpuUsage(c0);
    analyseCpuMs += (c1.user + c1.system) / 1000;
    analyseMs += performance.now() - a0;
    // The rows as the database write takes them: a batch of objects at a time (no summary sentences: a row's sentence
    // is written when the row is read, src/services/analysis/read.ts).
    const r0 = performance.now();
    const c2 = process.cpuUsage();
    for (let from = 0; from < analysis.rowCount; from += ROW_BATCH)
      rows += analysis.storedRows(from, from + ROW_BATCH).length;
    const c3 = process.cpuUsage(c2);
    rowsCpuMs += (c3.user + c3.system) / 1000;
    rowsMs += performance.now() - r0;
    gaps += analysis.gaps.length;
    if (database) {
      const s0 = performance.now();
      await replaceMeasureAnalysis(database.db, {
        measureCode: m.code,
        dataVersion: `bench-${i}`,
        inputFingerprint: `bench-${i}`,
        results: { rowCount: analysis.rowCount, rows: analysis.storedRows },
        gaps: analysis.gaps,
        ms: 0,
      });
      storeMs += performance.now() - s0;
    }
  }
  console.log(
    `England scale (synthetic, in memory): ${areaCount.toLocaleString("en-GB")} areas × ${measureCount} measures × ` +
      `${periods} periods = ${rows.toLocaleString("en-GB")} result rows (${gaps} gaps)`,
  );
  const cpuMs = analyseCpuMs + rowsCpuMs;
  const totalMs = analyseMs + rowsMs;
  console.log(`  baseline (generate the observations) ${secs(generateMs)}`);
  console.log(
    `  analyse (pure core, in columns)      ${secs(analyseMs)} elapsed, CPU ${secs(analyseCpuMs)}  (${rate(rows, analyseMs)})`,
  );
  console.log(
    `  rows as objects, ${ROW_BATCH.toLocaleString("en-GB")} at a time     ${secs(rowsMs)} elapsed, CPU ${secs(rowsCpuMs)}  ` +
      "(what the database write does)",
  );
  console.log(
    `  analysis, both                       ${secs(totalMs)} elapsed, CPU ${secs(cpuMs)}  (${rate(rows, totalMs)}; ` +
      `${(totalMs / generateMs).toFixed(1)}× baseline)`,
  );
  console.log(`  peak RSS so far                      ${mib(peakRss())}`);
  if (database) {
    console.log(
      `  store into ${database.kind === "pglite" ? "the embedded database" : "PostgreSQL          "}     ${secs(storeMs)}  (${rate(rows, storeMs)})`,
    );
    await database.close();
  }
}

if (!flag("--skip-wales")) await walesScale();
if (!flag("--skip-england")) await englandScale();
console.log(`peak RSS ${mib(peakRss())}`);
