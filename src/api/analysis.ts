/**
 * The stored analysis of the published data:
 * - GET /analysis and /analysis.csv: per area × measure × period results (confidence limits, comparison with Wales and
 *   the parent grouping, quintile, rank, recent trend, target progress, bilingual summary sentence);
 * - GET /analysis/gaps: inequality gaps between breakdown groups, with their trend;
 * - GET /analysis/compare: areas compared with a comparator group (a grouping such as a health board, or a list);
 * - GET /analysis/summary: the national picture per core aim.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { toCsv } from "../render/tables/csv.ts";
import { attachment } from "../render/tables/download-table.ts";
import type { AnalysisResult } from "../services/analysis/index.ts";
import { compareWithGroup } from "../services/analysis/index.ts";
import { membersOfGrouping } from "../services/public/area-directory.ts";
import { badRequest, notFound } from "./errors.ts";
import { linkHeader, linkValue, paginate } from "./pagination.ts";
import { codeList, pageParams, parseQuery, single } from "./query.ts";
import { checkBreakdowns, checkPeriods, currentFramework, resolveAreas, resolveMeasures } from "./resolve.ts";
import { cachedBody, sendCached, sendJson } from "./respond.ts";
import { text } from "./serialise.ts";

/** One stored analysis row as JSON. */
export function analysisJson(r: AnalysisResult) {
  return {
    measure: r.measureCode,
    area: r.areaCode,
    areaType: r.areaType,
    period: r.period,
    periodEnd: r.periodEnd,
    breakdown: r.breakdown,
    suppressed: r.suppressed,
    illustrative: r.illustrative,
    value: r.value,
    numerator: r.numerator,
    denominator: r.denominator,
    lower95: r.lower95,
    upper95: r.upper95,
    lower998: r.lower998,
    upper998: r.upper998,
    ciMethod: r.ciMethod,
    comparisonMethod: r.comparisonMethod,
    wales: {
      area: r.benchmarkCode,
      value: r.benchmarkValue,
      significance: r.benchmarkSignificance,
      level: r.benchmarkLevel,
    },
    parent: { area: r.parentCode, value: r.parentValue, significance: r.parentSignificance, level: r.parentLevel },
    quintile: r.quintile,
    rank: r.rank,
    rankOutOf: r.rankOutOf,
    trend: { direction: r.trendDirection, judgement: r.trendJudgement, reason: r.trendReason },
    worseAndWorsening: r.worseAndWorsening,
    target: { value: r.targetValue, met: r.targetMet, distance: r.targetDistance },
    summary: text(r.summary),
    dataVersion: r.dataVersion,
  };
}

const ANALYSIS_CSV_COLUMNS = [
  "measure_code",
  "area_code",
  "area_type",
  "period",
  "period_end",
  "breakdown",
  "suppressed",
  "value",
  "numerator",
  "denominator",
  "lower_95",
  "upper_95",
  "lower_998",
  "upper_998",
  "wales_value",
  "compared_with_wales",
  "significance_level",
  "parent_code",
  "parent_value",
  "compared_with_parent",
  "quintile",
  "rank",
  "rank_out_of",
  "trend",
  "trend_judgement",
  "trend_reason",
  "summary_en",
  "summary_cy",
  "illustrative",
] as const;

const filterParams = {
  measure: codeList.optional(),
  area: codeList.optional(),
  period: single.optional(),
  breakdown: single.optional(),
};
export const listQuery = z.strictObject({ ...filterParams, ...pageParams });
export const csvQuery = z.strictObject(filterParams);
export const gapsQuery = z.strictObject({
  measure: single,
  area: codeList.optional(),
  period: single.optional(),
  dimension: single.optional(),
  ...pageParams,
});
export const compareQuery = z.strictObject({
  measure: single,
  group: single.optional(),
  areas: codeList.optional(),
  period: single.optional(),
  breakdown: single.optional(),
});
export const noQuery = z.strictObject({});

