/** GET /core-aims and /core-aims/{code}: the seven core aims with their UNCRC articles and measures. */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { notFound } from "./errors.ts";
import { linkHeader, paginate } from "./pagination.ts";
import { pageParams, parseQuery } from "./query.ts";
import { currentFramework } from "./resolve.ts";
import { sendJson } from "./respond.ts";
import { coreAimDetail, coreAimSummary } from "./serialise.ts";

export const listQuery = z.strictObject({ ...pageParams });
export const noQuery = z.strictObject({});

export async function coreAimApi(app: FastifyInstance): Promise<void> {
  app.get("/core-aims", async (request, reply) => {
    const q = parseQuery(listQuery, request.query);
    const view = await currentFramework(app);
    const page = paginate(request, view.aims.map(coreAimSummary), q);
    return sendJson(request, linkHeader(reply, page), page);
  });

  app.get("/core-aims/:code", async (request, reply) => {
    parseQuery(noQuery, request.query);
    const { code } = request.params as { code: string };
    const view = await currentFramework(app);
    const aim = view.aims.find((a) => a.code === code.toUpperCase());
    if (!aim) {
      throw notFound(`No core aim "${code}"; the core aims are ${view.aims.map((a) => a.code).join(", ")}`);
    }
    return sendJson(request, reply, { data: coreAimDetail(aim) });
  });
}
