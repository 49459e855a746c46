/**
 * Benchmark of the interval methods (issue 18): `npx tsx bench/stats.ts [--rows N] [--rounds N] [--skip-r]`
 * (or `npm run bench -- stats`).
 *
 * Inputs, as in the issue: for i = 1…N (default 1,000,000), x = (i·7919) mod 1000, n = x + 1 + (i·104729) mod 100000,
 * 95% limits; proportions as fractions (multiplier 1), rates per 100,000 (1% of the counts are below 10, so the exact
 * chi-square branch of the rate is exercised).
 *
 * For `proportionCI`/`proportionCIs` and `rateCI`/`rateCIs` it times, in interleaved rounds (the median is printed):
 * - the columnar form on Float64Array columns;
 * - the scalar form, one call per row;
 * - the scalar form as it was before issue 18 (bench/stats-baseline.ts), one call per row: the before/after ratio;
 * - if `Rscript` is installed, bench/stats-reference.R: a base-R vectorised re-implementation of phe_proportion and
 *   phe_rate (not the PHEindicatormethods package itself, which cannot be installed here; it has no dplyr overhead
 *   and so is faster than the package).
 * It prints rows per second, the ratios, and the checksum (sum of the upper limits) of each; our three forms must be
 * bit-for-bit identical (checked on every element). No assertions on time: numbers only.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { IntervalColumns } from "../src/stats/interval-estimate.ts";
import { proportionCI, proportionCIs } from "../src/stats/proportion.ts";
import { rateCI, rateCIs } from "../src/stats/rate.ts";
import { baselineProportionCI, baselineRateCI } from "./stats-baseline.ts";

const args = process.argv.slice(2);
const num = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const rows = num("--rows", 1_000_000);
const rounds = num("--rounds", 5);

// PHEindicatormethods 2.1.0 on this machine, from issue 18 (not measured in this run: CRAN is not reachable here).
const PHE_SECONDS = { proportion: [0.49, 0.67], rate: [6.0, 6.4] } as const;

const x = new Float64Array(rows);
const n = new Float64Array(rows);
for (let k = 0; k < rows; k++) {
  const i = k + 1;
  x[k] = (i * 7919) % 1000;
  n[k] = x[k]! + 1 + ((i * 104729) % 100000);
}

/** Neumaier-compensated sum of the upper limits (close to R's long-double sum()). */
function checksum(upper: Float64Array): number {
  let sum = 0;
  let c = 0;
  for (let i = 0; i < upper.length; i++) {
    const v = upper[i]!;
    const t = sum + v;
    c += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + c;
}

type Scalar = (
  x: number,
  n: number,
  o: { confidence: number; multiplier: number },
) => {
  value: number | null;
  lower: number | null;
  upper: number | null;
};

/**
 * One call per row, as a caller would write the loop: a direct call (each function has its own loop, so the call site
 * sees one function, as in real code) keeping only the sum of the upper limits (the timed form).
 */
const perRowTimed = {
  proportionCI: () => {
    const options = { confidence: 0.95, multiplier: 1 };
    let sum = 0;
    for (let i = 0; i < rows; i++) sum += proportionCI(x[i]!, n[i]!, options).upper ?? 0;
    return sum;
  },
  baselineProportionCI: () => {
    const options = { confidence: 0.95, multiplier: 1 };
    let sum = 0;
    for (let i = 0; i < rows; i++) sum += baselineProportionCI(x[i]!, n[i]!, options).upper ?? 0;
    return sum;
  },
  rateCI: () => {
    const options = { confidence: 0.95, multiplier: 100000 };
    let sum = 0;
    for (let i = 0; i < rows; i++) sum += rateCI(x[i]!, n[i]!, options).upper ?? 0;
    return sum;
  },
  baselineRateCI: () => {
    const options = { confidence: 0.95, multiplier: 100000 };
    let sum = 0;
    for (let i = 0; i < rows; i++) sum += baselineRateCI(x[i]!, n[i]!, options).upper ?? 0;
    return sum;
  },
};

/** One call per row, results gathered into columns (null → NaN) to compare them element by element (not timed). */
function perRow(f: Scalar, multiplier: number): IntervalColumns {
  const options = { confidence: 0.95, multiplier };
  const value = new Float64Array(rows);
  const lower = new Float64Array(rows);
  const upper = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const r = f(x[i]!, n[i]!, options);
    value[i] = r.value ?? Number.NaN;
    lower[i] = r.lower ?? Number.NaN;
    upper[i] = r.upper ?? Number.NaN;
  }
  return { value, lower, upper, confidence: 0.95 };
}

