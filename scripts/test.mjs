#!/usr/bin/env node
// `npm test`: runs every test with vitest. Browser tests need Chromium; where it is missing this says so in one
// line and those tests are skipped, except in CI (CI=true), where a missing Chromium is a failure. Likewise for the
// shared folder (../shared, or OMF_SHARED_DIR).
// Ends with one summary line, e.g. "embedded: 976 passed, 0 failed".
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const env = { ...process.env };
if (!existsSync(chromium)) {
  if (process.env.CI === "true") {
    console.error(
      `npm test: Chromium not found at ${chromium}; CI needs it for the browser tests (apt-get install chromium)`,
    );
    process.exit(1);
  }
  console.log(
    `npm test: browser tests skipped: Chromium not found at ${chromium} (install it with: apt-get install chromium)`,
  );
  env.OMF_SKIP_BROWSER = "1";
}
// the shared folder (methods vectors, reference and sample data): tests that need it are skipped when it is missing
const shared = resolve(process.env.OMF_SHARED_DIR ?? "../shared");
if (!existsSync(shared)) {
  console.log(
    `npm test: tests that need the shared folder are skipped: not found at ${shared} (set OMF_SHARED_DIR to where it is)`,
  );
}
if (process.env.CI !== "true")
  console.log(
    "npm test: a local run fuzzes each importer with 2,000 cases and makes 8 kill points (CI=true: 10,000 and 25)",
  );
const database = process.env.TEST_PG_URL ? "postgresql" : "embedded";
if (process.env.TEST_PG_URL)
  console.log(`npm test: running on PostgreSQL (${process.env.TEST_PG_URL.replace(/:[^:@/]*@/, "@")})`);
else
  console.log(
    "npm test: running on the embedded database (set TEST_PG_URL=postgres://user:pass@host:5432 for PostgreSQL)",
  );
mkdirSync("test-results", { recursive: true });
const label = process.env.OMF_TEST_LABEL ?? database;
const report = `test-results/vitest-${label}.json`;
const args = ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`];
const result = spawnSync("npx", [...args, ...process.argv.slice(2)], { stdio: "inherit", env });
try {
  const r = JSON.parse(readFileSync(report, "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  // a file that fails outside its tests (set-up or clean-up) counts as a failure too
  const brokenFiles = (r.testResults ?? []).filter(
    (f) => f.status === "failed" && (f.assertionResults ?? []).every((a) => a.status !== "failed"),
  ).length;
  const failed = r.numFailedTests + brokenFiles;
  const broken = brokenFiles ? ` (${brokenFiles} failed outside a test)` : "";
  console.log(
    `${label}: ${r.numPassedTests} passed, ${failed} failed${broken}${skipped ? `, ${skipped} skipped` : ""}`,
  );
} catch {
  // no report (vitest did not start): its own output says why
}
process.exit(result.status ?? 1);
