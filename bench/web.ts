/**
 * Benchmark of the public web pages (issue 5): `npx tsx bench/web.ts [--duration S] [--connections N]`.
 *
 * On the demo data (the shipped framework, every live measure × Wales and 22 areas × 12 periods with breakdowns, and
 * its stored analysis) in an embedded database on disk, the app listens on 127.0.0.1 and is measured in one run:
 *
 * 1. Server time (from the request arriving to the response being sent, taken inside the server) of the area profile
 *    and the measure page, requests one at a time: first visits of each URL (cold: nothing cached yet) and repeat
 *    visits (warm), p50/p95/p99.
 * 2. Throughput with N concurrent clients (default 50) for S seconds each (default 10): keep-alive fetch loops on the
 *    loopback interface, run in a worker thread so the clients use the second core and the server the first.
 *    Scenarios: /health (the baseline: a static JSON reply with one `select 1`), area profiles, measure pages, and a
 *    mix of every public page. Reports requests/s, client latency p50/p95/p99, server time p95 under load and the
 *    ratio to /health.
 *
 * Writes bench/out/web.json. Targets (issue 5): server p95 under 100 ms for the area profile and the measure page, and
 * at least 200 requests/s with 50 concurrent clients on 2 cores. Numbers only: no assertions.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { wrapPglite } from "../src/db/database.ts";
import { analyseMeasures } from "../src/services/analysis/index.ts";
import { seedDemoData } from "../src/services/demo-data.ts";
import { seedReferenceData } from "../src/services/seed.ts";
import { buildApp } from "../src/web/app.ts";

const args = process.argv.slice(2);
const num = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const DURATION_S = num("--duration", 10);
const CONNECTIONS = num("--connections", 50);

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

// ---- database with demo data, on disk as ./data is
const dir = mkdtempSync(join(tmpdir(), "omf-bench-web-"));
const database = wrapPglite(await PGlite.create({ dataDir: dir }), "bench");
await database.migrate();
const t0 = performance.now();
await seedReferenceData(database.db);
const demo = await seedDemoData(database.db, { onlyIfEmpty: false });
await analyseMeasures(database.db);
console.log(
  `demo data: ${demo.inserted} observations of ${demo.measures} measures, analysed in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

// ---- the app, with server-side timing of every request
const app = await buildApp({ database, sessionSecret: "bench-secret-bench-secret-bench-secret-1234" });
const serverTimes = new Map<string, number[]>();
let currentLabel = "warmup";
app.addHook("onRequest", async (request) => {
  (request as unknown as { t0: number }).t0 = performance.now();
});
app.addHook("onResponse", async (request) => {
  const list = serverTimes.get(currentLabel) ?? [];
  list.push(performance.now() - (request as unknown as { t0: number }).t0);
  serverTimes.set(currentLabel, list);
});
const base = await app.listen({ port: 0, host: "127.0.0.1" });

const view = await app.services.framework.current();
const dirAreas = await app.services.publicViews.areas();
const las = dirAreas.localAuthorities.map((a) => a.code);
const measures = view!.measures.filter((m) => m.status === "live" && m.tier === "high_level").map((m) => m.code);
const areaUrls = ["en", "cy"].flatMap((l) => las.map((a) => `/${l}/areas/${a}`));
const measureUrls = ["en", "cy"].flatMap((l) =>
  measures.flatMap((m, i) => [`/${l}/measures/${m}`, `/${l}/measures/${m}?area=${las[i % las.length]}`]),
);
const otherUrls = ["en", "cy"].flatMap((l) => [
  `/${l}/measures`,
  `/${l}/areas`,
  `/${l}/overview`,
  `/${l}/compare?measure=${measures[0]}&group=W11000029`,
  `/${l}/map`,
  `/${l}/dashboard`,
  `/${l}/api`,
]);

async function sequential(label: string, urls: string[]): Promise<{ server: number[]; client: number[] }> {
  currentLabel = label;
  const client: number[] = [];
  for (const u of urls) {
    const s = performance.now();
    const r = await fetch(base + u);
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`${u}: ${r.status}`);
    client.push(performance.now() - s);
  }
  return { server: serverTimes.get(label) ?? [], client };
}

// ---- 1. server time, one request at a time
const results: Record<string, unknown> = {
  node: process.version,
  cpus: cpus().length,
  durationS: DURATION_S,
  connections: CONNECTIONS,
};
await fetch(`${base}/health`).then((r) => r.arrayBuffer());
const cold = {
  area: await sequential("cold-area", areaUrls),
  measure: await sequential("cold-measure", measureUrls),
};
const warmRounds = 5;
const warm = {
  area: await sequential("warm-area", Array.from({ length: warmRounds }, () => areaUrls).flat()),
  measure: await sequential("warm-measure", Array.from({ length: warmRounds }, () => measureUrls).flat()),
};
await sequential("cold-other", otherUrls);
const latency = (x: { server: number[]; client: number[] }) => ({
  requests: x.server.length,
  serverP50: pct(x.server, 50),
  serverP95: pct(x.server, 95),
  serverP99: pct(x.server, 99),
  clientP95: pct(x.client, 95),
});
results.sequential = {
  areaProfileCold: latency(cold.area),
  measurePageCold: latency(cold.measure),
  areaProfileWarm: latency(warm.area),
  measurePageWarm: latency(warm.measure),
};

// ---- 2. throughput with concurrent keep-alive clients in a worker thread (second core)
const workerCode = `
const { parentPort, workerData } = require("node:worker_threads");
const { base, urls, connections, durationMs } = workerData;
(async () => {
  const latencies = [];
  let errors = 0;
  let i = 0;
  const end = Date.now() + durationMs;
  async function client() {
    while (Date.now() < end) {
      const u = urls[i++ % urls.length];
      const s = performance.now();
      try {
        const r = await fetch(base + u);
        await r.arrayBuffer();
        if (r.status !== 200) errors++;
        latencies.push(performance.now() - s);
      } catch { errors++; }
    }
  }
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, client));
  parentPort.postMessage({ latencies, errors, elapsedMs: performance.now() - started });
})();`;

async function load(label: string, urls: string[]) {
  currentLabel = label;
  const out = await new Promise<{ latencies: number[]; errors: number; elapsedMs: number }>((resolve, reject) => {
    const w = new Worker(workerCode, {
      eval: true,
      workerData: { base, urls, connections: CONNECTIONS, durationMs: DURATION_S * 1000 },
    });
    w.once("message", resolve);
    w.once("error", reject);
  });
  const server = serverTimes.get(label) ?? [];
  return {
    requests: out.latencies.length,
    errors: out.errors,
    requestsPerSecond: out.latencies.length / (out.elapsedMs / 1000),
    clientP50: pct(out.latencies, 50),
    clientP95: pct(out.latencies, 95),
    clientP99: pct(out.latencies, 99),
    serverP95: pct(server, 95),
  };
}

const health = await load("load-health", ["/health"]);
const areaLoad = await load("load-area", areaUrls);
const measureLoad = await load("load-measure", measureUrls);
const mixed = await load("load-mixed", [...areaUrls, ...measureUrls, ...otherUrls]);
const ratio = (x: { requestsPerSecond: number }) => x.requestsPerSecond / health.requestsPerSecond;
results.load = {
  health,
  areaProfile: { ...areaLoad, ratioToHealth: ratio(areaLoad) },
  measurePage: { ...measureLoad, ratioToHealth: ratio(measureLoad) },
  mixed: { ...mixed, ratioToHealth: ratio(mixed) },
};

// ---- report
const seq = results.sequential as Record<string, ReturnType<typeof latency>>;
console.log("\nServer time, one request at a time (p50 / p95 / p99):");
for (const [k, v] of Object.entries(seq)) {
  console.log(
    `  ${k.padEnd(18)} ${String(v.requests).padStart(4)} req  ${ms(v.serverP50)} / ${ms(v.serverP95)} / ${ms(v.serverP99)}`,
  );
}
console.log(
  `\n${CONNECTIONS} concurrent clients, ${DURATION_S} s each (req/s, client p50 / p95 / p99, server p95 under load, ratio to /health):`,
);
for (const [k, v] of Object.entries(
  results.load as Record<string, Awaited<ReturnType<typeof load>> & { ratioToHealth?: number }>,
)) {
  console.log(
    `  ${k.padEnd(12)} ${v.requestsPerSecond.toFixed(0).padStart(6)} req/s  ${ms(v.clientP50)} / ${ms(v.clientP95)} / ${ms(v.clientP99)}  server p95 ${ms(v.serverP95)}${v.ratioToHealth !== undefined ? `  ratio ${v.ratioToHealth.toFixed(2)}` : ""}${v.errors ? `  errors ${v.errors}` : ""}`,
  );
}
mkdirSync("bench/out", { recursive: true });
writeFileSync("bench/out/web.json", `${JSON.stringify(results, null, 2)}\n`);
console.log("\nwrote bench/out/web.json");

await app.close();
await database.close();
rmSync(dir, { recursive: true, force: true });
