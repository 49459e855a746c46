import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { byarsLimits } from "../../src/stats/byars.ts";
import { ppois } from "../../src/stats/distributions.ts";
import { exactPoissonLimits } from "../../src/stats/exact-poisson.ts";
import { poissonCountLimits } from "../../src/stats/poisson-count-limits.ts";
import { wilsonLimits } from "../../src/stats/wilson.ts";

const confidenceArb = fc.constantFrom(0.9, 0.95, 0.99, 0.998, 95, 99.8);

describe("wilsonLimits (METHODS §2)", () => {
  it("brackets x/n and stays within [0, 1]", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e7 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        confidenceArb,
        (n, f, c) => {
          const x = Math.round(f * n);
          const { lower, upper } = wilsonLimits(x, n, c);
          return lower <= x / n && x / n <= upper && lower >= 0 && upper <= 1;
        },
      ),
    );
  });
  it("special-cases confidence 1 as (0, 1)", () => expect(wilsonLimits(3, 10, 1)).toEqual({ lower: 0, upper: 1 }));
  it("throws for bad inputs, naming the argument", () => {
    expect(() => wilsonLimits(-1, 10)).toThrow(/x must be >= 0/);
    expect(() => wilsonLimits(1, 0)).toThrow(/n must be > 0/);
    expect(() => wilsonLimits(11, 10)).toThrow(/x must be <= n/);
    expect(() => wilsonLimits(Number.NaN, 10)).toThrow(/x must be a finite number/);
    expect(() => wilsonLimits(1, 10, 0.5)).toThrow(/confidence/);
  });
});

describe("byarsLimits (METHODS §3)", () => {
  it("brackets the count", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e8 }), confidenceArb, (x, c) => {
        const { lower, upper } = byarsLimits(x, c);
        return (lower === null || lower < x) && upper > x;
      }),
    );
  });
  it("returns a null lower limit where the formula is negative (x = 1 at 99.8%) and at x = 0", () => {
    expect(byarsLimits(1, 0.998).lower).toBeNull();
    expect(byarsLimits(1, 0.95).lower).toBeGreaterThan(0);
    expect(byarsLimits(0).lower).toBeNull();
    expect(byarsLimits(0).upper).toBeGreaterThan(0);
  });
  it("throws for negative or non-finite counts", () => {
    expect(() => byarsLimits(-1)).toThrow(/x must be >= 0/);
    expect(() => byarsLimits(Number.POSITIVE_INFINITY)).toThrow(/x must be a finite number/);
  });
});

describe("exactPoissonLimits (METHODS §3)", () => {
  it("solves the Poisson tail equations: P(X >= x | lower) = P(X <= x | upper) = (1 - c)/2", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.constantFrom(0.9, 0.95, 0.99, 0.998), (x, c) => {
        const { lower, upper } = exactPoissonLimits(x, c);
        const tail = (1 - c) / 2;
        const upperOk = Math.abs(ppois(x, upper) - tail) <= 1e-12 * tail;
        const lowerOk = x === 0 ? lower === 0 : Math.abs(ppois(x - 1, lower, false) - tail) <= 1e-12 * tail;
        return upperOk && lowerOk;
      }),
    );
  });
  it("has lower limit 0 at x = 0 and upper -ln(alpha/2) there", () => {
    const { lower, upper } = exactPoissonLimits(0, 0.95);
    expect(lower).toBe(0);
    expect(upper).toBeCloseTo(-Math.log(0.025), 13);
  });
  it("throws for negative counts", () => expect(() => exactPoissonLimits(-0.5)).toThrow(/x must be >= 0/));
});

describe("poissonCountLimits", () => {
  it("switches from exact to Byar's at 10 (METHODS §13.1)", () => {
    expect(poissonCountLimits(9).method).toBe("Exact");
    expect(poissonCountLimits(9.999).method).toBe("Exact");
    expect(poissonCountLimits(10).method).toBe("Byars");
    expect(poissonCountLimits(10)).toEqual({ ...byarsLimits(10), method: "Byars" });
    expect(poissonCountLimits(3, 0.998)).toEqual({ ...exactPoissonLimits(3, 0.998), method: "Exact" });
  });
});
