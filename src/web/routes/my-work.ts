/**
 * "My work" (issue 14), the signed-in home page, under /en and /cy: GET /my-work shows what waits for the signed-in
 * user (src/services/plans/my-work.ts), each item linked to where to act, with a plain sentence where nothing waits.
 * Signed-in users only (the public is sent to sign in); signing in lands here.
 */
import type { FastifyInstance } from "fastify";
import { ROLES } from "../../domain/enums.ts";
import type { PlanSummary } from "../../services/plans/index.ts";
import { myWork } from "../../services/plans/my-work.ts";
import { areaName } from "../../services/public/area-directory.ts";
import { requireRole } from "../guards.ts";
import { pick } from "../i18n.ts";
import { pageLanguage } from "../pages/page-kit.ts";
import { minuteUtc, planAddress } from "../pages/plan-view.ts";
import { planActor } from "./plans.ts";

const today = () => new Date().toISOString().slice(0, 10);
/** Plan states in which the partnership edits the plan (elsewhere its pages are read-only). */
const EDITABLE = new Set(["draft", "returned"]);

export async function myWorkRoutes(app: FastifyInstance): Promise<void> {
  app.get("/my-work", { preHandler: requireRole(ROLES) }, async (request, reply) => {
    const { lang, t } = pageLanguage(request);
    const actor = planActor(request)!;
    const [work, dir] = await Promise.all([
      myWork(app.services.plans, app.services.publicViews.data, actor, today()),
      app.services.publicViews.areas(),
    ]);
    const name = (code: string) => {
      const a = dir.byCode.get(code);
      return a ? areaName(a, lang) : code;
    };
    const address = (p: PlanSummary) => planAddress(lang, p.areaCode, p.period);
    const plan = (p: PlanSummary, to: "edit" | "review") => ({
      area: name(p.areaCode),
      period: p.period,
      status: t(`plans.status.${p.status}`),
      href: `${address(p)}/${to}`,
    });
    /** A subject's page: its editing page while the plan can be edited, else its report. */
    const subjectHref = (p: PlanSummary, kind: string, code: string) => {
      const edit = EDITABLE.has(p.status) ? "/edit" : "";
      if (kind === "programme_measure") {
        const [programme, measure] = code.split("/");
        return `${address(p)}/programmes/${programme}/measures/${measure}${edit}`;
      }
      return `${address(p)}/measures/${code}${edit}`;
    };
    const reviewer = actor.role === "national_admin" || actor.role === "national_analyst";
    const editor = actor.role === "partnership_editor";
    return reply.header("cache-control", "no-store").render("my-work.njk", {
      editor,
      reviewer,
      returned: work.returned.map((p) => plan(p, "edit")),
      drafts: work.drafts.map((p) => plan(p, "edit")),
      toReview: work.toReview.map((p) => plan(p, "review")),
      toPublish: work.toPublish.map((p) => plan(p, "review")),
      actions: work.actions.map((a) => ({
        title: pick(a.title, lang),
        plan: `${name(a.plan.areaCode)}, ${a.plan.period}`,
        href: `${subjectHref(a.plan, a.subjectKind, a.subjectCode)}#actions`,
        due: a.dueDate,
        state: a.overdue ? t("mywork.actions.overdue") : t("mywork.actions.dueSoon"),
      })),
      narratives: work.narratives.map((n) => ({
        measure: n.title ? pick(n.title, lang) : { text: n.measureCode, fallback: false },
        plan: `${name(n.plan.areaCode)}, ${n.plan.period}`,
        href: subjectHref(n.plan, "measure", n.measureCode),
        narrativeAt: minuteUtc(n.narrativeAt),
        dataAt: minuteUtc(n.dataAt),
      })),
    });
  });
}
