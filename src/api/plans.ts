/**
 * GET /plans (published partnership plans, filtered by partnership and period) and /plans/{GSS}/{period} (one
 * published plan with its priorities, selected measures with their targets, baseline, forecast and latest judgement,
 * and its current narratives); /plans/{GSS}/{period}/versions lists the public versions of a plan (published and
 * superseded, oldest first) and …/versions/{n} reads one of them. Drafts and plans under review are not found.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { BilingualText } from "../domain/enums.ts";
import { NotFoundError } from "../domain/errors.ts";
import type { PlanSummary } from "../services/plans/index.ts";
import { notFound } from "./errors.ts";
import { linkHeader, paginate } from "./pagination.ts";
import { pageParams, parseQuery, single } from "./query.ts";
import { sendJson } from "./respond.ts";

export const listQuery = z.strictObject({
  partnership: single.optional(),
  period: single.optional(),
  ...pageParams,
});
export const detailQuery = z.strictObject({});
export const versionsQuery = z.strictObject({});

const text = (t: BilingualText | null | undefined) => (t ? { en: t.en, cy: t.cy ?? null } : null);

function summary(p: PlanSummary, versions: ReadonlyMap<number, string>) {
  return {
    partnership: p.areaCode,
    period: p.period,
    version: p.version,
    frameworkVersion: versions.get(p.frameworkId) ?? null,
    status: p.status as "published" | "superseded",
    illustrative: p.illustrative,
    publishedAt: p.publishedAt ? p.publishedAt.toISOString() : null,
    pages: { en: `/en/plans/${p.areaCode}/${p.period}`, cy: `/cy/plans/${p.areaCode}/${p.period}` },
    api: `/api/v1/plans/${p.areaCode}/${p.period}`,
    versionApi: `/api/v1/plans/${p.areaCode}/${p.period}/versions/${p.version}`,
  };
}

const noPlan = (area: string, period: string, version?: number | string) =>
  notFound(
    version === undefined
      ? `No published plan for "${area}" and "${period}"; see /api/v1/plans for the plans`
      : `No published version ${version} of the plan for "${area}" and "${period}"; see /api/v1/plans/${area}/${period}/versions`,
  );

export async function planApi(app: FastifyInstance): Promise<void> {
  const plans = app.services.plans;

  /** The framework version label of each framework id (plans are pinned to the version they were made under). */
  async function frameworkVersions(): Promise<Map<number, string>> {
    const current = await app.services.framework.current();
    const all = await app.services.publicViews.frameworks();
    return new Map(all.filter((f) => f.code === current?.framework.code).map((f) => [f.id, f.version] as const));
  }

  app.get("/plans", async (request, reply) => {
    const q = parseQuery(listQuery, request.query);
    const rows = await plans.list(null, { areaCode: q.partnership?.toUpperCase(), period: q.period });
    const versions = await frameworkVersions();
    const page = paginate(
      request,
      rows.map((p) => summary(p, versions)),
      q,
    );
    return sendJson(request, linkHeader(reply, page), page);
  });

  app.get("/plans/:area/:period/versions", async (request, reply) => {
    parseQuery(versionsQuery, request.query);
    const { area, period } = request.params as { area: string; period: string };
    try {
      const rows = await app.services.planVersions.list(null, { areaCode: area.toUpperCase(), period });
      const versions = await frameworkVersions();
      return sendJson(request, reply, { data: rows.map((p) => summary(p, versions)) });
    } catch (error) {
      if (error instanceof NotFoundError) throw noPlan(area, period);
      throw error;
    }
  });

  app.get("/plans/:area/:period", async (request, reply) => {
    parseQuery(detailQuery, request.query);
    const { area, period } = request.params as { area: string; period: string };
    return sendJson(request, reply, { data: await detail(area, period) });
  });

  app.get("/plans/:area/:period/versions/:version", async (request, reply) => {
    parseQuery(detailQuery, request.query);
    const { area, period, version } = request.params as { area: string; period: string; version: string };
    if (!/^[1-9]\d{0,5}$/.test(version)) throw noPlan(area, period, version);
    return sendJson(request, reply, { data: await detail(area, period, Number(version)) });
  });

  /** One public version of a plan (the published one when `version` is not given), as the API shows it. */
  async function detail(area: string, period: string, version?: number) {
    const ref = { areaCode: area.toUpperCase(), period, ...(version === undefined ? {} : { version }) };
    let d: Awaited<ReturnType<typeof plans.get>>;
    try {
      d = await plans.get(null, ref);
    } catch (error) {
      if (error instanceof NotFoundError) throw noPlan(area, period, version);
      throw error;
    }
    const measures = [];
    const baselines = await plans.baselines(
      null,
      ref,
      d.measures.map((s) => s.measureCode),
    );
    for (const s of d.measures) {
      const b = baselines.get(s.measureCode)!;
      measures.push({
        code: s.measureCode,
        title: text(s.measure?.title),
        kind: s.kind as "high_level" | "additional" | "local",
        local: s.kind === "local" || Boolean(s.measure?.localAreaCode),
        priorityId: s.priorityId,
        reason: text(s.reason),
        targets: s.targets.map((t) => ({ period: t.period, value: t.value, stretch: t.stretch })),
        baseline: b.baseline,
        actuals: b.actuals,
        forecast: b.forecast,
        noForecast: b.noForecast,
        latest: b.latest
          ? {
              period: b.latest.period,
              value: b.latest.value,
              lower95: b.latest.lower95,
              upper95: b.latest.upper95,
              verdict: b.latest.judgement?.verdict ?? null,
              significant: b.latest.judgement?.significant ?? null,
              target: b.latest.target,
            }
          : null,
      });
    }
    return {
      ...summary(d.plan, await frameworkVersions()),
      priorities: d.priorities.map((p) => ({
        id: p.id,
        text: text(p.text)!,
        rationale: text(p.rationale),
        coreAims: p.coreAims,
      })),
      measures,
      narratives: d.narratives.map((n) => ({
        subjectKind: n.subjectKind,
        subjectCode: n.subjectCode,
        section: n.section,
        version: n.version,
        body: n.body,
        items: (n.items as unknown[] | null) ?? null,
        createdAt: n.createdAt.toISOString(),
      })),
    };
  }
}
