/**
 * Outcome agreements (issue 16), under /en and /cy: GET /agreements (the agreements the reader may see: agreed ones
 * for everyone, drafts for national roles and the authority's editors) and GET /agreements/:area/:period (its
 * outcomes, each outcome's measures' latest values against their targets, the authority's and the moderated
 * assessments, and each year's score and grant payable written out in words).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Language } from "../../domain/enums.ts";
import { InvalidError, NotFoundError } from "../../domain/errors.ts";
import { DATA_MANAGERS, hasRole, permissions } from "../../domain/permissions.ts";
import { explainGrant, formatPounds } from "../../render/wording/agreement-score.ts";
import type { Translate } from "../../render/wording/translate.ts";
import type { AgreementActor, AgreementDetail } from "../../services/agreements/index.ts";
import { requireArea, requireRole } from "../guards.ts";
import { displayValue } from "../pages/labels.ts";
import { pageLanguage, renderPage } from "../pages/page-kit.ts";
import { inLanguage } from "../pages/plan-view.ts";
import { PUBLIC_PAGE } from "../public-page.ts";

const params = z.object({ area: z.string().regex(/^[A-Za-z]\d{8}$/), period: z.string().regex(/^\d{4}-\d{2}$/) });

const formBody = z.object({
  year: z.string(),
  outcome: z.coerce.number().int().min(1),
  category: z.string().optional(),
  evidence: z.string().optional(),
  collaboration: z.string().optional(),
  reason: z.string().optional(),
});
const yearQuery = z.object({ year: z.string().optional() });
type FormMode = "self" | "moderate";

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

/** Each variation in words: what changed, what it replaced, why, who and when. */
function variationViews(d: AgreementDetail, t: Translate, lang: Language) {
  const terms = (v: Record<string, unknown>) => {
    if (typeof v.grantPence === "number") return formatPounds(v.grantPence, lang);
    const title = v.title as { en: string; cy?: string } | undefined;
    const measures = [...((v.measureCodes as string[]) ?? []), ...((v.localMeasures as string[]) ?? [])];
    const targets = ((v.targets as { measureCode: string; period: string; value: number }[]) ?? []).map(
      (x) => `${x.measureCode} ${x.period}: ${x.value}`,
    );
    return [
      title ? inLanguage(title, lang) : "",
      measures.length ? `${t("agreements.page.measures")}: ${measures.join(", ")}` : "",
      targets.length ? `${t("agreements.page.targets")}: ${targets.join("; ")}` : "",
    ]
      .filter(Boolean)
      .join(". ");
  };
  return d.variations.map((v) => ({
    number: v.number,
    what:
      v.kind === "grant"
        ? t("agreements.page.variedGrant")
        : t("agreements.page.variedOutcome", { position: v.outcomePosition ?? 0 }),
    before: terms(v.before),
    after: terms(v.after),
    reason: v.reason,
    by: `${v.author.replace(/^[a-z]+:/, "")}, ${v.createdAt.toISOString().slice(0, 10)}`,
  }));
}

