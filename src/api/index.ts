/**
 * The JSON API under /api/v1. Add a feature's route plugin here. Errors are JSON `{ error, message }` with a loud
 * 4xx status (never an empty result for a bad code).
 *
 * The open data API (issue 5): frameworks, core aims, measures, areas, periods, data and analysis, with pagination,
 * ETags, cache headers and CORS; OpenAPI 3.1 at /api/v1/openapi.json; only published, disclosure-controlled data.
 */
import type { FastifyInstance } from "fastify";
import { agreementApi } from "./agreements.ts";
import { analysisApi } from "./analysis.ts";
import { areaApi } from "./areas.ts";
import { coreAimApi } from "./core-aims.ts";
import { dataApi } from "./data.ts";
import { apiErrorHandler, apiNotFound } from "./error-handler.ts";
import { frameworkVersionApi } from "./framework-versions.ts";
import { frameworkApi } from "./frameworks.ts";
import { importApi } from "./imports.ts";
import { measureApi } from "./measures.ts";
import { openApiDocument } from "./openapi.ts";
import { periodApi } from "./periods.ts";
import { planApi } from "./plans.ts";
import { apiHeaders, sendJson } from "./respond.ts";

export async function apiRoutes(app: FastifyInstance): Promise<void> {
  app.setErrorHandler(apiErrorHandler);
  app.setNotFoundHandler(apiNotFound);

  app.get("/", async (request, reply) =>
    sendJson(request, reply, {
      title: "OMF open data API",
      openapi: "/api/v1/openapi.json",
      documentation: { en: "/en/api", cy: "/cy/api" },
      endpoints: [
        "/api/v1/frameworks",
        "/api/v1/core-aims",
        "/api/v1/measures",
        "/api/v1/areas",
        "/api/v1/periods",
        "/api/v1/data",
        "/api/v1/data.csv",
        "/api/v1/analysis",
        "/api/v1/analysis.csv",
        "/api/v1/analysis/gaps",
        "/api/v1/analysis/compare",
        "/api/v1/analysis/summary",
        "/api/v1/plans",
        "/api/v1/agreements",
      ],
    }),
  );
  app.get("/openapi.json", async (request, reply) => sendJson(request, reply, await openApiDocument()));
  app.options("/*", async (_request, reply) =>
    apiHeaders(reply)
      .header("access-control-allow-methods", "GET, HEAD, OPTIONS")
      .header("access-control-allow-headers", "If-None-Match")
      .header("access-control-max-age", "86400")
      .code(204)
      .send(),
  );

  await app.register(frameworkApi);
  await app.register(frameworkVersionApi);
  await app.register(coreAimApi);
  await app.register(measureApi);
  await app.register(areaApi);
  await app.register(periodApi);
  await app.register(dataApi);
  await app.register(analysisApi);
  await app.register(importApi);
  await app.register(planApi);
  await app.register(agreementApi);
}