async function analysisRows(app: FastifyInstance, request: FastifyRequest, csv: boolean) {
  const q = parseQuery(csv ? csvQuery : listQuery, request.query) as z.output<typeof listQuery>;
  if (!q.measure?.length && !q.area?.length) {
    throw badRequest("Give a measure (measure=low-birth-weight) or an area (area=W06000015), or both");
  }
  const view = await currentFramework(app);
  const pv = app.services.publicViews;
  const dir = await pv.areas();
  const measures = q.measure?.length ? resolveMeasures(view, q.measure) : [];
  const areas = q.area?.length ? resolveAreas(dir, q.area) : [];
  const period = q.period ?? "latest";
  const breakdown = q.breakdown ?? "total";
  if (breakdown !== "total" && breakdown !== "*") {
    const known = new Set<string>(["total"]);
    for (const m of measures) for (const b of await pv.data.breakdowns(m.code)) known.add(b);
    checkBreakdowns([...known], [breakdown]);
  }
  let rows: AnalysisResult[] = [];
  if (measures.length > 0) {
    for (const m of measures) {
      const periods = await pv.data.periods(m.code, m.periodType);
      let got: AnalysisResult[];
      if (period === "all") {
        const series = await pv.analysis.allSeries(
          m.code,
          periods.map((p) => p.code),
          breakdown,
        );
        got = [...series.values()].flat();
      } else {
        if (period !== "latest") checkPeriods(periods, [period]);
        got = await pv.analysis.measureResults(m.code, period, breakdown);
      }
      rows.push(...got);
    }
    if (areas.length) {
      const set = new Set(areas.map((a) => a.code));
      rows = rows.filter((r) => set.has(r.areaCode));
    }
  } else {
    if (period === "all") throw badRequest("period=all needs a measure (e.g. measure=low-birth-weight&period=all)");
    if (breakdown === "*") throw badRequest("breakdown=* needs a measure");
    for (const a of areas) rows.push(...(await pv.analysis.areaResults(a.code, period, breakdown)));
  }
  const order = new Map(view.measures.map((m, i) => [m.code, i]));
  const areaOrder = (c: string) => dir.byCode.get(c)?.sortOrder ?? 1e9;
  rows.sort(
    (a, b) =>
      (order.get(a.measureCode) ?? 0) - (order.get(b.measureCode) ?? 0) ||
      areaOrder(a.areaCode) - areaOrder(b.areaCode) ||
      a.periodSort - b.periodSort ||
      a.breakdown.localeCompare(b.breakdown),
  );
  return { rows, query: q };
}

