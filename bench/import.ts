/**
 * Import benchmark: generates a tidy CSV of N rows (default 1,000,000), then, into a fresh embedded database and (when
 * TEST_PG_URL or DATABASE_URL is set) a fresh PostgreSQL database, measures
 *
 *   1. raw COPY: the same file loaded with COPY … (FORMAT csv, HEADER) into a plain table with the file's columns, in
 *      the same database in the same run (PGlite: COPY FROM '/dev/blob'; PostgreSQL: COPY FROM STDIN);
 *   2. `omf import FILE --dry-run` (reading, validation and comparison with the stored values, no writes), then
 *   3. `omf import FILE --publish` as a user runs it (a separate process): validation, diff, revisions, and binary COPY
 *      of observation sets in one transaction.
 *
 * and prints rows/s for each, the ratio import/raw COPY (goal ≥ 0.5) and the import process's peak RSS (goal < 500 MB).
 *
 * Raw COPY and import are repeated in pairs (`--repeat N`, default 3), each pair in a fresh copy of the seeded
 * database: the ratio printed is the median of the pairs' ratios, and the peak RSS the highest of the imports'.
 *
 *   npx tsx bench/import.ts [--rows N] [--repeat N] [--keep]
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { openDatabase } from "../src/db/database.ts";
import { findCurrentFramework, listMeasures } from "../src/db/queries/framework.ts";

const args = process.argv.slice(2);
const rowsArg = args.indexOf("--rows");
const ROWS = rowsArg >= 0 ? Number(args[rowsArg + 1]) : 1_000_000;
const KEEP = args.includes("--keep");
const repeatArg = args.indexOf("--repeat");
const REPEAT = repeatArg >= 0 ? Number(args[repeatArg + 1]) : 3;
const bin = new URL("../bin/omf.js", import.meta.url).pathname;
const pgUrl = process.env.TEST_PG_URL ?? process.env.DATABASE_URL;
const work = mkdtempSync(join(tmpdir(), "omf-bench-import-"));
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const fmt = (n: number) => Math.round(n).toLocaleString("en-GB");

const AREAS = [
  "W92000004",
  ...Array.from({ length: 22 }, (_, i) => `W060000${String(i + 1).padStart(2, "0")}`).map((c) =>
    c === "W06000007" ? "W06000023" : c === "W06000017" ? "W06000024" : c,
  ),
];

interface Target {
  name: string;
  env: Record<string, string>;
  dataDir?: string;
  url?: string;
}

function omf(target: Target, argv: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...argv], {
    encoding: "utf8",
    env: { ...process.env, ...target.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `omf import` and samples the child's peak RSS (VmHWM) from /proc while it runs. */
async function timedImport(target: Target, file: string, dryRun = false) {
  const started = performance.now();
  const child = spawn(process.execPath, [bin, "import", file, dryRun ? "--dry-run" : "--publish", "--json"], {
    env: { ...process.env, ...target.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let peak = 0;
  const sample = () => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      const m = /VmHWM:\s+(\d+) kB/.exec(status);
      if (m) peak = Math.max(peak, Number(m[1]) * 1024);
    } catch {
      // process gone
    }
  };
  const timer = setInterval(sample, 100);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
    sample();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  clearInterval(timer);
  const wall = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`omf import failed (${code}): ${stderr.slice(-2000)}`);
  const summary = JSON.parse(stdout) as { seconds: number; counts: { rows: number; new: number } };
  return { wall, importSeconds: summary.seconds, rows: summary.counts.rows, written: summary.counts.new, peak };
}

