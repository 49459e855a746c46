/**
 * National reports (issue 15), under /en and /cy: GET /reports/rights, the children's rights report by core aim and
 * UNCRC article, and /reports/rights.docx, the same report as a Word document (the page language, or with
 * ?bilingual=1 both, Welsh first), built from the stored analysis and the plans the reader may see; and
 * /reports/data-development, the data development agenda (measures in development and coverage gaps).
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { type AsAt, parseAsAt } from "../../domain/as-at.ts";
import type { Language } from "../../domain/enums.ts";
import { InvalidError, NotFoundError } from "../../domain/errors.ts";
import type { Translate } from "../../render/wording/translate.ts";
import { attachment } from "../../render/tables/download-table.ts";
import { permissions } from "../../domain/permissions.ts";
import { type RightsReport, rightsReport } from "../../services/reports/rights.ts";
import { translator } from "../i18n.ts";
import type { RenderedDocument, TableModel } from "../../render/document/index.ts";
import { toDownload } from "../../render/document/table.ts";
import { downloadExtras } from "../pages/download-meta.ts";
import { badChoice, citeUrl, pageLanguage, renderPage, sendDownload } from "../pages/page-kit.ts";
import { withQuery } from "../pages/urls.ts";
import { one, parsePageQuery } from "../pages/query-schemas.ts";
import { agendaDocument, rightsDocumentIn, rightsDocx } from "../pages/rights-report.ts";
import { PUBLIC_PAGE } from "../public-page.ts";
import { agendaRoutes } from "./agenda.ts";
import { planActor } from "./plans.ts";

const reportQuery = z.object({ "as-at": one.optional() });
const downloadQuery = reportQuery.extend({
  table: one.pipe(z.string().regex(/^[A-Za-z0-9-]{1,40}$/)),
  format: one.pipe(z.enum(["csv", "xlsx"])).optional(),
});

/** The table `id` of a document, or null. */
function tableOf(doc: RenderedDocument, id: string): TableModel | null {
  for (const b of doc.blocks) if (b.kind === "table" && b.table.id === id) return b.table;
  return null;
}
const docxQuery = reportQuery.extend({ bilingual: one.pipe(z.enum(["0", "1"])).optional() });

/** The report's `?as-at=YYYY-MM-DD`, or null without one; anything but a real date is a 400 in the page's language. */
function asAtOf(t: Translate, value: string | undefined): AsAt | null {
  if (value === undefined) return null;
  const asAt = parseAsAt(value);
  if (asAt) return asAt;
  const message = t("rights.asAt.invalid", { value });
  throw new InvalidError(message, { code: "invalid_date", publicMessage: message });
}

