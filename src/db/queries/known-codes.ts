import { type SQL, sql } from "drizzle-orm";
import type { KnownFrameworkCodes } from "../../ingest/framework/framework-content.ts";
import { type Db, queryRows } from "../database.ts";
import { findCurrentFramework, listMeasures } from "./framework.ts";

/** Codes already in the database, so a file that only adds measures can refer to existing aims, groups, sources. */
export async function listKnownFrameworkCodes(db: Db): Promise<KnownFrameworkCodes> {
  const framework = await findCurrentFramework(db);
  const rows = (q: SQL) => queryRows<Record<string, unknown>>(db, q);
  const codes = async (q: SQL) => (await rows(q)).map((r) => String(r.code));
  return {
    coreAims: await codes(sql`select code from core_aims`),
    groups: framework
      ? (await rows(sql`select code, core_aim_code from measure_groups where framework_id = ${framework.id}`)).map(
          (r) => ({ code: String(r.code), coreAim: String(r.core_aim_code) }),
        )
      : [],
    sources: await codes(sql`select code from sources`),
    dimensions: await codes(sql`select code from dimensions`),
    articles: (await rows(sql`select number from uncrc_articles`)).map((r) => Number(r.number)),
    measures: framework ? (await listMeasures(db, framework.id)).map((m) => m.code) : [],
  };
}
