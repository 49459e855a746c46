/** GET /periods: the periods with published data, for one or more measures (or all), with English and Welsh labels. */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { linkHeader, paginate } from "./pagination.ts";
import { codeList, pageParams, parseQuery } from "./query.ts";
import { currentFramework, resolveMeasures } from "./resolve.ts";
import { sendJson } from "./respond.ts";
import { periodJson } from "./serialise.ts";

export const query = z.strictObject({ measure: codeList.optional(), ...pageParams });

export async function periodApi(app: FastifyInstance): Promise<void> {
  app.get("/periods", async (request, reply) => {
    const q = parseQuery(query, request.query);
    const view = await currentFramework(app);
    const measures = q.measure?.length ? resolveMeasures(view, q.measure) : view.measures;
    const byKey = new Map<string, ReturnType<typeof periodJson> & { sortKey: number; measures: string[] }>();
    for (const m of measures) {
      for (const p of await app.services.publicViews.data.periods(m.code, m.periodType)) {
        const key = `${p.type}|${p.code}`;
        const entry = byKey.get(key) ?? { ...periodJson(p), sortKey: p.sortKey, measures: [] };
        entry.measures.push(m.code);
        byKey.set(key, entry);
      }
    }
    const list = [...byKey.values()]
      .sort((a, b) => a.sortKey - b.sortKey || a.type.localeCompare(b.type))
      .map(({ sortKey: _s, ...rest }) => rest);
    const page = paginate(request, list, q);
    return sendJson(request, linkHeader(reply, page), page);
  });
}
