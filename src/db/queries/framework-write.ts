/**
 * Writes framework content (the SQL of the framework import; the use case is src/services/import-framework.ts).
 * Writes framework content (aims, articles, sources, dimensions, groups, measures) into the database.
 * Idempotent: unchanged rows are left alone; a changed measure definition is updated in place in its framework
 * version and the previous definition is kept in the audit log (who, when, what it replaced).
 */
import { and, desc, eq, inArray } from "drizzle-orm";
import type { FrameworkFile, MeasureEntry } from "../../ingest/framework/framework-file-schema.ts";
import type { Db } from "../database.ts";
import {
  coreAimArticles,
  coreAims,
  dimensions,
  frameworks,
  measureArticles,
  measureCoreAims,
  measureGroups,
  measures,
  sources,
  uncrcArticles,
} from "../schema.ts";
import { writeAudit } from "./audit.ts";

export interface ImportFrameworkResult {
  frameworkId: number;
  /** Whether the import started a new framework version (a draft, when an earlier version exists). */
  versionCreated: boolean;
  measuresAdded: number;
  measuresUpdated: number;
  measuresUnchanged: number;
  groupsAdded: number;
}

export interface Actor {
  userId?: number | undefined;
  /** e.g. "cli", "seed", an email address. */
  name: string;
}

/** JSON with object keys sorted at every depth, so two equal definitions compare equal as strings. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

function measureRow(m: MeasureEntry, frameworkId: number, groupId: number | null, sortOrder: number) {
  return {
    frameworkId,
    code: m.code,
    title: m.title,
    shortTitle: m.shortTitle ?? null,
    layDefinition: m.layDefinition,
    technicalDefinition: m.technicalDefinition,
    rationale: m.rationale ?? null,
    numeratorDefinition: m.numerator ?? null,
    denominatorDefinition: m.denominator ?? null,
    caveats: m.caveats ?? null,
    unit: m.unit,
    multiplier: m.multiplier,
    decimals: m.decimals,
    valueType: m.valueType,
    polarity: m.polarity,
    accountability: m.accountability,
    tier: m.tier,
    groupId,
    sourceCode: m.source ?? null,
    frequency: m.frequency,
    periodType: m.periodType,
    geographies: m.geographies,
    breakdowns: m.breakdowns,
    suppressBelow: m.disclosure.suppressBelow ?? null,
    roundTo: m.disclosure.roundTo ?? null,
    targetValue: m.target?.value ?? null,
    targetNote: m.target?.note ?? null,
    status: m.status,
    replacesCode: m.lineage?.replaces ?? null,
    breakInSeries: m.lineage?.breakInSeries ?? null,
    owner: m.owner ?? null,
    nextReview: m.nextReview ?? null,
    crossReferences: m.crossReferences,
    sortOrder,
  };
}

/**
 * Picks the framework version to write into: the file's own, or the current one (the newest published, else the
 * newest). The first version of a framework takes the file's status; a later version starts as a draft, made
 * current only by publishing it through the workflow (src/services/framework-versions.ts); and importing into an
 * existing version never changes its state.
 */
async function resolveFramework(tx: Db, content: FrameworkFile): Promise<{ id: number; created: boolean }> {
  const f = content.framework;
  if (f) {
    const [existing] = await tx
      .select()
      .from(frameworks)
      .where(and(eq(frameworks.code, f.code), eq(frameworks.version, f.version)));
    const values = { code: f.code, version: f.version, title: f.title, description: f.description ?? null };
    if (existing) {
      await tx.update(frameworks).set(values).where(eq(frameworks.id, existing.id));
      return { id: existing.id, created: false };
    }
    const previous = (await tx.select().from(frameworks).where(eq(frameworks.code, f.code)).orderBy(frameworks.id)).at(
      -1,
    );
    const state = previous
      ? { status: "draft", publishedDate: null }
      : { status: f.status, publishedDate: f.publishedDate ?? null };
    const [row] = await tx
      .insert(frameworks)
      .values({ ...values, ...state })
      .returning({ id: frameworks.id });
    if (previous) await copyFrameworkVersion(tx, previous.id, row!.id);
    return { id: row!.id, created: true };
  }
  const all = await tx.select().from(frameworks).orderBy(desc(frameworks.id));
  const current = all.find((x) => x.status === "published") ?? all[0];
  if (!current) throw new Error("No framework exists yet: the file must contain a `framework:` section");
  return { id: current.id, created: false };
}

