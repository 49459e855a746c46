/**
 * Statistical disclosure control for published figures. Each measure may have a rule: suppress values whose count is
 * below a threshold, and round counts to a base (e.g. 5). The raw values are stored; {@link discloseObservation} is
 * applied to every public output (pages, API, exports, and the stored analysis, which is computed from its result) so
 * they never leave the service. Pure: no I/O.
 *
 * The count a rule protects depends on the value type ({@link protectedCountField}): the numerator (events, people
 * with the characteristic) of proportions, rates, ratios and survey estimates; the value itself of a count; the
 * denominator (the number of people) of a mean.
 *
 * Nothing public may let a reader work a protected count out again:
 * - A row whose value comes without the count the rule needs ({@link missingDisclosureCount}) cannot be checked: the
 *   import refuses it, and a stored one is suppressed whole.
 * - Where counts are rounded, the value is made consistent with the rounded counts: a proportion's or crude rate's
 *   value is recomputed as rounded numerator ÷ rounded denominator × multiplier; a directly standardised rate, ratio
 *   or survey estimate is scaled by the same factors (rounded ÷ raw numerator, raw ÷ rounded denominator), which is
 *   what it would have been with the rounded counts; a count is rounded; a mean keeps its value but not its numerator
 *   (a total, which divided by the mean gives the number of people). Supplied confidence limits are dropped (they
 *   were computed from the raw counts, and their shape pins them); the analysis computes limits from the rounded
 *   counts where the value type has a method.
 */
import type { NoteCode } from "./enums.ts";

export interface DisclosureRule {
  /** Suppress when the protected count ({@link protectedCountField}) is below this. */
  suppressBelow?: number | null | undefined;
  /** Round numerators, denominators and counts to the nearest multiple of this. */
  roundTo?: number | null | undefined;
  /** The measure's value type (`VALUE_TYPES`): which count is protected, and how the value follows rounded counts. */
  valueType?: string | undefined;
  /** The measure's multiplier (100 for a percentage, 1,000 for "per 1,000" …). */
  multiplier?: number | undefined;
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
  /** Set to false when supplied limits are dropped. */
  ciSupplied?: boolean | undefined;
  noteCodes: readonly string[];
}

export type CountField = "numerator" | "denominator" | "value";

/** Value types whose value is numerator ÷ denominator × multiplier (checked at import): recomputed from rounded counts. */
const RECOMPUTED = new Set(["proportion", "crude_rate"]);

/** The field holding the count a rule protects, by value type (see the module comment). */
export function protectedCountField(valueType: string | undefined): CountField {
  if (valueType === "count") return "value";
  if (valueType === "mean") return "denominator";
  return "numerator";
}

const suppresses = (rule: DisclosureRule | null | undefined): rule is DisclosureRule & { suppressBelow: number } =>
  typeof rule?.suppressBelow === "number" && rule.suppressBelow > 0;
const rounds = (rule: DisclosureRule | null | undefined): rule is DisclosureRule & { roundTo: number } =>
  typeof rule?.roundTo === "number" && rule.roundTo > 1;

/**
 * The count a row with a value lacks for the rule to be applied, or null when it has what the rule needs (or there
 * is no rule, or no value). Suppression needs the protected count; rounding needs it too, and a proportion or crude
 * rate also needs its denominator (its value is recomputed from both rounded counts).
 */
export function missingDisclosureCount(
  rule: DisclosureRule | null | undefined,
  row: Pick<DisclosableObservation, "value" | "numerator" | "denominator">,
): "numerator" | "denominator" | null {
  if (row.value === null || !(suppresses(rule) || rounds(rule))) return null;
  const field = protectedCountField(rule?.valueType);
  if (field !== "value" && row[field] === null) return field;
  if (rounds(rule) && RECOMPUTED.has(rule.valueType ?? "") && row.denominator === null) return "denominator";
  return null;
}

/** The rule in words, for messages: "suppresses values whose numerator is below 5 and rounds counts to 5". */
export function describeDisclosureRule(rule: DisclosureRule): string {
  const field = protectedCountField(rule.valueType);
  const count = field === "denominator" ? "denominator (the number of people)" : field === "value" ? "count" : field;
  const parts: string[] = [];
  if (suppresses(rule)) parts.push(`suppresses values whose ${count} is below ${rule.suppressBelow}`);
  if (rounds(rule)) parts.push(`publishes values consistent with its counts rounded to the nearest ${rule.roundTo}`);
  return parts.join(" and ");
}

/** Rounds to the nearest multiple of `base` (halves away from zero, as published tables do). */
export function roundToBase(x: number, base: number): number {
  if (!(base > 1)) return x;
  const r = Math.sign(x) * Math.round(Math.abs(x) / base) * base;
  return Object.is(r, -0) ? 0 : r;
}

function suppressedCopy<T extends DisclosableObservation>(obs: T): T {
  const noteCodes = obs.noteCodes.includes("suppressed")
    ? [...obs.noteCodes]
    : [...obs.noteCodes, "suppressed" satisfies NoteCode];
  return {
    ...obs,
    value: null,
    numerator: null,
    denominator: null,
    lower95: null,
    upper95: null,
    lower998: null,
    upper998: null,
    noteCodes,
  };
}

/**
 * Applies a measure's disclosure rule to one observation and returns a new object (the input is not changed).
 * Suppressed (value, counts and every interval null, note code `suppressed`): a value already marked suppressed; a
 * value without the count the rule needs; a protected count below `suppressBelow`; a value whose rounded denominator
 * is 0. Otherwise, with `roundTo`, counts are rounded and the value made consistent with them (module comment).
 */
export function discloseObservation<T extends DisclosableObservation>(
  obs: T,
  rule: DisclosureRule | null | undefined,
): T {
  if (obs.noteCodes.includes("suppressed")) return suppressedCopy(obs);
  if (!(suppresses(rule) || rounds(rule))) return { ...obs, noteCodes: [...obs.noteCodes] };
  if (missingDisclosureCount(rule, obs) !== null) return suppressedCopy(obs);
  const valueType = rule.valueType ?? "";
  if (suppresses(rule)) {
    const counts = valueType === "count" ? [obs.value, obs.numerator] : [obs[protectedCountField(valueType)]];
    if (counts.some((c) => c !== null && c < rule.suppressBelow)) return suppressedCopy(obs);
  }
  if (!rounds(rule)) return { ...obs, noteCodes: [...obs.noteCodes] };
  const base = rule.roundTo;
  const numerator = obs.numerator === null ? null : roundToBase(obs.numerator, base);
  const denominator = obs.denominator === null ? null : roundToBase(obs.denominator, base);
  let value = obs.value;
  if (value !== null) {
    if (valueType === "count") value = roundToBase(value, base);
    else if (valueType !== "mean") {
      if (denominator === 0) return suppressedCopy(obs);
      if (RECOMPUTED.has(valueType)) {
        value = ((numerator as number) / (denominator as number)) * (rule.multiplier ?? 1);
      } else {
        const raw = obs.numerator as number;
        if (raw > 0) value *= (numerator as number) / raw;
        if (obs.denominator !== null && denominator !== null && obs.denominator > 0) {
          value *= obs.denominator / denominator;
        }
      }
    }
  }
  const out: T = {
    ...obs,
    value,
    // A mean's numerator is a total (of scores, say); divided by the mean it would give the unrounded denominator.
    numerator: valueType === "mean" ? null : numerator,
    denominator,
    lower95: null,
    upper95: null,
    lower998: null,
    upper998: null,
    noteCodes: [...obs.noteCodes],
  };
  if (out.ciSupplied !== undefined) out.ciSupplied = false;
  return out;
}
