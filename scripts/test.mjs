#!/usr/bin/env node
// `npm test`: runs every test with vitest. Browser tests need Chromium; where it is missing this says so in one
// line and those tests are skipped, except in CI (CI=true), where a missing Chromium is a failure.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

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
if (process.env.TEST_PG_URL)
  console.log(`npm test: running on PostgreSQL (${process.env.TEST_PG_URL.replace(/:[^:@/]*@/, "@")})`);
else
  console.log(
    "npm test: running on the embedded database (set TEST_PG_URL=postgres://user:pass@host:5432 for PostgreSQL)",
  );
const result = spawnSync("npx", ["vitest", "run", ...process.argv.slice(2)], { stdio: "inherit", env });
process.exit(result.status ?? 1);
