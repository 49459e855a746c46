/**
 * Turning codes from the query string or path into framework objects, refusing unknown ones loudly (400 for a query
 * filter, 404 for a path) with a message that names the bad code and what would have been accepted.
 */

import type { FastifyInstance } from "fastify";
import { UnavailableError } from "../domain/errors.ts";
import type { FrameworkView, MeasureView } from "../services/framework-service.ts";
import type { AreaDirectory, AreaRow } from "../services/public/area-directory.ts";
import type { PeriodInfo } from "../services/public/published-data.ts";
import { badRequest, listForMessage } from "./errors.ts";

/** The current framework, or 503 when none is loaded yet. */
export async function currentFramework(app: FastifyInstance): Promise<FrameworkView> {
  const view = await app.services.framework.current();
  if (!view) {
    const message = "No framework has been loaded yet (run omf seed)";
    throw new UnavailableError(message, { code: "no_framework", publicMessage: message });
  }
  return view;
}

/** Measures for codes; every code must exist. */
export function resolveMeasures(view: FrameworkView, codes: readonly string[]): MeasureView[] {
  const unknown = codes.filter((c) => !view.measuresByCode.has(c));
  if (unknown.length > 0) {
    throw badRequest(
      `Unknown measure code${unknown.length > 1 ? "s" : ""} ${listForMessage(unknown)}; see /api/v1/measures for the codes`,
    );
  }
  return codes.map((c) => view.measuresByCode.get(c)!);
}

/** Areas for GSS codes (case-insensitive); every code must exist. */
export function resolveAreas(dir: AreaDirectory, codes: readonly string[]): AreaRow[] {
  const upper = codes.map((c) => c.toUpperCase());
  const unknown = upper.filter((c) => !dir.byCode.has(c) && !dir.byCode.has(c.toLowerCase()));
  if (unknown.length > 0) {
    throw badRequest(
      `Unknown area code${unknown.length > 1 ? "s" : ""} ${listForMessage(unknown)}; see /api/v1/areas for the codes`,
    );
  }
  return upper.map((c) => dir.byCode.get(c) ?? dir.byCode.get(c.toLowerCase())!);
}

/** Checks period codes against the periods that have published data. */
export function checkPeriods(known: readonly PeriodInfo[], codes: readonly string[]): void {
  const set = new Set(known.map((p) => p.code));
  const unknown = codes.filter((c) => !set.has(c));
  if (unknown.length > 0) {
    throw badRequest(
      `No published data for period${unknown.length > 1 ? "s" : ""} ${listForMessage(unknown)}; periods with data: ${listForMessage(
        [...set],
      )}`,
    );
  }
}

/** Checks breakdown codes against the breakdowns that have published data. */
export function checkBreakdowns(known: readonly string[], codes: readonly string[]): void {
  const set = new Set(known);
  const unknown = codes.filter((c) => !set.has(c));
  if (unknown.length > 0) {
    throw badRequest(
      `No published data for breakdown${unknown.length > 1 ? "s" : ""} ${listForMessage(unknown)}; breakdowns with data: ${listForMessage(
        [...set],
      )}`,
    );
  }
}
