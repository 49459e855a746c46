/**
 * The one error vocabulary of the application. Services and the domain throw these; the web maps them once to govuk
 * error pages (en/cy) and the API once to problem details (RFC 9457). Any other error is a fault: logged, and shown
 * to the public only as "Sorry, there is a problem with the service" (never its text).
 *
 * - {@link NotFoundError}: the thing asked for does not exist (or the user may not know that it does).
 * - {@link ForbiddenError}: the user is known but may not do this.
 * - {@link UnauthenticatedError}: no user, or credentials that are not valid.
 * - {@link InvalidError}: the input is wrong; the message names the field and the problem.
 * - {@link ConflictError}: the request is valid but refused by the current state (e.g. a batch already public).
 * - {@link UnavailableError}: a dependency (the database) cannot be reached; try again later.
 */

export type ErrorKind = "not_found" | "forbidden" | "unauthenticated" | "invalid" | "conflict" | "unavailable";

/** The HTTP status of each kind (used by both the HTML and the JSON mapping). */
export const HTTP_STATUS: Readonly<Record<ErrorKind, number>> = {
  not_found: 404,
  forbidden: 403,
  unauthenticated: 401,
  invalid: 400,
  conflict: 409,
  unavailable: 503,
};

export interface OmfErrorOptions {
  /** A stable machine-readable code (default: the kind), e.g. `bad_request`, `too_large`. */
  code?: string;
  /** Overrides the HTTP status of the kind (e.g. 413, 415 for an invalid upload). */
  status?: number;
  /** Structured details for API clients (e.g. the valid choices). */
  details?: unknown;
  /**
   * Text written for the reader (already in the page language) that an HTML error page may show. An error without it
   * is shown only by its kind's generic title and body: a page never shows an exception's own text.
   */
  publicMessage?: string;
  cause?: unknown;
}

export abstract class OmfError extends Error {
  abstract readonly kind: ErrorKind;
  readonly code: string | undefined;
  readonly details: unknown;
  readonly publicMessage: string | undefined;
  readonly #status: number | undefined;

  constructor(message: string, options: OmfErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.details = options.details;
    this.publicMessage = options.publicMessage;
    this.#status = options.status;
  }

  /** The HTTP status: the override, else the kind's. */
  get status(): number {
    return this.#status ?? HTTP_STATUS[this.kind];
  }

  /** The stable code: the one given, else the kind. */
  get errorCode(): string {
    return this.code ?? this.kind;
  }
}

export class NotFoundError extends OmfError {
  readonly kind = "not_found" as const;
}
export class ForbiddenError extends OmfError {
  readonly kind = "forbidden" as const;
}
export class UnauthenticatedError extends OmfError {
  readonly kind = "unauthenticated" as const;
}
export class InvalidError extends OmfError {
  readonly kind = "invalid" as const;
}
export class ConflictError extends OmfError {
  readonly kind = "conflict" as const;
}

export class UnavailableError extends OmfError {
  readonly kind = "unavailable" as const;
}

export function isOmfError(error: unknown): error is OmfError {
  return error instanceof OmfError;
}
