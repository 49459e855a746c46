/** JSON errors for the API: `{ error, message, details? }` with the status of the problem; never cached. */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { ApiError } from "./errors.ts";
import { apiHeaders } from "./respond.ts";

export async function apiErrorHandler(
  error: FastifyError | ApiError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  apiHeaders(reply).header("cache-control", "no-store");
  if (error instanceof ApiError) {
    return reply.code(error.statusCode).send({
      error: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
    });
  }
  const status = (error as FastifyError).statusCode ?? 500;
  if (status >= 500) {
    request.log.error(error);
    return reply.code(status).send({ error: "server_error", message: "Something went wrong; try again later" });
  }
  return reply.code(status).send({ error: (error as FastifyError).code ?? "bad_request", message: error.message });
}

export async function apiNotFound(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  apiHeaders(reply).header("cache-control", "no-store");
  return reply.code(404).send({
    error: "not_found",
    message: `No API endpoint at ${request.method} ${request.url.split("?")[0]}; see /api/v1/openapi.json`,
  });
}
