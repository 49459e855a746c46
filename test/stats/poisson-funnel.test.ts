import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { qchisq } from "../../src/stats/distributions.ts";
import { poissonFunnelLimit } from "../../src/stats/poisson-funnel.ts";

describe("poissonFunnelLimit (METHODS §9.3)", () => {
  it("agrees with the exact gamma quantiles to the bisection's precision", () => {
    // The bisection runs on v with μ = (1 + obs)·v/(1 − v) until dv ≤ 1e-7, so the error is
    // ~1e-6 relative, or ~(1 + obs)·1e-7 absolute for small μ (README: compare at >= 1e-6).
    const near = (got: number, exact: number, obs: number) =>
      Math.abs(got - exact) <= Math.max(1e-6 * exact, (1 + obs) * 1e-6);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.constantFrom(0.025, 0.001), (obs, p) => {
        // side low: P(X >= obs | mu) = p  ⇔ mu = qchisq(p; 2 obs) / 2
        const low = qchisq(p, 2 * obs) / 2;
        // side high: P(X <= obs | mu) = p ⇔ mu = qchisq(1 − p; 2 obs + 2) / 2
        const high = qchisq(1 - p, 2 * obs + 2) / 2;
        expect(near(poissonFunnelLimit(obs, p, "low"), low, obs)).toBe(true);
        expect(near(poissonFunnelLimit(obs, p, "high"), high, obs)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it("reproduces a Fingertips/PIM value (funnel_ratio_limits, 1 observed event)", () => {
    expect(poissonFunnelLimit(1, 0.025, "high")).toBeCloseTo(5.571644585, 8);
    expect(poissonFunnelLimit(1, 0.001, "low")).toBeCloseTo(0.001000547, 9);
  });

  it("rejects invalid input", () => {
    expect(() => poissonFunnelLimit(-1, 0.025, "low")).toThrow(/observed/);
    expect(() => poissonFunnelLimit(5, 1.5, "low")).toThrow(/probability/);
    expect(() => poissonFunnelLimit(5, 0.025, "middle" as "low")).toThrow(/side/);
  });
});
