import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rateCI } from "../../src/stats/rate.ts";

describe("rateCI (METHODS §3)", () => {
  const count = fc.integer({ min: 0, max: 1e7 });
  const population = fc.integer({ min: 1, max: 1e8 });

  it("limits bracket the value", () => {
    fc.assert(
      fc.property(count, population, fc.constantFrom(0.95, 0.998), (x, n, c) => {
        const r = rateCI(x, n, { confidence: c });
        return r.lower! <= r.value! && r.value! <= r.upper!;
      }),
    );
  });
  it("99.8% limits are wider than 95% limits", () => {
    fc.assert(
      fc.property(count, population, (x, n) => {
        const a = rateCI(x, n);
        const b = rateCI(x, n, { confidence: 99.8 });
        return b.lower! <= a.lower! && b.upper! > a.upper!;
      }),
    );
  });
  it("relative width narrows as the count grows at a fixed rate", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e5 }), fc.integer({ min: 2, max: 100 }), (x, k) => {
        const small = rateCI(x, 1e6);
        const large = rateCI(k * x, k * 1e6);
        return large.upper! - large.lower! < small.upper! - small.lower!;
      }),
    );
  });
  it("uses exact limits below 10 events and Byar's from 10", () => {
    expect(rateCI(9, 1000).method).toBe("Exact");
    expect(rateCI(10, 1000).method).toBe("Byars");
    expect(rateCI(0, 1000)).toMatchObject({ value: 0, lower: 0, method: "Exact" });
  });
  it("allows more events than population", () => {
    const r = rateCI(250, 220);
    expect(r.value).toBeCloseTo(113636.36363636365, 8);
  });
  it("defaults to a rate per 100000", () => expect(rateCI(5, 1000).value).toBe(500));
  it("returns nulls for missing inputs", () => {
    expect(rateCI(null, 100)).toMatchObject({ value: null, lower: null, upper: null, method: null });
    expect(rateCI(10, null)).toMatchObject({ value: null, lower: null, upper: null, method: "Byars" });
  });
  it("throws for bad inputs, naming the argument", () => {
    expect(() => rateCI(-1, 10)).toThrow(/x must be >= 0/);
    expect(() => rateCI(1, 0)).toThrow(/n must be > 0/);
    expect(() => rateCI(1, -5)).toThrow(/n must be > 0/);
    expect(() => rateCI(Number.NaN, 10)).toThrow(/x must be a finite number/);
    expect(() => rateCI(1, 10, { multiplier: -1 })).toThrow(/multiplier must be > 0/);
    expect(() => rateCI(1, 10, { confidence: 1.5 })).toThrow(/confidence/);
  });
});
