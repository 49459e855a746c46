/**
 * Public pages of partnership plans (issue 13), under /en and /cy: GET /plans (published plans, filtered by
 * partnership, period and core aim), /plans/:area/:period (the plan), …/measures/:code (the turn-the-curve report)
 * and …/programmes/:code (a programme's scorecard). A draft is not found for the public (404); its editors and
 * national roles see it signed in.
 */
import type { FastifyInstance, FastifyRequest, RouteHandlerMethod } from "fastify";
import { z } from "zod";
import type { BilingualText, Language } from "../../domain/enums.ts";
import { NotFoundError } from "../../domain/errors.ts";
import { permissions } from "../../domain/permissions.ts";
import { QUADRANTS } from "../../domain/plans/model.ts";
import { attachment } from "../../render/tables/download-table.ts";
import { type PlanActor, type PlanDetail, type PlanRef, performanceSubject } from "../../services/plans/index.ts";
import { NEW_VERSION_FROM } from "../../services/plans/versions.ts";
import { type Translate, translator } from "../i18n.ts";
import { displayValue } from "../pages/labels.ts";
import { badChoice, citeUrl, pageLanguage, renderPage } from "../pages/page-kit.ts";
import { measureReport, planDocument, reportActions, reportNarratives } from "../pages/plan-report.ts";
import { inLanguage, planAddress, scoreRow, targetText, verdictText } from "../pages/plan-view.ts";
import { one, parsePageQuery } from "../pages/query-schemas.ts";
import { withQuery } from "../pages/urls.ts";
import { ukDateTime } from "../pages/value-history-view.ts";
import { PUBLIC_PAGE } from "../public-page.ts";
import { planEditRoutes } from "./plans-edit.ts";

const docxQuery = z.object({ bilingual: one.pipe(z.enum(["0", "1"])).optional() });
const listQuery = z.object({ partnership: one.optional(), period: one.optional(), coreAim: one.optional() });
export const planParams = z.object({
  area: z.string().regex(/^[A-Za-z]\d{8}$/),
  period: z.string().regex(/^[0-9a-z-]{4,40}$/),
});

/** The version an address names (`…/versions/{n}`), or null for the plan's own address (its newest version). */
export function versionParam(request: FastifyRequest): number | null {
  const v = (request.params as { version?: string }).version;
  if (v === undefined) return null;
  if (!/^[1-9]\d{0,5}$/.test(v)) throw new NotFoundError(`no version ${v}`);
  return Number(v);
}

/** The signed-in user as the plans service's actor (null for the public). */
export function planActor(request: FastifyRequest): PlanActor | null {
  const u = request.user;
  if (!u) return null;
  return { id: u.id, email: u.email, role: u.role, areaCodes: u.areaCodes, channel: "web" };
}

