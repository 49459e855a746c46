/**
 * Versions of the framework (issue 15), under /en and /cy:
 * - GET /framework/versions: every version the reader may see (the public: published and superseded ones), its
 *   state in words, when it was published, and a link to what changed;
 * - GET /framework/versions/:version: one version: its state, its measures, and for national administrators and
 *   analysts the workflow steps they may take (submit, return, approve, publish);
 * - GET /framework/versions/:version/diff: what changed from the version before it (or `?from=`): measures added,
 *   retired and redefined field by field (changed words marked with <ins>/<del>), breaks in series, groups changed;
 * - POST /framework/versions/:version/workflow: takes a workflow step (audited), then back to the version's page.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { ConflictError, InvalidError, isOmfError, NotFoundError } from "../../domain/errors.ts";
import { DATA_MANAGERS } from "../../domain/permissions.ts";
import { FRAMEWORK_ACTIONS, type FrameworkActor } from "../../services/framework-versions.ts";
import { requireRole } from "../guards.ts";
import { diffView, textIn } from "../pages/framework-diff-view.ts";
import { pageLanguage, renderPage } from "../pages/page-kit.ts";
import { one } from "../pages/query-schemas.ts";
import { PUBLIC_PAGE } from "../public-page.ts";

const versionParams = z.object({ version: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.-]{0,39}$/) });
const diffQuery = z.object({ from: one.optional() });
const workflowBody = z.object({
  action: z.enum(FRAMEWORK_ACTIONS),
  reason: z.string().max(10_000).default(""),
});

export function frameworkActor(request: FastifyRequest): FrameworkActor {
  const u = request.user;
  return { user: u, name: u ? `web:${u.email}` : "web" };
}

function versionOf(request: FastifyRequest): string {
  const p = versionParams.safeParse(request.params);
  if (!p.success) throw new NotFoundError("no such framework version");
  return p.data.version;
}

export async function frameworkVersionRoutes(app: FastifyInstance): Promise<void> {
  const versions = app.services.frameworkVersions;

  app.get("/framework/versions", PUBLIC_PAGE, async (request, reply) => {
    const { lang, t } = pageLanguage(request);
    const actor = frameworkActor(request);
    return renderPage(app, request, reply, "framework/versions.njk", `/${lang}/framework/versions`, async () => {
      const list = await versions.list(actor.user);
      return {
        title: t("fwversions.title"),
        rows: list.map((v, i) => ({
          version: v.version,
          href: `/${lang}/framework/versions/${encodeURIComponent(v.version)}`,
          state: t(`plans.status.${v.state}`),
          current: v.current,
          published: v.publishedDate ?? "",
          diffHref: i > 0 ? `/${lang}/framework/versions/${encodeURIComponent(v.version)}/diff` : null,
        })),
      };
    });
  });

  app.get("/framework/versions/:version", PUBLIC_PAGE, async (request, reply) => {
    const { lang, t } = pageLanguage(request);
    const version = versionOf(request);
    const actor = frameworkActor(request);
    const v = await versions.get(actor.user, version);
    const view = await versions.view(actor.user, version);
    const current = (await app.services.framework.current())!;
    const all = await versions.list(actor.user);
    const index = all.findIndex((x) => x.id === v.id);
    const address = `/${lang}/framework/versions/${encodeURIComponent(version)}`;
    const q = request.query as { done?: string };
    return renderPage(app, request, reply, "framework/version.njk", address, () => ({
      title: t("fwversions.versionTitle", { version }),
      frameworkVersion: version,
      version,
      address,
      stateText: t(`plans.status.${v.state}`),
      isCurrent: v.current,
      currentVersion: current.framework.version,
      published: v.publishedDate ?? "",
      diffHref: index > 0 ? `${address}/diff` : null,
      actions: versions.actions(actor.user, v).map((a) => ({ value: a, text: t(`fwversions.actions.${a}`) })),
      done: request.user && typeof q.done === "string" ? q.done : "",
      count: view.measures.filter((m) => m.localAreaCode === null).length,
      measures: view.measures
        .filter((m) => m.localAreaCode === null)
        .map((m) => ({
          code: m.code,
          title: textIn(m.title, lang),
          href: `/${lang}/measures/${encodeURIComponent(m.code)}`,
          tier: t(`enums.tier.${m.tier}`),
          status: t(`enums.status.${m.status}`),
        })),
    }));
  });

  app.get("/framework/versions/:version/diff", PUBLIC_PAGE, async (request, reply) => {
    const { lang, t } = pageLanguage(request);
    const version = versionOf(request);
    const actor = frameworkActor(request);
    const q = diffQuery.safeParse(request.query);
    const from = q.success ? q.data.from : undefined;
    const diff = await versions.diff(actor.user, version, from);
    const address = `/${lang}/framework/versions/${encodeURIComponent(version)}/diff${from ? `?from=${encodeURIComponent(from)}` : ""}`;
    return renderPage(app, request, reply, "framework/diff.njk", address, () => ({
      title: t("fwversions.diffTitle", { to: version }),
      frameworkVersion: version,
      version,
      versionHref: `/${lang}/framework/versions/${encodeURIComponent(version)}`,
      diff: diff ? diffView(diff, t, lang) : null,
    }));
  });

  app.post(
    "/framework/versions/:version/workflow",
    { preHandler: [requireRole(DATA_MANAGERS), app.csrfProtection] },
    async (request, reply) => {
      const { lang, t } = pageLanguage(request);
      const version = versionOf(request);
      const b = workflowBody.safeParse(request.body ?? {});
      if (!b.success) throw new InvalidError("choose a step", { publicMessage: t("errors.problem") });
      try {
        const r = await versions.act(
          frameworkActor(request),
          version,
          b.data.action,
          b.data.reason.trim() || undefined,
        );
        const done = t("fwversions.done", {
          version,
          from: t(`plans.status.${r.from}`),
          to: t(`plans.status.${r.to}`),
        });
        return reply.redirect(
          `/${lang}/framework/versions/${encodeURIComponent(version)}?done=${encodeURIComponent(done)}`,
          303,
        );
      } catch (error) {
        if (!isOmfError(error) || error.kind !== "conflict") throw error;
        const v = await versions.get(request.user, version);
        throw new ConflictError(error.message, {
          code: error.code,
          publicMessage: t("fwversions.notAllowed", {
            version,
            state: t(`plans.status.${v.state}`),
            action: t(`fwversions.actions.${b.data.action}`),
          }),
        });
      }
    },
  );
}
