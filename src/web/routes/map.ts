/** GET /map: hexagon map of the 22 authorities for one measure, by comparison with Wales or quintile, with its table. */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { toDownload } from "../../render/document/table.ts";
import { suppliedBoundaries } from "../../services/public/boundaries.ts";
import { loadMeasurePage } from "../../services/public/measure-page-data.ts";
import { pick } from "../i18n.ts";
import { citationText, downloadExtras } from "../pages/download-meta.ts";
import { buildMap } from "../pages/map-view.ts";
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
  measure: one.optional(),
  period: one.optional(),
  mode: one.pipe(z.enum(["significance", "quintile"]).optional()).optional(),
  view: one.pipe(z.enum(["hex", "boundaries"]).optional()).optional(),
  format: one.pipe(z.enum(["csv", "xlsx", "svg"]).optional()).optional(),
});

export async function mapRoutes(app: FastifyInstance): Promise<void> {
  const pv = app.services.publicViews;
  app.get("/map", PUBLIC_PAGE, async (request, reply) => {
    const { lang, t } = pageLanguage(request);
    const q = parsePageQuery(query, request.query, (f, v) => badChoice(t, f, v));
    const view = await app.services.framework.current();
    if (!view) return notFoundPage(reply);
    const live = view.measures.filter((m) => m.status === "live" && m.geographies.includes("local_authority"));
    const measure = q.measure
      ? view.measuresByCode.get(q.measure)
      : (live.find((m) => m.tier === "high_level") ?? live[0]);
    if (measure?.status !== "live") {
      if (q.measure) throw badChoice(t, "measure", q.measure);
      return notFoundPage(reply);
    }
    const mode = q.mode ?? "significance";
    const boundaries = suppliedBoundaries((message) => request.log.warn(message));
    if (q.view === "boundaries" && !boundaries) throw badChoice(t, "view", q.view);
    const mapType = q.view === "boundaries" ? "boundaries" : "hex";
    const key = `map:${lang}:${measure.code}:${q.period ?? ""}:${mode}:${mapType}`;
    const { data, page } = await cachedView(app, key, () =>
      withChoices(t, async () => {
        const data = await loadMeasurePage(pv, measure, { period: q.period });
        return { data, page: buildMap(data, lang, t, mode, mapType === "boundaries" ? boundaries : null) };
      }),
    );
    const keep = { measure: q.measure, period: q.period, mode: q.mode, view: q.view };
    const address = withQuery(`/${lang}/map`, keep);
    const link = (format: string) => withQuery(`/${lang}/map`, { ...keep, format });
    if (q.format) {
      return sendDownload(
        app,
        reply,
        link(q.format),
        q.format,
        () =>
          toDownload(
            page.table,
            downloadExtras({
              t,
              lang,
              url: citeUrl(app, address),
              title: page.mapTitle,
              fileName: `map-${measure.code}`,
              measure,
              period: page.period,
              illustrative: data.illustrative,
            }),
          ),
        () => ({ svg: page.svg, fileName: `map-${measure.code}-${mode}` }),
        t,
      );
    }
    return renderPage(app, request, reply, "map/map.njk", address, () => ({
      page,
      illustrative: data.illustrative,
      choices: {
        measures: live.map((m) => ({
          value: m.code,
          text: pick(m.title, lang).text,
          selected: m.code === measure.code,
        })),
        periods: [...data.periods]
          .reverse()
          .map((p) => ({ value: p.code, text: p.label[lang], selected: p.code === data.period?.code })),
        views: boundaries
          ? [
              { value: "hex", text: t("map.viewHex"), selected: mapType === "hex" },
              { value: "boundaries", text: t("map.viewBoundaries"), selected: mapType === "boundaries" },
            ]
          : null,
        modes: [
          { value: "significance", text: t("map.modeSignificance"), selected: mode === "significance" },
          { value: "quintile", text: t("map.modeQuintile"), selected: mode === "quintile" },
        ],
      },
      downloads: { csv: link("csv"), xlsx: link("xlsx"), svg: link("svg") },
      citationText: citationText(t, lang, page.mapTitle, citeUrl(app, address)),
    }));
  });
}
