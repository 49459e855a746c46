/**
 * The scalar interval path as it was before issue 18 (commit 858febe), kept ONLY as the benchmark's baseline
 * (`bench/stats.ts` prints the before/after ratio of one call per row, measured in the same run) and for the test that
 * the faster scalar functions give bit-for-bit the same results. Not used by the application.
 *
 * Per call it re-validates the confidence level, recomputes the normal quantile and the exact chi-square limits, and
 * builds intermediate objects with spreads — the overhead issue 18 removed.
 */
import { normaliseConfidence } from "../src/stats/confidence.ts";
import { qchisq, qnorm } from "../src/stats/distributions.ts";
import { optionalFiniteNumber, requireFiniteNumber, requireMultiplier } from "../src/stats/interval-checks.ts";

interface Estimate {
  value: number | null;
  lower: number | null;
  upper: number | null;
  confidence: number;
  method: string | null;
}

function missingEstimate(confidence: number) {
  return { value: null, lower: null, upper: null, confidence };
}

function zFor(confidence = 0.95): number {
  const c = normaliseConfidence(confidence);
  return qnorm(c + (1 - c) / 2);
}

function wilsonLimits(x: number, n: number, confidence?: number): { lower: number; upper: number } {
  requireFiniteNumber(x, "x");
  requireFiniteNumber(n, "n");
  if (x < 0) throw new Error(`x must be >= 0; got ${x}`);
  if (n <= 0) throw new Error(`n must be > 0; got ${n}`);
  if (x > n) throw new Error(`x must be <= n for a proportion; got x = ${x}, n = ${n}`);
  const c = normaliseConfidence(confidence);
  if (c === 1) return { lower: 0, upper: 1 };
  const z = zFor(c);
  const z2 = z * z;
  const spread = z * Math.sqrt(z2 + 4 * x * (1 - x / n));
  const denominator = 2 * (n + z2);
  return {
    lower: x === 0 ? 0 : (2 * x + z2 - spread) / denominator,
    upper: x === n ? 1 : (2 * x + z2 + spread) / denominator,
  };
}

function byarsLimits(x: number, confidence?: number): { lower: number | null; upper: number } {
  requireFiniteNumber(x, "x");
  if (x < 0) throw new Error(`x must be >= 0; got ${x}`);
  const z = zFor(confidence);
  let lower: number | null = null;
  if (x > 0) {
    const lowerLimit = x * (1 - 1 / (9 * x) - z / (3 * Math.sqrt(x))) ** 3;
    lower = lowerLimit >= 0 ? lowerLimit : null;
  }
  const x1 = x + 1;
  const upper = x1 * (1 - 1 / (9 * x1) + z / (3 * Math.sqrt(x1))) ** 3;
  return { lower, upper };
}

function exactPoissonLimits(x: number, confidence?: number): { lower: number; upper: number } {
  requireFiniteNumber(x, "x");
  if (x < 0) throw new Error(`x must be >= 0; got ${x}`);
  const c = normaliseConfidence(confidence);
  return {
    lower: qchisq((1 - c) / 2, 2 * x) / 2,
    upper: qchisq(c + (1 - c) / 2, 2 * x + 2) / 2,
  };
}

function poissonCountLimits(x: number, confidence?: number): { lower: number | null; upper: number; method: string } {
  if (x < 10) return { ...exactPoissonLimits(x, confidence), method: "Exact" };
  return { ...byarsLimits(x, confidence), method: "Byars" };
}

/** `proportionCI` before issue 18. */
export function baselineProportionCI(
  x: number | null | undefined,
  n: number | null | undefined,
  options: { confidence?: number; multiplier?: number } = {},
): Estimate {
  const confidence = normaliseConfidence(options.confidence);
  const multiplier = requireMultiplier(options.multiplier ?? 1);
  const numerator = optionalFiniteNumber(x, "x");
  const denominator = optionalFiniteNumber(n, "n");
  if (numerator !== null && numerator < 0) throw new Error(`x must be >= 0; got ${numerator}`);
  if (denominator !== null && denominator <= 0) throw new Error(`n must be > 0; got ${denominator}`);
  if (numerator === null || denominator === null) return { ...missingEstimate(confidence), method: "Wilson" };
  if (numerator > denominator) {
    throw new Error(`x must be <= n for a proportion; got x = ${numerator}, n = ${denominator}`);
  }
  const limits = wilsonLimits(numerator, denominator, confidence);
  return {
    value: (numerator / denominator) * multiplier,
    lower: limits.lower * multiplier,
    upper: limits.upper * multiplier,
    confidence,
    method: "Wilson",
  };
}

/** `rateCI` before issue 18. */
export function baselineRateCI(
  x: number | null | undefined,
  n: number | null | undefined,
  options: { confidence?: number; multiplier?: number } = {},
): Estimate {
  const confidence = normaliseConfidence(options.confidence);
  const multiplier = requireMultiplier(options.multiplier ?? 100000);
  const count = optionalFiniteNumber(x, "x");
  const population = optionalFiniteNumber(n, "n");
  if (count !== null && count < 0) throw new Error(`x must be >= 0; got ${count}`);
  if (population !== null && population <= 0) throw new Error(`n must be > 0; got ${population}`);
  if (count === null) return { ...missingEstimate(confidence), method: null };
  const limits = poissonCountLimits(count, confidence);
  if (population === null) return { ...missingEstimate(confidence), method: limits.method };
  return {
    value: (count / population) * multiplier,
    lower: limits.lower === null ? null : (limits.lower / population) * multiplier,
    upper: (limits.upper / population) * multiplier,
    confidence,
    method: limits.method,
  };
}
