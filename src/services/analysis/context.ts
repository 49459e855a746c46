/**
 * What the analysis reads besides the observations: a measure's specification (from its `measures` row) and the
 * areas, groupings and breakdown labels (the {@link AreaContext}). Also what a stored row needs to be written out as a
 * sentence when it is read (src/services/analysis/read.ts).
 */
import type { Db } from "../../db/database.ts";
import { listDimensionsForAnalysis } from "../../db/queries/analysis.ts";
import { listAreas, listMemberships } from "../../db/queries/areas.ts";
import type { MeasureRow } from "../../db/queries/framework.ts";
import type { AreaContext, MeasureSpec } from "./types.ts";

/** The measure fields the analysis reads, from a `measures` row. */
export function measureSpecOf(m: MeasureRow): MeasureSpec {
  return {
    code: m.code,
    valueType: m.valueType,
    polarity: m.polarity,
    unit: m.unit,
    multiplier: m.multiplier,
    decimals: m.decimals,
    periodType: m.periodType,
    geographies: m.geographies,
    breakdowns: m.breakdowns,
    targetValue: m.targetValue,
    suppressBelow: m.suppressBelow,
    roundTo: m.roundTo,
  };
}

/** Areas, groupings and breakdown labels from the database. */
export async function loadAreaContext(db: Db): Promise<AreaContext> {
  const [areas, memberships, dims] = await Promise.all([
    listAreas(db),
    listMemberships(db),
    listDimensionsForAnalysis(db),
  ]);
  const wales = areas.find((a) => a.type === "country");
  return {
    walesCode: wales?.code ?? "",
    areas: new Map(areas.map((a) => [a.code, { code: a.code, type: a.type, name: a.name }])),
    memberships,
    dimensions: new Map(dims.map((d) => [d.code, { code: d.code, title: d.title, values: d.values }])),
  };
}
