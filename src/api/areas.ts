/** GET /areas (optionally of one type) and /areas/{code} with its groupings or members. */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { AREA_TYPES } from "../domain/enums.ts";
import { groupingsOfArea, membersOfGrouping } from "../services/public/area-directory.ts";
import { notFound } from "./errors.ts";
import { linkHeader, paginate } from "./pagination.ts";
import { pageParams, parseQuery, single } from "./query.ts";
import { sendJson } from "./respond.ts";
import { areaSummary } from "./serialise.ts";

export const listQuery = z.strictObject({ type: single.pipe(z.enum(AREA_TYPES)).optional(), ...pageParams });
export const detailQuery = z.strictObject({ date: single.pipe(z.iso.date()).optional() });

export async function areaApi(app: FastifyInstance): Promise<void> {
  app.get("/areas", async (request, reply) => {
    const q = parseQuery(listQuery, request.query);
    const dir = await app.services.publicViews.areas();
    const list = q.type ? dir.areas.filter((a) => a.type === q.type) : dir.areas;
    const page = paginate(request, list.map(areaSummary), q);
    return sendJson(request, linkHeader(reply, page), page);
  });

  app.get("/areas/:code", async (request, reply) => {
    const q = parseQuery(detailQuery, request.query);
    const { code } = request.params as { code: string };
    const dir = await app.services.publicViews.areas();
    const area = dir.byCode.get(code.toUpperCase()) ?? dir.byCode.get(code);
    if (!area) throw notFound(`No area with code "${code}"; see /api/v1/areas for the codes`);
    const date = q.date ?? new Date().toISOString().slice(0, 10);
    const members = membersOfGrouping(dir, area.code, date);
    return sendJson(request, reply, {
      data: {
        ...areaSummary(area),
        asAt: date,
        groupings: groupingsOfArea(dir, area.code, date).map((g) => ({
          code: g.code,
          type: g.type,
          name: areaSummary(g).name,
        })),
        members: members.length > 0 || area.type !== "local_authority" ? members : [],
      },
    });
  });
}