export async function planRoutes(app: FastifyInstance): Promise<void> {
  await app.register(planEditRoutes);
  const plans = app.services.plans;
  const pv = app.services.publicViews;

  /** The plan the address names: the newest version the reader may see, or one version (`…/versions/{n}`). */
  function params(request: FastifyRequest): PlanRef {
    const p = planParams.safeParse(request.params);
    if (!p.success) throw new NotFoundError("no such plan");
    const version = versionParam(request);
    return { areaCode: p.data.area.toUpperCase(), period: p.data.period, ...(version ? { version } : {}) };
  }

  async function areaName(code: string, lang: Language): Promise<string> {
    const a = (await pv.areas()).byCode.get(code);
    return a ? inLanguage(a.name, lang) : code;
  }

  async function loadPlan(request: FastifyRequest) {
    const ref = params(request);
    const detail = await plans.get(planActor(request), ref);
    const { lang, t } = pageLanguage(request);
    const view = (await app.services.framework.current())!;
    const area = await areaName(detail.plan.areaCode, lang);
    const home = planAddress(lang, detail.plan.areaCode, detail.plan.period);
    const address = ref.version ? `${home}/versions/${ref.version}` : home;
    return { ref, detail, lang, t, view, area, address, home };
  }

  function planHeader(d: PlanDetail, area: string, t: (k: string) => string, request?: FastifyRequest) {
    const versionPage = request ? versionParam(request) !== null : false;
    const canEdit = Boolean(request?.user && permissions.canEditArea(request.user, d.plan.areaCode)) && !versionPage;
    return {
      canEdit,
      canStartVersion: canEdit && (NEW_VERSION_FROM as readonly string[]).includes(d.plan.status),
      area,
      areaCode: d.plan.areaCode,
      period: d.plan.period,
      version: d.plan.version,
      status: t(`plans.status.${d.plan.status}`),
      isPublic: d.plan.status === "published" || d.plan.status === "superseded",
      illustrative: d.plan.illustrative,
    };
  }

  /**
   * The versions of the plan the reader may see, for the plan page: each with its status, publication date and
   * address, the one shown marked, and what the compare form starts from (the one before the shown one).
   */
  async function versionsOf(request: FastifyRequest, d: PlanDetail, lang: Language, t: Translate, home: string) {
    const all = await app.services.planVersions.list(planActor(request), d.plan);
    const newest = all.at(-1)!;
    return {
      rows: all.map((v) => ({
        version: v.version,
        status: t(`plans.status.${v.status}`),
        published: v.publishedAt ? ukDateTime(v.publishedAt, lang) : "",
        href: v.version === newest.version ? home : `${home}/versions/${v.version}`,
        shown: v.version === d.plan.version,
      })),
      shownIsNewest: d.plan.version === newest.version,
      newest: { version: newest.version, status: t(`plans.status.${newest.status}`), href: home },
      from: all.filter((v) => v.version < d.plan.version).at(-1)?.version ?? all[0]!.version,
      to: d.plan.version === all[0]!.version ? newest.version : d.plan.version,
    };
  }

  /** A page of the plan, also at `…/versions/{n}{rest}` for one version of it. */
  function versioned(path: string, handler: RouteHandlerMethod): void {
    app.get(path, PUBLIC_PAGE, handler);
    app.get(path.replace("/plans/:area/:period", "/plans/:area/:period/versions/:version"), PUBLIC_PAGE, handler);
  }

  app.get("/plans", PUBLIC_PAGE, async (request, reply) => {
    const { lang, t } = pageLanguage(request);
    const f = parsePageQuery(listQuery, request.query, (field, value) => badChoice(t, field, value));
    const view = await app.services.framework.current();
    const all = await plans.list(null);
    const partnership = f.partnership?.toUpperCase();
    const coreAim = f.coreAim?.toUpperCase();
    if (coreAim && !view?.aims.some((a) => a.code === coreAim)) throw badChoice(t, "coreAim", f.coreAim!);
    if (partnership && !all.some((p) => p.areaCode === partnership)) throw badChoice(t, "partnership", f.partnership!);
    if (f.period && !all.some((p) => p.period === f.period)) throw badChoice(t, "period", f.period);
    const rows: Record<string, unknown>[] = [];
    for (const p of all) {
      if (partnership && p.areaCode !== partnership) continue;
      if (f.period && p.period !== f.period) continue;
      const d = await plans.get(null, p);
      const aims = [...new Set(d.priorities.flatMap((x) => x.coreAims))].sort();
      if (coreAim && !aims.includes(coreAim)) continue;
      rows.push({
        href: planAddress(lang, p.areaCode, p.period),
        area: await areaName(p.areaCode, lang),
        period: p.period,
        status: t(`plans.status.${p.status}`),
        illustrative: p.illustrative,
        priorities: d.priorities.length,
        aims: aims.join(", "),
      });
    }
    const areas = [...new Set(all.map((p) => p.areaCode))];
    const choices = {
      partnerships: await Promise.all(
        areas.map(async (code) => ({ value: code, text: await areaName(code, lang), selected: code === partnership })),
      ),
      periods: [...new Set(all.map((p) => p.period))].map((p) => ({ value: p, text: p, selected: p === f.period })),
      aims: (view?.aims ?? []).map((a) => ({
        value: a.code,
        text: `${a.number}. ${inLanguage(a.title, lang)}`,
        selected: a.code === coreAim,
      })),
    };
    const address = withQuery(`/${lang}/plans`, { partnership, period: f.period, coreAim });
    const canCreate = request.user?.role === "partnership_editor" || request.user?.role === "national_admin";
    return renderPage(app, request, reply, "plans/list.njk", address, () => ({ rows, choices, canCreate }), {
      cache: false,
    });
  });

  versioned("/plans/:area/:period", async (request, reply) => {
    const { detail: d, lang, t, view, area, address, home } = await loadPlan(request);
    const versions = await versionsOf(request, d, lang, t, home);
    const aims = view.aims;
    const measures: { aim: string; [k: string]: unknown }[] = [];
    const baselines = await plans.baselines(
      planActor(request),
      d.plan,
      d.measures.filter((s) => s.measure).map((s) => s.measureCode),
    );
    for (const s of d.measures) {
      const m = s.measure;
      if (!m) continue;
      const b = baselines.get(s.measureCode)!;
      const priority = d.priorities.find((p) => p.id === s.priorityId);
      measures.push({
        code: s.measureCode,
        aim: m.coreAims[0] ?? "",
        title: inLanguage(m.title, lang),
        kind: t(`plans.kind.${s.kind}`),
        local: s.kind === "local" || Boolean(m.localAreaCode),
        href: `${address}/measures/${s.measureCode}`,
        latest: b.latest ? `${displayValue(lang, m, b.latest.value)} (${b.latest.period})` : "",
        baseline: b.baseline ? `${displayValue(lang, m, b.baseline.value)} (${b.baseline.period})` : "",
        verdict: verdictText(t, lang, m, b),
        target: targetText(t, b),
        priority: priority ? inLanguage(priority.text, lang) : "",
        reason: inLanguage(s.reason, lang),
      });
    }
    const byAim = aims
      .map((a) => ({
        code: a.code,
        title: `${a.number}. ${inLanguage(a.title, lang)}`,
        measures: measures.filter((m) => m.aim === a.code),
      }))
      .filter((g) => g.measures.length);
    const aimTitle = new Map(aims.map((a) => [a.code, `${a.number}. ${inLanguage(a.title, lang)}`] as const));
    return renderPage(
      app,
      request,
      reply,
      "plans/plan.njk",
      address,
      () => ({
        plan: planHeader(d, area, t, request),
        address,
        priorities: d.priorities.map((p) => ({
          text: inLanguage(p.text, lang),
          rationale: inLanguage(p.rationale, lang),
          aims: p.coreAims.map((c) => aimTitle.get(c) ?? c),
        })),
        byAim,
        scorecard: measures,
        programmes: d.programmes.map((p) => ({
          name: inLanguage(p.name, lang),
          href: `${address}/programmes/${p.code}`,
          count: p.measures.length,
        })),
        home,
        versions,
      }),
      { cache: false },
    );
  });

  versioned("/plans/:area/:period/measures/:code", async (request, reply) => {
    const { detail: d, lang, t, area, address } = await loadPlan(request);
    const code = (request.params as { code: string }).code;
    const r = await measureReport(app.services, planActor(request), d, code, { lang, t, area });
    if (!r) throw new NotFoundError(`${code} is not in this plan`);
    return renderPage(
      app,
      request,
      reply,
      "plans/measure.njk",
      `${address}/measures/${code}`,
      () => ({
        plan: planHeader(d, area, t, request),
        address,
        measure: { code, title: r.title, kind: r.kind, local: r.local, priority: r.priority, reason: r.reason },
        baseline: r.baseline,
        verdict: r.verdict,
        target: r.target,
        chartTitle: r.chartTitle,
        curve: r.curve,
        narratives: r.narratives.map(({ section, heading, model }) => ({ section, heading, model })),
        actions: r.actions,
      }),
      { cache: false },
    );
  });

  /** The whole plan as a Word document, in the page language or (`?bilingual=1`) in both, Welsh first. */
  versioned("/plans/:area/:period/plan.docx", async (request, reply) => {
    const { detail: d, lang, t, address } = await loadPlan(request);
    const q = parsePageQuery(docxQuery, request.query, (field, value) => badChoice(t, field, value));
    const languages: Language[] = q.bilingual === "1" ? ["cy", "en"] : [lang];
    const parts = [];
    for (const l of languages) {
      const tl = translator(l);
      const area = await areaName(d.plan.areaCode, l);
      const doc = await planDocument(app.services, planActor(request), d, {
        lang: l,
        t: tl,
        area,
        address: citeUrl(app, planAddress(l, d.plan.areaCode, d.plan.period)),
      });
      // the framework version the plan is pinned to (set for every plan page by plan-framework.ts)
      if (request.frameworkVersion)
        doc.blocks.unshift({
          kind: "paragraph",
          text: tl("fwversions.plan.pinned", { version: request.frameworkVersion }),
        });
      parts.push({
        doc,
        header: tl("plandoc.header", {
          area,
          period: d.plan.period,
          status: tl(`plans.status.${d.plan.status}`),
          version: d.plan.version,
        }),
        pageLabel: tl("plandoc.pageLabel"),
      });
    }
    const title = parts.map((p) => p.doc.title).join(" / ");
    const { renderDocx } = await import("../../render/document/docx.ts"); // large (docx, resvg): loaded for the first DOCX
    const file = await renderDocx(parts, { title, creator: t("plandoc.creator"), description: address });
    const name = `plan-${d.plan.areaCode}-${d.plan.period}-v${d.plan.version}${q.bilingual === "1" ? "-cy-en" : `-${lang}`}`;
    return reply
      .type("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
      .header("content-disposition", attachment(name, "docx"))
      .header("cache-control", request.user ? "private, no-store" : "public, max-age=60")
      .send(file);
  });

  versioned("/plans/:area/:period/programmes/:code", async (request, reply) => {
    const { detail: d, lang, t, area, address } = await loadPlan(request);
    const code = (request.params as { code: string }).code;
    const p = d.programmes.find((x) => x.code === code);
    if (!p) throw new NotFoundError(`no programme ${code} in this plan`);
    const quadrants = QUADRANTS.map((q) => ({
      heading: t(`plans.quadrant.${q}`),
      rows: p.measures.filter((m) => m.quadrant === q).map((m) => scoreRow(t, lang, m, m.values)),
    })).filter((q) => q.rows.length);
    return renderPage(
      app,
      request,
      reply,
      "plans/programme.njk",
      `${address}/programmes/${code}`,
      () => ({
        plan: planHeader(d, area, t, request),
        address,
        programme: { name: inLanguage(p.name, lang), description: inLanguage(p.description, lang) },
        quadrants: quadrants.map((q) => ({
          ...q,
          rows: q.rows.map((r) => ({ ...r, href: `${address}/programmes/${code}/measures/${r.code}` })),
        })),
        links: d.measures
          .filter((s) => s.measure)
          .map((s) => ({ href: `${address}/measures/${s.measureCode}`, title: inLanguage(s.measure!.title, lang) })),
      }),
      { cache: false },
    );
  });

  /** The turn-the-curve report of a programme's performance measure: its values, narratives and action plan. */
  versioned("/plans/:area/:period/programmes/:code/measures/:pm", async (request, reply) => {
    const { detail: d, lang, t, area, address } = await loadPlan(request);
    const { code, pm } = request.params as { code: string; pm: string };
    const p = d.programmes.find((x) => x.code === code);
    const m = p?.measures.find((x) => x.code === pm);
    if (!p || !m) throw new NotFoundError(`no performance measure ${code}/${pm} in this plan`);
    const subject = { subjectKind: "programme_measure" as const, subjectCode: performanceSubject(code, pm) };
    const narratives = await reportNarratives(app.services, planActor(request), d, subject, t);
    return renderPage(
      app,
      request,
      reply,
      "plans/performance-measure.njk",
      `${address}/programmes/${code}/measures/${pm}`,
      () => ({
        plan: planHeader(d, area, t, request),
        address,
        programme: { name: inLanguage(p.name, lang), href: `${address}/programmes/${code}` },
        measure: {
          title: inLanguage(m.title as BilingualText, lang),
          quadrant: t(`plans.quadrant.${m.quadrant}`),
          score: scoreRow(t, lang, m, m.values),
          values: m.values.map((v) => ({
            period: v.period,
            value: displayValue(lang, { unit: m.unit, multiplier: 1, decimals: m.decimals }, v.value),
            revision: v.revision,
            reason: v.reason ?? "",
          })),
        },
        narratives: narratives.map(({ section, heading, model }) => ({ section, heading, model })),
        actions: reportActions(d, subject, lang, t),
      }),
      { cache: false },
    );
  });
}
