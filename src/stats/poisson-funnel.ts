/**
 * Poisson control limit by bisection — the algorithm shared by Fingertips (`PoisLow` /
 * `PoisHigh` in `StatisticalMethods.cs`), the PHE Excel funnel tools and PHEindicatormethods
 * (`poisson_funnel`). METHODS §9.3 and §11 (SPC for DSR).
 *
 * The arithmetic is reproduced operation for operation, so results agree with the reference
 * implementations to the last bit; its precision is limited by the bisection (≈1e-7 relative),
 * so do not compare it with exact gamma quantiles at tighter tolerances.
 */

/**
 * P(a ≤ X ≤ b) for X ~ Poisson(mu), summed from the series with periodic rescaling by 1e30
 * (stops once k > mu and the term is below 1e-10 of the running total).
 */
function poissonRangeProbability(mu: number, a: number, b: number): number {
  let q = 1;
  let tot = 0;
  let s = 0;
  let k = 0;
  while (k <= mu || q > tot * 1e-10) {
    tot = tot + q;
    if (k >= a && k <= b) s = s + q;
    if (tot > 1e30) {
      s = s / 1e30;
      tot = tot / 1e30;
      q = q / 1e30;
    }
    k = k + 1;
    q = (q * mu) / k;
  }
  return s / tot;
}

/**
 * Poisson mean μ at which `observed` sits exactly on a one-sided tail `p` (METHODS §9.3).
 *
 * - side `"low"`: the smallest μ with P(X ≥ observed | μ) ≈ p — the lower control limit for a
 *   count (Fingertips `PoisLow`).
 * - side `"high"`: the largest μ with P(X ≤ observed | μ) ≈ p — the upper control limit
 *   (Fingertips `PoisHigh`).
 *
 * Bisection on v ∈ (0, 1) with μ = (1 + observed)·v/(1 − v), v = dv = 0.5, halving dv until
 * dv ≤ 1e-7. `observed` may be non-integer (Fingertips passes an expected count).
 *
 * @param observed number of events (≥ 0)
 * @param p one-sided tail probability, e.g. 0.025 (95% two-sided) or 0.001 (99.8%)
 */
export function poissonFunnelLimit(observed: number, p: number, side: "low" | "high"): number {
  if (!Number.isFinite(observed) || observed < 0) {
    throw new Error(`poissonFunnelLimit: observed must be a finite number >= 0; got ${observed}`);
  }
  if (!Number.isFinite(p) || p <= 0 || p >= 1) {
    throw new Error(`poissonFunnelLimit: p must be a probability strictly between 0 and 1; got ${p}`);
  }
  if (side !== "low" && side !== "high") {
    throw new Error(`poissonFunnelLimit: side must be "low" or "high"; got ${String(side)}`);
  }
  let v = 0.5;
  let dv = 0.5;
  while (dv > 0.0000001) {
    dv = dv / 2;
    const mu = ((1 + observed) * v) / (1 - v);
    const moveDown =
      side === "low"
        ? poissonRangeProbability(mu, observed, 10000000000) > p
        : poissonRangeProbability(mu, 0, observed) < p;
    v = moveDown ? v - dv : v + dv;
  }
  return ((1 + observed) * v) / (1 - v);
}
