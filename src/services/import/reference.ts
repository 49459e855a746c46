/** Loads what the import validator checks rows against: the framework's measures, the areas and the dimensions. */
import type { Db } from "../../db/database.ts";
import { listAliases, listAreas } from "../../db/queries/areas.ts";
import { listDimensions } from "../../db/queries/dimensions.ts";
import { findCurrentFramework, listMeasures } from "../../db/queries/framework.ts";
import { withAreaAliases } from "../../domain/area-name.ts";
import type { BilingualText } from "../../domain/enums.ts";
import { isPeriodType } from "../../domain/period-type.ts";
import type { AreaInfo, MeasureInfo, ReferenceData } from "../../ingest/observations/validate-rows.ts";

function texts(...items: (BilingualText | null | undefined)[]): string[] {
  const out: string[] = [];
  for (const t of items) {
    if (!t) continue;
    out.push(t.en);
    if (t.cy) out.push(t.cy);
  }
  return out;
}

export async function loadReferenceData(db: Db): Promise<ReferenceData> {
  const framework = await findCurrentFramework(db);
  const measureRows = framework ? await listMeasures(db, framework.id) : [];
  const measures: MeasureInfo[] = measureRows
    .filter((m) => isPeriodType(m.periodType))
    .map((m) => ({
      code: m.code,
      periodType: m.periodType as MeasureInfo["periodType"],
      valueType: m.valueType,
      unit: m.unit,
      multiplier: m.multiplier,
      breakdowns: m.breakdowns,
      geographies: m.geographies,
      status: m.status,
      roundTo: m.roundTo,
      suppressBelow: m.suppressBelow,
      titles: texts(m.title, m.shortTitle),
    }));
  const aliasRows = await listAliases(db);
  const aliasesByArea = new Map<string, string[]>();
  for (const a of aliasRows) aliasesByArea.set(a.areaCode, [...(aliasesByArea.get(a.areaCode) ?? []), a.alias]);
  const areas: AreaInfo[] = withAreaAliases(
    (await listAreas(db)).map((a) => ({
      code: a.code,
      nameEn: a.name.en,
      nameCy: a.name.cy ?? a.name.en,
      aliases: aliasesByArea.get(a.code) ?? [],
      type: a.type,
    })),
  );
  const dimensions = (await listDimensions(db)).map((d) => ({
    code: d.code,
    titles: texts(d.title),
    values: d.values.map((v) => ({ code: v.code, labels: texts(v.label) })),
  }));
  return { measures, areas, dimensions };
}
