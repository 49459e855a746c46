/**
 * API errors: a status, a stable error code and a message that names the bad input. The API never answers a bad
 * code with an empty result.
 */

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** 400: the query string is invalid or names something that does not exist. */
export function badRequest(message: string, details?: unknown): ApiError {
  return new ApiError(400, "bad_request", message, details);
}

/** 404: the resource in the path does not exist. */
export function notFound(message: string): ApiError {
  return new ApiError(404, "not_found", message);
}

/** Joins codes for a message: "a", "b" and 3 more. */
export function listForMessage(codes: readonly string[], max = 12): string {
  const shown = codes.slice(0, max).map((c) => `"${c}"`);
  return codes.length > max ? `${shown.join(", ")} and ${codes.length - max} more` : shown.join(", ");
}
