/**
 * The invariants a process killed at any moment must leave true (test/reliability/kill-points.test.ts): every batch
 * is whole (its values are exactly the ones its row counts say) and audited; its status agrees with its audit trail
 * (a publication or a rollback is there with its audit entry, or neither is); no value key has a revision twice; and
 * a framework import changed all of its measures or none, each change with its audit entry; every plan is in the
 * state its audit trail last recorded, no plan has two current versions, a new version holds everything it copied,
 * every review comment and narrative version came with its audited step and every return with its comment; every
 * assessment of an agreement has its audit entry (and every entry its assessment), no version is missing and no
 * moderation stands without the self-assessment it moderates. Returns the problems found (none: consistent).
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

/** The audit key of a plan version (planKey in src/services/plans). */
const PLAN_KEY = (p: string) => `${p}.area_code || '/' || ${p}.period || '/v' || ${p}.version`;
/** The actions that set a plan's state, and the state each records (created: draft). */
const PLAN_STATE_ACTIONS = `('plan.create', 'plan.version.start', 'plan.status.demo', 'submit', 'return', 'approve', 'publish', 'supersede')`;

const PLAN_CHECKS: { problem: string; sql: string }[] = [
  {
    problem: "a plan whose state is not the one its audit trail last recorded (or with no audit trail)",
    sql: `SELECT p.area_code, p.period, p.version, p.status, last.recorded FROM plans p
            LEFT JOIN LATERAL (SELECT coalesce(a.after->>'state', a.after->>'status', 'draft') AS recorded
              FROM audit_log a WHERE a.entity = 'plan' AND a.entity_key = ${PLAN_KEY("p")}
                AND a.action IN ${PLAN_STATE_ACTIONS}
              ORDER BY a.id DESC LIMIT 1) last ON true
          WHERE last.recorded IS DISTINCT FROM p.status`,
  },
  {
    problem: "a plan state change in the audit trail of a plan that does not exist",
    sql: `SELECT a.id, a.action, a.entity_key FROM audit_log a WHERE a.entity = 'plan' AND a.action IN ${PLAN_STATE_ACTIONS}
            AND NOT EXISTS (SELECT 1 FROM plans p WHERE ${PLAN_KEY("p")} = a.entity_key)`,
  },
  {
    problem:
      "a plan with two current versions (published twice, an older one still published or approved, or an older one unfinished)",
    sql: `SELECT p.area_code, p.period, p.version, p.status, newer.version AS newer, newer.status AS newer_status
          FROM plans p JOIN plans newer ON newer.area_code = p.area_code AND newer.period = p.period
            AND newer.version > p.version
          WHERE p.status IN ('draft', 'returned', 'submitted')
            OR (p.status IN ('published', 'approved') AND newer.status = 'published')`,
  },
  {
    problem: "a new plan version that does not hold everything its audit entry says was copied",
    sql: `SELECT a.entity_key, a.after->'copied' AS copied, n.narratives, n.updates, s.priorities, s.measures, s.narratives AS source_narratives
          FROM audit_log a
            JOIN plans np ON ${PLAN_KEY("np")} = a.entity_key
            JOIN plans sp ON sp.area_code = np.area_code AND sp.period = np.period AND sp.version = np.version - 1
            JOIN LATERAL (SELECT
                (SELECT count(*) FROM narrative_versions v WHERE v.plan_id = np.id AND v.created_at < a.at)::int AS narratives,
                (SELECT count(*) FROM action_updates u JOIN plan_actions x ON x.id = u.action_id
                  WHERE x.plan_id = np.id AND u.created_at < a.at)::int AS updates) n ON true
            JOIN LATERAL (SELECT
                (SELECT count(*) FROM plan_priorities WHERE plan_id = sp.id)::int AS priorities,
                (SELECT count(*) FROM plan_measures WHERE plan_id = sp.id)::int AS measures,
                (SELECT count(*) FROM narrative_versions WHERE plan_id = sp.id)::int AS narratives) s ON true
          WHERE a.entity = 'plan' AND a.action = 'plan.version.start'
            AND (n.narratives <> (a.after->'copied'->>'narrativeVersions')::int
              OR n.updates <> (a.after->'copied'->>'actionUpdates')::int
              OR s.priorities <> (a.after->'copied'->>'priorities')::int
              OR s.measures <> (a.after->'copied'->>'measures')::int
              OR s.narratives <> (a.after->'copied'->>'narrativeVersions')::int)`,
  },
  {
    problem: "a review comment without its audited step, or a return without its comment",
    sql: `SELECT 'comment' AS what, c.id FROM plan_review_comments c JOIN plans p ON p.id = c.plan_id
          WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'plan' AND a.entity_key = ${PLAN_KEY("p")}
            AND a.action = c.action AND a.at = c.created_at)
          UNION ALL
          SELECT 'return', a.id FROM audit_log a WHERE a.entity = 'plan' AND a.action = 'return'
            AND NOT EXISTS (SELECT 1 FROM plan_review_comments c JOIN plans p ON p.id = c.plan_id
              WHERE ${PLAN_KEY("p")} = a.entity_key AND c.action = 'return' AND c.created_at = a.at)`,
  },
  {
    problem:
      "a narrative version written without an audited change of its plan, or a saved narrative that is not there",
    sql: `SELECT 'version' AS what, v.id FROM narrative_versions v JOIN plans p ON p.id = v.plan_id
          WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'plan'
            AND a.entity_key LIKE p.area_code || '/' || p.period || '/v%' AND a.at = v.created_at)
          UNION ALL
          SELECT 'save', a.id FROM audit_log a WHERE a.entity = 'plan' AND a.action = 'plan.narrative.save'
            AND NOT EXISTS (SELECT 1 FROM narrative_versions v JOIN plans p ON p.id = v.plan_id
              WHERE ${PLAN_KEY("p")} = a.entity_key AND v.created_at = a.at)`,
  },
];

