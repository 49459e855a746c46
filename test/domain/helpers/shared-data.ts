/**
 * Access to the read-only shared reference and sample data (outside the repo) for tests.
 * The folder is `$OMF_SHARED_DIR`, or `../shared` next to the repo. Tests that need it call
 * {@link requireShared}: when the folder is missing the test is skipped with a reason, except
 * when `CI=true`, where it fails. Nothing from the folder is ever copied into the repo.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import type { TestContext } from "vitest";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const sharedDir = process.env.OMF_SHARED_DIR ?? path.resolve(repoRoot, "../shared");
export const sharedAvailable =
  existsSync(path.join(sharedDir, "reference")) && existsSync(path.join(sharedDir, "sample-data"));

const reason = `shared data folder not found at ${sharedDir} (set OMF_SHARED_DIR to its location)`;

/** Skip the current test when the shared folder is missing (fail instead when CI=true). */
export function requireShared(ctx: TestContext): void {
  if (sharedAvailable) return;
  if (process.env.CI === "true") throw new Error(`${reason}; it is required when CI=true`);
  ctx.skip(true, reason);
}

/** Rows of a CSV file under the shared folder, as objects keyed by header. */
export function readSharedCsv(relativePath: string): Record<string, string>[] {
  const text = readFileSync(path.join(sharedDir, relativePath), "utf8");
  return parse(text, { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
}

/** Text of a file under the shared folder. */
export function readSharedText(relativePath: string): string {
  return readFileSync(path.join(sharedDir, relativePath), "utf8");
}

/** Names of the sample-data CSV files (relative to the shared folder). */
export function sampleCsvFiles(): string[] {
  return readdirSync(path.join(sharedDir, "sample-data"))
    .filter((f) => f.endsWith(".csv"))
    .sort()
    .map((f) => `sample-data/${f}`);
}
