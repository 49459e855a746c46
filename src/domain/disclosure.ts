/**
 * Statistical disclosure control for published figures. Each measure may have a rule: suppress values whose numerator
 * (or count) is below a threshold, and round counts to a base (e.g. 5). The raw values are stored; this function is
 * applied to every public output (pages, API, exports) so they never leave the service. Pure: no I/O.
 */
import type { NoteCode } from "./enums.ts";

export interface DisclosureRule {
  /** Suppress when the numerator (or the count, for count measures) is below this. */
  suppressBelow?: number | null | undefined;
  /** Round numerators, denominators and counts to the nearest multiple of this. */
  roundTo?: number | null | undefined;
  /** True for count measures, whose value is itself a count (suppressed and rounded like a numerator). */
  valueIsCount?: boolean | undefined;
}

/** The fields of an observation that disclosure control reads or changes. */
export interface DisclosableObservation {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  lower95: number | null;
  upper95: number | null;
  lower998: number | null;
  upper998: number | null;
  noteCodes: readonly string[];
}

/** Rounds to the nearest multiple of `base` (halves away from zero, as published tables do). */
export function roundToBase(x: number, base: number): number {
  if (!(base > 1)) return x;
  const r = Math.sign(x) * Math.round(Math.abs(x) / base) * base;
  return Object.is(r, -0) ? 0 : r;
}

/**
 * Applies a measure's disclosure rule to one observation and returns a new object (the input is not changed).
 * A numerator (or count) below `suppressBelow` nulls the value, numerator, denominator and every interval and adds the
 * note code `suppressed`; otherwise counts are rounded to `roundTo`. Values already marked `suppressed` are nulled too.
 */
export function discloseObservation<T extends DisclosableObservation>(
  obs: T,
  rule: DisclosureRule | null | undefined,
): T {
  const suppressBelow = rule?.suppressBelow ?? null;
  const roundTo = rule?.roundTo ?? null;
  const count = obs.numerator ?? (rule?.valueIsCount ? obs.value : null);
  const alreadySuppressed = obs.noteCodes.includes("suppressed");
  if (alreadySuppressed || (suppressBelow !== null && count !== null && count < suppressBelow)) {
    return {
      ...obs,
      value: null,
      numerator: null,
      denominator: null,
      lower95: null,
      upper95: null,
      lower998: null,
      upper998: null,
      noteCodes: alreadySuppressed ? [...obs.noteCodes] : [...obs.noteCodes, "suppressed" satisfies NoteCode],
    };
  }
  if (roundTo !== null && roundTo > 1) {
    const out = {
      ...obs,
      numerator: obs.numerator === null ? null : roundToBase(obs.numerator, roundTo),
      denominator: obs.denominator === null ? null : roundToBase(obs.denominator, roundTo),
      noteCodes: [...obs.noteCodes],
    };
    if (rule?.valueIsCount && obs.value !== null) {
      out.value = roundToBase(obs.value, roundTo);
      // Intervals of a rounded count would reveal the raw count; they are dropped.
      out.lower95 = null;
      out.upper95 = null;
      out.lower998 = null;
      out.upper998 = null;
    }
    return out;
  }
  return { ...obs, noteCodes: [...obs.noteCodes] };
}