const AGREEMENT_CHECKS: { problem: string; sql: string }[] = [
  {
    problem: "an assessment without its audit entry, or an audit entry without its assessment",
    sql: `WITH assessed AS (SELECT g.area_code || '/' || g.period AS k, o.position AS pos, s.year, s.kind, s.version,
              s.created_at AS at
            FROM agreement_assessments s JOIN agreement_outcomes o ON o.id = s.outcome_id
              JOIN agreements g ON g.id = o.agreement_id),
          entries AS (SELECT entity_key AS k, (after->>'outcome')::int AS pos, after->>'year' AS year,
              CASE action WHEN 'agreement.self_assess' THEN 'self' ELSE 'moderation' END AS kind,
              (after->>'version')::int AS version, at
            FROM audit_log WHERE entity = 'agreement' AND action IN ('agreement.self_assess', 'agreement.moderate'))
          SELECT s.k AS assessed, e.k AS entry, coalesce(s.pos, e.pos) AS outcome, coalesce(s.year, e.year) AS year,
            coalesce(s.kind, e.kind) AS kind, coalesce(s.version, e.version) AS version
          FROM assessed s FULL JOIN entries e ON s.k = e.k AND s.pos = e.pos AND s.year = e.year AND s.kind = e.kind
            AND s.version = e.version AND s.at = e.at
          WHERE s.k IS NULL OR e.k IS NULL`,
  },
  {
    problem: "an outcome's assessments for a year with a version missing",
    sql: `SELECT outcome_id, year, kind, max(version), count(*) FROM agreement_assessments
          GROUP BY 1, 2, 3 HAVING max(version) <> count(*)`,
  },
  {
    problem: "a moderation without the self-assessment it moderates",
    sql: `SELECT m.id, m.outcome_id, m.year FROM agreement_assessments m WHERE m.kind = 'moderation'
            AND NOT EXISTS (SELECT 1 FROM agreement_assessments s WHERE s.outcome_id = m.outcome_id
              AND s.year = m.year AND s.kind = 'self' AND s.created_at <= m.created_at)`,
  },
];

export async function checkConsistency(query: Query): Promise<string[]> {
  const problems: string[] = [];
  for (const check of [...CHECKS, ...PLAN_CHECKS, ...AGREEMENT_CHECKS]) {
    const { rows } = await query(check.sql);
    if (rows.length > 0) problems.push(`${check.problem}: ${JSON.stringify(rows.slice(0, 3))}`);
  }
  return problems;
}
