/**
 * Everything an area profile shows, language-independent: the area's latest result for each measure (filtered by
 * core aim and tier), Wales's value, and the spread of all local authorities at the same period for the spine chart.
 */
import type { AreaRow } from "../../db/queries/areas.ts";
import type { AnalysisResult } from "../analysis/index.ts";
import type { FrameworkView, MeasureView } from "../framework-service.ts";
import type { AreaDirectory } from "./area-directory.ts";
import type { PublicViews } from "./index.ts";
import { UnknownChoice } from "./measure-page-data.ts";
import type { PeriodInfo } from "./published-data.ts";

export interface AreaProfileQuery {
  coreAim?: string | undefined;
  /** "high_level" (default), "additional" or "all". */
  tier?: string | undefined;
}

export interface Spread {
  min: number | null;
  max: number | null;
  q25: number | null;
  q75: number | null;
}

export interface ProfileRow {
  measure: MeasureView;
  result: AnalysisResult;
  period: PeriodInfo | undefined;
  wales: AnalysisResult | undefined;
  spread: Spread;
}

export interface AreaProfileData {
  area: AreaRow;
  dir: AreaDirectory;
  isWales: boolean;
  aims: { code: string; number: number; title: FrameworkView["aims"][number]["title"]; rows: ProfileRow[] }[];
  rows: ProfileRow[];
  illustrative: boolean;
}

/** Linear-interpolated quantile of sorted values (type 7, as R and Excel PERCENTILE.INC). */
export function quantileOf(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (h - lo);
}

export function spreadOf(results: readonly AnalysisResult[]): Spread {
  const values = results
    .filter((r) => r.areaType === "local_authority" && !r.suppressed && r.value !== null)
    .map((r) => r.value!)
    .sort((a, b) => a - b);
  return {
    min: values[0] ?? null,
    max: values.at(-1) ?? null,
    q25: quantileOf(values, 0.25),
    q75: quantileOf(values, 0.75),
  };
}

export async function loadAreaProfile(
  pv: PublicViews,
  view: FrameworkView,
  area: AreaRow,
  q: AreaProfileQuery,
): Promise<AreaProfileData> {
  const dir = await pv.areas();
  const tier = q.tier ?? "high_level";
  const coreAim = q.coreAim?.toUpperCase();
  if (coreAim && !view.aims.some((a) => a.code === coreAim)) throw new UnknownChoice("coreAim", q.coreAim!);
  const results = await pv.analysis.areaResults(area.code, "latest", "total");
  const byMeasure = new Map(results.map((r) => [r.measureCode, r]));
  const wanted = view.measures.filter(
    (m) =>
      m.status !== "retired" &&
      byMeasure.has(m.code) &&
      (tier === "all" || m.tier === tier) &&
      (!coreAim || m.coreAims.includes(coreAim)),
  );
  const rows: ProfileRow[] = [];
  for (const m of wanted) {
    const result = byMeasure.get(m.code)!;
    const [all, periods] = await Promise.all([
      pv.analysis.measureResults(m.code, result.period, "total"),
      pv.data.periods(m.code, m.periodType),
    ]);
    rows.push({
      measure: m,
      result,
      period: periods.find((p) => p.code === result.period),
      wales: all.find((r) => r.areaType === "country"),
      spread: spreadOf(all),
    });
  }
  const aims = view.aims
    .filter((a) => !coreAim || a.code === coreAim)
    .map((a) => ({
      code: a.code,
      number: a.number,
      title: a.title,
      rows: rows.filter((r) => r.measure.coreAims.includes(a.code)),
    }))
    .filter((a) => a.rows.length > 0);
  return {
    area,
    dir,
    isWales: area.type === "country",
    aims,
    rows,
    illustrative: rows.some((r) => r.result.illustrative),
  };
}
