import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type IsrReferenceBand, type IsrRow, isRate, isRatio } from "../../src/stats/isr.ts";

const reference: IsrReferenceBand[] = [
  { count: 100, population: 50000 },
  { count: 300, population: 60000 },
  { count: 900, population: 40000 },
  { count: 2000, population: 20000 },
];

const area = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 20000 })), { minLength: 4, maxLength: 4 })
  .map((bands) => bands.map(([count, population]): IsrRow => ({ count, population })));

describe("isRatio / isRate (METHODS §6)", () => {
  it("limits bracket the value", () => {
    fc.assert(
      fc.property(area, fc.constantFrom(0.95, 0.998), (rows, c) => {
        const r = isRatio(rows, reference, { confidence: c });
        return r.lower! <= r.value! && r.value! <= r.upper!;
      }),
    );
  });
  it("99.8% limits are wider than 95% limits", () => {
    fc.assert(
      fc.property(area, (rows) => {
        const a = isRatio(rows, reference);
        const b = isRatio(rows, reference, { confidence: 99.8 });
        return b.lower! <= a.lower! && b.upper! > a.upper!;
      }),
    );
  });
  it("limits narrow as counts and populations grow together", () => {
    fc.assert(
      fc.property(area, fc.integer({ min: 2, max: 20 }), (rows, k) => {
        fc.pre(rows.some((r) => (r.count ?? 0) > 0));
        const small = isRatio(rows, reference);
        const large = isRatio(
          rows.map((r) => ({ count: (r.count ?? 0) * k, population: (r.population ?? 0) * k })),
          reference,
        );
        return large.upper! - large.lower! < small.upper! - small.lower!;
      }),
    );
  });
  it("the rate is the ratio times the reference rate; refValue scales the ratio", () => {
    const rows: IsrRow[] = [
      { count: 3, population: 1000 },
      { count: 10, population: 2000 },
      { count: 30, population: 1500 },
      { count: 50, population: 500 },
    ];
    const ratio = isRatio(rows, reference);
    const smr = isRatio(rows, reference, { refValue: 100 });
    const rate = isRate(rows, reference, { multiplier: 1000 });
    expect(rate.referenceRate).toBeCloseTo((3300 / 170000) * 1000, 12);
    expect(rate.value).toBeCloseTo(ratio.value! * rate.referenceRate, 10);
    expect(rate.upper).toBeCloseTo(ratio.upper! * rate.referenceRate, 10);
    expect(smr.lower).toBeCloseTo(ratio.lower! * 100, 10);
    expect(ratio.observed).toBe(93);
    expect(ratio.method).toBe("Byars");
  });
  it("never suppresses small counts and uses exact limits below 10", () => {
    const rows: IsrRow[] = [
      { count: 0, population: 1000 },
      { count: null, population: 1000 },
      { count: 2, population: null },
      { count: 1, population: 0 },
    ];
    const r = isRatio(rows, reference);
    expect(r.observed).toBe(3);
    expect(r.method).toBe("Exact");
    expect(r.value).not.toBeNull();
  });
  it("uses observedTotal instead of the age-specific counts when given", () => {
    const rows: IsrRow[] = reference.map(() => ({ count: null, population: 1000 }));
    expect(isRatio(rows, reference, { observedTotal: 12 }).observed).toBe(12);
  });
  it("throws for bad inputs, naming the argument", () => {
    const rows: IsrRow[] = reference.map(() => ({ count: 1, population: 100 }));
    expect(() => isRatio([], [])).toThrow(/non-empty/);
    expect(() => isRatio(rows.slice(1), reference)).toThrow(/one band per row/);
    expect(() => isRatio([{ count: -1, population: 1 }, ...rows.slice(1)], reference)).toThrow(
      /rows\[0\]\.count must be >= 0/,
    );
    expect(() => isRatio([{ count: 1, population: -1 }, ...rows.slice(1)], reference)).toThrow(
      /rows\[0\]\.population must be >= 0/,
    );
    expect(() => isRatio(rows, [{ count: 1, population: 0 }, ...reference.slice(1)])).toThrow(
      /reference\[0\]\.population must be > 0/,
    );
    expect(() =>
      isRatio(
        rows.map((r) => ({ ...r, population: 0 })),
        reference,
      ),
    ).toThrow(/expected count is 0/);
    expect(() => isRatio(rows, reference, { refValue: 0 })).toThrow(/refValue must be > 0/);
    expect(() => isRate(rows, reference, { multiplier: Number.NaN })).toThrow(/multiplier must be a finite number/);
  });
});
