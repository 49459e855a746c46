/**
 * GET /measures (filter by core aim, group, tier, UNCRC article, status, a code in another national framework; search
 * by name) and /measures/{code}.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { MEASURE_STATUSES, TIERS } from "../domain/enums.ts";
import { filterMeasures } from "../services/public/measure-catalogue.ts";
import { badRequest, listForMessage, notFound } from "./errors.ts";
import { linkHeader, paginate } from "./pagination.ts";
import { codeList, pageParams, parseQuery, single } from "./query.ts";
import { currentFramework } from "./resolve.ts";
import { sendJson } from "./respond.ts";
import { measureDetail, measureSummary } from "./serialise.ts";

export const listQuery = z.strictObject({
  coreAim: single.optional(),
  group: single.optional(),
  tier: single.pipe(z.enum(TIERS)).optional(),
  article: single.pipe(z.coerce.number<string>().int().min(1).max(54)).optional(),
  status: codeList.pipe(z.array(z.enum(MEASURE_STATUSES))).optional(),
  q: single.pipe(z.string().max(200)).optional(),
  reference: single
    .pipe(z.string().min(1).max(60))
    .optional()
    .meta({
      description:
        'a code in another national framework, exactly (case ignored): "EDU/002i", or with its framework, "nsi:EDU/002i"',
      examples: ["EDU/002i"],
    }),
  ...pageParams,
});
export const noQuery = z.strictObject({});

export async function measureApi(app: FastifyInstance): Promise<void> {
  app.get("/measures", async (request, reply) => {
    const q = parseQuery(listQuery, request.query);
    const view = await currentFramework(app);
    if (q.coreAim && !view.aims.some((a) => a.code === q.coreAim!.toUpperCase())) {
      throw badRequest(`Unknown core aim "${q.coreAim}"; the core aims are ${view.aims.map((a) => a.code).join(", ")}`);
    }
    const groups = [...new Set(view.measures.flatMap((m) => (m.group ? [m.group.code] : [])))];
    if (q.group && !groups.includes(q.group)) {
      throw badRequest(`Unknown measure group "${q.group}"; the groups are ${listForMessage(groups, 40)}`);
    }
    const found = filterMeasures(view, {
      coreAim: q.coreAim?.toUpperCase(),
      group: q.group,
      tier: q.tier,
      article: q.article,
      statuses: q.status,
      q: q.q,
      reference: q.reference,
    });
    const page = paginate(request, found.map(measureSummary), q);
    return sendJson(request, linkHeader(reply, page), page);
  });

  app.get("/measures/:code", async (request, reply) => {
    parseQuery(noQuery, request.query);
    const { code } = request.params as { code: string };
    const view = await currentFramework(app);
    const m = view.measuresByCode.get(code);
    if (!m) throw notFound(`No measure with code "${code}"; see /api/v1/measures for the codes`);
    return sendJson(request, reply, { data: measureDetail(m) });
  });
}
