/**
 * The engagement score of plans (issue 14), under /en and /cy: GET /plans/:area/:period/engagement (each selected
 * measure's score out of 100, every component met or not, in words, with its weight and what would raise it) and GET
 * /plans/engagement (the plans of one period side by side: score and how many measures meet each component; CSV or
 * XLSX with ?format=). Built from the plans the reader may see: the public sees published plans, national roles all.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Language } from "../../domain/enums.ts";
import { NotFoundError } from "../../domain/errors.ts";
import { ENGAGEMENT_COMPONENTS } from "../../domain/plans/engagement.ts";
import { cell, linkCell, type TableModel, toDownload } from "../../render/document/table.ts";
import type { Translate } from "../../render/wording/translate.ts";
import { engagementAcrossWales, engagementOfPlan, type PlanEngagementView } from "../../services/plans/engagement.ts";
import { sendFile, tableDownload } from "../downloads/send.ts";
import { downloadExtras } from "../pages/download-meta.ts";
import { badChoice, citeUrl, pageLanguage, renderPage } from "../pages/page-kit.ts";
import { inLanguage, planAddress } from "../pages/plan-view.ts";
import { one, parsePageQuery } from "../pages/query-schemas.ts";
import { withQuery } from "../pages/urls.ts";
import { PUBLIC_PAGE } from "../public-page.ts";
import { planActor, planParams } from "./plans.ts";

const acrossQuery = z.object({
  period: one.optional(),
  format: one.pipe(z.enum(["csv", "xlsx"]).optional()).optional(),
});

const today = () => new Date().toISOString().slice(0, 10);

/** The plans side by side: a row per plan, its score and, per component, how many of its measures meet it. */
function acrossTable(
  list: PlanEngagementView[],
  t: Translate,
  lang: Language,
  name: (code: string) => string,
): TableModel {
  return {
    id: "engagement",
    caption: t("planengagement.acrossCaption"),
    rowHeader: "area",
    columns: [
      { key: "area", header: t("plans.partnership"), kind: "text" },
      { key: "areaCode", header: t("downloads.columns.areaCode"), kind: "text", downloadOnly: true },
      { key: "status", header: t("plans.page.status"), kind: "text" },
      { key: "score", header: t("planengagement.score"), kind: "number", numeric: true },
      { key: "measures", header: t("planengagement.measures"), kind: "number", numeric: true },
      ...ENGAGEMENT_COMPONENTS.map((c) => ({
        key: c.key,
        header: `${t(`planengagement.component.${c.key}`)} (${c.weight})`,
        kind: "number" as const,
        numeric: true,
      })),
    ],
    rows: list.map((p) => {
      const row: TableModel["rows"][number] = {
        area: linkCell(name(p.plan.areaCode), `${planAddress(lang, p.plan.areaCode, p.plan.period)}/engagement`),
        areaCode: cell(p.plan.areaCode),
        status: cell(t(`plans.status.${p.plan.status}`)),
        score: cell(p.score, p.score === null ? "" : String(p.score)),
        measures: cell(p.measures.length, String(p.measures.length)),
      };
      for (const c of ENGAGEMENT_COMPONENTS) {
        const n = p.met?.[c.key] ?? 0;
        row[c.key] = cell(n, String(n));
      }
      return row;
    }),
  };
}

export async function planEngagementRoutes(app: FastifyInstance): Promise<void> {
  const pv = app.services.publicViews;

  async function areaName(lang: Language) {
    const a = await pv.areas();
    return (code: string) => {
      const area = a.byCode.get(code);
      return area ? inLanguage(area.name, lang) : code;
    };
  }

  app.get("/plans/engagement", PUBLIC_PAGE, async (request, reply) => {
    const { lang, t } = pageLanguage(request);
    const q = parsePageQuery(acrossQuery, request.query, (f, v) => badChoice(t, f, v));
    const r = await engagementAcrossWales(app.services.plans, pv.data, planActor(request), q, today());
    if (q.period && !r.periods.includes(q.period)) throw badChoice(t, "period", q.period);
    const name = await areaName(lang);
    const table = acrossTable(r.plans, t, lang, name);
    const address = withQuery(`/${lang}/plans/engagement`, { period: q.period });
    const link = (format: string) => withQuery(`/${lang}/plans/engagement`, { period: q.period, format });
    if (q.format) {
      const file = await tableDownload(
        toDownload(
          table,
          downloadExtras({
            t,
            lang,
            frameworkVersion: request.frameworkVersion,
            url: citeUrl(app, address),
            title: table.caption,
            fileName: `${lang === "cy" ? "sgor-ymgysylltu" : "engagement-score"}${r.period ? `-${r.period}` : ""}`,
            period: r.period,
            illustrative: r.plans.some((p) => p.plan.illustrative),
          }),
        ),
        q.format,
      );
      reply.header("cache-control", request.user ? "private, no-store" : "public, max-age=60");
      return sendFile(reply, file);
    }
    return renderPage(
      app,
      request,
      reply,
      "plans/engagement.njk",
      address,
      () => ({
        period: r.period,
        periods: r.periods.map((p) => ({ value: p, text: p, selected: p === r.period })),
        table,
        count: r.plans.length,
        components: ENGAGEMENT_COMPONENTS.map((c) => ({
          name: t(`planengagement.component.${c.key}`),
          weight: c.weight,
          about: t(`planengagement.about.${c.key}`),
        })),
        downloads: { csv: link("csv"), xlsx: link("xlsx") },
      }),
      { cache: false },
    );
  });

  app.get("/plans/:area/:period/engagement", PUBLIC_PAGE, async (request: FastifyRequest, reply) => {
    const p = planParams.safeParse(request.params);
    if (!p.success) throw new NotFoundError("no such plan");
    const { lang, t } = pageLanguage(request);
    const ref = { areaCode: p.data.area.toUpperCase(), period: p.data.period };
    const e = await engagementOfPlan(app.services.plans, pv.data, planActor(request), ref, today());
    const name = await areaName(lang);
    const address = planAddress(lang, e.plan.areaCode, e.plan.period);
    return renderPage(
      app,
      request,
      reply,
      "plans/plan-engagement.njk",
      `${address}/engagement`,
      () => ({
        plan: {
          area: name(e.plan.areaCode),
          areaCode: e.plan.areaCode,
          period: e.plan.period,
          status: t(`plans.status.${e.plan.status}`),
          isPublic: e.plan.status === "published" || e.plan.status === "superseded",
          illustrative: e.plan.illustrative,
        },
        address,
        score: e.score,
        components: ENGAGEMENT_COMPONENTS.map((c) => ({
          name: t(`planengagement.component.${c.key}`),
          weight: c.weight,
          about: t(`planengagement.about.${c.key}`),
          met: e.met?.[c.key] ?? 0,
        })),
        measureCount: e.measures.length,
        measures: e.measures.map((m) => ({
          title: m.title ? inLanguage(m.title, lang) : m.measureCode,
          href: `${address}/measures/${m.measureCode}`,
          kind: t(`plans.kind.${m.kind}`),
          score: m.engagement.score,
          components: m.engagement.components.map((c) => ({
            name: t(`planengagement.component.${c.key}`),
            met: c.met,
            weight: c.weight,
            raise: c.met ? null : t(`planengagement.raise.${c.key}`),
          })),
        })),
      }),
      { cache: false },
    );
  });
}
