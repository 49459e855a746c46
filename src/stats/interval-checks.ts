/**
 * Input guards for the interval methods (proportion, rate, mean, DSR, ISR, life expectancy).
 * Each throws an Error that names the offending argument.
 */

/** Throws unless `value` is a finite number. */
export function requireFiniteNumber(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new Error(`${name} must be a finite number; got ${String(value)}`);
  }
}

/**
 * Returns null for null/undefined (a missing value, R's NA), else the number; throws for NaN, ±Infinity
 * and non-numbers.
 */
export function optionalFiniteNumber(value: unknown, name: string): number | null {
  if (value === null || value === undefined) return null;
  requireFiniteNumber(value, name);
  return value;
}

/** Validates a multiplier (scale factor): a finite number > 0. */
export function requireMultiplier(multiplier: unknown, name = "multiplier"): number {
  requireFiniteNumber(multiplier, name);
  if (multiplier <= 0) throw new Error(`${name} must be > 0; got ${multiplier}`);
  return multiplier;
}
