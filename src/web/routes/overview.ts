/** GET /overview: the tartan rug of measures × areas compared with Wales, with CSV/XLSX/SVG downloads. */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { toDownload } from "../../render/document/table.ts";
import { chooseMeasures, loadOverview } from "../../services/public/overview-data.ts";
import { citationText, downloadExtras } from "../pages/download-meta.ts";
import { buildOverview } from "../pages/overview-view.ts";
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

const query = z.object({
  coreAim: one.optional(),
  tier: one.pipe(z.enum(["high_level", "additional", "all"]).optional()).optional(),
  order: one.pipe(z.enum(["alphabetical", "standard"]).optional()).optional(),
  format: one.pipe(z.enum(["csv", "xlsx", "svg"]).optional()).optional(),
});

export async function overviewRoutes(app: FastifyInstance): Promise<void> {
  app.get("/overview", PUBLIC_PAGE, async (request, reply) => {
    const { lang, t } = pageLanguage(request);
    const q = parsePageQuery(query, request.query, (f, v) => badChoice(t, f, v));
    const view = await app.services.framework.current();
    if (!view) return notFoundPage(reply);
    const coreAim = q.coreAim?.toUpperCase();
    const tier = q.tier ?? "high_level";
    const order = q.order ?? "standard";
    const key = `overview:${lang}:${coreAim ?? ""}:${tier}:${order}`;
    const { data, page } = await cachedView(app, key, () =>
      withChoices(t, async () => {
        const data = await loadOverview(app.services.publicViews, chooseMeasures(view, tier, coreAim));
        return { data, page: buildOverview(data, view, lang, t, { coreAim, tier, order }) };
      }),
    );
    const keep = { coreAim, tier: q.tier, order: q.order };
    const address = withQuery(`/${lang}/overview`, keep);
    const link = (format: string) => withQuery(`/${lang}/overview`, { ...keep, format });
    if (q.format) {
      return sendDownload(
        app,
        reply,
        link(q.format),
        q.format,
        () =>
          toDownload(
            page.long,
            downloadExtras({
              t,
              lang,
              url: citeUrl(app, address),
              title: page.long.caption,
              fileName: lang === "cy" ? "trosolwg" : "overview",
              illustrative: data.illustrative,
            }),
          ),
        () => (page.svg ? { svg: page.svg, fileName: lang === "cy" ? "trosolwg" : "overview" } : null),
        t,
      );
    }
    return renderPage(app, request, reply, "overview/overview.njk", address, () => ({
      page,
      illustrative: data.illustrative,
      downloads: { csv: link("csv"), xlsx: link("xlsx"), svg: page.svg ? link("svg") : null },
      citationText: citationText(t, lang, page.long.caption, citeUrl(app, address)),
    }));
  });
}
