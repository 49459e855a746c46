/** GET /dashboard: the national picture per core aim, with CSV/XLSX downloads of its two summary tables. */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { toDownload } from "../../render/document/table.ts";
import { buildDashboard } from "../pages/dashboard-view.ts";
import { citationText, downloadExtras } from "../pages/download-meta.ts";
import {
  badChoice,
  cachedView,
  citeUrl,
  notFoundPage,
  pageLanguage,
  renderPage,
  sendDownload,
} from "../pages/page-kit.ts";
import { one, parsePageQuery } from "../pages/query-schemas.ts";
import { withQuery } from "../pages/urls.ts";
import { PUBLIC_PAGE } from "../public-page.ts";

const query = z.object({
  part: one.pipe(z.enum(["trends", "areas", "aim"]).optional()).optional(),
  aim: one.optional(),
  format: one.pipe(z.enum(["csv", "xlsx"]).optional()).optional(),
});

export async function dashboardRoutes(app: FastifyInstance): Promise<void> {
  const pv = app.services.publicViews;
  app.get("/dashboard", PUBLIC_PAGE, async (request, reply) => {
    const { lang, t } = pageLanguage(request);
    const q = parsePageQuery(query, request.query, (f, v) => badChoice(t, f, v));
    const view = await app.services.framework.current();
    if (!view) return notFoundPage(reply);
    const { page, illustrative } = await cachedView(app, `dashboard:${lang}`, async () => {
      const dir = await pv.areas();
      const [summary, walesResults] = await Promise.all([
        pv.analysis.national(),
        dir.wales ? pv.analysis.areaResults(dir.wales.code) : Promise.resolve([]),
      ]);
      return {
        page: buildDashboard(summary, walesResults, view, lang, t),
        illustrative: walesResults.some((r) => r.illustrative),
      };
    });
    const address = `/${lang}/dashboard`;
    const link = (part: string, format: string, aim?: string) => withQuery(address, { part, aim, format });
    if (q.format) {
      const aim = q.part === "aim" ? page.perAim.find((a) => a.code === q.aim?.toUpperCase()) : undefined;
      if (q.part === "aim" && !aim) throw badChoice(t, "coreAim", q.aim ?? "");
      const table = aim ? aim.table : q.part === "areas" ? page.areas : page.trends;
      return sendDownload(
        app,
        reply,
        link(aim ? "aim" : (q.part ?? "trends"), q.format, aim?.code),
        q.format,
        () =>
          toDownload(
            table,
            downloadExtras({
              t,
              lang,
              url: citeUrl(app, address),
              title: table.caption,
              fileName: `dashboard-${aim ? aim.code : (q.part ?? "trends")}`,
              illustrative,
            }),
          ),
        () => null,
        t,
      );
    }
    return renderPage(app, request, reply, "dashboard/dashboard.njk", address, () => ({
      page,
      illustrative,
      downloads: {
        trends: { csv: link("trends", "csv"), xlsx: link("trends", "xlsx") },
        areas: { csv: link("areas", "csv"), xlsx: link("areas", "xlsx") },
        aims: Object.fromEntries(
          page.perAim.map((a) => [a.code, { csv: link("aim", "csv", a.code), xlsx: link("aim", "xlsx", a.code) }]),
        ),
      },
      citationText: citationText(t, lang, t("dashboard.title"), citeUrl(app, address)),
    }));
  });
}
