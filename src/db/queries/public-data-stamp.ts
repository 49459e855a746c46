/**
 * A cheap fingerprint of everything the public pages and API show: published batches (a new publication, an
 * embargo passing or a rollback changes it), the stored analysis runs, and the framework's measures and areas.
 * Caches of public views are keyed by it, so they never serve figures from before a change for longer than the
 * stamp is re-read.
 */
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "../database.ts";

export async function publicDataStamp(db: Db): Promise<string> {
  const [row] = await queryRows<Record<string, unknown>>(
    db,
    sql`select
      (select count(*) from import_batches where status in ('published', 'rolled_back') and publish_at <= now()) as b,
      (select count(*) from import_batches where status = 'rolled_back') as rb,
      (select coalesce(max(id), 0) from import_batches) as bmax,
      (select count(*) from analysis_runs) as ar,
      (select max(computed_at) from analysis_runs) as at,
      (select count(*) from measures) as m,
      (select max(updated_at) from measures) as mu,
      (select count(*) from areas) as a`,
  );
  const r = row ?? {};
  const t = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v ?? ""));
  return [r.b, r.rb, r.bmax, r.ar, t(r.at), r.m, t(r.mu), r.a].map(t).join("|");
}

/**
 * A cheap fingerprint of what the stored analysis is computed from: published batches (a publication, an embargo
 * passing, a rollback) and the measures and areas. A server polls it to notice changes made by any process.
 */
export async function publishedDataStamp(db: Db): Promise<string> {
  const [row] = await queryRows<Record<string, unknown>>(
    db,
    sql`select
      (select count(*) from import_batches where status in ('published', 'rolled_back') and publish_at <= now()) as b,
      (select count(*) from import_batches where status = 'rolled_back') as rb,
      (select coalesce(max(id), 0) from import_batches) as bmax,
      (select count(*) from measures) as m,
      (select max(updated_at) from measures) as mu,
      (select count(*) from areas) as a,
      (select count(*) from area_memberships) as am`,
  );
  const r = row ?? {};
  const t = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v ?? ""));
  return [r.b, r.rb, r.bmax, r.m, t(r.mu), r.a, r.am].map(t).join("|");
}
