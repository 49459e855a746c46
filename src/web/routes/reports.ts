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
import { badChoice, citeUrl, pageLanguage, renderPage } from "../pages/page-kit.ts";
import { one, parsePageQuery } from "../pages/query-schemas.ts";
import { agendaDocument, rightsDocumentIn, rightsDocx } from "../pages/rights-report.ts";
import { PUBLIC_PAGE } from "../public-page.ts";
import { agendaRoutes } from "./agenda.ts";
import { planActor } from "./plans.ts";

const reportQuery = z.object({ "as-at": one.optional() });
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
    return renderPage(
      app,
      request,
      reply,
      "reports/document.njk",
      `/${lang}/reports/rights`,
      () => ({ doc, docx, docxBilingual: `${docx}${asAt ? "&" : "?"}bilingual=1`, links, asAtForm }),
      {
        cache: false,
      },
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
