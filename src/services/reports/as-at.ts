/**
 * What a national report reads "as at a date" (`?as-at=YYYY-MM-DD`, issue 15): the analysis of the data the public
 * could see at the end of that day, and the plans published by then.
 *
 * The stored analysis reflects the data published now, so for an earlier date each measure is analysed again, in
 * memory, by the same pure core ({@link analyseMeasure}) from the observation revisions of batches published by then
 * ({@link visibleObservations} with `asAt`: the same visibility and disclosure rules as every public read). Nothing
 * is stored. Plans: for each partnership and plan period, the newest version published by then.
 */
import type { Db } from "../../db/database.ts";
import { findCurrentFramework, listMeasures } from "../../db/queries/framework.ts";
import { listPlanRows } from "../../db/queries/plans.ts";
import { visibleObservations } from "../../db/queries/visible-observations.ts";
import { analyseMeasure, loadAreaContext, measureSpecOf } from "../analysis/index.ts";
import type { AnalysisGap, AnalysisResult, AreaContext } from "../analysis/types.ts";
import type { PlanSummary } from "../plans/index.ts";

/** The part of the stored analysis's read API that the reports use. */
export interface ReportAnalysis {
  /** Every area's result at the measure's latest period, whole population ("total"), ordered by area code. */
  measureResults(measureCode: string): Promise<AnalysisResult[]>;
  /** The measure's inequality gaps for one area and period. */
  gaps(measureCode: string, filter: { areaCode: string; period: string }): Promise<AnalysisGap[]>;
}

/** `until`, but never later than now: a date to come must not show what is still under embargo. */
const notAfterNow = (until: Date): Date => {
  const now = new Date();
  return until > now ? now : until;
};

/** The analysis as the public could have seen it at `until`, computed in memory one measure at a time. */
export function analysisAsAt(db: Db, asAt: Date): ReportAnalysis {
  const until = notAfterNow(asAt);
  let context: Promise<{ ctx: AreaContext; specs: Map<string, ReturnType<typeof measureSpecOf>> }> | null = null;
  const load = () => {
    context ??= (async () => {
      const framework = await findCurrentFramework(db);
      const measures = framework ? await listMeasures(db, framework.id) : [];
      return { ctx: await loadAreaContext(db), specs: new Map(measures.map((m) => [m.code, measureSpecOf(m)])) };
    })();
    return context;
  };
  const analysed = new Map<string, Promise<{ results: AnalysisResult[]; gaps: AnalysisGap[] }>>();
  const analyse = (code: string) => {
    let entry = analysed.get(code);
    if (!entry) {
      entry = (async () => {
        const { ctx, specs } = await load();
        const spec = specs.get(code);
        if (!spec) return { results: [], gaps: [] };
        const observations = await visibleObservations(db, { asAt: until, measureCodes: [code] });
        if (observations.length === 0) return { results: [], gaps: [] };
        const a = analyseMeasure(spec, observations, ctx, `as-at:${until.toISOString()}`);
        return { results: a.results, gaps: a.gaps };
      })();
      analysed.set(code, entry);
    }
    return entry;
  };
  return {
    async measureResults(code) {
      const totals = (await analyse(code)).results.filter((r) => r.breakdown === "total");
      let latest: AnalysisResult | undefined;
      for (const r of totals) {
        if (
          !latest ||
          r.periodSort > latest.periodSort ||
          (r.periodSort === latest.periodSort && r.period > latest.period)
        )
          latest = r;
      }
      if (!latest) return [];
      const period = latest.period;
      return totals.filter((r) => r.period === period).sort((a, b) => a.areaCode.localeCompare(b.areaCode));
    },
    async gaps(code, filter) {
      return (await analyse(code)).gaps.filter((g) => g.areaCode === filter.areaCode && g.period === filter.period);
    },
  };
}

/** For each partnership and plan period, the newest version published at or before `until` (public plans only). */
export async function plansPublishedBy(db: Db, asAt: Date): Promise<PlanSummary[]> {
  const until = notAfterNow(asAt);
  const rows = await listPlanRows(db, { statuses: ["published", "superseded"] });
  const seen = new Set<string>();
  const out: PlanSummary[] = [];
  for (const r of rows) {
    if (r.publishedAt === null || r.publishedAt > until) continue;
    const key = `${r.areaCode}/${r.period}`;
    if (seen.has(key)) continue; // rows come newest version first
    seen.add(key);
    out.push(r as PlanSummary);
  }
  return out;
}
