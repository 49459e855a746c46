import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { recentTrend, TREND_CHI2_CRITICAL, type TrendPoint } from "../../src/stats/trend.ts";
import type { Polarity } from "../../src/stats/types.ts";

/** A series of `values` with a ±1.96 (so σ = 1 with the exact z) 95% CI. */
const other = (values: number[], start = 2015, halfWidth = 1.959963984540054): TrendPoint[] =>
  values.map((value, i) => ({ period: start + i, value, lower: value - halfWidth, upper: value + halfWidth }));

describe("recentTrend (METHODS §10)", () => {
  it("weighted regression with unit σ: slope, χ² and direction computed by hand", () => {
    // y = 10, 12, 14, 16, 18, σ = 1 → β = 2, Var(β) = 1/Σ(t − t̄)² = 1/10, χ² = 40.
    const r = recentTrend(other([10, 12, 14, 16, 18]), { polarity: "higher_is_better", valueType: "other" });
    expect(r.direction).toBe("increasing");
    expect(r.judgement).toBe("getting_better");
    expect(r.reason).toBe("significant_trend");
    expect(r.gradient).toBeCloseTo(2, 12);
    expect(r.chi2).toBeCloseTo(40, 10);
    expect(r.periods).toEqual([2015, 2016, 2017, 2018, 2019]);
  });

  it("χ² for proportions matches the trend test formula computed by hand", () => {
    // counts 10, 20, 30, 40, 50 of 100 each: D = 500, C = 150, Σct = 550, Σdt = 1500, Σdt² = 5500.
    // χ² = 500·(500·550 − 150·1500)² / (150·350·(500·5500 − 1500²)) = 500·50000² / (52500·500000)
    const points = [10, 20, 30, 40, 50].map((count, i) => ({ period: 2001 + i, count, denominator: 100 }));
    const r = recentTrend(points, { polarity: "lower_is_better", valueType: "proportion" });
    expect(r.chi2).toBeCloseTo((500 * 50000 ** 2) / (52500 * 500000), 10);
    expect(r.direction).toBe("increasing");
    expect(r.judgement).toBe("getting_worse");
    // OLS slope of logit(p) on t
    const logits = [0.1, 0.2, 0.3, 0.4, 0.5].map((p) => Math.log(p / (1 - p)));
    const mean = logits.reduce((a, b) => a + b) / 5;
    const slope = logits.reduce((s, y, i) => s + (i - 2) * (y - mean), 0) / 10;
    expect(r.gradient).toBeCloseTo(slope, 12);
  });

  it("flipping polarity swaps getting better and getting worse", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 5, maxLength: 8 }),
        fc.double({ min: 0.01, max: 5, noNaN: true }),
        (values, halfWidth) => {
          const points = other(values, 2000, halfWidth);
          const better = recentTrend(points, { polarity: "higher_is_better", valueType: "other" });
          const worse = recentTrend(points, { polarity: "lower_is_better", valueType: "other" });
          const none = recentTrend(points, { polarity: "no_judgement", valueType: "other" });
          expect(worse.direction).toBe(better.direction);
          const swap = { getting_better: "getting_worse", getting_worse: "getting_better" } as const;
          expect(worse.judgement).toBe(better.judgement === null ? null : swap[better.judgement]);
          expect(none.judgement).toBeNull();
          const significant = better.direction === "increasing" || better.direction === "decreasing";
          expect(significant).toBe(better.judgement !== null);
        },
      ),
    );
  });

  it("uses only the latest 5 points, whatever the input order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 5, maxLength: 10 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 10, maxLength: 10 }),
        fc.integer({ min: 1, max: 1000 }),
        (counts, extra, seed) => {
          const points = counts.map((c, i) => ({ period: 1990 + i, count: c + 1, denominator: c + 1 + extra[i]! }));
          const shuffled = [...points].sort((a, b) => ((a.period * seed) % 7) - ((b.period * seed) % 7));
          const all = recentTrend(shuffled, { polarity: "no_judgement", valueType: "proportion" });
          const last5 = recentTrend(points.slice(-5), { polarity: "no_judgement", valueType: "proportion" });
          expect(all).toEqual(last5);
        },
      ),
    );
  });

  it("is invariant to shifting the periods (only spacing matters)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 5, maxLength: 5 }),
        fc.integer({ min: -3000, max: 3000 }),
        (values, shift) => {
          const a = recentTrend(other(values, 1), { polarity: "no_judgement", valueType: "other" });
          const b = recentTrend(other(values, 1 + shift), { polarity: "no_judgement", valueType: "other" });
          expect(b.direction).toBe(a.direction);
          expect(b.chi2).toBe(a.chi2);
          expect(b.gradient).toBe(a.gradient);
        },
      ),
    );
  });

  it("a significant χ² with a sign-changing leave-one-out slope is 'no significant change' (outlier)", () => {
    // One huge, very precise jump in the middle: the full slope is positive but dropping the 3rd
    // point leaves a (precise) decreasing series.
    const points: TrendPoint[] = [
      { period: 1, value: 10, lower: 9.99, upper: 10.01 },
      { period: 2, value: 9.9, lower: 9.89, upper: 9.91 },
      { period: 3, value: 100, lower: 99.99, upper: 100.01 },
      { period: 4, value: 9.8, lower: 9.79, upper: 9.81 },
      { period: 5, value: 9.7, lower: 9.69, upper: 9.71 },
    ];
    const r = recentTrend(points, { polarity: "higher_is_better", valueType: "other" });
    expect(r.chi2!).toBeGreaterThan(TREND_CHI2_CRITICAL);
    expect(r.direction).toBe("no_significant_change");
    expect(r.reason).toBe("outlier_found");
  });

  it("Fingertips' divisor 3.92 changes χ² in the 4th significant figure (46.7653 vs 46.7636)", () => {
    const points = other([30.6, 30.2, 28, 24.6, 24.67], 1).map((p, i) => ({
      ...p,
      lower: [28.98, 28.63, 26.44, 23.15, 23.16][i],
      upper: [32.25, 31.9, 29.64, 26.19, 26.25][i],
    }));
    const exact = recentTrend(points, { polarity: "no_judgement", valueType: "other" });
    const ft = recentTrend(points, { polarity: "no_judgement", valueType: "other", ciDivisor: 3.92 });
    expect(exact.chi2!).toBeCloseTo(46.7636, 4);
    expect(ft.chi2!).toBeCloseTo(46.7653, 4);
  });

  it("refuses what cannot be calculated, with a reason", () => {
    const opts = { polarity: "no_judgement" as Polarity, valueType: "other" as const };
    expect(recentTrend(other([1, 2, 3, 4]), opts)).toMatchObject({
      direction: "cannot_be_calculated",
      reason: "not_enough_data_points",
      chi2: null,
      gradient: null,
    });
    const dup = other([1, 2, 3, 4, 5]);
    dup[4] = { ...dup[4]!, period: dup[3]!.period };
    expect(recentTrend(dup, opts).reason).toBe("duplicate_periods");
    const gap = other([1, 2, 3, 4, 5]);
    gap[0] = { ...gap[0]!, period: 2010 };
    expect(recentTrend(gap, opts).reason).toBe("non_consecutive_periods");
    expect(recentTrend(gap, { ...opts, allowGaps: true }).direction).not.toBe("cannot_be_calculated");
    const missing = other([1, 2, 3, 4, 5]);
    missing[2] = { ...missing[2]!, value: null };
    expect(recentTrend(missing, opts).reason).toBe("missing_values");
    const noCi = other([1, 2, 3, 4, 5]);
    noCi[2] = { ...noCi[2]!, upper: undefined };
    expect(recentTrend(noCi, opts).reason).toBe("missing_confidence_interval");
    const zero = other([1, 2, 3, 4, 5], 2000, 0);
    expect(recentTrend(zero, opts).reason).toBe("invalid_confidence_interval");
    // A missing value before the latest five does not matter.
    const early = other([1, 2, 3, 4, 5, 6]);
    early[0] = { ...early[0]!, value: null };
    expect(recentTrend(early, opts).direction).toBe("increasing");
    // Count = denominator (Fingertips CannotBeCalculated) or 0: logit undefined.
    const prop = [5, 3, 1, 1, 2].map((count, i) => ({ period: 2012 + i, count, denominator: i < 3 ? 5 : 4 }));
    expect(recentTrend(prop, { polarity: "no_judgement", valueType: "proportion" }).reason).toBe(
      "degenerate_proportion",
    );
  });

  it("throws on invalid input", () => {
    const opts = { polarity: "no_judgement" as Polarity, valueType: "other" as const };
    expect(() => recentTrend(other([1, 2, 3, 4, 5]), { ...opts, valueType: "rate" as "other" })).toThrow(/valueType/);
    expect(() => recentTrend(other([1, 2, 3, 4, 5]), { ...opts, polarity: "good" as Polarity })).toThrow(/polarity/);
    const swapped = other([1, 2, 3, 4, 5]).map((p) => ({ ...p, lower: p.upper, upper: p.lower }));
    expect(() => recentTrend(swapped, opts)).toThrow(/greater than the upper/);
    const tooMany = [1, 2, 3, 4, 5].map((c, i) => ({ period: i, count: c * 10, denominator: 5 }));
    expect(() => recentTrend(tooMany, { polarity: "no_judgement", valueType: "proportion" })).toThrow(/exceed/);
    expect(() => recentTrend([{ period: Number.NaN, value: 1 }], opts)).toThrow(/period/);
    expect(() => recentTrend(other([1, 2, 3, 4, 5]), { ...opts, ciDivisor: 0 })).toThrow(/ciDivisor/);
  });
});
