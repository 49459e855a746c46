/** GET /frameworks and /frameworks/{code}: framework versions and the current one's core aims. */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { notFound } from "./errors.ts";
import { linkHeader, paginate } from "./pagination.ts";
import { pageParams, parseQuery } from "./query.ts";
import { currentFramework } from "./resolve.ts";
import { sendJson } from "./respond.ts";
import { coreAimSummary, frameworkSummary } from "./serialise.ts";

/** Versions the open data API shows: not drafts, nor versions under review. */
const isPublic = (f: { status: string }) => ["published", "superseded", "retired"].includes(f.status);

export const listQuery = z.strictObject({ ...pageParams });
export const noQuery = z.strictObject({});

export async function frameworkApi(app: FastifyInstance): Promise<void> {
  app.get("/frameworks", async (request, reply) => {
    const q = parseQuery(listQuery, request.query);
    const list = (await app.services.publicViews.frameworks()).filter(isPublic);
    const page = paginate(request, list.map(frameworkSummary), q);
    return sendJson(request, linkHeader(reply, page), page);
  });

  app.get("/frameworks/:code", async (request, reply) => {
    parseQuery(noQuery, request.query);
    const { code } = request.params as { code: string };
    const versions = (await app.services.publicViews.frameworks()).filter((f) => f.code === code && isPublic(f));
    if (versions.length === 0) throw notFound(`No framework with code "${code}"; see /api/v1/frameworks`);
    const view = await currentFramework(app);
    const current = view.framework.code === code ? view : null;
    return sendJson(request, reply, {
      data: {
        ...frameworkSummary(current?.framework ?? versions.at(-1)!),
        versions: versions.map((v) => ({ version: v.version, status: v.status, publishedDate: v.publishedDate })),
        coreAims: current ? current.aims.map(coreAimSummary) : [],
        measureCount: current ? current.measures.length : null,
      },
    });
  });
}
