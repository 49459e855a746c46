/** Helpers for observation-import tests: a seeded database, temp files and a quick way to import CSV text. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Database } from "../../src/db/database.ts";
import type { Mapping } from "../../src/ingest/observations/mapping.ts";
import { type ImportOptions, runImport } from "../../src/services/import/run-import.ts";
import type { ImportSummary } from "../../src/services/import/summary.ts";
import { freshReferenceDatabase } from "./demo-database.ts";

/** A fresh database with the shipped framework and areas loaded. */
export function seededDatabase(): Promise<Database> {
  return freshReferenceDatabase(); // seeded once per run and cloned
}

/** Removes all imported data, users and tokens (keeps the framework and areas). */
export async function clearImports(database: Database): Promise<void> {
  await database.exec(
    "TRUNCATE observation_sets, import_batches, audit_log, api_tokens, sessions, login_attempts, user_areas, users RESTART IDENTITY CASCADE",
  );
}

// one folder per test process (test files share a process and this module: vitest's isolate is off), removed when the
// process ends
const dir = mkdtempSync(join(tmpdir(), "omf-import-test-"));
process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** Writes `content` to a new temp file with the given extension and returns its path. */
export function tempFile(content: string | Buffer, ext = ".csv"): string {
  const path = join(dir, `f${++n}${ext}`);
  writeFileSync(path, content);
  return path;
}

export const TEST_ACTOR = { userId: null, name: "test" } as const;

/** Imports CSV text (a draft unless `publish`). */
export async function importCsv(
  database: Database,
  csv: string,
  options: Partial<ImportOptions> & { mapping?: Mapping } = {},
): Promise<ImportSummary> {
  return runImport(database, tempFile(csv), { dryRun: false, actor: TEST_ACTOR, ...options });
}
