/**
 * `npm run bench`: runs every benchmark in bench/ in turn (or those named: `npm run bench -- import web`).
 * Each prints its own figures as ratios against a baseline measured in the same run; nothing here asserts timings.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const all = ["stats", "analysis", "web", "import", "page-cache", "publication", "startup", "audit-log"];
const chosen = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const extra = process.argv.slice(2).filter((a) => a.startsWith("-"));
let failed = 0;
for (const name of chosen.length ? chosen : all) {
  if (!all.includes(name)) {
    console.error(`unknown benchmark "${name}": expected one of ${all.join(", ")}`);
    process.exit(2);
  }
  console.log(`\n== bench/${name}.ts`);
  const file = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  const r = spawnSync(process.execPath, ["--import", "tsx", file, ...extra], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
