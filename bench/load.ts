/**
 * `npm run bench:load`: a bounded load run on the loopback interface (issue 19), `-- --duration S` (default 300 s,
 * or OMF_LOAD_SECONDS) and `-- --connections N` (default 20).
 *
 * The server is the app as `omf serve` composes it (the analysis in its worker thread) on the demo data: on an
 * embedded database in a temporary folder, or on PostgreSQL when DATABASE_URL names a scratch database (it is
 * migrated, seeded and given the demo data when it has none). N keep-alive clients in a worker thread (the second
 * core) send a realistic mix: public pages in English and Welsh (area profiles, measure pages, lists), the open data
 * API (JSON), CSV and XLSX downloads, and signed-in pages of a national administrator (my work, the import page, the
 * audit log) and their editing of a draft partnership plan as a browser does it: the measure's edit page loaded, then
 * its form posted with the page's CSRF token (each client revises a narrative section of its own, a new version each
 * time, and one client also adds progress updates to an action), so the database grows as it does in use; meanwhile
 * the server imports and publishes a new batch every 15 s (its analysis and the page caches follow). Every 10 s it
 * prints throughput, p50/p95/p99 latency, errors (any status but 200 for a load; but 303 for a form post) and the
 * server's memory (resident and heap); form posts are counted on their own too (posts, p95, errors). At the end,
 * totals and how much the resident memory grew over the second half of the run (it should level off, not grow).
 * Writes bench/out/load.json. Numbers only: no assertions.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { loadConfig } from "../src/config.ts";
import { openDatabase } from "../src/db/database.ts";
import { analyseMeasures } from "../src/services/analysis/index.ts";
import { seedDemoData } from "../src/services/demo-data.ts";
import { createServices } from "../src/services/index.ts";
import { DEMO_PLAN_ACTOR, demoPlanPeriod, seedDemoPlans } from "../src/services/plans/demo.ts";
import { seedReferenceData } from "../src/services/seed.ts";
import { buildApp } from "../src/web/app.ts";

const args = process.argv.slice(2);
const num = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const config = loadConfig();
const DURATION_S = num("--duration", Number(process.env.OMF_LOAD_SECONDS ?? 300));
const CONNECTIONS = num("--connections", 20);
const INTERVAL_S = 10;

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const mb = (bytes: number) => Math.round(bytes / 1048576);

// ---- the database, with the demo data
const dir = mkdtempSync(join(tmpdir(), "omf-bench-load-"));
const database = await openDatabase({ url: config.databaseUrl, dataDir: join(dir, "pglite"), holder: "bench:load" });
await database.migrate();
const setupStarted = performance.now();
await seedReferenceData(database.db);
const demo = await seedDemoData(database.db, { onlyIfEmpty: true });
if (demo.inserted > 0) await analyseMeasures(database.db);
console.log(
  `${database.description}: demo data ready in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s (${demo.inserted} observations loaded)`,
);

// ---- the server, as omf serve composes it
const services = createServices({ database, config: { ...config, dataDir: dir }, analysis: "worker" });
const app = await buildApp({ services, sessionSecret: "bench-secret-bench-secret-bench-secret-1234" });
const base = await app.listen({ port: 0, host: "127.0.0.1" });
services.analysis.watch();

// a national administrator, signed in through the form
const email = `load-${Date.now()}@example.org`;
const password = "a long bench passphrase";
await services.accounts.create({ email, password, role: "national_admin" });
const signInPage = await app.inject("/en/sign-in");
const csrf = /name="_csrf" value="([^"]+)"/.exec(signInPage.body)![1]!;
const cookieOf = (r: { cookies: { name: string; value: string }[] }) =>
  r.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
const signedIn = await app.inject({
  method: "POST",
  url: "/en/sign-in",
  headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieOf(signInPage) },
  payload: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
});
if (signedIn.statusCode !== 303) throw new Error(`signing in answered ${signedIn.statusCode}`);
const cookie = cookieOf(signedIn);

// ---- the draft plan the editing clients revise (the demo's Swansea plan) with an action to report progress on
await seedDemoPlans(services.plans);
const draft = { areaCode: "W06000011", period: demoPlanPeriod() };
const draftDetail = await services.plans.get(DEMO_PLAN_ACTOR, draft);
if (draftDetail.plan.status !== "draft") throw new Error(`the demo plan of ${draft.areaCode} is not a draft`);
const draftMeasures = draftDetail.measures.map((m) => m.measureCode);
const action =
  draftDetail.actions[0] ??
  (await services.plans.addAction(DEMO_PLAN_ACTOR, draft, {
    subjectKind: "measure",
    subjectCode: draftMeasures[0]!,
    title: { en: "Offer every family a visit (load run)", cy: "Cynnig ymweliad i bob teulu (rhediad llwyth)" },
    owner: "Health visiting",
    startDate: null,
    dueDate: null,
    status: "on_track",
  }));
const editPage = (code: string) => `/en/plans/${draft.areaCode}/${draft.period}/measures/${code}/edit`;
/** Each client's own form: a narrative section of one measure (no two clients revise the same text). */
const sections = ["story", "partners", "what_works", "data_development"];
const forms = draftMeasures.flatMap((code) => sections.map((section) => ({ page: editPage(code), section })));
const progress = { page: editPage(action.subjectCode), actionId: action.id };

