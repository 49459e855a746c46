/**
 * GET /agreements (agreed outcome agreements whose summaries are published, filtered by authority and period) and
 * /agreements/{GSS}/{period} (one: its outcomes with their measures, targets and links to the authority's plan, each
 * year's assessments, score and grant payable with the arithmetic in words in English and Welsh, and its variations).
 * Drafts and unpublished agreements are not found.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Scheme } from "../domain/agreements/scheme.ts";
import { NotFoundError } from "../domain/errors.ts";
import { explainGrant } from "../render/wording/agreement-score.ts";
import type { AgreementDetail, YearResult } from "../services/agreements/index.ts";
import { translator } from "../web/i18n.ts";
import { notFound } from "./errors.ts";
import { linkHeader, paginate } from "./pagination.ts";
import { pageParams, parseQuery, single } from "./query.ts";
import { sendJson } from "./respond.ts";

export const listQuery = z.strictObject({
  authority: single.optional(),
  period: single.optional(),
  ...pageParams,
});
export const detailQuery = z.strictObject({});

const text = (t: { en: string; cy?: string | undefined }) => ({ en: t.en, cy: t.cy ?? null });

function year(scheme: Scheme, y: YearResult) {
  const c = y.moderated;
  const words = (lang: "en" | "cy") => {
    if (!c) return "";
    const e = explainGrant(scheme, c, translator(lang), lang);
    return [e.summary, e.rule, ...e.parts].join(" ");
  };
  return {
    year: y.year,
    assessed: y.assessed,
    points: c?.points ?? null,
    maximum: c?.maximum ?? scheme.outcomes * scheme.points.fully,
    successful: c?.successful ?? null,
    collaboration: y.collaboration,
    rule: c?.rule ?? null,
    grantPayable: c?.grantPayable ?? null,
    authorityPoints: y.authority?.points ?? null,
    judged: y.judged,
    explanation: c ? { en: words("en"), cy: words("cy") } : null,
  };
}

function summary(d: Pick<AgreementDetail, "agreement" | "scheme" | "schemeVersion" | "years" | "outcomes">) {
  const a = d.agreement;
  const latest = d.years.filter((y) => y.moderated !== null).at(-1);
  const themes = new Map<string | null, number>();
  for (const o of d.outcomes) themes.set(o.theme, (themes.get(o.theme) ?? 0) + 1);
  return {
    authority: a.areaCode,
    period: a.period,
    scheme: d.scheme.code,
    schemeVersion: d.schemeVersion,
    status: "agreed" as const,
    illustrative: a.illustrative,
    grant: a.grantPence / 100,
    latest: latest ? year(d.scheme, latest) : null,
    themes: [...themes].map(([theme, outcomes]) => ({ theme, outcomes })),
    pages: { en: `/en/agreements/${a.areaCode}/${a.period}`, cy: `/cy/agreements/${a.areaCode}/${a.period}` },
    api: `/api/v1/agreements/${a.areaCode}/${a.period}`,
  };
}

export async function agreementApi(app: FastifyInstance): Promise<void> {
  const agreements = app.services.agreements;

  app.get("/agreements", async (request, reply) => {
    const q = parseQuery(listQuery, request.query);
    const rows = (await agreements.list(null)).filter(
      (r) => (!q.authority || r.areaCode === q.authority.toUpperCase()) && (!q.period || r.period === q.period),
    );
    const items = [];
    for (const r of rows) items.push(summary(await agreements.get(null, r)));
    const page = paginate(request, items, q);
    return sendJson(request, linkHeader(reply, page), page);
  });

  app.get("/agreements/:area/:period", async (request, reply) => {
    parseQuery(detailQuery, request.query);
    const { area, period } = request.params as { area: string; period: string };
    let d: AgreementDetail;
    try {
      d = await agreements.get(null, { areaCode: area.toUpperCase(), period });
    } catch (error) {
      if (error instanceof NotFoundError)
        throw notFound(
          `No published agreement for "${area}" and "${period}"; see /api/v1/agreements for the agreements`,
        );
      throw error;
    }
    const a = d.agreement;
    return sendJson(request, reply, {
      data: {
        ...summary(d),
        agreedBy: {
          government: a.agreedByGovernment,
          governmentOn: a.governmentAgreedOn,
          authority: a.agreedByAuthority,
          authorityOn: a.authorityAgreedOn,
        },
        years: d.years.map((y) => year(d.scheme, y)),
        outcomes: d.outcomes.map((o) => ({
          position: o.position,
          title: text(o.title),
          theme: o.theme,
          measures: o.measureCodes,
          localMeasures: o.localMeasures,
          planLinks: o.planLinks.map((l) => ({ kind: l.kind, plan: l.plan, title: text(l.title) })),
          targets: o.measures.flatMap((m) => (m.target ? [{ measure: m.code, ...m.target }] : [])),
          assessments: o.assessments.map((p) => ({
            year: p.year,
            self: p.self?.category ?? null,
            moderated: p.moderated?.category ?? null,
            moderationReason: p.moderated?.reason ?? null,
          })),
        })),
        variations: d.variations.map((v) => ({
          number: v.number,
          kind: v.kind,
          outcome: v.outcomePosition,
          reason: v.reason,
          before: v.before,
          after: v.after,
          createdAt: v.createdAt.toISOString(),
        })),
      },
    });
  });
}
