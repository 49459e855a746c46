/**
 * Benchmark of the public site while a large publication is analysed (issue 11 item 4: during a 500k-row publication
 * the analysis ran inside the web process; requests timed out at 30 s, none was served for a minute and memory reached
 * 2.5 GB). `npx tsx bench/publication.ts [--rows N] [--connections N] [--baseline S] [--in-process]`
 *
 * On the demo data plus a draft batch of N rows (default 500,000; proportion measures, Wales and the 22 authorities,
 * as bench/import.ts generates them), in an embedded database on disk (or a fresh PostgreSQL database when
 * TEST_PG_URL or DATABASE_URL is set), the app listens on 127.0.0.1 and C keep-alive clients (default 10, in a worker
 * thread) ask for a mix of public pages (measure pages of the published measures, area profiles, overview, lists):
 *
 * 1. baseline: S seconds (default 10) with nothing else running;
 * 2. publication: the batch is published as the batches page does it (`services.batches.publish`: the analysis runs in
 *    the analysis worker) and the clients keep asking until the analysis has finished;
 * 3. with --in-process, the old way for comparison: the same analysis (forced) run by `analyseMeasures` in the web
 *    thread while the clients keep asking.
 *
 * Prints, per phase, requests/s, client p50/p95/max, errors (timeouts at 30 s count), the ratio of its p95 to the
 * baseline's, the analysis time and the process's peak RSS. Target: p95 under 1 s while the publication is analysed.
 * Numbers only: no assertions.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import pg from "pg";
import { openDatabase } from "../src/db/database.ts";
import { findCurrentFramework, listMeasures } from "../src/db/queries/framework.ts";
import { analyseMeasures } from "../src/services/analysis/index.ts";
import { seedDemoData } from "../src/services/demo-data.ts";
import { runImport } from "../src/services/import/run-import.ts";
import { seedReferenceData } from "../src/services/seed.ts";
import { buildApp } from "../src/web/app.ts";

const args = process.argv.slice(2);
const num = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const ROWS = num("--rows", 500_000);
const CONNECTIONS = num("--connections", 10);
const BASELINE_S = num("--baseline", 10);
const IN_PROCESS = args.includes("--in-process");
const pgUrl = process.env.TEST_PG_URL ?? process.env.DATABASE_URL;
const work = mkdtempSync(join(tmpdir(), "omf-bench-publication-"));
const ms = (x: number) => `${x.toFixed(0)} ms`;
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

// ---- the database: demo data and its analysis, then a large draft batch
let dbName: string | null = null;
/** The PostgreSQL server's URL without a database name. */
const pgServer = pgUrl
  ? (() => {
      const u = new URL(pgUrl);
      u.pathname = "";
      return u.toString().replace(/\/$/, "");
    })()
  : "";
