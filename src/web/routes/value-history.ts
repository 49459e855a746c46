/**
 * The revision history of one value, for national analysts and administrators: GET /data/history?measure=…&area=…
 * &period=…&breakdown=… shows every revision (value, who, when, batch and its status, reason, what it replaced) and a
 * form to choose another value; GET /data/history.csv?… downloads the same table in the page's language. Drafts and
 * embargoed values are included, so nothing here is cached. A missing or malformed key is a 400 naming the field; a
 * key with no value is a 404.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { downloadCells } from "../../render/document/table.ts";
import { toCsv } from "../../render/tables/csv.ts";
import { attachment } from "../../render/tables/download-table.ts";
import { areaName } from "../../services/public/area-directory.ts";
import { pick } from "../i18n.ts";
import { pageLanguage } from "../pages/page-kit.ts";
import {
  type HistoryKey,
  type HistoryQuery,
  historyChoices,
  historyTable,
  historyUrls,
  keyLabels,
  parseHistoryQuery,
} from "../pages/value-history-view.ts";
import { manageData } from "./import.ts";

export async function valueHistoryRoutes(app: FastifyInstance): Promise<void> {
  /** Measures and areas, named in the page language, for the form and the summary. */
  async function names(request: FastifyRequest) {
    const { lang } = pageLanguage(request);
    const [framework, dir] = await Promise.all([app.services.framework.current(), app.services.publicViews.areas()]);
    const measures = (framework?.measures ?? []).map((m) => {
      const title = pick(m.title, lang);
      return { code: m.code, name: title.text, english: title.fallback };
    });
    const areas = [...(dir.wales ? [dir.wales] : []), ...dir.localAuthorities, ...dir.groupings].map((a) => ({
      code: a.code,
      name: areaName(a, lang),
      english: lang === "cy" && !a.name.cy,
    }));
    return { measures, areas };
  }

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    context: { key?: HistoryKey; q?: HistoryQuery; [k: string]: unknown },
  ) {
    const { t } = pageLanguage(request);
    const n = await names(request);
    const q = context.q;
    const chosen = context.key ?? (q?.kind === "invalid" ? q.values : {});
    const key = context.key;
    const errors = q?.kind === "invalid" ? q.errors : [];
    const hidden = t("errors.prefix").replace(":", "");
    return reply
      .code(status)
      .header("cache-control", "no-store")
      .render("import/history.njk", {
        ...context,
        errors,
        fieldErrors: Object.fromEntries(errors.map((e) => [e.field, { text: t(e.key), visuallyHiddenText: hidden }])),
        values: { ...chosen, breakdown: chosen.breakdown || "total" },
        choices: historyChoices(n.measures, n.areas, chosen, t),
        labels: key
          ? keyLabels(
              key,
              {
                measure: n.measures.find((m) => m.code === key.measure),
                area: n.areas.find((a) => a.code === key.area),
              },
              t,
            )
          : null,
      });
  }

  /** The revisions of the value in the query, or null when the reply (form, 400, 404) has been sent. */
  async function revisionsOf(request: FastifyRequest, reply: FastifyReply, allowEmpty: boolean) {
    const q = parseHistoryQuery(request.query, allowEmpty);
    if (q.kind === "empty") {
      await render(request, reply, 200, {});
      return null;
    }
    if (q.kind === "invalid") {
      await render(request, reply, 400, { q });
      return null;
    }
    const revisions = await app.services.batches.history({
      measureCode: q.key.measure,
      areaCode: q.key.area,
      period: q.key.period,
      breakdown: q.key.breakdown,
    });
    if (revisions.length === 0) {
      await render(request, reply, 404, { key: q.key, notFound: true });
      return null;
    }
    return { key: q.key, revisions };
  }

  app.get("/data/history", { preHandler: manageData }, async (request, reply) => {
    const found = await revisionsOf(request, reply, true);
    if (!found) return reply;
    const { lang, t } = pageLanguage(request);
    return render(request, reply, 200, {
      key: found.key,
      table: historyTable(found.revisions, lang, t, new Date()),
      urls: historyUrls(lang, found.key),
    });
  });

  app.get("/data/history.csv", { preHandler: manageData }, async (request, reply) => {
    const found = await revisionsOf(request, reply, false);
    if (!found) return reply;
    const { lang, t } = pageLanguage(request);
    const { key } = found;
    const fileName = [t("import.history.fileName"), key.measure, key.area, key.period, key.breakdown].join("-");
    return reply
      .header("cache-control", "no-store")
      .header("content-disposition", attachment(fileName, "csv"))
      .type("text/csv; charset=utf-8")
      .send(toCsv(downloadCells(historyTable(found.revisions, lang, t, new Date()))));
  });
}
