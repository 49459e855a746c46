/**
 * The review of a partnership plan (issue 14), under /en and /cy: GET /plans/:area/:period/review shows the plan's
 * state, what stops it being submitted (each missing thing, linked to where to fix it), the review comments so far by
 * section, and the steps the signed-in user may take; POST takes one step (submit, return with comments, approve,
 * publish) through the plan review service. Editors of the partnership and national reviewers only (others 403, the
 * public is sent to sign in). A refused step re-renders the page with a govuk error summary, nothing written.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { isOmfError, NotFoundError } from "../../domain/errors.ts";
import { permissions } from "../../domain/permissions.ts";
import type { PlanProblem } from "../../domain/plans/model.ts";
import type { PlanRef } from "../../services/plans/index.ts";
import { REVIEW_ACTIONS, type ReviewAction } from "../../services/plans/review.ts";
import { NEW_VERSION_FROM } from "../../services/plans/versions.ts";
import { requireArea } from "../guards.ts";
import type { Translate } from "../i18n.ts";
import { pageLanguage } from "../pages/page-kit.ts";
import { inLanguage, minuteUtc, planAddress } from "../pages/plan-view.ts";
import { planActor, planParams } from "./plans.ts";

const body = z.object({
  rowVersion: z.string().default(""),
  action: z.string().default(""),
  section: z.string().max(200).default("general"),
  comment: z.string().max(20_000).default(""),
});

interface Shown {
  field: string;
  text: string;
}

export async function planReviewRoutes(app: FastifyInstance): Promise<void> {
  const refOf = (request: FastifyRequest): PlanRef => {
    const p = planParams.safeParse(request.params);
    if (!p.success) throw new NotFoundError("no such plan");
    return { areaCode: p.data.area.toUpperCase(), period: p.data.period };
  };
  // the partnership's editors and national reviewers
  const guard = requireArea(
    (request) => refOf(request).areaCode,
    (user) => permissions.canReviewPlans(user),
  );

  async function page(request: FastifyRequest, reply: FastifyReply, errors: Shown[] = [], status = 200) {
    const { lang, t } = pageLanguage(request);
    const ref = refOf(request);
    const actor = planActor(request);
    const detail = await app.services.plans.get(actor, ref);
    const view = await app.services.planReview.view(actor, ref);
    const area = (await app.services.publicViews.areas()).byCode.get(detail.plan.areaCode);
    const address = planAddress(lang, detail.plan.areaCode, detail.plan.period);
    const measureTitle = (code: string) => {
      const m = detail.measures.find((x) => x.measureCode === code)?.measure;
      return m ? inLanguage(m.title, lang) : code;
    };
    const sections = [
      { value: "general", text: t("planreview.section.general") },
      { value: "priorities", text: t("planreview.section.priorities") },
      ...detail.measures.map((m) => ({ value: `measure:${m.measureCode}`, text: measureTitle(m.measureCode) })),
    ];
    const sectionText = (s: string) => sections.find((x) => x.value === s)?.text ?? s;
    const done = (request.query as { done?: string }).done;
    return reply
      .code(status)
      .header("cache-control", "no-store")
      .render("plans/review.njk", {
        title: t("planreview.title"),
        plan: {
          area: area ? inLanguage(area.name, lang) : detail.plan.areaCode,
          areaCode: detail.plan.areaCode,
          period: detail.plan.period,
          version: detail.plan.version,
          status: t(`plans.status.${detail.plan.status}`),
          isPublic: detail.plan.status === "published" || detail.plan.status === "superseded",
          illustrative: detail.plan.illustrative,
        },
        address,
        rowVersion: detail.plan.rowVersion,
        actions: view.actions,
        canStartVersion:
          permissions.canEditArea(request.user, detail.plan.areaCode) &&
          (NEW_VERSION_FROM as readonly string[]).includes(detail.plan.status),
        problems: view.problems.map((p) => problemText(p, t, measureTitle, detail.priorities, lang, address)),
        sections,
        comments: view.comments.map((c) => ({
          section: sectionText(c.section),
          action: t(`planreview.did.${c.action}`),
          author: c.author.replace(/^[a-z]+:/, ""),
          at: minuteUtc(c.createdAt),
          body: c.body,
        })),
        done: done && (REVIEW_ACTIONS as readonly string[]).includes(done) ? t(`planreview.done.${done}`) : null,
        errors: errors.map((e) => ({ text: e.text, href: `#${e.field}` })),
        fe: Object.fromEntries(errors.map((e) => [e.field, e.text])),
      });
  }

  app.get("/plans/:area/:period/review", { preHandler: guard }, async (request, reply) => page(request, reply));

  app.post("/plans/:area/:period/review", { preHandler: [guard, app.csrfProtection] }, async (request, reply) => {
    const { lang, t } = pageLanguage(request);
    const ref = refOf(request);
    const b = body.parse(request.body ?? {});
    if (!(REVIEW_ACTIONS as readonly string[]).includes(b.action))
      return page(request, reply, [{ field: "action", text: t("planreview.error.unknownAction") }], 400);
    const action = b.action as ReviewAction;
    try {
      await app.services.planReview.act(planActor(request)!, ref, {
        action,
        rowVersion: Number(b.rowVersion),
        comments: b.comment.trim() ? [{ section: b.section, body: b.comment }] : [],
      });
    } catch (error) {
      if (!isOmfError(error) || !["invalid", "conflict", "forbidden"].includes(error.kind)) throw error;
      const status = error.kind === "invalid" ? 400 : error.kind === "forbidden" ? 403 : 409;
      const key = `planreview.error.${error.code ?? error.kind}`;
      const text = t(key) === key ? t("planreview.error.conflict") : t(key);
      return page(
        request,
        reply,
        [{ field: error.code === "return_without_comment" ? "comment" : "action", text }],
        status,
      );
    }
    return reply.redirect(`${planAddress(lang, ref.areaCode, ref.period)}/review?done=${action}`, 303);
  });
}

function problemText(
  p: PlanProblem,
  t: Translate,
  measureTitle: (code: string) => string,
  priorities: { id: number; text: { en: string; cy?: string | undefined } }[],
  lang: "en" | "cy",
  address: string,
): { text: string; href: string } {
  if (p.code === "no_priorities") return { text: t("planreview.problem.no_priorities"), href: `${address}/edit` };
  if (p.code === "priority_without_measure") {
    const pr = priorities.find((x) => x.id === p.priorityId);
    return {
      text: t("planreview.problem.priority_without_measure", { priority: pr ? inLanguage(pr.text, lang) : "" }),
      href: `${address}/edit/priorities/${p.priorityId}`,
    };
  }
  return {
    text: t(`planreview.problem.${p.code}`, { measure: measureTitle(p.measureCode) }),
    href: `${address}/measures/${p.measureCode}/edit`,
  };
}
