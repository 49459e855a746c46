/** GET /compare: chosen areas or a comparator group side by side on one measure (table and chart), with downloads. */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { toDownload } from "../../render/document/table.ts";
import { loadComparison } from "../../services/public/compare-data.ts";
import { buildComparison, compareChoices } from "../pages/compare-view.ts";
import { citationText, downloadExtras } from "../pages/download-meta.ts";
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
import { many, one, parsePageQuery } from "../pages/query-schemas.ts";
import { withQuery } from "../pages/urls.ts";
import { PUBLIC_PAGE } from "../public-page.ts";

const query = z.object({
  measure: one.optional(),
  areas: many.optional(),
  group: one.optional(),
  format: one.pipe(z.enum(["csv", "xlsx", "svg"]).optional()).optional(),
});

export async function compareRoutes(app: FastifyInstance): Promise<void> {
  const pv = app.services.publicViews;
  app.get("/compare", PUBLIC_PAGE, async (request, reply) => {
    const { lang, t } = pageLanguage(request);
    const q = parsePageQuery(query, request.query, (f, v) => badChoice(t, f, v));
    const view = await app.services.framework.current();
    if (!view) return notFoundPage(reply);
    const dir = await pv.areas();
    const areas = [...new Set((q.areas ?? []).map((a) => a.toUpperCase()))];
    const measureCode = q.measure ?? view.measures.find((m) => m.status === "live" && m.tier === "high_level")?.code;
    const measure = measureCode ? view.measuresByCode.get(measureCode) : undefined;
    if (q.measure && measure?.status !== "live") throw badChoice(t, "measure", q.measure);
    const choices = compareChoices(view, dir, lang, t, { measure: measureCode, areas, group: q.group });
    const chosen = measure && (areas.length > 0 || q.group);
    const key = `compare:${lang}:${measureCode}:${areas.join(",")}:${q.group ?? ""}`;
    const result = chosen
      ? await cachedView(app, key, () =>
          withChoices(t, async () => {
            const data = await loadComparison(pv, measure, { areas, group: q.group });
            return { data, page: buildComparison(data, lang, t) };
          }),
        )
      : null;
    // areas and group are checked only when a comparison is made: otherwise they stay out of the address
    const keep = { measure: q.measure, areas: result ? areas : [], group: result ? q.group : undefined };
    const address = withQuery(`/${lang}/compare`, keep);
    const link = (format: string) => withQuery(`/${lang}/compare`, { ...keep, format });
    if (q.format) {
      return sendDownload(
        app,
        reply,
        link(q.format),
        q.format,
        () =>
          result
            ? toDownload(
                result.page.table,
                downloadExtras({
                  t,
                  lang,
                  url: citeUrl(app, address),
                  title: result.page.table.caption,
                  fileName: `compare-${measureCode}`,
                  measure,
                  period: result.page.period,
                  illustrative: result.data.illustrative,
                }),
              )
            : null,
        () => (result?.page.svg ? { svg: result.page.svg, fileName: `compare-${measureCode}` } : null),
        t,
      );
    }
    return renderPage(app, request, reply, "compare/compare.njk", address, () => ({
      choices,
      result: result?.page ?? null,
      illustrative: result?.data.illustrative ?? false,
      downloads: { csv: link("csv"), xlsx: link("xlsx"), svg: result?.page.svg ? link("svg") : null },
      citationText: result ? citationText(t, lang, result.page.table.caption, citeUrl(app, address)) : "",
    }));
  });
}
