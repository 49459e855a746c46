import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { meanCI } from "../../src/stats/mean.ts";

const sample = fc.array(
  fc.integer({ min: -1e8, max: 1e8 }).map((v) => v / 100),
  { minLength: 2, maxLength: 200 },
);

describe("meanCI (METHODS §4)", () => {
  it("limits bracket the mean", () => {
    fc.assert(
      fc.property(sample, fc.constantFrom(0.95, 0.998), (values, c) => {
        const r = meanCI(values, { confidence: c });
        return r.lower! <= r.value! && r.value! <= r.upper!;
      }),
    );
  });
  it("99.8% limits are wider than 95% limits", () => {
    fc.assert(
      fc.property(sample, (values) => {
        const a = meanCI(values);
        const b = meanCI(values, { confidence: 99.8 });
        return b.upper! - b.lower! >= a.upper! - a.lower!;
      }),
    );
  });
  it("limits narrow as the sample is replicated (n grows, sd fixed)", () => {
    fc.assert(
      fc.property(sample, fc.integer({ min: 2, max: 10 }), (values, k) => {
        fc.pre(new Set(values).size > 1);
        const small = meanCI(values);
        const large = meanCI(Array.from({ length: k }, () => values).flat());
        return large.upper! - large.lower! < small.upper! - small.lower!;
      }),
    );
  });
  it("matches a hand calculation", () => {
    const r = meanCI([1, 2, 3, 4]);
    expect(r.value).toBe(2.5);
    expect(r.sum).toBe(10);
    expect(r.count).toBe(4);
    expect(r.standardDeviation).toBeCloseTo(Math.sqrt(5 / 3), 15);
    // qt(0.975, 3) = 3.1824463052837095
    expect(r.upper).toBeCloseTo(2.5 + (3.1824463052837095 * Math.sqrt(5 / 3)) / 2, 13);
    expect(r.method).toBe("Student's t-distribution");
  });
  it("gives equal limits when all values are equal, and null limits for one value", () => {
    expect(meanCI([7, 7, 7])).toMatchObject({ value: 7, lower: 7, upper: 7, standardDeviation: 0 });
    expect(meanCI([7])).toMatchObject({ value: 7, lower: null, upper: null, standardDeviation: null, count: 1 });
  });
  it("makes everything null when a value is missing, but counts it (R length)", () => {
    expect(meanCI([1, null, 3])).toMatchObject({ value: null, lower: null, upper: null, sum: null, count: 3 });
  });
  it("throws for bad inputs", () => {
    expect(() => meanCI([])).toThrow(/non-empty/);
    expect(() => meanCI([1, Number.NaN])).toThrow(/values\[1\] must be a finite number/);
    expect(() => meanCI([1, 2], { confidence: 0.5 })).toThrow(/confidence/);
  });
});
