/**
 * Small runtime guards shared by the comparison methods (benchmark, trend, funnel, quantiles,
 * forecast, gap). They turn bad input into clear Errors instead of silent NaN results.
 */

import { requireFiniteNumber } from "./interval-checks.ts";

/** Throws unless `value` is one of `allowed`. */
export function assertOneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): asserts value is T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new Error(`${what} must be one of ${allowed.map((a) => `"${a}"`).join(", ")}; got ${JSON.stringify(value)}`);
  }
}

/** True for `null` and `undefined` (a missing value). */
export function isMissing(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

/** Throws unless `value` is a finite number; returns it. */
export function requireFinite(value: unknown, what: string): number {
  requireFiniteNumber(value, what);
  return value;
}