let url: string | undefined;
if (pgUrl) {
  dbName = `omf_bench_pub_${process.pid}`;
  const admin = new pg.Client({ connectionString: `${pgServer}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  url = `${pgServer}/${dbName}`;
}
const database = await openDatabase({ url, dataDir: join(work, "pglite"), holder: "bench/publication" });
await database.migrate();
await seedReferenceData(database.db);
await seedDemoData(database.db, { onlyIfEmpty: false });
await analyseMeasures(database.db);

const framework = await findCurrentFramework(database.db);
const measures = (await listMeasures(database.db, framework!.id)).filter(
  (m) => m.valueType === "proportion" && m.status === "live" && m.periodType !== "snapshot_date",
);
const AREAS = [
  "W92000004",
  ...Array.from({ length: 22 }, (_, i) => `W060000${String(i + 1).padStart(2, "0")}`).map((c) =>
    c === "W06000007" ? "W06000023" : c === "W06000017" ? "W06000024" : c,
  ),
];
const periodOf = (type: string, y: number) =>
  type === "financial_year"
    ? `${y}-${String((y + 1) % 100).padStart(2, "0")}`
    : type === "academic_year"
      ? `${y}/${String((y + 1) % 100).padStart(2, "0")}`
      : type === "quarter"
        ? `${y}-Q1`
        : type === "month"
          ? `${y}-01`
          : type === "multi_year"
            ? `${y}-${y + 2}`
            : String(y);
const lines = ["measure_code,area_code,period,value,numerator,denominator"];
let seed = 1;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
for (let y = 1000, n = 0; n < ROWS; y++) {
  for (const m of measures) {
    for (const area of AREAS) {
      if (n++ >= ROWS) break;
      const den = 200 + Math.floor(rand() * 20_000);
      const numr = Math.floor(den * rand() * 0.5);
      lines.push(`${m.code},${area},${periodOf(m.periodType, y)},${((numr / den) * 100).toFixed(1)},${numr},${den}`);
    }
  }
}
const file = join(work, "publication.csv");
writeFileSync(file, `${lines.join("\n")}\n`);
lines.length = 0;
const imported = await runImport(database, file, { dryRun: false, actor: { userId: null, name: "bench" } });
if (!imported.ok || !imported.batch) throw new Error(`the draft import failed: ${imported.message}`);
console.log(
  `${database.kind}: demo data analysed; draft batch ${imported.batch.id} of ${imported.counts.rows} rows over ${measures.length} measures`,
);

// ---- the app and the clients
const app = await buildApp({ database, sessionSecret: "bench-secret-bench-secret-bench-secret-1234" });
const base = await app.listen({ port: 0, host: "127.0.0.1" });
const las = (await app.services.publicViews.areas()).localAuthorities.map((a) => a.code);
const urls = ["en", "cy"].flatMap((l) => [
  ...measures.flatMap((m, i) => [`/${l}/measures/${m.code}`, `/${l}/measures/${m.code}?area=${las[i % las.length]}`]),
  ...las.map((a) => `/${l}/areas/${a}`),
  `/${l}/overview`,
  `/${l}/measures`,
  `/${l}/areas`,
  `/${l}/dashboard`,
]);

const workerCode = `
const { parentPort, workerData } = require("node:worker_threads");
const { base, urls, connections } = workerData;
let running = true;
let samples = [];
let errors = 0;
parentPort.on("message", (m) => {
  if (m === "stop") running = false;
  if (m === "take") {
    parentPort.postMessage({ samples, errors });
    samples = [];
    errors = 0;
  }
});
let i = 0;
async function client() {
  while (running) {
    const u = urls[i++ % urls.length];
    const s = performance.now();
    try {
      const r = await fetch(base + u, { signal: AbortSignal.timeout(30000) });
      await r.arrayBuffer();
      if (r.status !== 200) errors++;
      else samples.push(performance.now() - s);
    } catch { errors++; samples.push(performance.now() - s); }
  }
}
Promise.all(Array.from({ length: connections }, client)).then(() => parentPort.postMessage("stopped"));`;
const clients = new Worker(workerCode, { eval: true, workerData: { base, urls, connections: CONNECTIONS } });
const take = () =>
  new Promise<{ samples: number[]; errors: number }>((resolve) => {
    const on = (m: unknown) => {
      if (typeof m === "object") {
        clients.off("message", on);
        resolve(m as { samples: number[]; errors: number });
      }
    };
    clients.on("message", on);
    clients.postMessage("take");
  });

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 100);

interface Phase {
  name: string;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  max: number;
  errors: number;
  peakRss: number;
  analysisMs?: number;
}

async function phase(name: string, during: () => Promise<number | undefined>): Promise<Phase> {
  await take(); // drop what came before
  peakRss = process.memoryUsage().rss;
  const started = performance.now();
  const analysisMs = await during();
  const seconds = (performance.now() - started) / 1000;
  const { samples, errors } = await take();
  return {
    name,
    seconds,
    requests: samples.length,
    requestsPerSecond: samples.length / seconds,
    p50: pct(samples, 50),
    p95: pct(samples, 95),
    max: Math.max(...samples),
    errors,
    peakRss,
    analysisMs,
  };
}

// warm-up: every page asked once (a busy public site has its pages cached), then the clients for a few seconds
for (const u of urls) await (await fetch(base + u)).arrayBuffer();
await new Promise((r) => setTimeout(r, 3000));
const phases: Phase[] = [];
phases.push(
  await phase("baseline", async () => {
    await new Promise((r) => setTimeout(r, BASELINE_S * 1000));
    return undefined;
  }),
);
phases.push(
  await phase("publication (analysis in the worker)", async () => {
    const t0 = performance.now();
    // as the batches page does it: publish (the service then has the worker analyse), then wait for the analysis
    await app.services.batches.publish(imported.batch!.id, { actor: { userId: null, name: "bench" } });
    const report = await app.services.analysis.analyse();
    if (report.failed > 0)
      console.error(
        "the analysis failed:",
        report.measures.find((m) => m.error),
      );
    return performance.now() - t0;
  }),
);
if (IN_PROCESS) {
  phases.push(
    await phase("the old way (analysis in the web thread, forced)", async () => {
      const t0 = performance.now();
      await analyseMeasures(database.db, undefined, { force: true });
      app.services.publicViews.cache.clear();
      return performance.now() - t0;
    }),
  );
}
clearInterval(sampler);
clients.postMessage("stop");
await new Promise<void>((resolve) => clients.on("message", (m) => m === "stopped" && resolve()));
await clients.terminate();

console.log(
  `\n${database.kind}, ${cpus().length} CPUs, ${CONNECTIONS} clients, ${ROWS.toLocaleString("en-GB")} rows published\n`,
);
const baseline = phases[0]!;
for (const p of phases) {
  console.log(
    `${p.name}: ${p.seconds.toFixed(1)} s, ${p.requests} requests (${p.requestsPerSecond.toFixed(1)}/s), ` +
      `p50 ${ms(p.p50)}, p95 ${ms(p.p95)} (×${(p.p95 / baseline.p95).toFixed(1)} the baseline), max ${ms(p.max)}, ` +
      `${p.errors} errors, peak RSS ${mb(p.peakRss)}${p.analysisMs !== undefined ? `, analysis ${(p.analysisMs / 1000).toFixed(1)} s` : ""}`,
  );
}
console.log("target: p95 under 1000 ms while the publication is analysed");

await app.close();
await database.close();
rmSync(work, { recursive: true, force: true });
if (dbName) {
  const admin = new pg.Client({ connectionString: `${pgServer}/postgres` });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
}