function outcomeViews(d: AgreementDetail, t: Translate, lang: Language) {
  const category = (c: string) => t(`agreements.category.${c}`);
  return d.outcomes.map((o) => ({
    position: o.position,
    title: inLanguage(o.title, lang),
    theme: o.theme,
    localMeasures: o.localMeasures,
    planLinks: o.planLinks.map(
      (l) => `${t(`agreements.outcome.link.${l.kind}`)}: ${inLanguage(l.title, lang)} (${l.plan})`,
    ),
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

/** What a national role may do from the agreement's page, by its status. */
function nationalActions(request: FastifyRequest, d: AgreementDetail, address: string) {
  const user = request.user;
  if (!user || !hasRole(user, DATA_MANAGERS)) return null;
  const status = d.agreement.status;
  const negotiable = status === "draft" || status === "returned";
  return {
    addOutcome: negotiable && d.outcomes.length < d.scheme.outcomes ? `${address}/outcomes` : null,
    agree: status !== "agreed" ? `${address}/agree` : null,
    vary: status === "agreed" ? `${address}/vary` : null,
    judge: status === "agreed" && d.scheme.parts.some((p) => p.key !== "outcomes") ? `${address}/judge` : null,
    publish: status === "agreed" && user.role === "national_admin" ? `${address}/publish` : null,
  };
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
          isPublic: a.status === "agreed" && a.summaryPublished,
          illustrative: a.illustrative,
          grant: formatPounds(a.grantPence, lang),
          agreedBy:
            a.status === "agreed"
              ? t("agreements.page.agreedBy", {
                  government: a.agreedByGovernment ?? "",
                  governmentOn: a.governmentAgreedOn ?? a.agreedAt?.toISOString().slice(0, 10) ?? "",
                  authority: a.agreedByAuthority ?? "",
                  authorityOn: a.authorityAgreedOn ?? a.agreedAt?.toISOString().slice(0, 10) ?? "",
                })
              : null,
          published: a.summaryPublished,
        },
        scheme: {
          name: `${inLanguage(d.scheme.name, lang)} (${t("agreements.page.version", { version: d.schemeVersion })})`,
          notes: d.scheme.notes ? inLanguage(d.scheme.notes, lang) : null,
          points: t("agreements.page.points", points),
          pointsNote: d.scheme.pointsStated ? null : t("agreements.score.pointsNote"),
        },
        address,
        forms:
          a.status === "agreed" && request.user
            ? {
                self: permissions.canEditArea(request.user, a.areaCode) ? `${address}/assess` : null,
                moderate: hasRole(request.user, DATA_MANAGERS) ? `${address}/moderate` : null,
              }
            : null,
        national: nationalActions(request, d, address),
        variations: variationViews(d, t, lang),
        years: yearView(d, t, lang),
        outcomes: outcomeViews(d, t, lang),
      }),
      { cache: false },
    );
  });

  const areaParam = (request: FastifyRequest) => (request.params as { area?: string }).area?.toUpperCase();
  const guards: Record<FormMode, ReturnType<typeof requireRole>> = {
    self: requireArea(areaParam),
    // national roles moderate (the same roles that manage data nationally)
    moderate: requireRole(DATA_MANAGERS),
  };

  /** The self-assessment or moderation form of one year: a form per outcome, each saved on its own. */
  async function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    mode: FormMode,
    wantedYear: string | undefined,
    error: { outcome: number; field: string; text: string; values: Record<string, string> } | null,
  ) {
    const p = params.safeParse(request.params);
    if (!p.success) throw new NotFoundError("no such agreement");
    const { lang, t } = pageLanguage(request);
    const d = await service.get(actorOf(request), { areaCode: p.data.area.toUpperCase(), period: p.data.period });
    if (d.agreement.status !== "agreed") throw new NotFoundError("the agreement is not agreed yet");
    const year = wantedYear ?? d.period.years[0]!;
    if (!d.period.years.includes(year)) throw new NotFoundError(`no year ${year}`);
    const name = await areaName(lang);
    const address = `/${lang}/agreements/${d.agreement.areaCode}/${d.agreement.period}`;
    const category = (c: string) => t(`agreements.category.${c}`);
    return reply.code(error ? 400 : 200).render("agreements/assess.njk", {
      mode,
      year,
      years: d.period.years,
      address,
      formAddress: `${address}/${mode === "self" ? "assess" : "moderate"}`,
      agreement: { area: name(d.agreement.areaCode), period: d.agreement.period },
      categories: ["fully", "partially", "unsuccessful"].map((value) => ({ value, text: category(value) })),
      error: error ? { ...error, id: `${error.field}-${error.outcome}` } : null,
      outcomes: d.outcomes.map((o) => {
        const pair = o.assessments.find((a) => a.year === year);
        const mine = error?.outcome === o.position ? error.values : null;
        const current =
          mode === "moderate"
            ? pair?.self
              ? t("agreements.form.authoritySaid", {
                  category: category(pair.self.category),
                  evidence: pair.self.evidence,
                })
              : t("agreements.page.notAssessed")
            : null;
        const shown = mode === "self" ? pair?.self : (pair?.moderated ?? pair?.self);
        return {
          position: o.position,
          title: inLanguage(o.title, lang),
          current,
          category: mine?.category ?? shown?.category ?? "",
          evidence: mine?.evidence ?? pair?.self?.evidence ?? "",
          collaboration: mine?.collaboration ?? pair?.self?.collaboration ?? "",
          reason: mine?.reason ?? pair?.moderated?.reason ?? "",
        };
      }),
    });
  }

  for (const mode of ["self", "moderate"] as const) {
    const path = `/agreements/:area/:period/${mode === "self" ? "assess" : "moderate"}`;
    app.get(path, { preHandler: guards[mode] }, async (request, reply) => {
      const q = yearQuery.safeParse(request.query);
      return renderForm(request, reply, mode, q.success ? q.data.year : undefined, null);
    });
    app.post(path, { preHandler: [app.csrfProtection, guards[mode]] }, async (request, reply) => {
      const p = params.safeParse(request.params);
      const b = formBody.safeParse(request.body ?? {});
      if (!p.success || !b.success) throw new NotFoundError("no such agreement or outcome");
      const { lang, t } = pageLanguage(request);
      const ref = { areaCode: p.data.area.toUpperCase(), period: p.data.period };
      const actor = actorOf(request)!;
      const body = b.data;
      const values = {
        category: body.category ?? "",
        evidence: body.evidence ?? "",
        collaboration: body.collaboration ?? "",
        reason: body.reason ?? "",
      };
      const missing = !body.category
        ? "category"
        : mode === "self" && !values.evidence.trim()
          ? "evidence"
          : mode === "moderate" && !values.reason.trim()
            ? "reason"
            : null;
      if (missing)
        return renderForm(request, reply, mode, body.year, {
          outcome: body.outcome,
          field: missing,
          text: t(`agreements.form.errors.${missing}`),
          values,
        });
      try {
        if (mode === "self")
          await service.selfAssess(actor, ref, {
            outcome: body.outcome,
            year: body.year,
            category: values.category,
            evidence: values.evidence,
            collaboration: values.collaboration,
          });
        else
          await service.moderate(actor, ref, {
            outcome: body.outcome,
            year: body.year,
            category: values.category,
            reason: values.reason,
          });
      } catch (error) {
        if (error instanceof InvalidError || (error as { code?: string }).code === "not_assessed")
          return renderForm(request, reply, mode, body.year, {
            outcome: body.outcome,
            field: mode === "self" ? "category" : "reason",
            text: t(
              `agreements.form.errors.${(error as { code?: string }).code === "not_assessed" ? "notAssessed" : "invalid"}`,
            ),
            values,
          });
        throw error;
      }
      return reply.redirect(
        `/${lang}/agreements/${ref.areaCode}/${ref.period}/${mode === "self" ? "assess" : "moderate"}?year=${encodeURIComponent(body.year)}#outcome-${body.outcome}`,
        303,
      );
    });
  }
}
