/**
 * A partnership plan and the framework version it is pinned to (issue 15), under /en and /cy:
 * - every plan page names the framework version the plan was made under (its header and footer; a hook sets it);
 * - GET /plans/:area/:period/edit/framework: for the plan's editors, the migration report for moving the plan to
 *   the current framework version (each selected measure retired or redefined, and new high-level measures: what
 *   happens and what to do), with a confirm button; nothing changes until they confirm;
 * - POST /plans/:area/:period/edit/framework: moves the plan (audited), then back to the plan's edit page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from "fastify";
import { z } from "zod";
import { isOmfError, NotFoundError } from "../../domain/errors.ts";
import type { PlanRef } from "../../services/plans/index.ts";
import { EDITABLE } from "../../services/plans/index.ts";
import type { Services } from "../../services/index.ts";
import { requireArea } from "../guards.ts";
import { migrationView } from "../pages/framework-diff-view.ts";
import { pageLanguage } from "../pages/page-kit.ts";
import { inLanguage, planAddress } from "../pages/plan-view.ts";
import { splitLanguage } from "../render.ts";
import { planActor, planParams } from "./plans.ts";

const PLAN_PAGE = /^\/(?:en|cy)\/plans\/([A-Za-z]\d{8})\/([0-9a-z-]{4,40})(?:\/versions\/([1-9]\d{0,5}))?(?:[/?]|$)/;
const moveBody = z.object({ rowVersion: z.string().default(""), to: z.string().max(40).default("") });

/**
 * A preHandler for every page: on a plan's pages, the framework version the page shows is the plan's own (the one it
 * was made under), not the current one.
 */
export function planFrameworkVersion(services: Services): preHandlerAsyncHookHandler {
  return async function planFrameworkVersionHook(request) {
    if (!splitLanguage(request.url).lang) return;
    const m = PLAN_PAGE.exec(request.url);
    if (!m) return;
    const ref: PlanRef = { areaCode: m[1]!.toUpperCase(), period: m[2]!, ...(m[3] ? { version: Number(m[3]) } : {}) };
    try {
      const plan = await services.plans.summary(planActor(request), ref);
      const version = await services.framework.version(plan.frameworkId);
      if (version) request.frameworkVersion = version.framework.version;
    } catch (error) {
      if (!isOmfError(error)) throw error; // a plan the reader may not see: the route answers for it
    }
  };
}

function refOf(request: FastifyRequest): PlanRef {
  const p = planParams.safeParse(request.params);
  if (!p.success) throw new NotFoundError("no such plan");
  return { areaCode: p.data.area.toUpperCase(), period: p.data.period };
}

export async function planFrameworkRoutes(app: FastifyInstance): Promise<void> {
  const editArea = requireArea((request) => (request.params as { area?: string }).area?.toUpperCase());

  async function movePage(request: FastifyRequest, reply: FastifyReply, error?: string, status = 200) {
    const { lang, t } = pageLanguage(request);
    const ref = refOf(request);
    const move = await app.services.plans.frameworkMove(planActor(request), ref);
    const plan = move.plan;
    const area = (await app.services.publicViews.areas()).byCode.get(plan.areaCode);
    const address = planAddress(lang, plan.areaCode, plan.period);
    const statusText = t(`plans.status.${plan.status}`);
    return reply
      .code(status)
      .header("cache-control", "no-store")
      .render("plans/framework-move.njk", {
        title: t("fwversions.plan.moveTitle", { to: move.to }),
        plan: {
          area: area ? inLanguage(area.name, lang) : plan.areaCode,
          areaCode: plan.areaCode,
          period: plan.period,
          version: plan.version,
          status: statusText,
          isPublic: plan.status === "published" || plan.status === "superseded",
          illustrative: plan.illustrative,
        },
        address,
        from: move.from,
        to: move.to,
        rowVersion: plan.rowVersion,
        editable: (EDITABLE as readonly string[]).includes(plan.status),
        notEditable: t("fwversions.plan.notEditable", { version: plan.version, status: statusText }),
        report: move.report ? migrationView(move.report, t, lang) : null,
        errors: error ? [{ text: error, href: "#move" }] : [],
      });
  }

  app.get("/plans/:area/:period/edit/framework", { preHandler: editArea }, (request, reply) =>
    movePage(request, reply),
  );

  app.post(
    "/plans/:area/:period/edit/framework",
    { preHandler: [editArea, app.csrfProtection] },
    async (request, reply) => {
      const { lang, t } = pageLanguage(request);
      const ref = refOf(request);
      const b = moveBody.parse(request.body ?? {});
      try {
        await app.services.plans.moveToFramework(planActor(request)!, ref, Number(b.rowVersion), b.to);
      } catch (error) {
        if (!isOmfError(error) || error.kind !== "conflict") throw error;
        const plan = await app.services.plans.summary(planActor(request), ref);
        const text =
          error.code === "plan_not_editable"
            ? t("planversions.notEditable", { version: plan.version, status: t(`plans.status.${plan.status}`) })
            : t("fwversions.plan.stale");
        return movePage(request, reply, text, 409);
      }
      return reply.redirect(`${planAddress(lang, ref.areaCode, ref.period)}/edit`, 303);
    },
  );
}
