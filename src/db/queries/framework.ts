import { asc, desc, eq, inArray } from "drizzle-orm";
import type { Measure } from "../../domain/measure.ts";
import type { Db } from "../database.ts";
import {
  coreAimArticles,
  coreAims,
  frameworks,
  measureArticles,
  measureCoreAims,
  measureGroups,
  measures,
  sources,
  uncrcArticles,
} from "../schema.ts";

export type FrameworkRow = typeof frameworks.$inferSelect;
export type CoreAimRow = typeof coreAims.$inferSelect;
export type MeasureRow = typeof measures.$inferSelect;
/** A stored measure is a canonical {@link Measure} (plus its ids and timestamps); this fails to compile otherwise. */
export type StoredMeasureIsMeasure = MeasureRow extends Measure ? true : never;
const storedMeasureIsMeasure: StoredMeasureIsMeasure = true;
void storedMeasureIsMeasure;
export type MeasureGroupRow = typeof measureGroups.$inferSelect;
export type SourceRow = typeof sources.$inferSelect;
export type ArticleRow = typeof uncrcArticles.$inferSelect;

/** The published framework shown by default: the newest published version, else the newest of any status. */
export async function findCurrentFramework(db: Db): Promise<FrameworkRow | null> {
  const rows = await db.select().from(frameworks).orderBy(desc(frameworks.id));
  return rows.find((f) => f.status === "published") ?? rows[0] ?? null;
}

export async function findFramework(db: Db, id: number): Promise<FrameworkRow | null> {
  const [row] = await db.select().from(frameworks).where(eq(frameworks.id, id));
  return row ?? null;
}

export async function listFrameworks(db: Db): Promise<FrameworkRow[]> {
  return db.select().from(frameworks).orderBy(asc(frameworks.code), asc(frameworks.id));
}

export async function listCoreAims(db: Db): Promise<CoreAimRow[]> {
  return db.select().from(coreAims).orderBy(asc(coreAims.sortOrder));
}

export async function listCoreAimArticles(db: Db) {
  return db.select().from(coreAimArticles).orderBy(asc(coreAimArticles.articleNumber));
}

export async function listArticles(db: Db): Promise<ArticleRow[]> {
  return db.select().from(uncrcArticles).orderBy(asc(uncrcArticles.number));
}

export async function listSources(db: Db): Promise<SourceRow[]> {
  return db.select().from(sources).orderBy(asc(sources.code));
}

export async function listGroups(db: Db, frameworkId: number): Promise<MeasureGroupRow[]> {
  return db.select().from(measureGroups).where(eq(measureGroups.frameworkId, frameworkId)).orderBy(measureGroups.id);
}

export async function listMeasures(db: Db, frameworkId: number): Promise<MeasureRow[]> {
  return db.select().from(measures).where(eq(measures.frameworkId, frameworkId)).orderBy(asc(measures.sortOrder));
}

/** Core-aim codes and UNCRC articles per measure id. */
export async function listMeasureLinks(
  db: Db,
  measureIds: number[],
): Promise<{ aims: Map<number, string[]>; articles: Map<number, number[]> }> {
  const aims = new Map<number, string[]>();
  const articles = new Map<number, number[]>();
  if (measureIds.length === 0) return { aims, articles };
  for (const r of await db.select().from(measureCoreAims).where(inArray(measureCoreAims.measureId, measureIds))) {
    aims.set(r.measureId, [...(aims.get(r.measureId) ?? []), r.coreAimCode].sort());
  }
  for (const r of await db.select().from(measureArticles).where(inArray(measureArticles.measureId, measureIds))) {
    articles.set(
      r.measureId,
      [...(articles.get(r.measureId) ?? []), r.articleNumber].sort((a, b) => a - b),
    );
  }
  return { aims, articles };
}