// ---- the mix: [weight, url, signed in] ("form": an edit page loaded and its form posted)
const view = await services.framework.current();
const areas = (await services.publicViews.areas()).localAuthorities.map((a) => a.code);
const measures = view!.measures.filter((m) => m.status === "live" && m.tier === "high_level").map((m) => m.code);
const mix: [number, string, boolean][] = [];
for (const lang of ["en", "cy"]) {
  for (const a of areas) mix.push([1, `/${lang}/areas/${a}`, false]);
  for (const m of measures) mix.push([1, `/${lang}/measures/${m}`, false]);
  mix.push([2, `/${lang}/measures`, false], [2, `/${lang}/areas`, false], [2, `/${lang}/`, false]);
}
for (const m of measures) {
  mix.push([1, `/api/v1/data?measure=${m}`, false], [1, `/api/v1/data.csv?measure=${m}`, false]);
}
mix.push([4, "/api/v1/measures", false], [4, "/api/v1/areas", false]);
for (const a of areas.slice(0, 6)) {
  mix.push([1, `/en/areas/${a}/download?part=profile&format=csv`, false]);
  mix.push([1, `/en/areas/${a}/download?part=profile&format=xlsx`, false]);
}
mix.push([3, "/en/my-work", true], [3, "/en/data/import", true], [3, "/en/audit", true], [2, "/cy/my-work", true]);
mix.push([8, "form", true]);
const urls = mix.flatMap(([weight, url, auth]) => Array.from({ length: weight }, () => ({ url, auth })));
console.log(
  `load: ${CONNECTIONS} clients for ${DURATION_S} s over ${urls.length} weighted requests (pages, API, CSV/XLSX, signed in with form posts), an import published every 15 s`,
);