/**
 * Starts a new framework version as a copy of the previous one (groups, measures and their links), so the file
 * being imported only needs to say what changes; the old version's rows are never touched.
 */
async function copyFrameworkVersion(tx: Db, fromId: number, toId: number): Promise<void> {
  const groupMap = new Map<number, number>();
  for (const g of await tx.select().from(measureGroups).where(eq(measureGroups.frameworkId, fromId))) {
    const { id: _old, ...rest } = g;
    const [inserted] = await tx
      .insert(measureGroups)
      .values({ ...rest, frameworkId: toId })
      .returning({ id: measureGroups.id });
    groupMap.set(g.id, inserted!.id);
  }
  await copyMeasures(tx, await tx.select().from(measures).where(eq(measures.frameworkId, fromId)), toId, groupMap);
}

/** Copies measure rows (and their core aims and articles) into framework version `toId`, mapping their groups. */
async function copyMeasures(
  tx: Db,
  rows: (typeof measures.$inferSelect)[],
  toId: number,
  groupMap: ReadonlyMap<number, number>,
): Promise<void> {
  for (const m of rows) {
    const { id: oldId, createdAt: _c, updatedAt: _u, ...rest } = m;
    const [inserted] = await tx
      .insert(measures)
      .values({ ...rest, frameworkId: toId, groupId: m.groupId ? (groupMap.get(m.groupId) ?? null) : null })
      .returning({ id: measures.id });
    const newId = inserted!.id;
    const aims = await tx.select().from(measureCoreAims).where(eq(measureCoreAims.measureId, oldId));
    if (aims.length) await tx.insert(measureCoreAims).values(aims.map((a) => ({ ...a, measureId: newId })));
    const arts = await tx.select().from(measureArticles).where(eq(measureArticles.measureId, oldId));
    if (arts.length) await tx.insert(measureArticles).values(arts.map((a) => ({ ...a, measureId: newId })));
  }
}

/**
 * Carries a partnership's local measures (by code) from framework version `fromId` into `toId` where that version
 * does not have them yet (a plan moving to a newer version keeps its local measures); returns the codes copied.
 */
export async function carryLocalMeasures(tx: Db, fromId: number, toId: number, codes: readonly string[]) {
  if (codes.length === 0) return [];
  const present = new Set(
    (
      await tx
        .select({ code: measures.code })
        .from(measures)
        .where(and(eq(measures.frameworkId, toId), inArray(measures.code, [...codes])))
    ).map((r) => r.code),
  );
  const rows = (
    await tx
      .select()
      .from(measures)
      .where(and(eq(measures.frameworkId, fromId), inArray(measures.code, [...codes])))
  ).filter((m) => m.localAreaCode !== null && !present.has(m.code));
  await copyMeasures(tx, rows, toId, new Map());
  return rows.map((m) => m.code);
}

