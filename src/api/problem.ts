/**
 * The one mapping from an error to a JSON answer: problem details (RFC 9457: type, title, status, detail) that also
 * keep the API's `error` (a stable code) and `message` fields. Errors of the domain vocabulary and Fastify's own 4xx
 * errors say what was wrong; anything else is a fault, answered with a generic message (its text is only logged).
 */
import { isOmfError, UnavailableError } from "../domain/errors.ts";
import { databaseUnavailable } from "../services/process-state.ts";

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** A stable machine-readable code, e.g. `bad_request`, `not_found`. */
  error: string;
  /** The same as `detail` (the API's original field). */
  message: string;
  details?: unknown;
}

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  406: "Not acceptable",
  409: "Conflict",
  413: "Content too large",
  415: "Unsupported media type",
  422: "Unprocessable content",
  429: "Too many requests",
  500: "Internal server error",
  503: "Service unavailable",
};

const SERVER_MESSAGE = "Something went wrong; try again later";

function problem(status: number, error: string, message: string, details?: unknown): ProblemDetails {
  return {
    type: "about:blank",
    title: TITLES[status] ?? (status >= 500 ? "Server error" : "Bad request"),
    status,
    detail: message,
    error,
    message,
    ...(details === undefined ? {} : { details }),
  };
}

/** The problem details of an error, and whether it is a fault to log (a 5xx). */
export function problemOf(error: unknown): { problem: ProblemDetails; fault: boolean } {
  if (isOmfError(error)) {
    if (error.status >= 500) {
      // only a message written for the public (publicMessage) is shown; the exception's text is logged
      const shown = error.publicMessage;
      return { problem: problem(error.status, error.errorCode, shown ?? SERVER_MESSAGE), fault: shown === undefined };
    }
    return { problem: problem(error.status, error.errorCode, error.message, error.details), fault: false };
  }
  const e = error as { statusCode?: number; code?: string; message?: string };
  const status = typeof e.statusCode === "number" ? e.statusCode : 500;
  if (status >= 500) return { problem: problem(status, "server_error", SERVER_MESSAGE), fault: true };
  return { problem: problem(status, e.code ?? "bad_request", e.message ?? ""), fault: false };
}

/** A 404 for a path with nothing there. */
export function notFoundProblem(message: string): ProblemDetails {
  return problem(404, "not_found", message);
}

/**
 * The database out of reach (PostgreSQL restarting, the network): answered as a 503 to try again shortly (with
 * Retry-After), logged once as a warning, instead of a 500. Returns the error to answer with, and whether it was that.
 */
export function databaseOutage(
  error: unknown,
  request: { log: { warn(object: object, message: string): void } },
  reply: { header(name: string, value: string): unknown },
): { error: unknown; outage: boolean } {
  if (!databaseUnavailable(error)) return { error, outage: false };
  request.log.warn({ err: error }, "database unavailable");
  reply.header("retry-after", "5");
  return { error: new UnavailableError("the database is unavailable"), outage: true };
}
