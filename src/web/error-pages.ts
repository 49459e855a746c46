/**
 * The one mapping from an error to an HTML error page (govuk layout, in the page language). A page shows the kind's
 * title and body, and at most a message written for the reader (`publicMessage`, already translated); it never
 * shows an exception's own text. Faults (5xx) are logged by the caller.
 */
import { type ErrorKind, isOmfError } from "../domain/errors.ts";

export interface ErrorPage {
  status: number;
  titleKey: string;
  bodyKey: string | undefined;
  message: string | undefined;
  fault: boolean;
}

const PAGES: Record<ErrorKind, { titleKey: string; bodyKey: string }> = {
  not_found: { titleKey: "errors.notFoundTitle", bodyKey: "errors.notFoundBody" },
  forbidden: { titleKey: "errors.forbiddenTitle", bodyKey: "errors.forbiddenBody" },
  unauthenticated: { titleKey: "errors.forbiddenTitle", bodyKey: "errors.forbiddenBody" },
  invalid: { titleKey: "errors.problem", bodyKey: "errors.invalidBody" },
  conflict: { titleKey: "errors.conflictTitle", bodyKey: "errors.conflictBody" },
  unavailable: { titleKey: "errors.serverTitle", bodyKey: "errors.serverBody" },
};

function kindOfStatus(status: number): ErrorKind {
  if (status === 404) return "not_found";
  if (status === 403) return "forbidden";
  if (status === 401) return "unauthenticated";
  if (status === 409) return "conflict";
  return status >= 500 ? "unavailable" : "invalid";
}

export function errorPage(error: unknown): ErrorPage {
  let status: number;
  let kind: ErrorKind;
  let message: string | undefined;
  if (isOmfError(error)) {
    status = error.status;
    kind = error.kind;
    message = error.publicMessage;
  } else {
    const e = error as { statusCode?: number; code?: string };
    status = typeof e.statusCode === "number" ? e.statusCode : 500;
    // a refused CSRF check is a forbidden request, whatever status the plugin gave it
    if (typeof e.code === "string" && e.code.startsWith("FST_CSRF")) status = 403;
    kind = kindOfStatus(status);
  }
  const page = PAGES[kind];
  return {
    status,
    titleKey: status >= 500 ? "errors.serverTitle" : page.titleKey,
    bodyKey: message ? undefined : status >= 500 ? "errors.serverBody" : page.bodyKey,
    message,
    fault: status >= 500,
  };
}
