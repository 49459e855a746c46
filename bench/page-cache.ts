/**
 * Benchmark of the public page cache under hostile query strings (issue 11, item 10):
 * `npx tsx bench/page-cache.ts [--requests N]` (run with `node --expose-gc --import tsx` for steadier heap figures).
 *
 * On the demo data in an embedded database, the app listens on 127.0.0.1 and requests are made one at a time with
 * fetch (not `app.inject`, which keeps response bodies alive for a while and so distorts the heap figures), in one run:
 *
 * 1. Baseline: N requests for the same overview page (`/en/overview?tier=all`).
 * 2. Hostile: N requests for that page with an unknown parameter that differs every time (`&zz=1`, `&zz=2`, …).
 * 3. The overview XLSX (`?tier=all&format=xlsx`), 30 times: the first builds it, the rest are served from the cache.
 *
 * Prints requests/s, the cache's entries and bytes, and the heap after each phase, and the ratios of the hostile
 * phase to the baseline (throughput, heap growth, cache entries). Numbers only: no assertions.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { wrapPglite } from "../src/db/database.ts";
import { analyseMeasures } from "../src/services/analysis/index.ts";
import { seedDemoData } from "../src/services/demo-data.ts";
import { seedReferenceData } from "../src/services/seed.ts";
import { buildApp } from "../src/web/app.ts";

const args = process.argv.slice(2);
const at = args.indexOf("--requests");
const N = at >= 0 ? Number(args[at + 1]) : 1500;

const dir = mkdtempSync(join(tmpdir(), "omf-bench-cache-"));
const database = wrapPglite(await PGlite.create({ dataDir: dir }), "bench");
await database.migrate();
await seedReferenceData(database.db);
await seedDemoData(database.db, { onlyIfEmpty: false });
await analyseMeasures(database.db);
const app = await buildApp({ database, sessionSecret: "bench-secret-bench-secret-bench-secret-1234" });
const cache = app.services.publicViews.cache;
const origin = await app.listen({ port: 0, host: "127.0.0.1" });
async function get(path: string): Promise<number> {
  const res = await fetch(`${origin}${path}`);
  await res.arrayBuffer();
  return res.status;
}

const heapMb = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

async function phase(label: string, count: number, url: (i: number) => string) {
  const heapBefore = heapMb();
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const status = await get(url(i));
    if (status !== 200) throw new Error(`${url(i)} answered ${status}`);
  }
  const seconds = (performance.now() - started) / 1000;
  const u = cache.usage();
  const result = {
    label,
    rps: count / seconds,
    entries: u.entries,
    cacheMb: u.bytes / 1024 / 1024,
    heapGrowthMb: heapMb() - heapBefore,
  };
  console.log(
    `${label.padEnd(40)} ${result.rps.toFixed(0).padStart(6)} req/s  cache ${u.entries} entries, ` +
      `${result.cacheMb.toFixed(1)} MB (bound ${u.maxEntries} entries, ${(u.maxBytes / 1024 / 1024).toFixed(0)} MB)  ` +
      `heap ${result.heapGrowthMb >= 0 ? "+" : ""}${result.heapGrowthMb.toFixed(1)} MB`,
  );
  return result;
}

await get("/en/overview?tier=all"); // warm the data models
const base = await phase(`same URL × ${N}`, N, () => "/en/overview?tier=all");
const hostile = await phase(`unknown parameter zz=1…${N}`, N, (i) => `/en/overview?tier=all&zz=${i + 1}`);
const xlsx = await phase("overview XLSX × 30", 30, () => "/en/overview?tier=all&format=xlsx");
console.log(
  `ratios: throughput hostile/baseline ${(hostile.rps / base.rps).toFixed(2)}, ` +
    `new cache entries from ${N} unknown parameters: ${hostile.entries - base.entries}, ` +
    `XLSX throughput/page throughput ${(xlsx.rps / base.rps).toFixed(2)}`,
);

await app.close();
await database.close();
rmSync(dir, { recursive: true, force: true });
