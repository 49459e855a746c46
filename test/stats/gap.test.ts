import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type GapEstimate, gap } from "../../src/stats/gap.ts";

const estimateArb = fc
  .record({
    value: fc.double({ min: 0.01, max: 1000, noNaN: true }),
    below: fc.double({ min: 0, max: 0.99, noNaN: true }),
    above: fc.double({ min: 0, max: 5, noNaN: true }),
  })
  .map(({ value, below, above }): GapEstimate => ({ value, lower: value * (1 - below), upper: value * (1 + above) }));

describe("gap (MOVER)", () => {
  it("reproduces Newcombe (1998) method 10: 56/70 − 48/80 → (0.0524, 0.3339)", () => {
    const r = gap({ numerator: 56, denominator: 70 }, { numerator: 48, denominator: 80 });
    expect(r.absolute.value).toBeCloseTo(0.2, 12);
    expect(r.absolute.lower).toBeCloseTo(0.0524, 4);
    expect(r.absolute.upper).toBeCloseTo(0.3339, 4);
  });

  it("computes the MOVER limits by hand", () => {
    // a = 0.5 (0.4, 0.6), b = 0.3 (0.25, 0.36): L = 0.2 − √(0.1² + 0.06²), U = 0.2 + √(0.1² + 0.05²)
    const r = gap({ value: 0.5, lower: 0.4, upper: 0.6 }, { value: 0.3, lower: 0.25, upper: 0.36 });
    expect(r.absolute.lower).toBeCloseTo(0.2 - Math.sqrt(0.0136), 12);
    expect(r.absolute.upper).toBeCloseTo(0.2 + Math.sqrt(0.0125), 12);
    // log scale: L = exp(ln(5/3) − √(ln(0.5/0.4)² + ln(0.36/0.3)²)), U = exp(ln(5/3) + √(ln(0.6/0.5)² + ln(0.3/0.25)²))
    const lr = Math.log(5 / 3);
    expect(r.relative!.value).toBeCloseTo(5 / 3, 12);
    expect(r.relative!.lower).toBeCloseTo(Math.exp(lr - Math.hypot(Math.log(1.25), Math.log(1.2))), 12);
    expect(r.relative!.upper).toBeCloseTo(Math.exp(lr + Math.hypot(Math.log(1.2), Math.log(1.2))), 12);
  });

  it("a benchmark without uncertainty reduces to shifting / scaling the group's own interval", () => {
    fc.assert(
      fc.property(estimateArb, fc.double({ min: 0.1, max: 100, noNaN: true }), (a, k) => {
        const r = gap(a, { value: k, lower: k, upper: k });
        expect(r.absolute.lower).toBeCloseTo(a.lower - k, 9);
        expect(r.absolute.upper).toBeCloseTo(a.upper - k, 9);
        expect(r.relative!.lower / (a.lower / k)).toBeCloseTo(1, 9);
        expect(r.relative!.upper / (a.upper / k)).toBeCloseTo(1, 9);
      }),
    );
  });

  it("is antisymmetric: swapping the groups negates the difference and inverts the ratio", () => {
    fc.assert(
      fc.property(estimateArb, estimateArb, (a, b) => {
        const ab = gap(a, b);
        const ba = gap(b, a);
        const tol = (x: number) => 1e-9 * Math.max(1, Math.abs(x));
        expect(Math.abs(ba.absolute.value + ab.absolute.value)).toBeLessThanOrEqual(tol(ab.absolute.value));
        expect(Math.abs(ba.absolute.lower + ab.absolute.upper)).toBeLessThanOrEqual(tol(ab.absolute.upper));
        expect(Math.abs(ba.absolute.upper + ab.absolute.lower)).toBeLessThanOrEqual(tol(ab.absolute.lower));
        expect(ba.relative!.value * ab.relative!.value).toBeCloseTo(1, 9);
        if (Number.isFinite(ab.relative!.upper) && ab.relative!.upper > 0) {
          expect(ba.relative!.lower * ab.relative!.upper).toBeCloseTo(1, 9);
        }
        // The estimate is inside its interval.
        expect(ab.absolute.lower).toBeLessThanOrEqual(ab.absolute.value + tol(ab.absolute.value));
        expect(ab.absolute.upper).toBeGreaterThanOrEqual(ab.absolute.value - tol(ab.absolute.value));
      }),
    );
  });

  it("relative gap is null where the log scale is undefined; infinite upper when b's lower limit is 0", () => {
    expect(gap({ value: -1, lower: -2, upper: 0 }, { value: 1, lower: 0.5, upper: 2 }).relative).toBeNull();
    expect(gap({ value: 1, lower: -0.5, upper: 2 }, { value: 1, lower: 0.5, upper: 2 }).relative).toBeNull();
    const r = gap({ value: 2, lower: 1, upper: 3 }, { value: 1, lower: 0, upper: 2 });
    expect(r.relative!.upper).toBe(Number.POSITIVE_INFINITY);
    const zero = gap({ numerator: 0, denominator: 50 }, { numerator: 5, denominator: 50 });
    expect(zero.relative).toBeNull();
    expect(zero.absolute.value).toBeCloseTo(-0.1, 12);
  });

  it("counts use Wilson intervals at the requested confidence, scaled by multiplier", () => {
    const r95 = gap({ numerator: 30, denominator: 100 }, { numerator: 20, denominator: 100 }, { multiplier: 100 });
    const r998 = gap(
      { numerator: 30, denominator: 100 },
      { numerator: 20, denominator: 100 },
      { multiplier: 100, confidence: 99.8 },
    );
    expect(r95.absolute.value).toBeCloseTo(10, 12);
    expect(r95.a.value).toBeCloseTo(30, 12);
    expect(r998.confidence).toBe(0.998);
    expect(r998.absolute.lower).toBeLessThan(r95.absolute.lower);
    expect(r998.absolute.upper).toBeGreaterThan(r95.absolute.upper);
  });

  it("throws clear errors", () => {
    expect(() => gap({ value: 1, lower: 2, upper: 3 }, { value: 1, lower: 0, upper: 2 })).toThrow(/lower <= value/);
    expect(() => gap({ numerator: 5, denominator: 4 }, { numerator: 1, denominator: 4 })).toThrow(/exceed/);
    expect(() => gap({ numerator: 1, denominator: 0 }, { numerator: 1, denominator: 4 })).toThrow(/denominator/);
    expect(() => gap({ value: Number.NaN, lower: 0, upper: 1 }, { value: 1, lower: 0, upper: 2 })).toThrow(/finite/);
    expect(() => gap({ value: 1, lower: 0, upper: 2 }, { value: 1, lower: 0, upper: 2 }, { confidence: 50 })).toThrow(
      /confidence/,
    );
  });
});