// ---- the clients, in a worker thread: interim figures every 10 s
const workerCode = `
const { parentPort, workerData } = require("node:worker_threads");
const { base, urls, cookie, connections, durationMs, intervalMs, forms, progress } = workerData;
const fresh = () => ({ latencies: [], errors: 0, statuses: {}, posts: [], postErrors: 0 });
let window = fresh();
const timer = setInterval(() => { parentPort.postMessage({ type: "window", ...window }); window = fresh(); }, intervalMs);
const failed = (key) => { window.statuses[key] = (window.statuses[key] ?? 0) + 1; };
/** Loads a page as the signed-in user (a load like any other); returns its HTML, or null when it failed. */
async function load(url) {
  const s = performance.now();
  try {
    const r = await fetch(base + url, { headers: { cookie }, redirect: "manual" });
    const html = await r.text();
    window.latencies.push(performance.now() - s);
    if (r.status !== 200) { window.errors++; failed(r.status + " " + url); return null; }
    return html;
  } catch (e) { window.latencies.push(performance.now() - s); window.errors++; failed("failed " + url); return null; }
}
/** Posts a form as a browser does (urlencoded, the session cookie, the page's CSRF token): 303 back to the page is success. */
async function post(page, url, fields) {
  const s = performance.now();
  try {
    const r = await fetch(base + url, { method: "POST", headers: { cookie, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString(), redirect: "manual" });
    await r.arrayBuffer();
    const back = (r.headers.get("location") ?? "").split("#")[0];
    if (r.status !== 303 || back !== page) { window.postErrors++; failed("POST " + r.status + " " + url); }
  } catch (e) { window.postErrors++; failed("POST failed " + url); }
  window.posts.push(performance.now() - s);
}
const field = (html, after, name) => {
  const from = after ? html.indexOf(after) : 0;
  const m = from < 0 ? null : new RegExp('name="' + name + '" value="([^"]*)"').exec(html.slice(from));
  return m ? m[1] : null;
};
/** Client i's editing: a new version of its narrative section; client 0 every other time a progress update. */
async function edit(i, n) {
  if (i === 0 && n % 2 === 1) {
    const html = await load(progress.page);
    if (html === null) return;
    const form = "/actions/" + progress.actionId + "/updates";
    await post(progress.page, progress.page + form, { _csrf: field(html, form, "_csrf"), rowVersion: field(html, form, "rowVersion"), date: "2026-01-15", "text-en": "Progress " + n + " (load run)", "text-cy": "Cynnydd " + n + " (rhediad llwyth)", status: "on_track" });
    return;
  }
  const { page, section } = forms[i % forms.length];
  const html = await load(page);
  if (html === null) return;
  const form = "/narratives/" + section + '"';
  await post(page, page + "/narratives/" + section, { _csrf: field(html, form, "_csrf"), baseVersion: field(html, form, "baseVersion"), body: "Revision " + n + " of the " + section + " by client " + i + " (load run)." });
}
(async () => {
  const end = Date.now() + durationMs;
  let seed = 1;
  const next = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return urls[seed % urls.length]; };
  async function client(_, i) {
    let edits = 0;
    while (Date.now() < end) {
      const u = next();
      if (u.url === "form") { await edit(i, edits++); continue; }
      const s = performance.now();
      try {
        const r = await fetch(base + u.url, { headers: u.auth ? { cookie } : {}, redirect: "manual" });
        await r.arrayBuffer();
        if (r.status !== 200) { window.errors++; window.statuses[r.status + " " + u.url] = (window.statuses[r.status + " " + u.url] ?? 0) + 1; }
      } catch (e) { window.errors++; window.statuses["failed " + u.url] = (window.statuses["failed " + u.url] ?? 0) + 1; }
      window.latencies.push(performance.now() - s);
    }
  }
  await Promise.all(Array.from({ length: connections }, client));
  clearInterval(timer);
  parentPort.postMessage({ type: "window", ...window, last: true });
})();`;

// an import published every 15 s meanwhile (new values each time: a new revision of one measure for every area)
let imports = 0;
let importErrors = 0;
const importFile = join(dir, "import.csv");
const importing = setInterval(async () => {
  const lines = ["measure_code,area_code,period,value"];
  for (const a of areas) lines.push(`low-birth-weight,${a},2015,${(5 + Math.random() * 3).toFixed(2)}`);
  writeFileSync(importFile, `${lines.join("\n")}\n`);
  try {
    const r = await services.imports.run(importFile, {
      dryRun: false,
      publish: true,
      actor: { userId: null, name: "bench:load" },
    });
    if (r.ok) imports++;
    else importErrors++;
  } catch {
    importErrors++;
  }
}, 15_000);

