import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fingertipsCategoryBounds, fingertipsQuintiles, quantiles } from "../../src/stats/quantiles.ts";

const valuesArb = fc.array(fc.option(fc.integer({ min: -50, max: 50 }), { nil: null, freq: 8 }), { maxLength: 60 });

describe("quantiles (phe_quantile, METHODS §7)", () => {
  it("returns 1..n for present values, null for missing ones, and null everywhere when N < n", () => {
    fc.assert(
      fc.property(valuesArb, fc.integer({ min: 1, max: 12 }), fc.boolean(), (values, n, invert) => {
        const q = quantiles(values, { n, invert });
        const present = values.filter((v) => v !== null).length;
        expect(q.length).toBe(values.length);
        values.forEach((v, i) => {
          if (v === null || present < n) expect(q[i]).toBeNull();
          else expect(q[i]).toSatisfy((x: number) => Number.isInteger(x) && x >= 1 && x <= n);
        });
      }),
    );
  });

  it("is monotone in the value (decreasing when inverted) and ties share a quantile", () => {
    fc.assert(
      fc.property(valuesArb, fc.integer({ min: 1, max: 8 }), fc.boolean(), (values, n, invert) => {
        const q = quantiles(values, { n, invert });
        for (let i = 0; i < values.length; i++) {
          for (let j = 0; j < values.length; j++) {
            const a = values[i];
            const b = values[j];
            if (a === null || a === undefined || b === null || b === undefined || q[i] === null) continue;
            if (a === b) expect(q[i]).toBe(q[j]);
            if (a < b) expect(invert ? q[i]! >= q[j]! : q[i]! <= q[j]!).toBe(true);
          }
        }
      }),
    );
  });

  it("invert = true puts the highest values in quantile 1 (the default)", () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(quantiles(values, { n: 5 })).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
    expect(quantiles(values, { n: 5, invert: false })).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });

  it("rejects invalid input, including mixed invert flags in one group", () => {
    expect(() => quantiles([1, 2, 3], { n: 0 })).toThrow(/positive integer/);
    expect(() => quantiles([1, 2, 3], { n: 1.5 })).toThrow(/positive integer/);
    expect(() => quantiles([1, Number.NaN], { n: 1 })).toThrow(/finite/);
    expect(() => quantiles([1, 2], { n: 1, invert: [true, false] })).toThrow(/same value/);
    expect(() => quantiles([1, 2], { n: 1, invert: [true] })).toThrow(/entries/);
  });
});

describe("Fingertips quintiles (METHODS §12)", () => {
  it("bounds for 1..50 are 1, 10.8, 20.6, 30.4, 40.2, 50", () => {
    const values = Array.from({ length: 50 }, (_, i) => i + 1);
    expect(fingertipsCategoryBounds(values, 5)).toEqual([1, 10.8, 20.6, 30.4, 40.2, 50]);
  });

  it("needs more than 3 values for bounds and at least 5 to categorise", () => {
    expect(fingertipsCategoryBounds([1, 2, 3], 5)).toBeNull();
    const four = fingertipsQuintiles([1, 2, 3, 4], { polarity: "lower_is_better" });
    expect(four.bounds).not.toBeNull();
    expect(four.categories).toEqual([0, 0, 0, 0]);
  });

  it("higher_is_better reverses the categories; missing values get 0", () => {
    fc.assert(
      fc.property(
        // Values on a 0.001 grid: bounds are rounded to 10 dp upstream, so values below ~1e-10
        // would be distorted (a Fingertips quirk this implementation keeps).
        fc.array(
          fc.option(
            fc.integer({ min: -1e9, max: 1e9 }).map((k) => k / 1000),
            { nil: null, freq: 6 },
          ),
          {
            minLength: 5,
            maxLength: 40,
          },
        ),
        (values) => {
          const low = fingertipsQuintiles(values, { polarity: "lower_is_better" });
          const high = fingertipsQuintiles(values, { polarity: "higher_is_better" });
          const none = fingertipsQuintiles(values, { polarity: "no_judgement" });
          expect(none.categories).toEqual(low.categories);
          const enough = values.filter((v) => v !== null).length >= 5;
          values.forEach((v, i) => {
            if (v === null || !enough) {
              expect(low.categories[i]).toBe(0);
              expect(high.categories[i]).toBe(0);
            } else {
              expect(low.categories[i]).toBeGreaterThanOrEqual(1);
              expect(high.categories[i]).toBe(6 - low.categories[i]!);
            }
          });
          if (low.bounds)
            for (let k = 1; k < low.bounds.length; k++)
              expect(low.bounds[k]!).toBeGreaterThanOrEqual(low.bounds[k - 1]!);
        },
      ),
    );
  });
});
