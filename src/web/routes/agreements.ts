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
import { toDownload } from "../../render/document/table.ts";
import { attachment } from "../../render/tables/download-table.ts";
import { explainGrant, formatPounds } from "../../render/wording/agreement-score.ts";
import type { Translate } from "../../render/wording/translate.ts";
import type { AgreementActor, AgreementDetail } from "../../services/agreements/index.ts";
import { type DownloadFile, TABLE_FORMATS, tableDownload } from "../downloads/send.ts";
import { requireArea, requireRole } from "../guards.ts";
import { translator } from "../i18n.ts";
import { assessmentDocument, assessmentsModel, grantLines, overviewModel } from "../pages/agreement-report.ts";
import { downloadExtras } from "../pages/download-meta.ts";
import { displayValue } from "../pages/labels.ts";
import { citeUrl, pageLanguage, renderPage } from "../pages/page-kit.ts";
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
const overviewQuery = z.object({ period: z.string().optional() });
const downloadQuery = z.object({ format: z.enum(TABLE_FORMATS) });
const docxQuery = z.object({ year: z.string().optional(), language: z.enum(["en", "cy", "both"]).optional() });

/** A download of agreement figures: never cached by others (what a reader may see depends on who they are). */
function sendPrivate(_request: FastifyRequest, reply: FastifyReply, file: DownloadFile) {
  return reply
    .header("cache-control", "private, no-store")
    .header("content-disposition", file.disposition)
    .type(file.type)
    .send(file.body);
}
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
      started: y.assessed > 0,
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

  /** The overview of a period (national roles: all 22 authorities; others: the agreements they may read). */
  async function overview(request: FastifyRequest) {
    const { lang, t } = pageLanguage(request);
    const q = overviewQuery.safeParse(request.query);
    const wanted = q.success ? q.data.period : undefined;
    const o = await service.overview(actorOf(request), wanted);
    const model = overviewModel(o.rows, { t, lang, areaName: await areaName(lang), period: o.period });
    return { lang, t, o, model };
  }

  app.get("/agreements", PUBLIC_PAGE, async (request, reply) => {
    const { lang, t, o, model } = await overview(request);
    const user = request.user;
    const query = o.period ? `period=${encodeURIComponent(o.period)}&` : "";
    return renderPage(
      app,
      request,
      reply,
      "agreements/list.njk",
      `/${lang}/agreements`,
      () => ({
        model,
        periods: o.periods.map((p) => ({ value: p, text: p, selected: p === o.period })),
        downloads: o.rows.length
          ? {
              csv: `/${lang}/agreements/download?${query}format=csv`,
              xlsx: `/${lang}/agreements/download?${query}format=xlsx`,
            }
          : null,
        national: user && hasRole(user, DATA_MANAGERS),
        create: user && hasRole(user, DATA_MANAGERS) ? `/${lang}/agreements/new` : null,
        schemes: user?.role === "national_admin" ? `/${lang}/agreements/schemes` : null,
        illustrative: o.rows.some((r) => r.agreement?.illustrative),
        intro: t("agreements.page.intro"),
      }),
      { cache: false },
    );
  });

  app.get("/agreements/download", PUBLIC_PAGE, async (request, reply) => {
    const { lang, t, o, model } = await overview(request);
    const format = downloadQuery.safeParse(request.query);
    const title = o.period ? t("agreements.overview.title", { period: o.period }) : t("agreements.title");
    const table = toDownload(
      model,
      downloadExtras({
        t,
        lang,
        url: citeUrl(app, `/${lang}/agreements`),
        title,
        fileName: `${lang === "cy" ? "cytundebau-canlyniadau" : "outcome-agreements"}-${o.period ?? ""}`,
        period: o.period ?? undefined,
        illustrative: o.rows.some((r) => r.agreement?.illustrative),
      }),
    );
    return sendPrivate(request, reply, await tableDownload(table, format.success ? format.data.format : "csv"));
  });

  app.get("/agreements/:area/:period/download", PUBLIC_PAGE, async (request, reply) => {
    const p = params.safeParse(request.params);
    if (!p.success) throw new NotFoundError("no such agreement");
    const { lang, t } = pageLanguage(request);
    const d = await service.get(actorOf(request), { areaCode: p.data.area.toUpperCase(), period: p.data.period });
    const area = (await areaName(lang))(d.agreement.areaCode);
    const format = downloadQuery.safeParse(request.query);
    const extras = downloadExtras({
      t,
      lang,
      url: citeUrl(app, `/${lang}/agreements/${d.agreement.areaCode}/${d.agreement.period}`),
      title: t("agreements.page.title", { area, period: d.agreement.period }),
      fileName: `${lang === "cy" ? "cytundeb" : "agreement"}-${d.agreement.areaCode}-${d.agreement.period}`,
      area,
      period: d.agreement.period,
      illustrative: d.agreement.illustrative,
    });
    // the grant payable of each year, in words, goes on the metadata sheet
    extras.metadata.push(
      ...grantLines(d, t, lang).map((line) => ({ label: t("agreements.page.payable"), value: line })),
    );
    const table = toDownload(assessmentsModel(d, t, lang), extras);
    return sendPrivate(request, reply, await tableDownload(table, format.success ? format.data.format : "csv"));
  });

  /** One year's assessment as a Word document, in the page language or both (Welsh first). */
  app.get("/agreements/:area/:period/assessment.docx", PUBLIC_PAGE, async (request, reply) => {
    const p = params.safeParse(request.params);
    if (!p.success) throw new NotFoundError("no such agreement");
    const { lang, t } = pageLanguage(request);
    const d = await service.get(actorOf(request), { areaCode: p.data.area.toUpperCase(), period: p.data.period });
    const q = docxQuery.safeParse(request.query);
    const year = q.success && q.data.year ? q.data.year : d.period.years[0]!;
    if (!d.period.years.includes(year)) throw new NotFoundError(`no year ${year}`);
    const wanted = q.success ? q.data.language : undefined;
    const languages: Language[] = wanted === "both" ? ["cy", "en"] : [wanted ?? lang];
    const parts = [];
    for (const l of languages) {
      const tl = translator(l);
      const area = (await areaName(l))(d.agreement.areaCode);
      parts.push({
        doc: assessmentDocument(d, { t: tl, lang: l, area, year }),
        header: tl("agreements.report.header", { area, period: d.agreement.period, year }),
        pageLabel: tl("plandoc.pageLabel"),
      });
    }
    const { renderDocx } = await import("../../render/document/docx.ts"); // large (docx, resvg): loaded for the first DOCX
    const file = await renderDocx(parts, {
      title: parts.map((x) => x.doc.title).join(" / "),
      creator: t("service.name"),
      description: `/${lang}/agreements/${d.agreement.areaCode}/${d.agreement.period}`,
    });
    const name = `assessment-${d.agreement.areaCode}-${d.agreement.period}-${year}-${languages.join("-")}`;
    return reply
      .type("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
      .header("content-disposition", attachment(name, "docx"))
      .header("cache-control", "private, no-store")
      .send(file);
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