function identical(a: IntervalColumns, b: IntervalColumns): boolean {
  for (const k of ["value", "lower", "upper"] as const) {
    for (let i = 0; i < rows; i++) if (!Object.is(a[k][i], b[k][i])) return false;
  }
  return true;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const fmtRate = (seconds: number) => `${Math.round(rows / seconds).toLocaleString("en-GB")} rows/s`;
const fmtS = (seconds: number) => `${seconds.toFixed(4)} s`;

interface Reference {
  seconds: number;
  cpu: number;
  checksum: number;
}

/** The R reference, if Rscript is installed: median elapsed and CPU seconds and the checksum per method. */
function rReference(): Map<string, Reference> | string {
  if (args.includes("--skip-r")) return "skipped (--skip-r)";
  const script = fileURLToPath(new URL("./stats-reference.R", import.meta.url));
  const r = spawnSync("Rscript", [script, String(rows), String(rounds)], { encoding: "utf8" });
  if (r.error || r.status !== 0) return `not available (${r.error?.message ?? r.stderr.trim()})`;
  const out = new Map<string, Reference>();
  for (const line of r.stdout.trim().split("\n")) {
    const [name, kind, ...values] = line.trim().split(/\s+/);
    const entry = out.get(name!) ?? { seconds: Number.NaN, cpu: Number.NaN, checksum: Number.NaN };
    if (kind === "elapsed") entry.seconds = median(values.map(Number));
    else if (kind === "cpu") entry.cpu = median(values.map(Number));
    else entry.checksum = Number(values[0]);
    out.set(name!, entry);
  }
  return out;
}

interface Variant {
  name: string;
  /** The timed work. */
  time: () => unknown;
  /** Its results as columns, for the checksum and the element-by-element comparison (not timed). */
  results: () => IntervalColumns;
}

function bench(label: "proportion" | "rate", variants: Variant[], r: Map<string, Reference> | string): void {
  const times = variants.map(() => [] as number[]);
  const cpuTimes = variants.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    variants.forEach((v, k) => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      v.time();
      times[k]!.push((performance.now() - t0) / 1000);
      const c = process.cpuUsage(c0);
      cpuTimes[k]!.push((c.user + c.system) / 1e6);
    });
  }
  const seconds = times.map(median);
  const cpu = cpuTimes.map(median);
  const results = variants.map((v) => v.results());
  const same = results.every((res) => identical(res, results[0]!));
  console.log(`\n${label}: ${rows.toLocaleString("en-GB")} rows, 95%, median of ${rounds} interleaved rounds`);
  variants.forEach((v, k) => {
    console.log(
      `  ${v.name.padEnd(34)} ${fmtS(seconds[k]!)}  ${fmtRate(seconds[k]!).padStart(20)}  (CPU ${fmtS(cpu[k]!)})  ` +
        `checksum ${checksum(results[k]!.upper).toPrecision(13)}`,
    );
  });
  console.log(`  our forms bit-for-bit identical on every element: ${same ? "yes" : "NO"}`);
  const [columnar, scalar, before] = seconds as [number, number, number];
  console.log(
    `  scalar before / after (same run)   ${(before / scalar).toFixed(1)}× (CPU time ${(cpu[2]! / cpu[1]!).toFixed(1)}×)`,
  );
  console.log(`  columnar vs scalar (after)         ${(scalar / columnar).toFixed(1)}× faster`);
  if (typeof r === "string") {
    console.log(`  base-R re-implementation           ${r}`);
  } else {
    const ref = r.get(label)!;
    console.log(
      `  base-R re-implementation (same run) ${fmtS(ref.seconds)}  ${fmtRate(ref.seconds).padStart(19)}  (CPU ${fmtS(ref.cpu)})  ` +
        `checksum ${ref.checksum.toPrecision(13)}`,
    );
    console.log(
      `  columnar vs base R                 ${(ref.seconds / columnar).toFixed(1)}× faster ` +
        `(CPU time ${(ref.cpu / cpu[0]!).toFixed(1)}×)`,
    );
  }
  const [lo, hi] = PHE_SECONDS[label];
  console.log(
    `  columnar vs PHEindicatormethods    ${(lo / columnar).toFixed(1)}–${(hi / columnar).toFixed(1)}× faster ` +
      `(CPU time ${(lo / cpu[0]!).toFixed(1)}–${(hi / cpu[0]!).toFixed(1)}×; the package's ${lo}–${hi} s elapsed ` +
      "from issue 18, not this run)",
  );
}

const columnar = (name: string, run: () => IntervalColumns): Variant => ({ name, time: run, results: run });
const scalar = (name: string, loop: keyof typeof perRowTimed, f: Scalar, multiplier: number): Variant => ({
  name,
  time: perRowTimed[loop],
  results: () => perRow(f, multiplier),
});

const reference = rReference();
bench(
  "proportion",
  [
    columnar("proportionCIs (columnar)", () => proportionCIs(x, n, { confidence: 0.95, multiplier: 1 })),
    scalar("proportionCI (one call per row)", "proportionCI", proportionCI, 1),
    scalar("proportionCI before issue 18", "baselineProportionCI", baselineProportionCI, 1),
  ],
  reference,
);
bench(
  "rate",
  [
    columnar("rateCIs (columnar)", () => rateCIs(x, n, { confidence: 0.95, multiplier: 100000 })),
    scalar("rateCI (one call per row)", "rateCI", rateCI, 100000),
    scalar("rateCI before issue 18", "baselineRateCI", baselineRateCI, 100000),
  ],
  reference,
);