export async function reportRoutes(app: FastifyInstance): Promise<void> {
  await agendaRoutes(app);
  async function load(request: FastifyRequest, asAt: AsAt | null): Promise<RightsReport> {
    // As at a day that has ended, the report is the same for every reader (the public's view then) and can only
    // change with published data (which clears the cache): it is computed once, not on every request.
    const r =
      asAt && asAt.until < new Date()
        ? await app.services.publicViews.cache.get(`rights:as-at:${asAt.date}`, () =>
            rightsReport(app.services, null, { asAt }),
          )
        : await rightsReport(app.services, planActor(request), { asAt });
    if (!r) throw new NotFoundError("no framework has been imported");
    return r;
  }

  const asAtQuery = (asAt: AsAt | null) => (asAt ? `?as-at=${asAt.date}` : "");
  const address = (asAt: AsAt | null) => (lang: Language) => citeUrl(app, `/${lang}/reports/rights${asAtQuery(asAt)}`);

  app.get("/reports/rights", PUBLIC_PAGE, async (request, reply) => {
    const { lang, t } = pageLanguage(request);
    const q = parsePageQuery(reportQuery, request.query, (f, v) => badChoice(t, f, v));
    const asAt = asAtOf(t, q["as-at"]);
    const doc = await rightsDocumentIn(app.services, await load(request, asAt), lang, address(asAt)(lang));
    const links = [{ href: `/${lang}/reports/data-development`, text: translator(lang)("agenda.link") }];
    const docx = `/${lang}/reports/rights.docx${asAtQuery(asAt)}`;
    const asAtForm = { action: `/${lang}/reports/rights`, value: asAt?.date ?? "" };
    const downloadBase = withQuery(`/${lang}/reports/rights/download`, { "as-at": asAt?.date });
    return renderPage(
      app,
      request,
      reply,
      "reports/document.njk",
      `/${lang}/reports/rights`,
      () => ({
        doc,
        docx,
        docxBilingual: `${docx}${asAt ? "&" : "?"}bilingual=1`,
        links,
        asAtForm,
        downloadBase,
        downloadJoin: asAt ? "&" : "?",
      }),
      {
        cache: false,
      },
    );
  });

  /**
   * A table of the report as CSV or XLSX, headed in the page's language: always the public's view (published data and
   * plans, as at the date given), so a download cached for one reader never shows another what they may not see.
   */
  app.get("/reports/rights/download", PUBLIC_PAGE, async (request, reply) => {
    const { lang, t } = pageLanguage(request);
    const noTable = (value: string) => {
      const message = t("rights.noTable", { value });
      return new InvalidError(message, { code: "unknown_choice", publicMessage: message });
    };
    const q = parsePageQuery(downloadQuery, request.query, (f, v) => (f === "table" ? noTable(v) : badChoice(t, f, v)));
    const asAt = asAtOf(t, q["as-at"]);
    const format = q.format ?? "csv";
    // as at a past day the report is the public's for everyone (and cached); otherwise the public's view now
    const report =
      asAt && asAt.until < new Date() ? await load(request, asAt) : await rightsReport(app.services, null, { asAt });
    if (!report) throw new NotFoundError("no framework has been imported");
    const page = address(asAt)(lang);
    const doc = await rightsDocumentIn(app.services, report, lang, page);
    const table = tableOf(doc, q.table);
    if (!table) throw noTable(q.table);
    const illustrative = [...report.aims, ...report.articles].some((x) => x.measures.some((m) => m.illustrative));
    return sendDownload(
      app,
      reply,
      withQuery(`/${lang}/reports/rights/download`, { table: q.table, format, "as-at": asAt?.date }),
      format,
      () =>
        toDownload(
          table,
          downloadExtras({
            t,
            lang,
            url: page,
            title: `${doc.title}: ${table.caption}`,
            fileName: `${lang === "cy" ? "hawliau-plant" : "childrens-rights"}-${q.table}${asAt ? `-${asAt.date}` : ""}`,
            illustrative,
          }),
        ),
      () => null,
      t,
    );
  });

  app.get("/reports/data-development", PUBLIC_PAGE, async (request, reply) => {
    const { lang, t } = pageLanguage(request);
    const agenda = await app.services.reports.agenda.view();
    const view = await app.services.framework.current();
    if (!agenda || !view) throw new NotFoundError("no framework has been imported");
    const doc = agendaDocument(agenda, { lang, t, aims: view.aims });
    const links = [{ href: `/${lang}/reports/rights`, text: t("rights.link") }];
    if (permissions.canReviewPlans(request.user ?? null))
      links.push({ href: `/${lang}/reports/data-development/manage`, text: t("agenda.manageLink") });
    return renderPage(
      app,
      request,
      reply,
      "reports/document.njk",
      `/${lang}/reports/data-development`,
      () => ({ doc, links }),
      { cache: false },
    );
  });

  app.get("/reports/rights.docx", PUBLIC_PAGE, async (request, reply) => {
    const { lang, t } = pageLanguage(request);
    const q = parsePageQuery(docxQuery, request.query, (f, v) => badChoice(t, f, v));
    const asAt = asAtOf(t, q["as-at"]);
    const r = await load(request, asAt);
    const languages: Language[] = q.bilingual === "1" ? ["cy", "en"] : [lang];
    const file = await rightsDocx(app.services, r, languages, address(asAt));
    const name = `childrens-rights-report${asAt ? `-${asAt.date}` : ""}${q.bilingual === "1" ? "-cy-en" : `-${lang}`}`;
    return reply
      .type("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
      .header("content-disposition", attachment(name, "docx"))
      .header("cache-control", request.user ? "private, no-store" : "public, max-age=60")
      .send(file);
  });
}
