/** Public area pages: GET /areas (the 22 partnership areas), GET /areas/:code (area profile) and its downloads. */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { toDownload } from "../../render/document/table.ts";
import { loadAreaProfile } from "../../services/public/area-profile-data.ts";
import { buildAreaList, buildAreaProfile } from "../pages/area-view.ts";
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
import { one, parsePageQuery } from "../pages/query-schemas.ts";
import { withQuery } from "../pages/urls.ts";
import { PUBLIC_PAGE } from "../public-page.ts";

const listQuery = z.object({
  order: one.pipe(z.enum(["alphabetical", "standard"]).optional()).optional(),
  format: one.pipe(z.enum(["csv", "xlsx"]).optional()).optional(),
});
const profileQuery = z.object({
  coreAim: one.optional(),
  tier: one.pipe(z.enum(["high_level", "additional", "all"]).optional()).optional(),
});
const downloadQuery = profileQuery.extend({
  part: one.pipe(z.enum(["profile", "spine"])),
  format: one.pipe(z.enum(["csv", "xlsx", "svg"])),
});

export async function areaRoutes(app: FastifyInstance): Promise<void> {
  const pv = app.services.publicViews;

  app.get("/areas", PUBLIC_PAGE, async (request, reply) => {
    const { lang, t } = pageLanguage(request);
    const q = parsePageQuery(listQuery, request.query, (f, v) => badChoice(t, f, v));
    const order = q.order ?? "alphabetical";
    const dir = await pv.areas();
    const model = buildAreaList(dir, lang, t, order);
    const address = withQuery(`/${lang}/areas`, { order: q.order });
    const link = (format: string) => withQuery(`/${lang}/areas`, { order: q.order, format });
    if (q.format) {
      return sendDownload(
        app,
        reply,
        link(q.format),
        q.format,
        () =>
          toDownload(
            model.table,
            downloadExtras({
              t,
              lang,
              url: citeUrl(app, address),
              title: model.table.caption,
              fileName: lang === "cy" ? "ardaloedd" : "areas",
              illustrative: false,
            }),
          ),
        () => null,
        t,
      );
    }
    return renderPage(app, request, reply, "areas/list.njk", address, () => ({
      model,
      order,
      downloads: { csv: link("csv"), xlsx: link("xlsx") },
    }));
  });

  async function profileModel(request: FastifyRequest, download: boolean) {
    const { lang, t } = pageLanguage(request);
    const q = parsePageQuery(download ? downloadQuery : profileQuery, request.query, (f, v) => badChoice(t, f, v));
    const { code } = request.params as { code: string };
    const [view, dir] = await Promise.all([app.services.framework.current(), pv.areas()]);
    const area = dir.byCode.get(code.toUpperCase());
    if (!view || !area || (area.type !== "local_authority" && area.type !== "country")) return null;
    const tier = q.tier ?? "high_level";
    const coreAim = q.coreAim?.toUpperCase();
    const key = `area:${lang}:${area.code}:${coreAim ?? ""}:${tier}`;
    const { data, page } = await cachedView(app, key, () =>
      withChoices(t, async () => {
        const data = await loadAreaProfile(pv, view, area, { coreAim, tier });
        return { data, page: buildAreaProfile(data, view, lang, t, { coreAim, tier }) };
      }),
    );
    const query = { coreAim, tier: tier === "high_level" ? undefined : tier };
    const address = withQuery(`/${lang}/areas/${area.code}`, query);
    return { lang, t, q, area, data, page, query, address };
  }

  app.get("/areas/:code", PUBLIC_PAGE, async (request, reply) => {
    const r = await profileModel(request, false);
    if (!r) return notFoundPage(reply);
    const base = `/${r.lang}/areas/${r.area.code}/download`;
    const link = (part: string, format: string) => withQuery(base, { ...r.query, part, format });
    return renderPage(app, request, reply, "areas/profile.njk", r.address, () => ({
      area: r.area,
      d: r.data,
      page: r.page,
      query: r.query,
      illustrative: r.data.illustrative,
      downloads: {
        csv: link("profile", "csv"),
        xlsx: link("profile", "xlsx"),
        svg: r.page.spine ? link("spine", "svg") : null,
      },
      citationText: citationText(r.t, r.lang, r.page.all.caption, citeUrl(app, r.address)),
    }));
  });

  app.get("/areas/:code/download", PUBLIC_PAGE, async (request, reply) => {
    const r = await profileModel(request, true);
    if (!r) return notFoundPage(reply);
    const { part, format } = r.q as z.output<typeof downloadQuery>;
    return sendDownload(
      app,
      reply,
      withQuery(`/${r.lang}/areas/${r.area.code}/download`, { ...r.query, part, format }),
      format,
      () =>
        part === "profile"
          ? toDownload(
              r.page.all,
              downloadExtras({
                t: r.t,
                lang: r.lang,
                url: citeUrl(app, r.address),
                title: r.page.all.caption,
                fileName: `${r.area.code}-profile`,
                area: r.page.name,
                illustrative: r.data.illustrative,
              }),
            )
          : null,
      () => (part === "spine" && r.page.spine ? { svg: r.page.spine, fileName: `${r.area.code}-spine` } : null),
      r.t,
    );
  });
}
