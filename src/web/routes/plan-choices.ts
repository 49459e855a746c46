/**
 * The national roll-up of partnerships' choices (issue 14), under /en and /cy: GET /plans/choices (for one plan
 * period: where each of the 22 partnerships' plans stands, the additional measures chosen (a partnerships × measures
 * matrix and the most chosen), local measures added, priorities by core aim; the matrix as CSV or XLSX with
 * ?format=) and /plans/choices/:code (who chose one measure, for which priority and why). Built from the plans the
 * reader may see: the public sees published plans only.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Language } from "../../domain/enums.ts";
import { NotFoundError } from "../../domain/errors.ts";
import { cell, linkCell, type TableModel, toDownload } from "../../render/document/table.ts";
import type { Translate } from "../../render/wording/translate.ts";
import { type ChosenMeasure, type PlanRollup, planRollup } from "../../services/plans/rollup.ts";
import { sendFile, tableDownload } from "../downloads/send.ts";
import { downloadExtras } from "../pages/download-meta.ts";
import { badChoice, citeUrl, pageLanguage, renderPage } from "../pages/page-kit.ts";
import { inLanguage, planAddress } from "../pages/plan-view.ts";
import { one, parsePageQuery } from "../pages/query-schemas.ts";
import { withQuery } from "../pages/urls.ts";
import { PUBLIC_PAGE } from "../public-page.ts";
import { planActor } from "./plans.ts";

const choicesQuery = z.object({
  period: one.optional(),
  format: one.pipe(z.enum(["csv", "xlsx"]).optional()).optional(),
});
const choiceQuery = z.object({ period: one.optional() });

interface AreaNames {
  name: (code: string) => string;
  localAuthorities: string[];
}

/** The partnerships × additional measures matrix: a row per partnership, a column per measure chosen anywhere. */
function matrixTable(
  r: PlanRollup,
  t: Translate,
  lang: Language,
  areas: AreaNames,
  href: (code: string) => string,
): TableModel {
  const chosen = new Map<string, Map<string, ChosenMeasure["chosenBy"][number]>>();
  for (const m of r.additional) {
    for (const c of m.chosenBy) {
      const row = chosen.get(c.areaCode) ?? new Map();
      row.set(m.measureCode, c);
      chosen.set(c.areaCode, row);
    }
  }
  return {
    id: "choices-matrix",
    caption: t("planchoices.matrixCaption"),
    rowHeader: "area",
    columns: [
      { key: "area", header: t("plans.partnership"), kind: "text" },
      { key: "areaCode", header: t("planchoices.areaCode"), kind: "text", downloadOnly: true },
      ...r.additional.map((m) => ({
        key: `m:${m.measureCode}`,
        header: m.title ? inLanguage(m.title, lang) : m.measureCode,
        kind: "text" as const,
      })),
    ],
    rows: areas.localAuthorities.map((code) => {
      const row: TableModel["rows"][number] = { area: cell(areas.name(code)), areaCode: cell(code) };
      for (const m of r.additional) {
        const c = chosen.get(code)?.get(m.measureCode);
        const reason = c?.reason ? inLanguage(c.reason, lang) : "";
        // the page says "Chosen" and links to the reasons; the download keeps the reason in the cell
        row[`m:${m.measureCode}`] = c
          ? linkCell(t("planchoices.chosen"), href(m.measureCode), reason || t("planchoices.chosen"))
          : cell(null, "");
      }
      return row;
    }),
  };
}