export async function writeFrameworkContent(
  db: Db,
  content: FrameworkFile,
  actor: Actor,
): Promise<ImportFrameworkResult> {
  return db.transaction(async (tx) => {
    const result: ImportFrameworkResult = {
      frameworkId: 0,
      versionCreated: false,
      measuresAdded: 0,
      measuresUpdated: 0,
      measuresUnchanged: 0,
      groupsAdded: 0,
    };
    for (const a of content.articles ?? []) {
      const values = { number: a.number, title: a.title, summary: a.summary ?? null };
      await tx.insert(uncrcArticles).values(values).onConflictDoUpdate({ target: uncrcArticles.number, set: values });
    }
    for (const a of content.coreAims ?? []) {
      const values = { code: a.code, sortOrder: a.order, title: a.title, description: a.description ?? null };
      await tx.insert(coreAims).values(values).onConflictDoUpdate({ target: coreAims.code, set: values });
      await tx.delete(coreAimArticles).where(eq(coreAimArticles.coreAimCode, a.code));
      if (a.articles.length > 0) {
        await tx
          .insert(coreAimArticles)
          .values(a.articles.map((x) => ({ coreAimCode: a.code, articleNumber: x.article, confidence: x.confidence })));
      }
    }
    for (const s of content.sources ?? []) {
      const values = {
        code: s.code,
        name: s.name,
        publisher: s.publisher,
        url: s.url ?? null,
        licence: s.licence ?? null,
        kind: s.kind,
      };
      await tx.insert(sources).values(values).onConflictDoUpdate({ target: sources.code, set: values });
    }
    for (const d of content.dimensions ?? []) {
      const values = { code: d.code, title: d.title, values: d.values };
      await tx.insert(dimensions).values(values).onConflictDoUpdate({ target: dimensions.code, set: values });
    }

    const resolved = await resolveFramework(tx, content);
    const frameworkId = resolved.id;
    result.frameworkId = frameworkId;
    result.versionCreated = resolved.created;
    if (resolved.created) {
      const [row] = await tx.select().from(frameworks).where(eq(frameworks.id, frameworkId));
      await writeAudit(tx, {
        userId: actor.userId ?? null,
        actor: actor.name,
        action: "create",
        entity: "framework",
        entityKey: `${row!.code}/${row!.version}`,
        after: { state: row!.status, version: row!.version },
      });
    }

    const groupIds = new Map<string, number>();
    for (const g of await tx.select().from(measureGroups).where(eq(measureGroups.frameworkId, frameworkId))) {
      groupIds.set(g.code, g.id);
    }
    for (const g of content.groups ?? []) {
      const values = {
        frameworkId,
        code: g.code,
        coreAimCode: g.coreAim,
        title: g.title,
        description: g.description ?? null,
      };
      const id = groupIds.get(g.code);
      if (id === undefined) {
        const [row] = await tx.insert(measureGroups).values(values).returning({ id: measureGroups.id });
        groupIds.set(g.code, row!.id);
        result.groupsAdded++;
      } else {
        await tx.update(measureGroups).set(values).where(eq(measureGroups.id, id));
      }
    }

    const incoming = content.measures ?? [];
    const existingRows = incoming.length
      ? await tx
          .select()
          .from(measures)
          .where(
            and(
              eq(measures.frameworkId, frameworkId),
              inArray(
                measures.code,
                incoming.map((m) => m.code),
              ),
            ),
          )
      : [];
    const existing = new Map(existingRows.map((r) => [r.code, r]));
    let order = 0;
    for (const m of incoming) {
      order++;
      const groupId = m.group ? groupIds.get(m.group) : null;
      if (m.group && groupId === undefined) throw new Error(`measures[${m.code}].group: unknown group "${m.group}"`);
      const row = measureRow(m, frameworkId, groupId ?? null, order);
      const links = { coreAims: [...m.coreAims].sort(), articles: [...m.articles].sort((a, b) => a - b) };
      const old = existing.get(m.code);
      let measureId: number;
      if (old) {
        const oldAims = await tx.select().from(measureCoreAims).where(eq(measureCoreAims.measureId, old.id));
        const oldArticles = await tx.select().from(measureArticles).where(eq(measureArticles.measureId, old.id));
        const before = {
          ...Object.fromEntries(Object.keys(row).map((k) => [k, old[k as keyof typeof old]])),
          coreAims: oldAims.map((a) => a.coreAimCode).sort(),
          articles: oldArticles.map((a) => a.articleNumber).sort((a, b) => a - b),
        };
        const after = { ...row, ...links };
        if (stable(before) === stable(after)) {
          result.measuresUnchanged++;
          continue;
        }
        await tx
          .update(measures)
          .set({ ...row, updatedAt: new Date() })
          .where(eq(measures.id, old.id));
        await writeAudit(tx, {
          userId: actor.userId ?? null,
          actor: actor.name,
          action: "update",
          entity: "measure",
          entityKey: `${frameworkId}/${m.code}`,
          before,
          after,
        });
        measureId = old.id;
        result.measuresUpdated++;
        await tx.delete(measureCoreAims).where(eq(measureCoreAims.measureId, measureId));
        await tx.delete(measureArticles).where(eq(measureArticles.measureId, measureId));
      } else {
        const [inserted] = await tx.insert(measures).values(row).returning({ id: measures.id });
        measureId = inserted!.id;
        result.measuresAdded++;
        await writeAudit(tx, {
          userId: actor.userId ?? null,
          actor: actor.name,
          action: "create",
          entity: "measure",
          entityKey: `${frameworkId}/${m.code}`,
          after: { ...row, ...links },
        });
      }
      await tx.insert(measureCoreAims).values(links.coreAims.map((c) => ({ measureId, coreAimCode: c })));
      if (links.articles.length > 0) {
        await tx.insert(measureArticles).values(links.articles.map((n) => ({ measureId, articleNumber: n })));
      }
    }
    return result;
  });
}
