import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { type Db, migrationsFolder, queryRows } from "../database.ts";

/** Throws unless the database answers a trivial query. */
export async function pingDatabase(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}

/** The time of each migration shipped with this version (drizzle's journal, read once). */
let shipped: number[] | null = null;
function shippedMigrations(): number[] {
  shipped ??= (
    JSON.parse(readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: { when: number }[] }
  ).entries.map((e) => e.when);
  return shipped;
}

/**
 * How many migrations shipped with this version are not applied yet (drizzle applies those newer than the last one
 * it recorded); all of them when the database was never migrated. Throws when the database does not answer.
 */
export async function pendingMigrations(db: Db): Promise<number> {
  const [table] = await queryRows<{ present: boolean }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
  );
  if (!table?.present) return shippedMigrations().length;
  const [last] = await queryRows<{ at: string | number | null }>(
    db,
    sql`select max(created_at) as at from drizzle.__drizzle_migrations`,
  );
  const lastApplied = last?.at === null || last?.at === undefined ? Number.NEGATIVE_INFINITY : Number(last.at);
  return shippedMigrations().filter((when) => when > lastApplied).length;
}
