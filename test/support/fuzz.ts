/**
 * Fuzzing with fast-check (issue 19): seeded, with the case count and the seed printed before each run and in any
 * failure. `OMF_FUZZ_SEED` replays a run (fast-check's failure message also gives the `path` of the shrunk case),
 * `OMF_FUZZ_RUNS` scales the number of cases (e.g. 100000 for a long local run). See docs/testing.md.
 *
 * The importers are fuzzed in process, without a database: a generated file goes through the reader and the row
 * validator exactly as `omf import` reads it (`validateHere`), against a small reference framework. A case passes when
 * the file is read to the end or refused by the project's own validation errors (a FileFormatError or InvalidError
 * with a message, naming its row), every issue names its row, column and problem, and no case takes longer than
 * CASE_LIMIT_MS.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { expect } from "vitest";
import { withAreaAliases } from "../../src/domain/area-name.ts";
import { InvalidError } from "../../src/domain/errors.ts";
import type { Mapping } from "../../src/ingest/observations/mapping.ts";
import { type TableRequest, validateHere } from "../../src/ingest/observations/open-table.ts";
import type { Issue } from "../../src/ingest/observations/types.ts";
import type { AreaInfo, MeasureInfo, ReferenceData } from "../../src/ingest/observations/validate-rows.ts";

/** The seed of every property of this process: fixed (deterministic CI) unless OMF_FUZZ_SEED says otherwise. */
export const FUZZ_SEED = Number(process.env.OMF_FUZZ_SEED ?? 20261207);

/**
 * Cases per property: `normal` in CI (CI=true), a fifth of it in a local `npm test` (the same first cases of the same
 * seed, so the suite stays quick), or OMF_FUZZ_RUNS when set. The fuzzing of parsers and readers uses no database, so
 * the PostgreSQL pass of the suite (TEST_PG_URL) runs the first tenth of the cases only: the embedded pass has run
 * them all.
 */
export function fuzzRuns(normal: number): number {
  const env = Number(process.env.OMF_FUZZ_RUNS);
  if (Number.isInteger(env) && env > 0) return env;
  if (process.env.TEST_PG_URL) return Math.ceil(normal / 10);
  return process.env.CI === "true" ? normal : Math.ceil(normal / 5);
}

/** Longest a single case may take (a hang is a failure; generous, as CI machines are shared). */
export const CASE_LIMIT_MS = 5_000;

/**
 * Checks `property` for `runs` cases from FUZZ_SEED, printing the seed and the count first (so even a run killed by a
 * hang can be replayed) and after.
 */
