/**
 * The overview across areas (tartan rug): for each measure chosen by core aim and tier, every area's latest result.
 * Language-independent.
 */
import type { AnalysisResult } from "../analysis/index.ts";
import type { FrameworkView, MeasureView } from "../framework-service.ts";
import type { AreaDirectory } from "./area-directory.ts";
import type { PublicViews } from "./index.ts";
import { UnknownChoice } from "./measure-page-data.ts";
import type { PeriodInfo } from "./published-data.ts";

export interface OverviewRow {
  measure: MeasureView;
  period: PeriodInfo | undefined;
  byArea: Map<string, AnalysisResult>;
}

export interface OverviewData {
  dir: AreaDirectory;
  rows: OverviewRow[];
  illustrative: boolean;
}

/** Measures of the framework with data, by tier ("high_level", "additional", "all") and optional core aim. */
export function chooseMeasures(view: FrameworkView, tier: string, coreAim: string | undefined): MeasureView[] {
  if (coreAim && !view.aims.some((a) => a.code === coreAim)) throw new UnknownChoice("coreAim", coreAim);
  return view.measures.filter(
    (m) => m.status === "live" && (tier === "all" || m.tier === tier) && (!coreAim || m.coreAims.includes(coreAim)),
  );
}

export async function loadOverview(pv: PublicViews, measures: readonly MeasureView[]): Promise<OverviewData> {
  const dir = await pv.areas();
  const rows: OverviewRow[] = [];
  for (const m of measures) {
    const [results, periods] = await Promise.all([
      pv.analysis.measureResults(m.code, "latest", "total"),
      pv.data.periods(m.code, m.periodType),
    ]);
    if (results.length === 0) continue;
    rows.push({
      measure: m,
      period: periods.find((p) => p.code === results[0]!.period),
      byArea: new Map(results.map((r) => [r.areaCode, r])),
    });
  }
  return { dir, rows, illustrative: rows.some((r) => [...r.byArea.values()].some((x) => x.illustrative)) };
}