export async function planChoicesRoutes(app: FastifyInstance): Promise<void> {
  const pv = app.services.publicViews;

  async function areaNames(lang: Language): Promise<AreaNames> {
    const a = await pv.areas();
    return {
      name: (code) => {
        const area = a.byCode.get(code);
        return area ? inLanguage(area.name, lang) : code;
      },
      localAuthorities: a.localAuthorities.map((x) => x.code),
    };
  }

  async function rollup(request: Parameters<typeof planActor>[0], t: Translate, period: string | undefined) {
    const r = await planRollup(app.services.plans, planActor(request), { period });
    if (period && !r.periods.includes(period)) throw badChoice(t, "period", period);
    return r;
  }

  app.get("/plans/choices", PUBLIC_PAGE, async (request, reply) => {
    const { lang, t } = pageLanguage(request);
    const q = parsePageQuery(choicesQuery, request.query, (f, v) => badChoice(t, f, v));
    const r = await rollup(request, t, q.period);
    const period = q.period ?? r.periods[0];
    const areas = await areaNames(lang);
    const choiceHref = (code: string) => withQuery(`/${lang}/plans/choices/${code}`, { period });
    const matrix = matrixTable(r, t, lang, areas, choiceHref);
    const address = withQuery(`/${lang}/plans/choices`, { period: q.period });
    const link = (format: string) => withQuery(`/${lang}/plans/choices`, { period: q.period, format });
    if (q.format) {
      const file = await tableDownload(
        toDownload(
          matrix,
          downloadExtras({
            t,
            lang,
            frameworkVersion: request.frameworkVersion,
            url: citeUrl(app, address),
            title: matrix.caption,
            fileName: `${lang === "cy" ? "dewisiadau-cynlluniau" : "plan-choices"}${period ? `-${period}` : ""}`,
            period,
            illustrative: r.plans.some((p) => p.illustrative),
          }),
        ),
        q.format,
      );
      reply.header("cache-control", request.user ? "private, no-store" : "public, max-age=60");
      return sendFile(reply, file);
    }
    const view = await app.services.framework.current();
    const aimTitle = new Map(
      (view?.aims ?? []).map((a) => [a.code, `${a.number}. ${inLanguage(a.title, lang)}`] as const),
    );
    const byCode = new Map(r.plans.map((p) => [p.areaCode, p] as const));
    const measureRow = (m: ChosenMeasure) => ({
      title: m.title ? inLanguage(m.title, lang) : m.measureCode,
      code: m.measureCode,
      href: choiceHref(m.measureCode),
      aim: m.coreAim ? (aimTitle.get(m.coreAim) ?? m.coreAim) : "",
      count: m.chosenBy.length,
      areas: m.chosenBy.map((c) => areas.name(c.areaCode)).join(", "),
    });
    return renderPage(
      app,
      request,
      reply,
      "plans/choices.njk",
      address,
      () => ({
        period,
        periods: r.periods.map((p) => ({ value: p, text: p, selected: p === period })),
        status: areas.localAuthorities.map((code) => {
          const p = byCode.get(code);
          return {
            area: areas.name(code),
            href: p ? planAddress(lang, code, p.period) : null,
            status: p ? t(`plans.status.${p.status}`) : t("planchoices.noPlan"),
            version: p ? String(p.version) : "",
            illustrative: p?.illustrative ?? false,
          };
        }),
        planCount: r.plans.length,
        additional: r.additional.map(measureRow),
        local: r.local.map(measureRow),
        aims: r.prioritiesByAim.map((g) => ({
          title: aimTitle.get(g.coreAim) ?? g.coreAim,
          count: g.priorities.length,
          priorities: g.priorities.map((p) => ({ area: areas.name(p.areaCode), text: inLanguage(p.text, lang) })),
        })),
        matrix,
        downloads: { csv: link("csv"), xlsx: link("xlsx") },
      }),
      { cache: false },
    );
  });

  app.get("/plans/choices/:code", PUBLIC_PAGE, async (request, reply) => {
    const { lang, t } = pageLanguage(request);
    const q = parsePageQuery(choiceQuery, request.query, (f, v) => badChoice(t, f, v));
    const code = (request.params as { code: string }).code;
    const r = await rollup(request, t, q.period);
    const period = q.period ?? r.periods[0];
    const m = [...r.additional, ...r.local].find((x) => x.measureCode === code);
    if (!m) throw new NotFoundError(`no partnership chose ${code}`);
    const areas = await areaNames(lang);
    const title = m.title ? inLanguage(m.title, lang) : m.measureCode;
    return renderPage(
      app,
      request,
      reply,
      "plans/choice.njk",
      withQuery(`/${lang}/plans/choices/${code}`, { period: q.period }),
      () => ({
        measure: { code, title, href: `/${lang}/measures/${code}` },
        period,
        back: withQuery(`/${lang}/plans/choices`, { period: q.period }),
        rows: m.chosenBy.map((c) => ({
          area: areas.name(c.areaCode),
          href: `${planAddress(lang, c.areaCode, c.period)}/measures/${code}`,
          priority: c.priority ? inLanguage(c.priority, lang) : "",
          reason: c.reason ? inLanguage(c.reason, lang) : "",
        })),
      }),
      { cache: false },
    );
  });
}
