/**
 * Outcome agreements (issue 16), under /en and /cy: GET /agreements (the agreements the reader may see: agreed ones
 * for everyone, drafts for national roles and the authority's editors) and GET /agreements/:area/:period (its
 * outcomes, each outcome's measures' latest values against their targets, the authority's and the moderated
 * assessments, and each year's score and grant payable written out in words).
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Language } from "../../domain/enums.ts";
import { NotFoundError } from "../../domain/errors.ts";
import { explainGrant, formatPounds } from "../../render/wording/agreement-score.ts";
import type { Translate } from "../../render/wording/translate.ts";
import type { AgreementActor, AgreementDetail } from "../../services/agreements/index.ts";
import { displayValue } from "../pages/labels.ts";
import { pageLanguage, renderPage } from "../pages/page-kit.ts";
import { inLanguage } from "../pages/plan-view.ts";
import { PUBLIC_PAGE } from "../public-page.ts";

const params = z.object({ area: z.string().regex(/^[A-Za-z]\d{8}$/), period: z.string().regex(/^\d{4}-\d{2}$/) });

function actorOf(request: FastifyRequest): AgreementActor | null {
  const u = request.user;
  return u ? { id: u.id, email: u.email, role: u.role, areaCodes: u.areaCodes, channel: "web" } : null;
}

function yearView(d: AgreementDetail, t: Translate, lang: Language) {
  return d.years.map((y) => {
    const moderated = y.moderated ? explainGrant(d.scheme, y.moderated, t, lang) : null;
    const authority = y.authority ? explainGrant(d.scheme, y.authority, t, lang) : null;
    return {
      year: y.year,
      assessed: t("agreements.page.assessed", { assessed: y.assessed, outcomes: d.scheme.outcomes }),
      complete: moderated !== null,
      score: y.moderated
        ? t("agreements.page.scoreOf", { points: y.moderated.points, maximum: y.moderated.maximum })
        : null,
      payable:
        y.moderated?.payablePence != null
          ? formatPounds(y.moderated.payablePence, lang)
          : t("agreements.page.notKnown"),
      explanation: moderated,
      /** The authority's own assessments give a different result: said alongside. */
      authority: authority && authority.summary !== moderated?.summary ? authority.summary : null,
    };
  });
}

function outcomeViews(d: AgreementDetail, t: Translate, lang: Language) {
  const category = (c: string) => t(`agreements.category.${c}`);
  return d.outcomes.map((o) => ({
    position: o.position,
    title: inLanguage(o.title, lang),
    theme: o.theme,
    measures: o.measures.map((m) => ({
      title: m.measure ? inLanguage(m.measure.title, lang) : m.code,
      href: m.measure ? `/${lang}/measures/${m.code}` : null,
      latestPeriod: m.latest?.period ?? "",
      latest: m.latest && m.measure ? displayValue(lang, m.measure, m.latest.value) : t("agreements.page.noValue"),
      target: m.target && m.measure ? `${displayValue(lang, m.measure, m.target.value)} (${m.target.period})` : "",
      status: t(`agreements.targetStatus.${m.status ?? "none"}`),
    })),
    assessments: o.assessments.map((a) => ({
      year: a.year,
      self: a.self
        ? { category: category(a.self.category), evidence: a.self.evidence, collaboration: a.self.collaboration }
        : null,
      moderated: a.moderated ? { category: category(a.moderated.category), reason: a.moderated.reason } : null,
      versions: a.history.length,
    })),
  }));
}

export async function agreementRoutes(app: FastifyInstance): Promise<void> {
  const service = app.services.agreements;
  const pv = app.services.publicViews;

  async function areaName(lang: Language) {
    const a = await pv.areas();
    return (code: string) => {
      const area = a.byCode.get(code);
      return area ? inLanguage(area.name, lang) : code;
    };
  }

  app.get("/agreements", PUBLIC_PAGE, async (request, reply) => {
    const { lang, t } = pageLanguage(request);
    const name = await areaName(lang);
    const rows = await service.list(actorOf(request));
    return renderPage(
      app,
      request,
      reply,
      "agreements/list.njk",
      `/${lang}/agreements`,
      () => ({
        rows: rows.map((r) => ({
          area: name(r.areaCode),
          areaCode: r.areaCode,
          href: `/${lang}/agreements/${r.areaCode}/${r.period}`,
          period: r.period,
          scheme: `${r.schemeCode} (${t("agreements.page.version", { version: r.schemeVersion })})`,
          status: t(`agreements.status.${r.status}`),
          grant: formatPounds(r.grantPence, lang),
          illustrative: r.illustrative,
        })),
      }),
      { cache: false },
    );
  });

  app.get("/agreements/:area/:period", PUBLIC_PAGE, async (request, reply) => {
    const p = params.safeParse(request.params);
    if (!p.success) throw new NotFoundError("no such agreement");
    const { lang, t } = pageLanguage(request);
    const d = await service.get(actorOf(request), { areaCode: p.data.area.toUpperCase(), period: p.data.period });
    const name = await areaName(lang);
    const a = d.agreement;
    const address = `/${lang}/agreements/${a.areaCode}/${a.period}`;
    const points = d.scheme.points;
    return renderPage(
      app,
      request,
      reply,
      "agreements/agreement.njk",
      address,
      () => ({
        agreement: {
          area: name(a.areaCode),
          areaCode: a.areaCode,
          period: a.period,
          status: t(`agreements.status.${a.status}`),
          isPublic: a.status === "agreed",
          illustrative: a.illustrative,
          grant: formatPounds(a.grantPence, lang),
          agreedBy:
            a.status === "agreed"
              ? t("agreements.page.agreedBy", {
                  government: a.agreedByGovernment ?? "",
                  authority: a.agreedByAuthority ?? "",
                  date: a.agreedAt ? a.agreedAt.toISOString().slice(0, 10) : "",
                })
              : null,
        },
        scheme: {
          name: `${inLanguage(d.scheme.name, lang)} (${t("agreements.page.version", { version: d.schemeVersion })})`,
          notes: d.scheme.notes ? inLanguage(d.scheme.notes, lang) : null,
          points: t("agreements.page.points", points),
          pointsNote: d.scheme.pointsStated ? null : t("agreements.score.pointsNote"),
        },
        address,
        years: yearView(d, t, lang),
        outcomes: outcomeViews(d, t, lang),
      }),
      { cache: false },
    );
  });
}