interface Window {
  latencies: number[];
  errors: number;
  statuses: Record<string, number>;
  /** Form posts: their latencies and how many failed (counted apart from the page loads). */
  posts: number[];
  postErrors: number;
  last?: boolean;
}
const rows: {
  t: number;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  posts: number;
  postP95: number;
  postErrors: number;
  rssMb: number;
  heapMb: number;
}[] = [];
const all: number[] = [];
const allPosts: number[] = [];
let errors = 0;
let postErrors = 0;
const statuses: Record<string, number> = {};
const started = performance.now();
console.log("    t   req/s     p50     p95     p99  errors   posts  post p95  post errors   rss MB  heap MB");
await new Promise<void>((resolve, reject) => {
  const worker = new Worker(workerCode, {
    eval: true,
    workerData: {
      base,
      urls,
      cookie,
      forms,
      progress,
      connections: CONNECTIONS,
      durationMs: DURATION_S * 1000,
      intervalMs: INTERVAL_S * 1000,
    },
  });
  let last = performance.now();
  worker.on("message", (w: Window) => {
    const now = performance.now();
    if (w.last && now - last < 1000) {
      // the clients' last moments, just after the last full window: counted in the totals only
      all.push(...w.latencies);
      allPosts.push(...w.posts);
      errors += w.errors;
      postErrors += w.postErrors;
      for (const [k, v] of Object.entries(w.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
      resolve();
      return;
    }
    const memory = process.memoryUsage();
    const row = {
      t: Math.round((now - started) / 1000),
      requests: w.latencies.length,
      rps: w.latencies.length / ((now - last) / 1000),
      p50: pct(w.latencies, 50),
      p95: pct(w.latencies, 95),
      p99: pct(w.latencies, 99),
      errors: w.errors,
      posts: w.posts.length,
      postP95: pct(w.posts, 95),
      postErrors: w.postErrors,
      rssMb: mb(memory.rss),
      heapMb: mb(memory.heapUsed),
    };
    last = now;
    rows.push(row);
    all.push(...w.latencies);
    allPosts.push(...w.posts);
    errors += w.errors;
    postErrors += w.postErrors;
    for (const [k, v] of Object.entries(w.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
    console.log(
      `${String(row.t).padStart(5)} ${row.rps.toFixed(1).padStart(7)} ${row.p50.toFixed(0).padStart(7)} ${row.p95.toFixed(0).padStart(7)} ${row.p99.toFixed(0).padStart(7)} ${String(row.errors).padStart(7)} ${String(row.posts).padStart(7)} ${(Number.isNaN(row.postP95) ? "-" : row.postP95.toFixed(0)).padStart(9)} ${String(row.postErrors).padStart(12)} ${String(row.rssMb).padStart(8)} ${String(row.heapMb).padStart(8)}`,
    );
    if (w.last) resolve();
  });
  worker.once("error", reject);
});
clearInterval(importing);

// ---- summary
const elapsed = (performance.now() - started) / 1000;
const full = rows.filter((r) => r.requests > 0);
const half = full.slice(Math.floor(full.length / 2));
const growth = half.length >= 2 ? half.at(-1)!.rssMb - half[0]!.rssMb : Number.NaN;
const summary = {
  database: database.kind,
  durationS: Math.round(elapsed),
  connections: CONNECTIONS,
  requests: all.length,
  requestsPerSecond: all.length / elapsed,
  p50Ms: pct(all, 50),
  p95Ms: pct(all, 95),
  p99Ms: pct(all, 99),
  errors,
  formPosts: allPosts.length,
  formPostP95Ms: pct(allPosts, 95),
  formPostErrors: postErrors,
  errorsBy: statuses,
  importsPublished: imports,
  importErrors,
  rssMb: { first: full[0]?.rssMb, max: Math.max(...full.map((r) => r.rssMb)), last: full.at(-1)?.rssMb },
  rssGrowthSecondHalfMb: growth,
  windows: rows,
};
console.log(
  `\n${summary.requests} requests in ${summary.durationS} s: ${summary.requestsPerSecond.toFixed(1)} req/s, p50 ${summary.p50Ms.toFixed(0)} ms, p95 ${summary.p95Ms.toFixed(0)} ms, p99 ${summary.p99Ms.toFixed(0)} ms, ${errors} errors${errors + postErrors ? ` ${JSON.stringify(statuses)}` : ""}`,
);
console.log(
  `${allPosts.length} form posts (narratives revised, progress updates): p95 ${summary.formPostP95Ms.toFixed(0)} ms, ${postErrors} errors`,
);
console.log(
  `${imports} imports published meanwhile (${importErrors} failed); resident memory ${summary.rssMb.first} MB at first, ${summary.rssMb.max} MB at most, ${summary.rssMb.last} MB at the end; growth over the second half: ${Number.isNaN(growth) ? "n/a (run longer)" : `${growth} MB`}`,
);
mkdirSync("bench/out", { recursive: true });
writeFileSync("bench/out/load.json", `${JSON.stringify(summary, null, 2)}\n`);
await app.close();
await services.close();
rmSync(dir, { recursive: true, force: true });
