/**
 * Comparing chosen areas, or the members of a comparator group (a health board, consortium, police force area or
 * region), on one measure at its latest period: each area against Wales (stored analysis) and against the group
 * (computed on demand by `compareWithGroup`). Language-independent.
 */
import type { AreaRow } from "../../db/queries/areas.ts";
import { type AnalysisResult, compareWithGroup, type GroupComparison } from "../analysis/index.ts";
import type { MeasureView } from "../framework-service.ts";
import { type AreaDirectory, membersOfGrouping } from "./area-directory.ts";
import type { PublicViews } from "./index.ts";
import { UnknownChoice } from "./measure-page-data.ts";
import type { PeriodInfo } from "./published-data.ts";

export interface CompareQuery {
  areas: readonly string[];
  group?: string | undefined;
}

export interface CompareData {
  dir: AreaDirectory;
  measure: MeasureView;
  period: PeriodInfo | undefined;
  group: AreaRow | null;
  /** Areas shown, in the standard order. */
  areas: AreaRow[];
  wales: AnalysisResult | undefined;
  results: Map<string, AnalysisResult>;
  comparison: GroupComparison | null;
  /** Per shown area, its entry of `comparison.areas`. */
  byArea: Map<string, GroupComparison["areas"][number]>;
  illustrative: boolean;
}

export async function loadComparison(pv: PublicViews, measure: MeasureView, q: CompareQuery): Promise<CompareData> {
  const dir = await pv.areas();
  const chosen: AreaRow[] = q.areas.map((code) => {
    const a = dir.byCode.get(code.toUpperCase());
    if (a?.type !== "local_authority") throw new UnknownChoice("area", code);
    return a;
  });
  let group: AreaRow | null = null;
  if (q.group) {
    group = dir.byCode.get(q.group.toUpperCase()) ?? dir.byCode.get(q.group) ?? null;
    if (!group || group.type === "local_authority" || group.type === "country")
      throw new UnknownChoice("group", q.group);
  }
  const [all, periods] = await Promise.all([
    pv.analysis.measureResults(measure.code, "latest", "total"),
    pv.data.periods(measure.code, measure.periodType),
  ]);
  const results = all.filter((r) => r.areaType === "local_authority" || r.areaType === "country");
  const periodCode = results[0]?.period;
  const date = results[0]?.periodEnd ?? new Date().toISOString().slice(0, 10);
  const members = group ? membersOfGrouping(dir, group.code, date) : chosen.map((a) => a.code);
  const shownCodes = new Set([...members, ...chosen.map((a) => a.code)]);
  const areas = dir.localAuthorities.filter((a) => shownCodes.has(a.code));
  const comparison = results.length > 0 && members.length > 0 ? compareWithGroup(results, members, measure) : null;
  const byArea = new Map((comparison?.areas ?? []).map((c) => [c.areaCode, c]));
  return {
    dir,
    measure,
    period: periods.find((p) => p.code === periodCode),
    group,
    areas,
    wales: results.find((r) => r.areaType === "country"),
    results: new Map(results.map((r) => [r.areaCode, r])),
    comparison,
    byArea,
    illustrative: results.some((r) => r.illustrative),
  };
}