export async function analysisApi(app: FastifyInstance): Promise<void> {
  app.get("/analysis", async (request, reply) => {
    const { body, etag, link } = await cachedBody(app, request, async () => {
      const { rows, query } = await analysisRows(app, request, false);
      const page = paginate(request, rows, query);
      return { body: JSON.stringify({ ...page, data: page.data.map(analysisJson) }), link: linkValue(page) };
    });
    if (link) reply.header("link", link);
    return sendCached(request, reply, body, "application/json; charset=utf-8", etag);
  });

  app.get("/analysis.csv", async (request, reply) => {
    const { body, etag } = await cachedBody(app, request, async () => {
      const { rows } = await analysisRows(app, request, true);
      const csv = toCsv({
        columns: ANALYSIS_CSV_COLUMNS.map((c) => ({ key: c, header: c, kind: "text" as const })),
        rows: rows.map((r) => ({
          measure_code: r.measureCode,
          area_code: r.areaCode,
          area_type: r.areaType,
          period: r.period,
          period_end: r.periodEnd,
          breakdown: r.breakdown,
          suppressed: String(r.suppressed),
          value: r.value,
          numerator: r.numerator,
          denominator: r.denominator,
          lower_95: r.lower95,
          upper_95: r.upper95,
          lower_998: r.lower998,
          upper_998: r.upper998,
          wales_value: r.benchmarkValue,
          compared_with_wales: r.benchmarkSignificance,
          significance_level: r.benchmarkLevel,
          parent_code: r.parentCode,
          parent_value: r.parentValue,
          compared_with_parent: r.parentSignificance,
          quintile: r.quintile,
          rank: r.rank,
          rank_out_of: r.rankOutOf,
          trend: r.trendDirection,
          trend_judgement: r.trendJudgement,
          trend_reason: r.trendReason,
          summary_en: r.summary.en,
          summary_cy: r.summary.cy ?? null,
          illustrative: String(r.illustrative),
        })),
      });
      return { body: csv };
    });
    const q = request.query as Record<string, unknown>;
    const name =
      typeof q.measure === "string" && !q.measure.includes(",") ? `omf-analysis-${q.measure}` : "omf-analysis";
    reply.header("content-disposition", attachment(name, "csv").replace("attachment", "inline"));
    return sendCached(request, reply, body, "text/csv; charset=utf-8", etag);
  });

  app.get("/analysis/gaps", async (request, reply) => {
    const q = parseQuery(gapsQuery, request.query);
    const view = await currentFramework(app);
    const [m] = resolveMeasures(view, [q.measure]);
    const pv = app.services.publicViews;
    const areas = q.area?.length ? resolveAreas(await pv.areas(), q.area) : [];
    if (q.period) checkPeriods(await pv.data.periods(m!.code, m!.periodType), [q.period]);
    if (q.dimension && !m!.breakdowns.includes(q.dimension)) {
      throw badRequest(
        `Measure "${m!.code}" has no breakdown dimension "${q.dimension}"${m!.breakdowns.length ? `; its dimensions are ${m!.breakdowns.join(", ")}` : "; it has no breakdowns"}`,
      );
    }
    let gaps = await pv.analysis.gaps(m!.code, { period: q.period, dimension: q.dimension });
    if (areas.length) {
      const set = new Set(areas.map((a) => a.code));
      gaps = gaps.filter((g) => set.has(g.areaCode));
    }
    const page = paginate(request, gaps, q);
    return sendJson(request, linkHeader(reply, page), page);
  });

  app.get("/analysis/compare", async (request, reply) => {
    const q = parseQuery(compareQuery, request.query);
    const view = await currentFramework(app);
    const [m] = resolveMeasures(view, [q.measure]);
    const pv = app.services.publicViews;
    const dir = await pv.areas();
    if (!q.group === !q.areas?.length) {
      throw badRequest("Give either a grouping (group=W11000029) or a list of areas (areas=W06000015,W06000014)");
    }
    const period = q.period ?? "latest";
    if (period !== "latest") checkPeriods(await pv.data.periods(m!.code, m!.periodType), [period]);
    const results = (await pv.analysis.measureResults(m!.code, period, q.breakdown ?? "total")).filter(
      (r) => r.areaType === "local_authority" || r.areaType === "country",
    );
    if (results.length === 0) throw notFound(`No analysis of "${m!.code}" for period ${period}`);
    let members: string[];
    let group: { code: string; name: unknown } | null = null;
    if (q.group) {
      const g = dir.byCode.get(q.group.toUpperCase()) ?? dir.byCode.get(q.group);
      if (!g || g.type === "local_authority" || g.type === "country") {
        throw badRequest(
          `Unknown grouping "${q.group}"; use a health board, consortium, police or region code from /api/v1/areas`,
        );
      }
      members = membersOfGrouping(dir, g.code, results[0]!.periodEnd);
      group = { code: g.code, name: text(g.name) };
    } else {
      members = resolveAreas(dir, q.areas!).map((a) => a.code);
    }
    const cmp = compareWithGroup(results, members, m!);
    return sendJson(request, reply, {
      data: {
        measure: m!.code,
        period: results[0]!.period,
        breakdown: results[0]!.breakdown,
        group,
        members,
        groupValue: cmp.groupValue,
        groupMethod: cmp.groupMethod,
        membersWithValue: cmp.membersWithValue,
        membersWithoutValue: cmp.membersWithoutValue,
        areas: cmp.areas.map((a, i) => ({
          ...a,
          value: results[i]!.value,
          lower95: results[i]!.lower95,
          upper95: results[i]!.upper95,
          suppressed: results[i]!.suppressed,
        })),
      },
    });
  });

  app.get("/analysis/summary", async (request, reply) => {
    parseQuery(noQuery, request.query);
    const summary = await app.services.publicViews.analysis.national();
    return sendJson(request, reply, { data: summary.map((s) => ({ ...s, title: text(s.title) })) });
  });
}
