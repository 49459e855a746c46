/**
 * Benchmark of the audit log page's queries at scale (issue 14): `npx tsx bench/audit-log.ts [--rows N]`.
 *
 * An embedded database gets N audit entries (default 300,000) spread over 22 partnerships, 50 users, 30 kinds and
 * three years. Then, each timed as the median of 15 runs through the audit service (what /audit asks for):
 *
 * - baseline: the newest page, unfiltered;
 * - the oldest page reached by its cursor (keyset pagination: should cost what the first does);
 * - the newest page filtered by partnership, by user, by kind, by a rare kind, by one month, and by partnership, kind
 *   and month together;
 * - every entry of one partnership read in download batches (what /audit.csv streams).
 *
 * Prints milliseconds and each ratio to the baseline of the same run. Numbers only: no assertions.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { wrapPglite } from "../src/db/database.ts";
import type { AuditFilter } from "../src/domain/audit.ts";
import { createAuditLog } from "../src/services/audit.ts";

const args = process.argv.slice(2);
const at = args.indexOf("--rows");
const N = at >= 0 ? Number(args[at + 1]) : 300_000;

const dir = mkdtempSync(join(tmpdir(), "omf-bench-audit-"));
const database = wrapPglite(await PGlite.create({ dataDir: dir }), "bench");
try {
  await database.migrate();
  const started = performance.now();
  // 30 kinds, the last one rare (one entry in 10,000); areas W06000001 … W06000024 as the plan keys name them
  await database.exec(`INSERT INTO audit_log (user_id, actor, action, entity, entity_key, before, after, reason, at, area_code)
    SELECT 1 + i % 50, 'web:user' || (1 + i % 50) || '@example.org',
      CASE WHEN i % 10000 = 0 THEN 'rare.kind' ELSE 'plan.kind' || (i % 29) END,
      'plan', a || '/2024-25-to-2026-27/v1', '{"status":"draft"}', '{"status":"submitted"}', 'bench',
      timestamptz '2023-01-01' + (i * (interval '3 years' / ${N})), a
    FROM generate_series(1, ${N}) AS i, LATERAL (SELECT 'W060000' || lpad(((i * 7) % 22 + 1)::text, 2, '0') AS a) x`);
  await database.exec("ANALYZE audit_log");
  console.log(`${N.toLocaleString("en-GB")} entries written in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const audit = createAuditLog(database.db);
  const median = async (run: () => Promise<unknown>) => {
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      await run();
      times.push(performance.now() - t0);
    }
    return times.sort((a, b) => a - b)[7]!;
  };
  const page =
    (filter: AuditFilter, cursor: { before?: number } = {}) =>
    () =>
      audit.page(filter, cursor);
  const month = { from: new Date("2024-06-01T00:00:00Z"), to: new Date("2024-07-01T00:00:00Z") };
  const cases: [string, () => Promise<unknown>][] = [
    ["oldest page by its cursor", page({}, { before: 51 })],
    ["partnership", page({ areaCode: "W06000015" })],
    ["user", page({ userId: 7 })],
    ["kind", page({ action: "plan.kind3" })],
    ["rare kind", page({ action: "rare.kind" })],
    ["one month", page(month)],
    ["partnership + kind + month", page({ areaCode: "W06000015", action: "plan.kind3", ...month })],
    [
      "download: one partnership, every entry",
      async () => {
        let n = 0;
        for await (const batch of audit.all({ areaCode: "W06000015" })) n += batch.length;
        return n;
      },
    ],
  ];
  const baseline = await median(page({}));
  console.log(`baseline (newest page, unfiltered): ${baseline.toFixed(1)} ms`);
  for (const [label, run] of cases) {
    const ms = await median(run);
    console.log(`${label}: ${ms.toFixed(1)} ms (${(ms / baseline).toFixed(1)}× baseline)`);
  }
  console.log(`kinds present (loose index scan): ${(await median(() => audit.kinds())).toFixed(1)} ms`);
} finally {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
}
