/**
 * The arithmetic of the row-wise interval methods, shared by the scalar functions (`proportionCI`, `rateCI`,
 * `wilsonLimits`, `byarsLimits`, `exactPoissonLimits`, `poissonCountLimits`) and their columnar forms
 * (`proportionCIs`, `rateCIs`, `poissonCountCIs`), so that both give bit-for-bit the same numbers.
 *
 * Internal (not exported from `src/stats/index.ts`). Inputs are already validated and the confidence level is
 * normalised; each kernel writes its limits into `lower[i]` and `upper[i]` (NaN where a limit is undefined, R's NA)
 * instead of returning an object, so a million calls allocate nothing. The normal quantile of a level and the exact
 * Poisson limits of small whole counts are memoised: both are pure functions of their arguments, so a cached value is
 * the very number a fresh computation would give.
 */
import { qchisq, qnorm } from "./distributions.ts";

// z = Φ⁻¹(c + (1 − c)/2) for the two most recently used levels (the analysis alternates 95% and 99.8%).
let levelA = Number.NaN;
let zA = Number.NaN;
let levelB = Number.NaN;
let zB = Number.NaN;

/** The two-sided normal multiplier of a normalised confidence level (memoised; zOfLevel(1) = Infinity). */
export function zOfLevel(c: number): number {
  if (c === levelA) return zA;
  if (c === levelB) return zB;
  const z = qnorm(c + (1 - c) / 2);
  levelB = levelA;
  zB = zA;
  levelA = c;
  zA = z;
  return z;
}

/**
 * Unscaled Wilson score limits of x / n (0 <= x <= n, n > 0) at level c with z = zOfLevel(c) (METHODS §2):
 * (2x + z² ∓ z·√(z² + 4x(1 − x/n))) / (2(n + z²)); exactly 0 at x = 0 and 1 at x = n; (0, 1) at c = 1.
 */
export function wilsonInto(
  x: number,
  n: number,
  c: number,
  z: number,
  lower: Float64Array,
  upper: Float64Array,
  i: number,
): void {
  if (c === 1) {
    lower[i] = 0;
    upper[i] = 1;
    return;
  }
  const z2 = z * z;
  const spread = z * Math.sqrt(z2 + 4 * x * (1 - x / n));
  const denominator = 2 * (n + z2);
  // At x = 0 and x = n the limits are exactly 0 and 1 mathematically; the formula can miss by an ulp or two,
  // which would break inclusive comparisons (e.g. a benchmark of 100% "within" the interval), so pin them.
  lower[i] = x === 0 ? 0 : (2 * x + z2 - spread) / denominator;
  upper[i] = x === n ? 1 : (2 * x + z2 + spread) / denominator;
}

/**
 * Byar's limits of a count x >= 0 with multiplier z (METHODS §3): lower = x·(1 − 1/(9x) − z/(3√x))³ (NaN when
 * negative or x = 0), upper = (x+1)·(1 − 1/(9(x+1)) + z/(3√(x+1)))³.
 */
export function byarsInto(x: number, z: number, lower: Float64Array, upper: Float64Array, i: number): void {
  let low = Number.NaN;
  if (x > 0) {
    const lowerLimit = x * (1 - 1 / (9 * x) - z / (3 * Math.sqrt(x))) ** 3;
    if (lowerLimit >= 0) low = lowerLimit;
  }
  lower[i] = low;
  const x1 = x + 1;
  upper[i] = x1 * (1 - 1 / (9 * x1) + z / (3 * Math.sqrt(x1))) ** 3;
}

/** Exact (chi-square) limits of a count x >= 0 at level c, computed afresh (METHODS §3). */
function exactLower(x: number, c: number): number {
  return qchisq((1 - c) / 2, 2 * x) / 2;
}
function exactUpper(x: number, c: number): number {
  return qchisq(c + (1 - c) / 2, 2 * x + 2) / 2;
}

/** Counts below this use the exact (chi-square) limits; at or above it, Byar's approximation (METHODS §3). */
export const EXACT_POISSON_BELOW = 10;

// Exact limits of the whole counts 0…9 for the two most recently used levels (NaN = not computed yet).
const EXACT_SLOTS = EXACT_POISSON_BELOW;
let exactLevelA = Number.NaN;
let exactA = new Float64Array(2 * EXACT_SLOTS).fill(Number.NaN);
let exactLevelB = Number.NaN;
let exactB = new Float64Array(2 * EXACT_SLOTS).fill(Number.NaN);

function exactTable(c: number): Float64Array {
  if (c === exactLevelA) return exactA;
  if (c === exactLevelB) return exactB;
  const table = exactB.fill(Number.NaN);
  exactB = exactA;
  exactLevelB = exactLevelA;
  exactA = table;
  exactLevelA = c;
  return table;
}

/** Exact (chi-square) Poisson limits of a count x >= 0 at level c: χ²⁻¹((1 − c)/2; 2x)/2, χ²⁻¹(c + (1 − c)/2; 2x + 2)/2. */
export function exactPoissonInto(x: number, c: number, lower: Float64Array, upper: Float64Array, i: number): void {
  if (x < EXACT_SLOTS && Number.isInteger(x)) {
    const table = exactTable(c);
    let low = table[2 * x]!;
    let high = table[2 * x + 1]!;
    if (Number.isNaN(low)) {
      low = exactLower(x, c);
      high = exactUpper(x, c);
      table[2 * x] = low;
      table[2 * x + 1] = high;
    }
    lower[i] = low;
    upper[i] = high;
    return;
  }
  lower[i] = exactLower(x, c);
  upper[i] = exactUpper(x, c);
}

/** Limits of a count x >= 0: exact below {@link EXACT_POISSON_BELOW}, Byar's from it (METHODS §3). */
export function poissonCountInto(
  x: number,
  c: number,
  z: number,
  lower: Float64Array,
  upper: Float64Array,
  i: number,
): void {
  if (x < EXACT_POISSON_BELOW) exactPoissonInto(x, c, lower, upper, i);
  else byarsInto(x, z, lower, upper, i);
}

/** One-element scratch columns for the scalar functions (the kernels write here; the caller reads at once). */
export const SCRATCH_LOWER = new Float64Array(1);
export const SCRATCH_UPPER = new Float64Array(1);

/** NaN (a kernel's "undefined") as null (the scalar functions' "not available"). */
export function orNull(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}
