/**
 * The published data matching a filter (measures, areas, area type, periods, breakdowns), across measures, in a
 * stable order: framework order of measures, the standard area order, periods oldest first, "total" first.
 * Callers validate codes first (see src/api/resolve.ts); this only selects and orders.
 */
import type { AreaRow } from "../../db/queries/areas.ts";
import type { VisibleObservation } from "../../db/queries/visible-observations.ts";
import type { MeasureView } from "../framework-service.ts";
import type { AreaDirectory } from "./area-directory.ts";
import type { PeriodInfo, PublishedData } from "./published-data.ts";

export interface DataFilter {
  measures: readonly MeasureView[];
  areas?: readonly AreaRow[] | undefined;
  areaType?: string | undefined;
  periods?: readonly string[] | undefined;
  breakdowns?: readonly string[] | undefined;
}

export interface DataRow {
  measure: MeasureView;
  row: VisibleObservation;
  period: PeriodInfo | undefined;
}

export async function selectPublishedData(
  data: PublishedData,
  dir: AreaDirectory,
  filter: DataFilter,
): Promise<DataRow[]> {
  const areaSet = filter.areas ? new Set(filter.areas.map((a) => a.code)) : null;
  const periodSet = filter.periods ? new Set(filter.periods) : null;
  const breakdownSet = filter.breakdowns ? new Set(filter.breakdowns) : null;
  const out: DataRow[] = [];
  for (const m of filter.measures) {
    const [rows, periods] = await Promise.all([data.rows(m.code), data.periods(m.code, m.periodType)]);
    const periodByCode = new Map(periods.map((p) => [p.code, p]));
    const selected = rows.filter(
      (r) =>
        (!areaSet || areaSet.has(r.areaCode)) &&
        (!filter.areaType || dir.byCode.get(r.areaCode)?.type === filter.areaType) &&
        (!periodSet || periodSet.has(r.period)) &&
        (!breakdownSet || breakdownSet.has(r.breakdown)),
    );
    const order = (code: string) => dir.byCode.get(code)?.sortOrder ?? 1e9;
    selected.sort(
      (a, b) =>
        order(a.areaCode) - order(b.areaCode) ||
        a.areaCode.localeCompare(b.areaCode) ||
        (periodByCode.get(a.period)?.sortKey ?? 0) - (periodByCode.get(b.period)?.sortKey ?? 0) ||
        (a.breakdown === "total" ? -1 : b.breakdown === "total" ? 1 : a.breakdown.localeCompare(b.breakdown)),
    );
    for (const row of selected) out.push({ measure: m, row, period: periodByCode.get(row.period) });
  }
  return out;
}