async function generate(file: string, target: Target): Promise<void> {
  // proportion measures of the shipped framework, so every row passes the full validation
  const database = await openDatabase({ url: target.url, dataDir: target.dataDir });
  const framework = await findCurrentFramework(database.db);
  const measures = (await listMeasures(database.db, framework!.id)).filter(
    (m) => m.valueType === "proportion" && m.status === "live" && m.periodType !== "snapshot_date",
  );
  await database.close();
  const out = createWriteStream(file);
  out.write("measure_code,area_code,period,value,numerator,denominator\n");
  let n = 0;
  let seed = 1;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
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
  let buffer: string[] = [];
  for (let y = 1000; n < ROWS; y++) {
    for (const m of measures) {
      for (const area of AREAS) {
        if (n >= ROWS) break;
        const den = 200 + Math.floor(rand() * 20_000);
        const num = Math.floor(den * rand() * 0.5);
        const value = ((num / den) * 100).toFixed(1);
        const period = periodOf(m.periodType, y);
        buffer.push(`${m.code},${area},${period},${value},${num},${den}`);
        n++;
        if (buffer.length >= 10_000) {
          if (!out.write(`${buffer.join("\n")}\n`)) await new Promise<void>((r) => out.once("drain", () => r()));
          buffer = [];
        }
      }
    }
  }
  out.end(buffer.length ? `${buffer.join("\n")}\n` : "");
  await new Promise<void>((r) => out.on("finish", () => r()));
}

const RAW_TABLE =
  "CREATE TABLE bench_raw_copy (measure_code text, area_code text, period text, value float8, numerator float8, denominator float8)";

async function rawCopyPglite(dataDir: string, file: string): Promise<number> {
  const client = await PGlite.create({ dataDir });
  await client.exec(`DROP TABLE IF EXISTS bench_raw_copy; ${RAW_TABLE}`);
  const blob = new Blob([readFileSync(file)]);
  const t = performance.now();
  await client.query("COPY bench_raw_copy FROM '/dev/blob' WITH (FORMAT csv, HEADER true)", [], { blob });
  const seconds = (performance.now() - t) / 1000;
  await client.exec("DROP TABLE bench_raw_copy");
  await client.close();
  return seconds;
}

async function rawCopyPostgres(url: string, file: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP TABLE IF EXISTS bench_raw_copy; ${RAW_TABLE}`);
  const t = performance.now();
  await pipeline(
    createReadStream(file),
    client.query(copyFrom("COPY bench_raw_copy FROM STDIN WITH (FORMAT csv, HEADER true)")),
  );
  const seconds = (performance.now() - t) / 1000;
  await client.query("DROP TABLE bench_raw_copy");
  await client.end();
  return seconds;
}

interface Run {
  raw: number;
  imp: Awaited<ReturnType<typeof timedImport>>;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * Measures one database: seeds a template, then REPEAT times makes a fresh copy of it and, in that copy, times a raw
 * COPY and then `omf import --publish`. The two are paired run by run (this machine's speed drifts by ±25% over
 * minutes), and the ratio reported is the median of the pairs' ratios.
 */
async function runTarget(target: Target, fresh: (run: number) => Promise<Target>, file: string | null): Promise<void> {
  const seed = omf(target, ["seed"]);
  if (seed.code !== 0) throw new Error(`omf seed failed: ${seed.stderr}`);
  const csv = file ?? join(work, "observations.csv");
  if (!file) {
    process.stdout.write(`generating ${fmt(ROWS)} rows…\n`);
    await generate(csv, target);
  }
  process.stdout.write(`\n${target.name}: file ${csv} (${mb(statSync(csv).size)}), ${REPEAT} paired runs\n`);
  const dry = await timedImport(target, csv, true);
  const runs: Run[] = [];
  for (let r = 1; r <= REPEAT; r++) {
    const copy = await fresh(r);
    const raw = copy.url !== undefined ? await rawCopyPostgres(copy.url, csv) : await rawCopyPglite(copy.dataDir!, csv);
    const imp = await timedImport(copy, csv);
    runs.push({ raw, imp });
    process.stdout.write(
      `  run ${r}: raw COPY ${raw.toFixed(2)} s, import ${imp.importSeconds.toFixed(2)} s (${imp.written} rows written), ratio ${(raw / imp.importSeconds).toFixed(2)}, peak RSS ${mb(imp.peak)}\n`,
    );
  }
  const rawSeconds = median(runs.map((r) => r.raw));
  const importSeconds = median(runs.map((r) => r.imp.importSeconds));
  const wallSeconds = median(runs.map((r) => r.imp.wall));
  const ratio = median(runs.map((r) => r.raw / r.imp.importSeconds));
  const peak = Math.max(...runs.map((r) => r.imp.peak));
  process.stdout.write(
    [
      `  raw COPY (plain table, FORMAT csv): ${fmt(ROWS / rawSeconds)} rows/s (median ${rawSeconds.toFixed(2)} s)`,
      `  omf import --publish:               ${fmt(ROWS / importSeconds)} rows/s (median ${importSeconds.toFixed(2)} s)`,
      `    whole process incl. start-up:      ${fmt(ROWS / wallSeconds)} rows/s (median ${wallSeconds.toFixed(2)} s)`,
      `  ratio import / raw COPY:            ${ratio.toFixed(2)} (median of the runs' ratios; runs ${runs.map((r) => (r.raw / r.imp.importSeconds).toFixed(2)).join(", ")}; goal ≥ 0.5)`,
      `  omf import --dry-run (read, validate, compare; no writes): ${fmt(dry.rows / dry.importSeconds)} rows/s (${dry.importSeconds.toFixed(2)} s)`,
      `  peak RSS of the import process:     ${mb(peak)} (highest of the runs; goal < 500 MB)`,
      "",
    ].join("\n"),
  );
  if (!file) generatedFile = csv;
}

