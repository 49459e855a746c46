import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { proportionCI } from "../../src/stats/proportion.ts";

describe("proportionCI (METHODS §2)", () => {
  const input = fc
    .tuple(fc.integer({ min: 1, max: 1e6 }), fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([n, f]) => ({ n, x: Math.round(f * n) }));

  it("limits bracket the value", () => {
    fc.assert(
      fc.property(input, fc.constantFrom(1, 100, 1000), fc.constantFrom(0.95, 0.998), ({ x, n }, multiplier, c) => {
        const r = proportionCI(x, n, { confidence: c, multiplier });
        return r.lower! <= r.value! && r.value! <= r.upper!;
      }),
    );
  });
  it("99.8% limits are wider than 95% limits", () => {
    fc.assert(
      fc.property(input, ({ x, n }) => {
        const a = proportionCI(x, n, { confidence: 95 });
        const b = proportionCI(x, n, { confidence: 99.8 });
        return b.lower! <= a.lower! && b.upper! >= a.upper! && b.upper! - b.lower! > a.upper! - a.lower!;
      }),
    );
  });
  it("limits narrow as n grows at a fixed proportion", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 2, max: 50 }),
        (n0, x0, k) => {
          const x = Math.min(x0, n0);
          const small = proportionCI(x, n0);
          const large = proportionCI(k * x, k * n0);
          return large.upper! - large.lower! < small.upper! - small.lower!;
        },
      ),
    );
  });
  it("scales by the multiplier", () => {
    const base = proportionCI(20, 100);
    const pct = proportionCI(20, 100, { multiplier: 100 });
    expect(pct.value).toBeCloseTo(base.value! * 100, 12);
    expect(pct.lower).toBeCloseTo(base.lower! * 100, 12);
    expect(pct.method).toBe("Wilson");
    expect(pct.confidence).toBe(0.95);
  });
  it("accepts non-integer numerators", () => {
    const r = proportionCI(0.445, 1);
    expect(r.lower).toBeCloseTo(0.04381744772058822, 14);
  });
  it("returns nulls for a missing numerator or denominator", () => {
    expect(proportionCI(null, 100)).toMatchObject({ value: null, lower: null, upper: null });
    expect(proportionCI(10, undefined)).toMatchObject({ value: null, lower: null, upper: null });
  });
  it("throws for bad inputs, naming the argument", () => {
    expect(() => proportionCI(-1, 10)).toThrow(/x must be >= 0/);
    expect(() => proportionCI(1, 0)).toThrow(/n must be > 0/);
    expect(() => proportionCI(11, 10)).toThrow(/x must be <= n/);
    expect(() => proportionCI(Number.NaN, 10)).toThrow(/x must be a finite number/);
    expect(() => proportionCI(1, Number.NaN)).toThrow(/n must be a finite number/);
    expect(() => proportionCI(1, 10, { multiplier: 0 })).toThrow(/multiplier must be > 0/);
    expect(() => proportionCI(1, 10, { confidence: 80 })).toThrow(/confidence/);
    expect(() => proportionCI(-1, null)).toThrow(/x must be >= 0/);
  });
});