export async function fuzz<T>(name: string, runs: number, property: fc.IAsyncPropertyWithHooks<T>): Promise<void> {
  console.log(`fuzz ${name}: ${runs} cases, seed ${FUZZ_SEED} (replay with OMF_FUZZ_SEED=${FUZZ_SEED})`);
  const started = Date.now();
  const details = await fc.check(property, { seed: FUZZ_SEED, numRuns: runs, timeout: CASE_LIMIT_MS });
  if (details.failed) {
    throw new Error(
      `fuzz ${name} failed after ${details.numRuns} of ${runs} cases; replay with OMF_FUZZ_SEED=${details.seed} ` +
        `(fast-check seed ${details.seed}, path "${details.counterexamplePath}")\n` +
        `counterexample: ${fc.stringify(details.counterexample)}\n${details.errorInstance}`,
    );
  }
  console.log(`fuzz ${name}: ${details.numRuns} cases passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

// --- a small reference framework ---------------------------------------------------------------------------------

const measure = (over: Partial<MeasureInfo>): MeasureInfo => ({
  code: "m",
  periodType: "financial_year",
  valueType: "proportion",
  unit: "percentage",
  multiplier: 100,
  breakdowns: [],
  geographies: ["country", "local_authority"],
  status: "live",
  roundTo: null,
  titles: [],
  ...over,
});

const areas: AreaInfo[] = withAreaAliases([
  { code: "W92000004", nameEn: "Wales", nameCy: "Cymru", aliases: [], type: "country" },
  { code: "W06000001", nameEn: "Isle of Anglesey", nameCy: "Ynys Môn", aliases: [], type: "local_authority" },
  { code: "W06000015", nameEn: "Cardiff", nameCy: "Caerdydd", aliases: [], type: "local_authority" },
  { code: "W06000023", nameEn: "Powys", nameCy: "Powys", aliases: [], type: "local_authority" },
]);

export const FUZZ_REFERENCE: ReferenceData = {
  measures: [
    measure({ code: "pct", titles: ["Children in low income families"], breakdowns: ["sex"] }),
    measure({ code: "rate", valueType: "crude_rate", unit: "rate", multiplier: 1000, periodType: "calendar_year" }),
    measure({
      code: "count",
      valueType: "count",
      unit: "count",
      multiplier: 1,
      periodType: "snapshot_date",
      roundTo: 5,
    }),
    measure({ code: "score", valueType: "supplied_ci", unit: "score", multiplier: 1, periodType: "academic_year" }),
  ],
  areas,
  dimensions: [
    {
      code: "sex",
      titles: ["Sex", "Rhyw"],
      values: [
        { code: "female", labels: ["Female", "Benyw"] },
        { code: "male", labels: ["Male", "Gwryw"] },
      ],
    },
  ],
};

// --- running one case --------------------------------------------------------------------------------------------

// in memory where the system has it (/dev/shm): tens of thousands of small files, written and read once each
// one folder per test process (test files share a process and this module), removed when the process ends
const dir = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "omf-fuzz-"));
process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** Writes a case's file (each case its own name: a reader may still hold the previous one). */
export function caseFile(content: string | Uint8Array, ext: string): string {
  const path = join(dir, `case${++n % 64}${ext}`);
  writeFileSync(path, content);
  return path;
}

export interface CaseResult {
  rows: number;
  accepted: number;
  issues: Issue[];
  refused: InvalidError | null;
}

/** Reads and validates a file to its end as an import does; only the project's validation errors may stop it. */
export async function readCase(path: string, request: TableRequest): Promise<CaseResult> {
  const issues: Issue[] = [];
  let rows = 0;
  let accepted = 0;
  try {
    const table = await validateHere(path, request, FUZZ_REFERENCE);
    try {
      for await (const chunk of table.chunks) {
        rows += chunk.rows;
        accepted += chunk.count;
        issues.push(...chunk.issues);
      }
      issues.push(...table.issues);
    } finally {
      await table.close();
    }
  } catch (error) {
    if (!(error instanceof InvalidError)) throw error; // a crash: anything but the project's own refusals
    expect(error.message.trim(), "a refusal says what is wrong").not.toBe("");
    return { rows, accepted, issues, refused: error };
  }
  for (const issue of issues) checkIssue(issue);
  return { rows, accepted, issues, refused: null };
}

/** An issue names its row, column and problem in a sentence. */
export function checkIssue(issue: Issue): void {
  expect(Number.isInteger(issue.row) && issue.row >= 0, `row of ${JSON.stringify(issue)}`).toBe(true);
  expect(typeof issue.column).toBe("string");
  expect(issue.code, `code of ${JSON.stringify(issue)}`).toMatch(/^[a-z0-9_]+$/);
  expect(issue.message.trim(), `message of ${JSON.stringify(issue)}`).not.toBe("");
  expect(["error", "warning"]).toContain(issue.severity);
}

/** How the cases of a run ended: read to the end, or refused whole (and the commonest reasons). */
export class Tally {
  read = 0;
  refused = 0;
  readonly reasons = new Map<string, number>();
  note(r: CaseResult): void {
    if (!r.refused) {
      this.read++;
      return;
    }
    this.refused++;
    const reason = r.refused.message.replace(/\d+/g, "N").slice(0, 60);
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
  }
  summary(name: string): string {
    const top = [...this.reasons].sort((a, b) => b[1] - a[1]).slice(0, 5);
    return `${name}: ${this.read} read to the end, ${this.refused} refused whole; commonest refusals: ${top
      .map(([reason, count]) => `${count}× ${reason}`)
      .join(" | ")}`;
  }
}

export type { Mapping };
