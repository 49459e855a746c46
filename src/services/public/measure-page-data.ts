/**
 * Everything the measure page shows, language-independent: the measure, the periods and breakdowns with data, every
 * area's analysis at the chosen period, the chosen area's series with Wales's, its breakdowns and inequality gaps.
 */
import type { AreaRow } from "../../db/queries/areas.ts";
import type { DimensionRow } from "../../db/queries/dimensions.ts";
import { InvalidError } from "../../domain/errors.ts";
import type { AnalysisGap, AnalysisResult } from "../analysis/index.ts";
import type { MeasureView } from "../framework-service.ts";
import type { AreaDirectory } from "./area-directory.ts";
import type { PublicViews } from "./index.ts";
import type { PeriodInfo } from "./published-data.ts";

export interface MeasurePageQuery {
  area?: string | undefined;
  period?: string | undefined;
  breakdown?: string | undefined;
}

export interface MeasurePageData {
  measure: MeasureView;
  dir: AreaDirectory;
  dims: DimensionRow[];
  periods: PeriodInfo[];
  period: PeriodInfo | null;
  breakdowns: string[];
  breakdown: string;
  area: AreaRow;
  wales: AreaRow;
  /** Every area (Wales and the local authorities) at the period and breakdown. */
  results: AnalysisResult[];
  /** The chosen area's series (breakdown), oldest first, and Wales's. */
  series: AnalysisResult[];
  walesSeries: AnalysisResult[];
  /** The chosen area at the period, every breakdown except the total. */
  breakdownResults: AnalysisResult[];
  gaps: AnalysisGap[];
  illustrative: boolean;
}

/** Which query value was not recognised. */
/** A query-string choice that names nothing there is (a 400 naming the field and the value). */
export class UnknownChoice extends InvalidError {
  constructor(
    readonly field: "area" | "period" | "breakdown" | "measure" | "group" | "coreAim",
    readonly value: string,
  ) {
    super(`unknown ${field} "${value}"`, { code: "unknown_choice" });
  }
}

export async function loadMeasurePage(
  pv: PublicViews,
  measure: MeasureView,
  q: MeasurePageQuery,
): Promise<MeasurePageData> {
  const [dir, dims, periods, breakdowns] = await Promise.all([
    pv.areas(),
    pv.dimensions(),
    pv.data.periods(measure.code, measure.periodType),
    pv.data.breakdowns(measure.code),
  ]);
  const wales = dir.wales;
  if (!wales) throw new Error("Wales is missing from the areas");
  let area = wales;
  if (q.area) {
    const a = dir.byCode.get(q.area.toUpperCase());
    if (!a || (a.type !== "local_authority" && a.type !== "country")) throw new UnknownChoice("area", q.area);
    area = a;
  }
  const breakdown = q.breakdown ?? "total";
  if (breakdown !== "total" && !breakdowns.includes(breakdown)) throw new UnknownChoice("breakdown", breakdown);
  let period: PeriodInfo | null = periods.at(-1) ?? null;
  if (q.period) {
    period = periods.find((p) => p.code === q.period) ?? null;
    if (!period) throw new UnknownChoice("period", q.period);
  }
  const an = pv.analysis;
  const [results, series, walesSeries, allBreakdowns, gaps] = period
    ? await Promise.all([
        an.measureResults(measure.code, period.code, breakdown),
        an.series(measure.code, area.code, breakdown),
        an.series(measure.code, wales.code, breakdown),
        breakdowns.length > 1 ? an.measureResults(measure.code, period.code, "*") : Promise.resolve([]),
        breakdowns.length > 1 ? an.gaps(measure.code, { areaCode: area.code }) : Promise.resolve([]),
      ])
    : [[], [], [], [], []];
  return {
    measure,
    dir,
    dims,
    periods,
    period,
    breakdowns,
    breakdown,
    area,
    wales,
    results: results.filter((r) => r.areaType === "local_authority" || r.areaType === "country"),
    series,
    walesSeries,
    breakdownResults: allBreakdowns.filter((r) => r.areaCode === area.code && r.breakdown !== "total"),
    gaps,
    illustrative: results.some((r) => r.illustrative) || series.some((r) => r.illustrative),
  };
}
