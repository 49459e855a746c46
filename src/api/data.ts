/**
 * GET /data (paginated JSON) and GET /data.csv (the whole selection as CSV, a stable URL per dataset, e.g.
 * /api/v1/data.csv?measure=low-birth-weight): published observations with disclosure control applied, filtered
 * by measure, area, area type, period and breakdown. Every code is checked; an unknown one is a 400.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { AREA_TYPES } from "../domain/enums.ts";
import { toCsv } from "../render/tables/csv.ts";
import { attachment } from "../render/tables/download-table.ts";
import { type DataRow, selectPublishedData } from "../services/public/data-query.ts";
import type { PeriodInfo } from "../services/public/published-data.ts";
import { linkValue, paginate } from "./pagination.ts";
import { codeList, pageParams, parseQuery, single } from "./query.ts";
import { checkBreakdowns, checkPeriods, currentFramework, resolveAreas, resolveMeasures } from "./resolve.ts";
import { cachedBody, sendCached } from "./respond.ts";
import { observationJson } from "./serialise.ts";

const filterParams = {
  measure: codeList.optional(),
  area: codeList.optional(),
  areaType: single.pipe(z.enum(AREA_TYPES)).optional(),
  period: codeList.optional(),
  breakdown: codeList.optional(),
};
export const jsonQuery = z.strictObject({ ...filterParams, ...pageParams });
export const csvQuery = z.strictObject(filterParams);

/** Parses and validates a data filter from the query string, then selects the rows. */
export async function dataFromRequest(
  app: FastifyInstance,
  request: FastifyRequest,
  csv: boolean,
): Promise<{
  rows: DataRow[];
  query: z.output<typeof jsonQuery>;
}> {
  const q = parseQuery(csv ? csvQuery : jsonQuery, request.query) as z.output<typeof jsonQuery>;
  const view = await currentFramework(app);
  const pv = app.services.publicViews;
  const dir = await pv.areas();
  const measures = q.measure?.length ? resolveMeasures(view, q.measure) : view.measures;
  const areas = q.area?.length ? resolveAreas(dir, q.area) : undefined;
  if (q.period?.length) {
    const known: PeriodInfo[] = [];
    for (const m of measures) known.push(...(await pv.data.periods(m.code, m.periodType)));
    checkPeriods(known, q.period);
  }
  if (q.breakdown?.length) {
    const known = new Set<string>(["total"]);
    for (const m of measures) for (const b of await pv.data.breakdowns(m.code)) known.add(b);
    checkBreakdowns([...known], q.breakdown);
  }
  const rows = await selectPublishedData(pv.data, dir, {
    measures,
    areas,
    areaType: q.areaType,
    periods: q.period?.length ? q.period : undefined,
    breakdowns: q.breakdown?.length ? q.breakdown : undefined,
  });
  return { rows, query: q };
}

export const DATA_CSV_COLUMNS = [
  "measure_code",
  "area_code",
  "area_name_en",
  "area_name_cy",
  "period",
  "period_type",
  "period_end",
  "breakdown",
  "value",
  "numerator",
  "denominator",
  "lower_95",
  "upper_95",
  "lower_998",
  "upper_998",
  "notes",
  "suppressed",
  "illustrative",
] as const;

export async function dataApi(app: FastifyInstance): Promise<void> {
  app.get("/data", async (request, reply) => {
    const { body, etag, link } = await cachedBody(app, request, async () => {
      const { rows, query } = await dataFromRequest(app, request, false);
      const page = paginate(request, rows, query);
      const data = page.data.map((r) => observationJson(r.row, r.measure.periodType));
      return { body: JSON.stringify({ ...page, data }), link: linkValue(page) };
    });
    if (link) reply.header("link", link);
    return sendCached(request, reply, body, "application/json; charset=utf-8", etag);
  });

  app.get("/data.csv", async (request, reply) => {
    const { body, etag } = await cachedBody(app, request, async () => {
      const { rows } = await dataFromRequest(app, request, true);
      const dir = await app.services.publicViews.areas();
      const csv = toCsv({
        columns: DATA_CSV_COLUMNS.map((c) => ({ key: c, header: c, kind: "text" as const })),
        rows: rows.map(({ measure, row }) => {
          const area = dir.byCode.get(row.areaCode);
          return {
            measure_code: row.measureCode,
            area_code: row.areaCode,
            area_name_en: area?.name.en ?? null,
            area_name_cy: area?.name.cy ?? null,
            period: row.period,
            period_type: measure.periodType,
            period_end: row.periodEnd,
            breakdown: row.breakdown,
            value: row.value,
            numerator: row.numerator,
            denominator: row.denominator,
            lower_95: row.lower95,
            upper_95: row.upper95,
            lower_998: row.lower998,
            upper_998: row.upper998,
            notes: row.noteCodes.join(";"),
            suppressed: row.noteCodes.includes("suppressed") ? "true" : "false",
            illustrative: row.illustrative ? "true" : "false",
          };
        }),
      });
      return { body: csv };
    });
    const q = request.query as Record<string, unknown>;
    const name = typeof q.measure === "string" && !q.measure.includes(",") ? `omf-${q.measure}` : "omf-data";
    reply.header("content-disposition", attachment(name, "csv").replace("attachment", "inline"));
    return sendCached(request, reply, body, "text/csv; charset=utf-8", etag);
  });
}
