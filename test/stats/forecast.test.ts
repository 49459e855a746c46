import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { forecast } from "../../src/stats/forecast.ts";

describe("forecast (linear baseline with prediction intervals)", () => {
  it("an exactly linear history gives the line and zero-width intervals", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -100, max: 100 }),
        fc.integer({ min: -20, max: 20 }),
        fc.integer({ min: 3, max: 12 }),
        fc.integer({ min: 0, max: 6 }),
        (a, b, n, horizon) => {
          const points = Array.from({ length: n }, (_, i) => ({ period: 2000 + i, value: a + b * (2000 + i) }));
          const f = forecast(points, { horizon, level: 0.95 });
          expect(f.residualSd).toBeCloseTo(0, 6);
          expect(f.slope).toBeCloseTo(b, 9);
          expect(f.forecast.length).toBe(horizon);
          for (const p of f.forecast) {
            expect(p.value).toBeCloseTo(a + b * p.period, 6);
            expect(p.upper - p.lower).toBeCloseTo(0, 6);
          }
        },
      ),
    );
  });

  it("matches a small example computed by hand", () => {
    // x = 1..4, y = 2, 4, 5, 8: x̄ = 2.5, ȳ = 4.75, Sxx = 5, Sxy = 9.5 → β = 1.9, α = 0;
    // residuals 0.1, 0.2, −0.7, 0.4 → RSS = 0.7, s² = 0.35 (df 2).
    // x₀ = 5: ŷ = 9.5, se = √(0.35 · (1 + 1/4 + 2.5²/5)) = √0.875;
    // t(0.975; 2) = 0.95 / √(2 · 0.975 · 0.025) (closed form for 2 df).
    const f = forecast([2, 4, 5, 8], { horizon: 2, level: 0.95 });
    expect(f.slope).toBeCloseTo(1.9, 12);
    expect(f.intercept).toBeCloseTo(0, 12);
    expect(f.residualSd).toBeCloseTo(Math.sqrt(0.35), 12);
    expect(f.degreesOfFreedom).toBe(2);
    const t = 0.95 / Math.sqrt(2 * 0.975 * 0.025);
    expect(f.t).toBeCloseTo(t, 10);
    expect(f.history.map((h) => h.fitted)).toEqual([1.9, 3.8, 5.7, 7.6].map((v) => expect.closeTo(v, 12)));
    const [p5, p6] = f.forecast;
    expect(p5!.period).toBe(5);
    expect(p5!.value).toBeCloseTo(9.5, 12);
    expect(p5!.se).toBeCloseTo(Math.sqrt(0.875), 12);
    expect(p5!.lower).toBeCloseTo(9.5 - t * Math.sqrt(0.875), 10);
    expect(p5!.upper).toBeCloseTo(9.5 + t * Math.sqrt(0.875), 10);
    // x₀ = 6: se = √(0.35 · (1.25 + 3.5²/5)) = √(0.35 · 3.7)
    expect(p6!.se).toBeCloseTo(Math.sqrt(0.35 * 3.7), 12);
  });

  it("intervals widen with the horizon and with the level; 80 means 0.8", () => {
    const history = [
      { period: 2016, value: 31 },
      { period: 2017, value: 29.5 },
      { period: 2018, value: 30.2 },
      { period: 2019, value: 27.9 },
      { period: 2020, value: 27.1 },
    ];
    const f80 = forecast(history, { horizon: 3, level: 80 });
    const f95 = forecast(history, { horizon: 3, level: 0.95 });
    expect(f80.level).toBe(0.8);
    const width = (p: { lower: number; upper: number }) => p.upper - p.lower;
    expect(width(f80.forecast[1]!)).toBeGreaterThan(width(f80.forecast[0]!));
    expect(width(f95.forecast[0]!)).toBeGreaterThan(width(f80.forecast[0]!));
    expect(f80.forecast.map((p) => p.period)).toEqual([2021, 2022, 2023]);
  });

  it("sorts by period and honours step", () => {
    const f = forecast(
      [
        { period: 4, value: 3 },
        { period: 0, value: 1 },
        { period: 2, value: 2 },
      ],
      { horizon: 2, step: 2 },
    );
    expect(f.history.map((h) => h.period)).toEqual([0, 2, 4]);
    expect(f.forecast.map((p) => p.period)).toEqual([6, 8]);
    expect(f.forecast[0]!.value).toBeCloseTo(4, 12);
  });

  it("throws clear errors", () => {
    expect(() => forecast([1, 2], { horizon: 1 })).toThrow(/at least 3 points/);
    expect(() => forecast([1, 2, 3], { horizon: -1 })).toThrow(/horizon/);
    expect(() => forecast([1, 2, 3], { horizon: 1.5 })).toThrow(/horizon/);
    expect(() => forecast([1, 2, 3], { horizon: 1, level: 1 })).toThrow(/level/);
    expect(() => forecast([1, Number.NaN, 3], { horizon: 1 })).toThrow(/finite/);
    expect(() =>
      forecast(
        [
          { period: 1, value: 1 },
          { period: 1, value: 2 },
          { period: 1, value: 3 },
        ],
        { horizon: 1 },
      ),
    ).toThrow(/periods/);
  });
});
