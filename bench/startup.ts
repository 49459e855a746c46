/**
 * Start-up and CLI speed (issue 17): `omf --help`, a cold start (`omf serve --seed-demo`, as `npm start` runs it, on
 * an empty data folder, to the first page) and a warm start (the same folder again), each run several times; prints
 * the median seconds and the ratio to a baseline measured in the same run (`node -e ""`, the bare cost of starting
 * Node). Targets on a quiet 2-core machine: --help under 1 s, warm start under 3 s, cold start under 15 s. Nothing here
 * asserts timings: on a shared machine the ratios are the figures to compare. `npm run bench -- startup`.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const omf = join(root, "bin", "omf.js");
const runs = Number(process.env.BENCH_RUNS ?? 3);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function timeCommand(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: "ignore" });
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited with ${r.status}`);
  return (performance.now() - t0) / 1000;
}

/** Starts the server on `dataDir` and returns the seconds until GET /en/ answers 200; then stops it. */
async function timeServe(dataDir: string, port: number): Promise<number> {
  const t0 = performance.now();
  const child: ChildProcess = spawn(process.execPath, [omf, "serve", "--seed-demo", "--port", String(port)], {
    cwd: root,
    env: { ...process.env, OMF_DATA_DIR: dataDir, LOG_LEVEL: "silent", DATABASE_URL: "" },
    stdio: "ignore",
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`omf serve exited with ${child.exitCode}`);
      try {
        const r = await fetch(`http://127.0.0.1:${port}/en/`);
        if (r.status === 200) return (performance.now() - t0) / 1000;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
}

const baseline = median(Array.from({ length: runs }, () => timeCommand(["-e", ""])));
const help = median(Array.from({ length: runs }, () => timeCommand([omf, "--help"])));
const cold: number[] = [];
const warm: number[] = [];
for (let i = 0; i < runs; i++) {
  const dir = mkdtempSync(join(tmpdir(), "omf-bench-start-"));
  try {
    cold.push(await timeServe(dir, 3900 + i));
    warm.push(await timeServe(dir, 3950 + i));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const line = (name: string, s: number, target: number) =>
  console.log(
    `${name.padEnd(28)} ${s.toFixed(2).padStart(6)} s  (${(s / baseline).toFixed(0)}× node -e; target < ${target} s)`,
  );
console.log(`baseline node -e ""          ${baseline.toFixed(2).padStart(6)} s  (median of ${runs})`);
line("omf --help", help, 1);
line("warm start to first page", median(warm), 3);
line("cold start to first page", median(cold), 15);
