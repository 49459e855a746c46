/**
 * Confidence limits (95% and 99.8%) of one published value, by the measure's value type (METHODS §2–§5):
 *
 * | value type | limits |
 * |---|---|
 * | any | supplied limits are kept as supplied |
 * | proportion | Wilson score interval from numerator / denominator |
 * | crude_rate | exact Poisson (count < 10) or Byar's limits on the numerator, divided by the denominator |
 * | count | exact Poisson / Byar's limits on the count itself |
 * | directly_standardised_rate | Dobson with one stratum (the count's limits scaled by rate / count) when no limits are supplied and the count is at least 10 |
 * | mean, ratio, supplied_ci | supplied only |
 *
 * Invalid inputs (e.g. numerator > denominator) give no limits rather than an error: the value is still shown.
 */
import { byarsLimits } from "../../stats/byars.ts";
import { DSR_MINIMUM_TOTAL_COUNT } from "../../stats/dsr.ts";
import { exactPoissonLimits } from "../../stats/exact-poisson.ts";
import { EXACT_POISSON_BELOW } from "../../stats/poisson-count-limits.ts";
import { wilsonLimits } from "../../stats/wilson.ts";
import type { CiMethod } from "./types.ts";

export interface Limits {
  lower95: number | null;
  upper95: number | null;
  lower998: number | null;
  upper998: number | null;
  ciMethod: CiMethod;
}

const NONE: Limits = Object.freeze({ lower95: null, upper95: null, lower998: null, upper998: null, ciMethod: null });

interface LimitsInput {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  lower95: number | null;
  upper95: number | null;
  lower998: number | null;
  upper998: number | null;
}

const finite = (x: number | null): x is number => x !== null && Number.isFinite(x);

/** The limits of one value (see the module comment for the method per value type). */
export function computeLimits(valueType: string, multiplier: number, o: LimitsInput): Limits {
  if (!finite(o.value)) return NONE;
  if (finite(o.lower95) && finite(o.upper95)) {
    const both998 = finite(o.lower998) && finite(o.upper998);
    return {
      lower95: o.lower95,
      upper95: o.upper95,
      lower998: both998 ? o.lower998 : null,
      upper998: both998 ? o.upper998 : null,
      ciMethod: "supplied",
    };
  }
  try {
    switch (valueType) {
      case "proportion":
        return proportionLimits(o.numerator, o.denominator, multiplier);
      case "crude_rate":
        return rateLimits(o.numerator, o.denominator, multiplier);
      case "count":
        return countLimits(o.value);
      case "directly_standardised_rate":
        return dsrLimits(o.value, o.numerator);
      default:
        return NONE;
    }
  } catch {
    return NONE;
  }
}

/**
 * Limits of an observed count: exact below 10, Byar's from 10 (`poissonCountLimits`, METHODS §3), called through its
 * two primitives because this runs millions of times and the wrapper's result object is comparatively costly.
 */
function countInterval(x: number, confidence: number): { lower: number | null; upper: number } {
  return x < EXACT_POISSON_BELOW ? exactPoissonLimits(x, confidence) : byarsLimits(x, confidence);
}

/** Wilson score limits × multiplier, as `proportionCI` (METHODS §2). */
function proportionLimits(x: number | null, n: number | null, multiplier: number): Limits {
  if (!finite(x) || !finite(n) || n <= 0 || x < 0 || x > n) return NONE;
  const a = wilsonLimits(x, n, 0.95);
  const b = wilsonLimits(x, n, 0.998);
  return {
    lower95: a.lower * multiplier,
    upper95: a.upper * multiplier,
    lower998: b.lower * multiplier,
    upper998: b.upper * multiplier,
    ciMethod: "wilson",
  };
}

/** Limits of the count divided by the population × multiplier, as `rateCI` (METHODS §3). */
function rateLimits(x: number | null, n: number | null, multiplier: number): Limits {
  if (!finite(x) || !finite(n) || n <= 0 || x < 0) return NONE;
  const a = countInterval(x, 0.95);
  const b = countInterval(x, 0.998);
  if (a.lower === null || b.lower === null) return NONE;
  return {
    lower95: (a.lower / n) * multiplier,
    upper95: (a.upper / n) * multiplier,
    lower998: (b.lower / n) * multiplier,
    upper998: (b.upper / n) * multiplier,
    ciMethod: "byar_exact",
  };
}

function countLimits(x: number): Limits {
  if (x < 0) return NONE;
  const a = countInterval(x, 0.95);
  const b = countInterval(x, 0.998);
  if (a.lower === null || b.lower === null) return NONE;
  return { lower95: a.lower, upper95: a.upper, lower998: b.lower, upper998: b.upper, ciMethod: "poisson_count" };
}

/**
 * Dobson's interval for a DSR with a single stratum: DSR × (count limit / count), with Byar's limits on the count
 * (the DSR method uses Byar's only, METHODS §13.2). Not published below 10 events (METHODS §5).
 */
function dsrLimits(value: number, count: number | null): Limits {
  if (!finite(count) || count < DSR_MINIMUM_TOTAL_COUNT) return NONE;
  const a = byarsLimits(count, 0.95);
  const b = byarsLimits(count, 0.998);
  if (a.lower === null || b.lower === null) return NONE;
  const k = value / count;
  return {
    lower95: a.lower * k,
    upper95: a.upper * k,
    lower998: b.lower * k,
    upper998: b.upper * k,
    ciMethod: "dobson_single_stratum",
  };
}
