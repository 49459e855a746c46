import { asc } from "drizzle-orm";
import type { Db } from "../database.ts";
import { dimensions } from "../schema.ts";

export type DimensionRow = typeof dimensions.$inferSelect;

export async function listDimensions(db: Db): Promise<DimensionRow[]> {
  return db.select().from(dimensions).orderBy(asc(dimensions.code));
}
