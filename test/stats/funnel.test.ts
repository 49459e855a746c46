import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { funnelLimits, funnelRatePoints, funnelSignificance } from "../../src/stats/funnel.ts";

const proportionRows = fc.array(
  fc
    .integer({ min: 10, max: 200000 })
    .chain((n) => fc.record({ numerator: fc.integer({ min: 0, max: n }), denominator: fc.constant(n) })),
  { minLength: 2, maxLength: 30 },
);

describe("funnelLimits (METHODS §9)", () => {
  it("proportion limits are nested around the baseline along an increasing axis", () => {
    fc.assert(
      fc.property(proportionRows, (rows) => {
        fc.pre(rows.some((r) => r.numerator > 0) && rows.some((r) => r.numerator < r.denominator));
        const f = funnelLimits(rows, { statistic: "proportion" });
        expect(f.points.length).toBe(100);
        for (let i = 0; i < f.points.length; i++) {
          const p = f.points[i]!;
          if (i > 0) expect(p.x).toBeGreaterThan(f.points[i - 1]!.x);
          expect(p.lower998).toBeLessThanOrEqual(p.lower95 + 1e-9);
          expect(p.lower95).toBeLessThanOrEqual(f.baseline + 1e-9);
          expect(p.upper95).toBeGreaterThanOrEqual(f.baseline - 1e-9);
          expect(p.upper998).toBeGreaterThanOrEqual(p.upper95 - 1e-9);
        }
      }),
      { numRuns: 50 },
    );
  });

  it("clamps proportion upper limits at 100 whatever the multiplier (PIM quirk, METHODS §13.6)", () => {
    const f = funnelLimits(
      [
        { numerator: 5, denominator: 10 },
        { numerator: 50, denominator: 100 },
      ],
      { statistic: "proportion", multiplier: 1000 },
    );
    expect(f.baseline).toBe(500);
    expect(f.points[0]!.upper95).toBe(100);
  });

  it("axis minimum follows R's nchar() of a number printed in scientific notation", () => {
    // floor(0.95 × 12631579) = 12000000, which R prints as "1.2e+07" (7 characters), so the axis
    // minimum is rounded at 10^6 → 12000000 rather than at 10^7.
    const f = funnelLimits(
      [
        { numerator: 1000, denominator: 12631579 },
        { numerator: 1100, denominator: 13000000 },
      ],
      { statistic: "proportion" },
    );
    expect(f.axisMinimum).toBe(12000000);
    expect(f.points[0]!.x).toBe(12000000);
  });

  it("ratio limits bracket 1 (count: 0, isr: 100)", () => {
    const rows = [
      { numerator: 30, denominator: 25 },
      { numerator: 80, denominator: 90 },
    ];
    const count = funnelLimits(rows, { statistic: "ratio", ratioType: "count" });
    const isr = funnelLimits(rows, { statistic: "ratio", ratioType: "isr" });
    expect(count.baseline).toBe(0);
    expect(isr.baseline).toBe(100);
    for (const [i, p] of count.points.entries()) {
      expect(p.lower998).toBeLessThan(p.lower95);
      expect(p.lower95).toBeLessThan(0);
      expect(p.upper95).toBeGreaterThan(0);
      expect(p.upper998).toBeGreaterThan(p.upper95);
      expect(isr.points[i]!.lower95).toBeCloseTo((p.lower95 + 1) * 100, 9);
    }
  });

  it("throws on invalid input", () => {
    expect(() => funnelLimits([], { statistic: "proportion" })).toThrow(/non-empty/);
    expect(() => funnelLimits([{ numerator: 5, denominator: 4 }], { statistic: "proportion" })).toThrow(/exceed/);
    expect(() => funnelLimits([{ numerator: 5 }], { statistic: "ratio" })).toThrow(/denominator is required/);
    expect(() => funnelLimits([{ numerator: -1, denominator: 4 }], { statistic: "ratio" })).toThrow(/>= 0/);
    expect(() =>
      funnelLimits([{ numerator: 5, rate: 10 }], { statistic: "rate", rateType: "dsr", multiplier: 1e5 }),
    ).toThrow(/yearsOfData/);
    expect(() =>
      funnelLimits([{ numerator: 0, rate: 0 }], {
        statistic: "rate",
        rateType: "crude",
        multiplier: 1e5,
        yearsOfData: 1,
      }),
    ).toThrow(/denominator/);
    expect(() =>
      funnelLimits([{ numerator: 5, rate: null }], {
        statistic: "rate",
        rateType: "dsr",
        multiplier: 1e5,
        yearsOfData: 1,
      }),
    ).toThrow(/rate/);
    expect(() => funnelLimits([{ numerator: 5, denominator: 9 }], { statistic: "box" as "ratio" })).toThrow(
      /statistic/,
    );
  });
});

describe("funnelSignificance (METHODS §9)", () => {
  it("proportions: an area at the average is not significant; extreme areas are", () => {
    // Average = 7500 / 15000 = 0.5; at n = 1000 the SE is ≈ 0.0158, so 0.535 / 0.465 are beyond
    // 2 SE only and 0.56 / 0.44 beyond 3 SE.
    const rows = [5000, 500, 560, 440, 535, 465].map((numerator, i) => ({
      numerator,
      denominator: i === 0 ? 10000 : 1000,
    }));
    expect(funnelSignificance(rows, { statistic: "proportion" })).toEqual([
      "not_significant",
      "not_significant",
      "high_99_8",
      "low_99_8",
      "high_95",
      "low_95",
    ]);
  });

  it("ratios: observed = expected is not significant; 0 of 10 expected is low", () => {
    expect(
      funnelSignificance(
        [
          { numerator: 20, denominator: 20 },
          { numerator: 0, denominator: 10 },
          { numerator: 40, denominator: 20 },
        ],
        { statistic: "ratio" },
      ),
    ).toEqual(["not_significant", "low_99_8", "high_99_8"]);
  });

  it("DSR rows with fewer than 10 events are not applicable", () => {
    const got = funnelSignificance(
      [
        { numerator: 9, rate: 50 },
        { numerator: 0, rate: 0, denominator: 1000 },
        { numerator: 200, rate: 100 },
      ],
      { statistic: "rate", rateType: "dsr", multiplier: 1e5 },
    );
    expect(got.slice(0, 2)).toEqual(["not_applicable", "not_applicable"]);
    expect(got[2]).not.toBe("not_applicable");
  });

  it("crude rates: the row with the average rate is not significant", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.double({ min: 1, max: 1000, noNaN: true }), (events, rate) => {
        const got = funnelSignificance([{ numerator: events, rate }], {
          statistic: "rate",
          rateType: "crude",
          multiplier: 1e5,
        });
        expect(got).toEqual(["not_significant"]);
      }),
      { numRuns: 100 },
    );
  });
});

describe("funnelRatePoints (METHODS §9.3)", () => {
  it("derives one-year denominators; DSR below 10 events and crude zero rows", () => {
    expect(
      funnelRatePoints(
        [
          { numerator: 20, rate: 100 },
          { numerator: 5, rate: 100 },
        ],
        { rateType: "dsr", multiplier: 1e5, yearsOfData: 2 },
      ),
    ).toEqual([
      { value: 100, denominator: 10000 },
      { value: null, denominator: null },
    ]);
    expect(
      funnelRatePoints([{ numerator: 0, rate: 0, denominator: 3000 }], {
        rateType: "crude",
        multiplier: 1e5,
        yearsOfData: 3,
      }),
    ).toEqual([{ value: 0, denominator: 1000 }]);
  });
});
