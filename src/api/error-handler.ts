/** JSON errors for the API: problem details (./problem.ts) with the status of the problem; never cached. */
import type { FastifyReply, FastifyRequest } from "fastify";
import { databaseOutage, notFoundProblem, problemOf } from "./problem.ts";
import { apiHeaders } from "./respond.ts";

export async function apiErrorHandler(
  caught: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  apiHeaders(reply).header("cache-control", "no-store");
  const { error, outage } = databaseOutage(caught, request, reply);
  const { problem, fault } = problemOf(error);
  if (fault && !outage) request.log.error({ err: error }, "request failed");
  return reply.code(problem.status).send(problem);
}

export async function apiNotFound(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  apiHeaders(reply).header("cache-control", "no-store");
  return reply
    .code(404)
    .send(
      notFoundProblem(`No API endpoint at ${request.method} ${request.url.split("?")[0]}; see /api/v1/openapi.json`),
    );
}
