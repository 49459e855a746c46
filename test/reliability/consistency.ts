/**
 * The invariants a process killed at any moment must leave true (test/reliability/kill-points.test.ts): every batch
 * is whole (its values are exactly the ones its row counts say) and audited; its status agrees with its audit trail
 * (a publication or a rollback is there with its audit entry, or neither is); no value key has a revision twice; and
 * a framework import changed all of its measures or none, each change with its audit entry. Returns the problems
 * found (none: consistent).
 */
import type { Database } from "../../src/db/database.ts";

export type Query = (text: string) => Promise<{ rows: Record<string, unknown>[] }>;

export function queryOf(database: Database): Query {
  return database.kind === "pglite"
    ? (text) => database.client.query(text) as Promise<{ rows: Record<string, unknown>[] }>
    : (text) => database.pool.query(text);
}

/** The measures the kill test's framework imports redefine, all in one import. */
export const FRAMEWORK_MEASURES = [
  "low-birth-weight",
  "infant-mortality-rate",
  "breastfeeding-any-10-days",
  "mmr1-by-2",
  "fully-immunised-by-4",
];

const CHECKS: { problem: string; sql: string }[] = [
  {
    problem: "batch without its import audit entry",
    sql: `SELECT b.id FROM import_batches b WHERE b.format <> 'rollback' AND NOT b.illustrative AND NOT EXISTS (
            SELECT 1 FROM audit_log a WHERE a.entity = 'import_batch' AND a.action = 'import' AND a.entity_key = b.id::text)`,
  },
  {
    problem: "partial batch: its values are not the ones its row counts say",
    sql: `SELECT b.id, coalesce(s.n, 0) AS stored, b.row_counts FROM import_batches b
            LEFT JOIN (SELECT batch_id, sum(cardinality(value))::int AS n FROM observation_sets GROUP BY batch_id) s
              ON s.batch_id = b.id
          WHERE NOT b.illustrative AND (b.row_counts IS NULL OR coalesce(s.n, 0) <> CASE WHEN b.format = 'rollback'
            THEN coalesce((b.row_counts->>'restored')::int, 0) + coalesce((b.row_counts->>'withdrawn')::int, 0)
            ELSE coalesce((b.row_counts->>'new')::int, 0) + coalesce((b.row_counts->>'revised')::int, 0) END)`,
  },
  {
    problem: "published batch without a publication in its audit trail",
    sql: `SELECT b.id FROM import_batches b WHERE b.status = 'published' AND b.format <> 'rollback' AND NOT b.illustrative
          AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'import_batch' AND a.entity_key = b.id::text
            AND (a.action = 'publish' OR (a.action = 'import' AND a.after->>'status' = 'published')))`,
  },
  {
    problem: "publication in the audit trail of a batch that is still a draft",
    sql: `SELECT b.id FROM import_batches b WHERE b.status = 'draft' AND EXISTS (SELECT 1 FROM audit_log a
            WHERE a.entity = 'import_batch' AND a.entity_key = b.id::text AND a.action = 'publish')`,
  },
  {
    problem:
      "rolled-back batch without its rollback (audit entry and rollback batch), or a rollback of a batch not rolled back",
    sql: `SELECT b.id, b.status FROM import_batches b
            LEFT JOIN audit_log a ON a.entity = 'import_batch' AND a.entity_key = b.id::text AND a.action = 'rollback'
            LEFT JOIN import_batches r ON r.id = (a.after->>'rollbackBatchId')::int AND r.format = 'rollback'
          WHERE (b.status = 'rolled_back') <> (a.id IS NOT NULL AND r.id IS NOT NULL)`,
  },
  {
    problem: "a value key with the same revision twice",
    sql: `SELECT measure_code, area_code, period, breakdown, revision, count(*) FROM observations
          GROUP BY 1, 2, 3, 4, 5 HAVING count(*) > 1`,
  },
  {
    problem: "a framework import that changed only some of its measures",
    sql: `SELECT array_agg(DISTINCT m.caveats->>'en') AS caveats FROM measures m
          WHERE m.code IN (${FRAMEWORK_MEASURES.map((c) => `'${c}'`).join(", ")})
            AND m.framework_id = (SELECT max(framework_id) FROM measures)
          HAVING bool_or(m.caveats->>'en' LIKE 'Kill test %') AND count(DISTINCT m.caveats->>'en') > 1`,
  },
  {
    problem: "a measure whose definition is not the one its last audit entry records",
    sql: `SELECT m.code FROM measures m
            JOIN LATERAL (SELECT a.after FROM audit_log a WHERE a.entity = 'measure' AND a.actor = 'kill-test'
              AND a.entity_key LIKE '%/' || m.code
              ORDER BY a.id DESC LIMIT 1) last ON true
          WHERE m.code IN (${FRAMEWORK_MEASURES.map((c) => `'${c}'`).join(", ")})
            AND m.framework_id = (SELECT max(framework_id) FROM measures)
            AND last.after ? 'caveats' AND (last.after->'caveats') IS DISTINCT FROM m.caveats`,
  },
];

export async function checkConsistency(query: Query): Promise<string[]> {
  const problems: string[] = [];
  for (const check of CHECKS) {
    const { rows } = await query(check.sql);
    if (rows.length > 0) problems.push(`${check.problem}: ${JSON.stringify(rows.slice(0, 3))}`);
  }
  return problems;
}
