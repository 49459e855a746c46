/**
 * API errors are the domain's error vocabulary (src/domain/errors.ts) with the API's stable codes; the API never
 * answers a bad code with an empty result. They are turned into problem details once, in ./problem.ts.
 */
import { InvalidError, NotFoundError } from "../domain/errors.ts";

/** 400: the query string is invalid or names something that does not exist. */
export function badRequest(message: string, details?: unknown): InvalidError {
  return new InvalidError(message, { code: "bad_request", details });
}

/** 404: the resource in the path does not exist. */
export function notFound(message: string): NotFoundError {
  return new NotFoundError(message, { code: "not_found" });
}

/** Joins codes for a message: "a", "b" and 3 more. */
export function listForMessage(codes: readonly string[], max = 12): string {
  const shown = codes.slice(0, max).map((c) => `"${c}"`);
  return codes.length > max ? `${shown.join(", ")} and ${codes.length - max} more` : shown.join(", ");
}
