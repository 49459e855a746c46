import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { confidenceLabel, normaliseConfidence, zFor } from "../../src/stats/confidence.ts";

describe("normaliseConfidence (METHODS §1)", () => {
  it("accepts fractions and percentages, defaulting to 0.95", () => {
    expect(normaliseConfidence()).toBe(0.95);
    expect(normaliseConfidence(undefined)).toBe(0.95);
    expect(normaliseConfidence(0.95)).toBe(0.95);
    expect(normaliseConfidence(0.998)).toBe(0.998);
    expect(normaliseConfidence(95)).toBe(0.95);
    expect(normaliseConfidence(99.8)).toBe(0.998);
    expect(normaliseConfidence(90)).toBe(0.9);
    expect(normaliseConfidence(100)).toBe(1);
    expect(normaliseConfidence(1)).toBe(1);
    expect(normaliseConfidence(0.9)).toBe(0.9);
  });
  it("rejects anything outside [0.9, 1] and [90, 100]", () => {
    for (const bad of [0, 0.5, 0.89, 1.5, 50, 89.9, 100.1, -95, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => normaliseConfidence(bad), String(bad)).toThrow(/confidence/);
    }
    expect(() => normaliseConfidence("95" as unknown as number)).toThrow(/confidence must be a number/);
  });
  it("labels levels as the reference does", () => {
    expect(confidenceLabel(0.95)).toBe("95%");
    expect(confidenceLabel(99.8)).toBe("99.8%");
  });
});

describe("zFor", () => {
  it("is R's qnorm(c + (1 - c)/2), unrounded", () => {
    expect(zFor(0.95)).toBeCloseTo(1.959963984540054, 14);
    expect(zFor(95)).toBe(zFor(0.95));
    expect(zFor(0.998)).toBeCloseTo(3.090232306167813, 14);
    expect(zFor(0.9)).toBeCloseTo(1.644853626951472, 14);
    expect(zFor(0.99)).toBeCloseTo(2.5758293035489, 13);
    expect(zFor(1)).toBe(Number.POSITIVE_INFINITY);
  });
  it("increases with the confidence level", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.9, max: 0.9999, noNaN: true }),
        fc.double({ min: 0.9, max: 0.9999, noNaN: true }),
        (a, b) => {
          fc.pre(b - a > 1e-9);
          return zFor(a) < zFor(b);
        },
      ),
    );
  });
});
