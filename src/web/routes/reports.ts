/**
 * National reports (issue 15), under /en and /cy: GET /reports/rights, the children's rights report by core aim and
 * UNCRC article, and /reports/rights.docx, the same report as a Word document (the page language, or with
 * ?bilingual=1 both, Welsh first), built from the stored analysis and the plans the reader may see; and
 * /reports/data-development, the data development agenda (measures in development and coverage gaps).
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Language } from "../../domain/enums.ts";
import { NotFoundError } from "../../domain/errors.ts";
import { attachment } from "../../render/tables/download-table.ts";
import { dataDevelopmentAgenda, type RightsReport, rightsReport } from "../../services/reports/rights.ts";
import { translator } from "../i18n.ts";
import { badChoice, citeUrl, pageLanguage, renderPage } from "../pages/page-kit.ts";
import { one, parsePageQuery } from "../pages/query-schemas.ts";
import { agendaDocument, rightsDocumentIn, rightsDocx } from "../pages/rights-report.ts";
import { PUBLIC_PAGE } from "../public-page.ts";
import { planActor } from "./plans.ts";

const docxQuery = z.object({ bilingual: one.pipe(z.enum(["0", "1"])).optional() });

export async function reportRoutes(app: FastifyInstance): Promise<void> {
  async function load(request: FastifyRequest): Promise<RightsReport> {
    const r = await rightsReport(app.services, planActor(request));
    if (!r) throw new NotFoundError("no framework has been imported");
    return r;
  }

  const address = (lang: Language) => citeUrl(app, `/${lang}/reports/rights`);

  app.get("/reports/rights", PUBLIC_PAGE, async (request, reply) => {
    const { lang } = pageLanguage(request);
    const doc = await rightsDocumentIn(app.services, await load(request), lang, address(lang));
    const links = [{ href: `/${lang}/reports/data-development`, text: translator(lang)("agenda.link") }];
    const docx = `/${lang}/reports/rights.docx`;
    return renderPage(
      app,
      request,
      reply,
      "reports/document.njk",
      `/${lang}/reports/rights`,
      () => ({ doc, docx, links }),
      {
        cache: false,
      },
    );
  });

  app.get("/reports/data-development", PUBLIC_PAGE, async (request, reply) => {
    const { lang, t } = pageLanguage(request);
    const agenda = await dataDevelopmentAgenda(app.services);
    const view = await app.services.framework.current();
    if (!agenda || !view) throw new NotFoundError("no framework has been imported");
    const doc = agendaDocument(agenda, { lang, t, aims: view.aims });
    const links = [{ href: `/${lang}/reports/rights`, text: t("rights.link") }];
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
    const r = await load(request);
    const languages: Language[] = q.bilingual === "1" ? ["cy", "en"] : [lang];
    const file = await rightsDocx(app.services, r, languages, address);
    const name = `childrens-rights-report${q.bilingual === "1" ? "-cy-en" : `-${lang}`}`;
    return reply
      .type("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
      .header("content-disposition", attachment(name, "docx"))
      .header("cache-control", request.user ? "private, no-store" : "public, max-age=60")
      .send(file);
  });
}
