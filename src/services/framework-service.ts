/**
 * The framework as readers browse it: core aims, each with its high-level measures, its groups of additional
 * measures and its data development agenda.
 */
import type { Db } from "../db/database.ts";
import {
  type ArticleRow,
  type CoreAimRow,
  type FrameworkRow,
  findCurrentFramework,
  findFramework,
  listArticles,
  listCoreAimArticles,
  listCoreAims,
  listGroups,
  listMeasureLinks,
  listMeasures,
  listSources,
  type MeasureGroupRow,
  type MeasureRow,
  type SourceRow,
} from "../db/queries/framework.ts";

export interface MeasureView extends MeasureRow {
  coreAims: string[];
  articles: number[];
  group: MeasureGroupRow | null;
  source: SourceRow | null;
}

export interface CoreAimView extends CoreAimRow {
  number: number;
  articles: { article: ArticleRow; confidence: string }[];
  highLevel: MeasureView[];
  groups: { group: MeasureGroupRow; measures: MeasureView[] }[];
  inDevelopment: MeasureView[];
  measureCount: number;
}

export interface FrameworkView {
  framework: FrameworkRow;
  aims: CoreAimView[];
  measures: MeasureView[];
  measuresByCode: Map<string, MeasureView>;
  /** Every UNCRC article of the framework content, by number. */
  articles: ArticleRow[];
}

export function createFrameworkService(db: Db) {
  let cached: { at: number; view: FrameworkView | null } | null = null;
  const TTL_MS = 5_000;

  async function load(framework: FrameworkRow | null): Promise<FrameworkView | null> {
    if (!framework) return null;
    const [aims, aimArticles, articles, groups, measureRows, sourceRows] = await Promise.all([
      listCoreAims(db),
      listCoreAimArticles(db),
      listArticles(db),
      listGroups(db, framework.id),
      listMeasures(db, framework.id),
      listSources(db),
    ]);
    const links = await listMeasureLinks(
      db,
      measureRows.map((m) => m.id),
    );
    const groupById = new Map(groups.map((g) => [g.id, g]));
    const sourceByCode = new Map(sourceRows.map((s) => [s.code, s]));
    const articleByNumber = new Map(articles.map((a) => [a.number, a]));
    const measures: MeasureView[] = measureRows.map((m) => ({
      ...m,
      coreAims: links.aims.get(m.id) ?? [],
      articles: links.articles.get(m.id) ?? [],
      group: m.groupId ? (groupById.get(m.groupId) ?? null) : null,
      source: m.sourceCode ? (sourceByCode.get(m.sourceCode) ?? null) : null,
    }));
    const aimViews: CoreAimView[] = aims.map((aim) => {
      const inAim = measures.filter((m) => m.coreAims.includes(aim.code) && m.status !== "retired");
      const live = inAim.filter((m) => m.status === "live");
      return {
        ...aim,
        number: aim.sortOrder,
        articles: aimArticles
          .filter((a) => a.coreAimCode === aim.code)
          .flatMap((a) => {
            const article = articleByNumber.get(a.articleNumber);
            return article ? [{ article, confidence: a.confidence }] : [];
          }),
        highLevel: live.filter((m) => m.tier === "high_level"),
        groups: groups
          .filter((g) => g.coreAimCode === aim.code)
          .map((group) => ({ group, measures: live.filter((m) => m.groupId === group.id) })),
        inDevelopment: inAim.filter((m) => m.status === "in_development"),
        measureCount: inAim.length,
      };
    });
    return {
      framework,
      aims: aimViews,
      measures,
      measuresByCode: new Map(measures.map((m) => [m.code, m])),
      articles,
    };
  }

  /** Other versions (a plan pinned to an earlier one, a draft, a diff), by id, cached like the current one. */
  const byId = new Map<number, { at: number; view: Promise<FrameworkView | null> }>();

  return {
    /** The current framework, cached for a few seconds (it changes only on import and on publishing a version). */
    async current(): Promise<FrameworkView | null> {
      if (cached && Date.now() - cached.at < TTL_MS) return cached.view;
      const view = await load(await findCurrentFramework(db));
      cached = { at: Date.now(), view };
      return view;
    },
    /** One framework version by its id (null when there is none). */
    async version(id: number): Promise<FrameworkView | null> {
      const hit = byId.get(id);
      if (hit && Date.now() - hit.at < TTL_MS) return hit.view;
      const view = findFramework(db, id).then(load);
      byId.set(id, { at: Date.now(), view });
      view.catch(() => byId.delete(id));
      return view;
    },
    invalidate() {
      cached = null;
      byId.clear();
    },
  };
}

export type FrameworkService = ReturnType<typeof createFrameworkService>;
