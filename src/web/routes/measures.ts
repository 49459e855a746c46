/**
 * Public measure pages: GET /measures (framework browser: filter and search), GET /measures/:code (the measure page)
 * and their downloads (/measures/download, /measures/:code/download?part=…&format=csv|xlsx|svg).
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import type { MeasureStatus, Tier } from "../../domain/enums.ts";
import { toDownload } from "../../render/document/table.ts";
import { filterMeasures } from "../../services/public/measure-catalogue.ts";
import { loadMeasurePage } from "../../services/public/measure-page-data.ts";
import { citationText, disclosureText, downloadExtras } from "../pages/download-meta.ts";
import { buildMeasureList } from "../pages/measure-list-view.ts";
import { buildMeasureView, MEASURE_PARTS, type MeasurePart, measureDownloadUrl } from "../pages/measure-view.ts";
import {
  badChoice,
  cachedView,
  citeUrl,
  notFoundPage,
  pageLanguage,
  renderPage,
  sendDownload,
  withChoices,
} from "../pages/page-kit.ts";
import { one, parsePageQuery } from "../pages/query-schemas.ts";
import { withQuery } from "../pages/urls.ts";
import { PUBLIC_PAGE } from "../public-page.ts";

const listQuery = z.object({
  q: one.optional(),
  coreAim: one.optional(),
  group: one.optional(),
  tier: one.pipe(z.enum(["high_level", "additional"]).optional()).optional(),
  article: one.pipe(z.coerce.number<string | undefined>().int().min(1).max(54).optional()).optional(),
  status: one.pipe(z.enum(["current", "live", "in_development", "retired", "all"]).optional()).optional(),
  sort: one.pipe(z.enum(["framework", "name"]).optional()).optional(),
  format: one.pipe(z.enum(["csv", "xlsx"]).optional()).optional(),
});

const pageQuery = z.object({
  area: one.optional(),
  period: one.optional(),
  breakdown: one.optional(),
  sort: one.pipe(z.enum(["value", "name"]).optional()).optional(),
});
const downloadQuery = pageQuery.extend({
  part: one.pipe(z.enum(MEASURE_PARTS)),
  format: one.pipe(z.enum(["csv", "xlsx", "svg"])),
});

function statusesFor(status: string | undefined): MeasureStatus[] | undefined {
  if (status === "all") return undefined;
  if (!status || status === "current") return ["live", "in_development"];
  return [status as MeasureStatus];
}

export async function measureRoutes(app: FastifyInstance): Promise<void> {
  const pv = app.services.publicViews;

  async function listModel(request: FastifyRequest) {
    const { lang, t } = pageLanguage(request);
    const f = parsePageQuery(listQuery, request.query, (field, value) => badChoice(t, field, value));
    const view = await app.services.framework.current();
    if (!view) return null;
    const coreAim = f.coreAim?.toUpperCase();
    if (coreAim && !view.aims.some((a) => a.code === coreAim)) throw badChoice(t, "coreAim", f.coreAim!);
    if (f.group && !view.measures.some((m) => m.group?.code === f.group)) throw badChoice(t, "group", f.group);
    const found = filterMeasures(view, {
      q: f.q,
      coreAim,
      group: f.group,
      tier: f.tier as Tier | undefined,
      article: f.article,
      statuses: statusesFor(f.status),
    });
    const { format: _f, ...filters } = { ...f, coreAim };
    const query = Object.fromEntries(
      Object.entries(filters).map(([k, v]) => [k, v === undefined ? undefined : String(v)]),
    );
    return {
      lang,
      t,
      f: { ...f, coreAim },
      query,
      address: withQuery(`/${lang}/measures`, query),
      model: buildMeasureList(view, found, { ...f, coreAim }, lang, t),
    };
  }

  app.get("/measures", PUBLIC_PAGE, async (request, reply) => {
    const r = await listModel(request);
    if (!r) return notFoundPage(reply);
    const base = `/${r.lang}/measures/download`;
    // a free-text search is rendered afresh: any text is valid, so caching it would let searches evict pages
    return renderPage(
      app,
      request,
      reply,
      "measures/list.njk",
      r.address,
      () => ({
        filters: r.f,
        model: r.model,
        downloads: {
          csv: withQuery(base, { ...r.query, format: "csv" }),
          xlsx: withQuery(base, { ...r.query, format: "xlsx" }),
        },
      }),
      { cache: r.f.q === undefined },
    );
  });

  app.get("/measures/download", PUBLIC_PAGE, async (request, reply) => {
    const r = await listModel(request);
    if (!r) return notFoundPage(reply);
    const format = r.f.format ?? "csv";
    return sendDownload(
      app,
      reply,
      withQuery(`/${r.lang}/measures/download`, { ...r.query, format }),
      format,
      () =>
        toDownload(
          r.model.table,
          downloadExtras({
            t: r.t,
            lang: r.lang,
            url: citeUrl(app, r.address),
            title: r.t("measures.list.title"),
            fileName: r.lang === "cy" ? "mesurau" : "measures",
            illustrative: false,
          }),
        ),
      () => null,
      r.t,
    );
  });

  async function measureModel(request: FastifyRequest, download: boolean) {
    const { lang, t } = pageLanguage(request);
    const q = parsePageQuery(download ? downloadQuery : pageQuery, request.query, (field, value) =>
      badChoice(t, field, value),
    );
    const { code } = request.params as { code: string };
    const view = await app.services.framework.current();
    const measure = view?.measuresByCode.get(code);
    if (!measure) return null;
    const sort = q.sort ?? "value";
    const key = `measure:${lang}:${code}:${q.area ?? ""}:${q.period ?? ""}:${q.breakdown ?? ""}:${sort}`;
    const { data, page } = await cachedView(app, key, () =>
      withChoices(t, async () => {
        const data = await loadMeasurePage(pv, measure, q);
        return { data, page: buildMeasureView(data, lang, t, sort) };
      }),
    );
    const address = withQuery(`/${lang}/measures/${encodeURIComponent(measure.code)}`, page.query);
    return { lang, t, q, measure, data, page, address };
  }

  app.get("/measures/:code", PUBLIC_PAGE, async (request, reply) => {
    const r = await measureModel(request, false);
    if (!r) return notFoundPage(reply);
    const link = (part: MeasurePart, format: string) =>
      measureDownloadUrl(r.lang, r.measure.code, r.page.query, part, format);
    const downloads = Object.fromEntries(
      MEASURE_PARTS.map((p) => [
        p,
        { csv: link(p, "csv"), xlsx: link(p, "xlsx"), svg: p === "series" || p === "areas" ? link(p, "svg") : null },
      ]),
    );
    return renderPage(app, request, reply, "measures/measure.njk", r.address, () => ({
      m: r.measure,
      d: r.data,
      page: r.page,
      downloads,
      illustrative: r.data.illustrative,
      disclosure: disclosureText(r.t, r.lang, r.measure),
      // only web links: a content file cannot smuggle a javascript: URL onto the page
      sourceUrl: r.measure.source?.url && /^https?:\/\//.test(r.measure.source.url) ? r.measure.source.url : null,
      citationText: citationText(r.t, r.lang, r.page.title, citeUrl(app, r.address)),
      apiCsv: `/api/v1/data.csv?measure=${encodeURIComponent(r.measure.code)}`,
      apiAnalysis: `/api/v1/analysis.csv?measure=${encodeURIComponent(r.measure.code)}&period=all`,
    }));
  });

  app.get("/measures/:code/download", PUBLIC_PAGE, async (request, reply) => {
    const r = await measureModel(request, true);
    if (!r) return notFoundPage(reply);
    const { part, format } = r.q as z.output<typeof downloadQuery>;
    const table = r.page.tables[part];
    return sendDownload(
      app,
      reply,
      measureDownloadUrl(r.lang, r.measure.code, r.page.query, part, format),
      format,
      () =>
        table
          ? toDownload(
              table,
              downloadExtras({
                t: r.t,
                lang: r.lang,
                url: citeUrl(app, r.address),
                title: table.caption,
                fileName: `${r.measure.code}-${part}`,
                measure: r.measure,
                area: part === "areas" ? undefined : r.page.areaLabel,
                period: part === "series" ? undefined : r.page.periodLabel,
                illustrative: r.data.illustrative,
              }),
            )
          : null,
      () => {
        const svg = part === "series" ? r.page.charts.series : part === "areas" ? r.page.charts.areas : null;
        return svg ? { svg, fileName: `${r.measure.code}-${part}` } : null;
      },
      r.t,
    );
  });
}
