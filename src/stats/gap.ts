/**
 * Gap between two groups (e.g. most and least deprived, girls and boys): absolute difference and
 * relative ratio with confidence limits by the MOVER method. Complements the benchmark
 * comparison of METHODS §11 (which only says whether two intervals overlap) with an interval for
 * the size of the gap. Pure functions; no I/O.
 */

import { normaliseConfidence } from "./confidence.ts";
import { requireFinite } from "./input-checks.ts";
import { wilsonLimits } from "./wilson.ts";

/** An estimate with its confidence interval (at the level passed as `confidence`). */
export interface GapEstimate {
  value: number;
  lower: number;
  upper: number;
}

/** A proportion given by its counts; its Wilson score interval is computed (METHODS §2). */
export interface GapCounts {
  numerator: number;
  denominator: number;
}

export type GapGroup = GapEstimate | GapCounts;

export interface GapOptions {
  /** Level of the intervals: 0.95 (default); 0.9–1 or 90–100 (METHODS §1), e.g. 0.998 or 99.8. */
  confidence?: number;
  /** Scale for groups given as counts (1 = proportion, 100 = percentage); default 1. */
  multiplier?: number;
}

export interface GapInterval {
  value: number;
  lower: number;
  upper: number;
}

export interface GapResult {
  /** Absolute gap a − b with MOVER limits. */
  absolute: GapInterval;
  /**
   * Relative gap a / b with log-scale MOVER limits; `null` when it is not defined on the log
   * scale (a value ≤ 0, or a lower limit < 0). The upper limit is `Infinity` if b's lower limit is 0.
   */
  relative: GapInterval | null;
  /** Normalised confidence level of the intervals. */
  confidence: number;
  /** The estimates used for a and b (Wilson intervals for groups given as counts). */
  a: GapEstimate;
  b: GapEstimate;
}

function toEstimate(group: GapGroup, name: string, confidence: number, multiplier: number): GapEstimate {
  if (group === null || typeof group !== "object") throw new Error(`gap: ${name} must be an object`);
  if ("numerator" in group || "denominator" in group) {
    const g = group as GapCounts;
    const x = requireFinite(g.numerator, `gap: ${name}.numerator`);
    const n = requireFinite(g.denominator, `gap: ${name}.denominator`);
    if (x < 0) throw new Error(`gap: ${name}.numerator must be >= 0; got ${x}`);
    if (!(n > 0)) throw new Error(`gap: ${name}.denominator must be > 0; got ${n}`);
    if (x > n) throw new Error(`gap: ${name}.numerator (${x}) must not exceed the denominator (${n})`);
    const { lower, upper } = wilsonLimits(x, n, confidence);
    return { value: (x / n) * multiplier, lower: lower * multiplier, upper: upper * multiplier };
  }
  const value = requireFinite(group.value, `gap: ${name}.value`);
  const lower = requireFinite(group.lower, `gap: ${name}.lower`);
  const upper = requireFinite(group.upper, `gap: ${name}.upper`);
  if (!(lower <= value && value <= upper)) {
    throw new Error(`gap: ${name} must satisfy lower <= value <= upper; got ${lower}, ${value}, ${upper}`);
  }
  return { value, lower, upper };
}

/**
 * Absolute gap a − b and relative gap a / b between two independent estimates, each with a
 * confidence interval, using the MOVER method ("method of variance estimates recovery"; Newcombe
 * 1998 method 10 for proportions, Zou & Donner 2008 in general). It recovers the variance of each
 * estimate separately below and above the point estimate from its own (possibly asymmetric)
 * interval, so it respects Wilson/Byar/exact limits:
 *
 *   D = a − b
 *   L = D − √((a − l_a)² + (u_b − b)²)
 *   U = D + √((u_a − a)² + (b − l_b)²)
 *
 * The ratio uses the same formula on the log scale (Zou & Donner 2008; Donner & Zou 2012):
 *
 *   R = a / b
 *   L = exp(ln R − √((ln a − ln l_a)² + (ln u_b − ln b)²))
 *   U = exp(ln R + √((ln u_a − ln a)² + (ln b − ln l_b)²))
 *
 * Both intervals are at the level of the input intervals (`confidence`). Groups given as
 * `{ numerator, denominator }` get a Wilson score interval (METHODS §2) at that level, scaled by
 * `multiplier`. The estimates must be independent (different people), e.g. two areas or two
 * sexes, not an area and a benchmark that contains it.
 *
 * Swapping a and b negates the absolute gap and swaps/negates its limits, and inverts the
 * relative gap and its limits.
 *
 * @throws Error if a value or limit is not finite, lower ≤ value ≤ upper does not hold, counts
 *   are invalid, or the confidence level is invalid.
 */
export function gap(a: GapGroup, b: GapGroup, options: GapOptions = {}): GapResult {
  const confidence = normaliseConfidence(options.confidence ?? 0.95);
  const multiplier = options.multiplier ?? 1;
  if (typeof multiplier !== "number" || !Number.isFinite(multiplier) || multiplier <= 0) {
    throw new Error(`gap: multiplier must be a positive finite number; got ${String(multiplier)}`);
  }
  const ea = toEstimate(a, "a", confidence, multiplier);
  const eb = toEstimate(b, "b", confidence, multiplier);

  const d = ea.value - eb.value;
  const absolute: GapInterval = {
    value: d,
    lower: d - Math.hypot(ea.value - ea.lower, eb.upper - eb.value),
    upper: d + Math.hypot(ea.upper - ea.value, eb.value - eb.lower),
  };

  let relative: GapInterval | null = null;
  if (ea.value > 0 && eb.value > 0 && ea.lower >= 0 && eb.lower >= 0) {
    const la = Math.log(ea.value);
    const lb = Math.log(eb.value);
    const logR = la - lb;
    const down = Math.hypot(la - Math.log(ea.lower), Math.log(eb.upper) - lb);
    const up = Math.hypot(Math.log(ea.upper) - la, lb - Math.log(eb.lower));
    relative = { value: ea.value / eb.value, lower: Math.exp(logR - down), upper: Math.exp(logR + up) };
  }
  return { absolute, relative, confidence, a: ea, b: eb };
}
