import { asc, eq } from "drizzle-orm";
import type { BilingualText } from "../../domain/enums.ts";
import type { Db } from "../database.ts";
import { areaAliases, areaMemberships, areas } from "../schema.ts";

export interface AreaRow {
  code: string;
  name: BilingualText;
  type: string;
  parentCode: string | null;
  sortOrder: number;
  validFrom: string | null;
  validTo: string | null;
}

export async function listAreaCodes(db: Db): Promise<string[]> {
  const rows = await db.select({ code: areas.code }).from(areas);
  return rows.map((r) => r.code);
}

export async function listAreas(db: Db, type?: string): Promise<AreaRow[]> {
  const q = db.select().from(areas);
  const rows = await (type ? q.where(eq(areas.type, type)) : q).orderBy(asc(areas.sortOrder), asc(areas.code));
  return rows;
}

export async function findArea(db: Db, code: string): Promise<AreaRow | null> {
  const [row] = await db.select().from(areas).where(eq(areas.code, code));
  return row ?? null;
}

export async function listAliases(db: Db): Promise<{ areaCode: string; alias: string; kind: string }[]> {
  return db
    .select({ areaCode: areaAliases.areaCode, alias: areaAliases.alias, kind: areaAliases.kind })
    .from(areaAliases);
}

export async function listMemberships(
  db: Db,
): Promise<{ groupingCode: string; areaCode: string; validFrom: string | null; validTo: string | null }[]> {
  return db
    .select({
      groupingCode: areaMemberships.groupingCode,
      areaCode: areaMemberships.areaCode,
      validFrom: areaMemberships.validFrom,
      validTo: areaMemberships.validTo,
    })
    .from(areaMemberships);
}

export interface AreaSeed {
  areas: AreaRow[];
  aliases: { areaCode: string; alias: string; kind: string }[];
  memberships: { groupingCode: string; areaCode: string; validFrom: string | null; validTo: string | null }[];
}

/** Upserts areas and replaces aliases and memberships with the given set, in one transaction. */
export async function upsertAreas(db: Db, seed: AreaSeed): Promise<void> {
  await db.transaction(async (tx) => {
    for (const a of seed.areas) {
      await tx.insert(areas).values(a).onConflictDoUpdate({ target: areas.code, set: a });
    }
    await tx.delete(areaAliases);
    if (seed.aliases.length > 0) await tx.insert(areaAliases).values(seed.aliases);
    await tx.delete(areaMemberships);
    if (seed.memberships.length > 0) await tx.insert(areaMemberships).values(seed.memberships);
  });
}
