/** GET /api: the open data API documentation page, with the stable CSV address of every dataset. */
import type { FastifyInstance } from "fastify";
import { pick } from "../i18n.ts";
import { cachedView, notFoundPage, pageLanguage, renderPage } from "../pages/page-kit.ts";
import { PUBLIC_PAGE } from "../public-page.ts";

const ENDPOINTS = [
  ["frameworks", "/api/v1/frameworks", "/api/v1/frameworks"],
  ["coreAims", "/api/v1/core-aims", "/api/v1/core-aims/CA1"],
  ["measures", "/api/v1/measures", "/api/v1/measures?coreAim=CA1&tier=high_level"],
  ["measure", "/api/v1/measures/{code}", "/api/v1/measures/low-birth-weight"],
  ["areas", "/api/v1/areas", "/api/v1/areas?type=local_authority"],
  ["area", "/api/v1/areas/{code}", "/api/v1/areas/W06000015"],
  ["periods", "/api/v1/periods", "/api/v1/periods?measure=low-birth-weight"],
  ["data", "/api/v1/data", "/api/v1/data?measure=low-birth-weight&area=W06000015"],
  ["dataCsv", "/api/v1/data.csv", "/api/v1/data.csv?measure=low-birth-weight"],
  ["analysis", "/api/v1/analysis", "/api/v1/analysis?measure=low-birth-weight&area=W06000015&period=all"],
  ["analysisCsv", "/api/v1/analysis.csv", "/api/v1/analysis.csv?measure=low-birth-weight"],
  ["gaps", "/api/v1/analysis/gaps", "/api/v1/analysis/gaps?measure=low-birth-weight"],
  ["compare", "/api/v1/analysis/compare", "/api/v1/analysis/compare?measure=low-birth-weight&group=W11000029"],
  ["summary", "/api/v1/analysis/summary", "/api/v1/analysis/summary"],
] as const;

export async function apiDocsRoutes(app: FastifyInstance): Promise<void> {
  app.get("/api", PUBLIC_PAGE, async (request, reply) => {
    const { lang, t } = pageLanguage(request);
    const view = await app.services.framework.current();
    if (!view) return notFoundPage(reply);
    const datasets = await cachedView(app, `apidocs:${lang}`, async () => {
      const out: { code: string; title: string; notTranslated: boolean }[] = [];
      for (const m of view.measures) {
        if ((await app.services.publicViews.data.periods(m.code, m.periodType)).length === 0) continue;
        out.push({ code: m.code, title: pick(m.title, lang).text, notTranslated: lang === "cy" && !m.title.cy });
      }
      return out;
    });
    return renderPage(app, request, reply, "api-docs/api-docs.njk", `/${lang}/api`, () => ({
      endpoints: ENDPOINTS.map(([key, path, example]) => ({ key, path, example, what: t(`apidocs.endpoints.${key}`) })),
      datasets,
    }));
  });
}