let generatedFile: string | null = null;

async function main(): Promise<void> {
  process.stdout.write(`omf import benchmark: ${fmt(ROWS)} rows, Node ${process.version}, work dir ${work}\n`);
  const embeddedAt = (dir: string): Target => ({
    name: "embedded (PGlite, on disk)",
    env: { OMF_DATA_DIR: dir, DATABASE_URL: "" },
    dataDir: join(dir, "pglite"),
  });
  const template = join(work, "data");
  await runTarget(
    embeddedAt(template),
    async (r) => {
      const dir = join(work, `data-${r}`);
      if (r > 1) rmSync(join(work, `data-${r - 1}`), { recursive: true, force: true });
      cpSync(template, dir, { recursive: true });
      return embeddedAt(dir);
    },
    null,
  );
  rmSync(join(work, `data-${REPEAT}`), { recursive: true, force: true });
  if (pgUrl) {
    const name = `omf_bench_${process.pid}`;
    const at = (db: string) => {
      const u = new URL(pgUrl);
      u.pathname = `/${db}`;
      return u.toString();
    };
    const admin = new pg.Client({ connectionString: at("postgres") });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = at(name);
    const base = at("").replace(/:[^:@/]*@/, "@");
    const made: string[] = [];
    const pgTarget = (u: string): Target => ({ name: `PostgreSQL (${base})`, env: { DATABASE_URL: u }, url: u });
    try {
      await runTarget(
        pgTarget(url),
        async (r) => {
          const copy = `${name}_${r}`;
          if (made.length > 0 && !KEEP) await admin.query(`DROP DATABASE IF EXISTS ${made.pop()} WITH (FORCE)`);
          await admin.query(`CREATE DATABASE ${copy} TEMPLATE ${name}`);
          made.push(copy);
          return pgTarget(at(copy));
        },
        generatedFile,
      );
    } finally {
      if (!KEEP) {
        for (const db of [...made, name]) await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      }
      await admin.end();
    }
  } else {
    process.stdout.write("PostgreSQL: skipped (set TEST_PG_URL=postgres://user:pass@host:5432 to include it)\n");
  }
  if (!KEEP) rmSync(work, { recursive: true, force: true });
}

await main();
