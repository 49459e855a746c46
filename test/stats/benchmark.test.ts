import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type BenchmarkArea, compareWithBenchmark } from "../../src/stats/benchmark.ts";
import type { ComparisonMethod, Polarity, Significance } from "../../src/stats/types.ts";

const finite = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

/** A value with nested 95% and 99.8% intervals around it. */
const areaArb = fc
  .record({
    value: finite(-1000, 1000),
    d95lo: finite(0, 50),
    d95hi: finite(0, 50),
    extraLo: finite(0, 50),
    extraHi: finite(0, 50),
  })
  .map(
    ({ value, d95lo, d95hi, extraLo, extraHi }): BenchmarkArea => ({
      value,
      lower95: value - d95lo,
      upper95: value + d95hi,
      lower998: value - d95lo - extraLo,
      upper998: value + d95hi + extraHi,
    }),
  );

const CI_METHODS: ComparisonMethod[] = ["single_ci_95", "single_ci_two_levels", "double_overlap_95"];

const FLIP: Partial<Record<Significance, Significance>> = { better: "worse", worse: "better" };

describe("compareWithBenchmark (METHODS §11)", () => {
  it("flipping polarity swaps better and worse and keeps the level", () => {
    fc.assert(
      fc.property(
        areaArb,
        finite(-1100, 1100),
        finite(0, 50),
        fc.constantFrom(...CI_METHODS),
        (area, b, halfWidth, method) => {
          const bench = { value: b, lower95: b - halfWidth, upper95: b + halfWidth };
          const high = compareWithBenchmark(area, bench, { method, polarity: "higher_is_better" });
          const low = compareWithBenchmark(area, bench, { method, polarity: "lower_is_better" });
          const none = compareWithBenchmark(area, bench, { method, polarity: "no_judgement" });
          expect(low.significance).toBe(FLIP[high.significance] ?? high.significance);
          expect(low.level).toBe(high.level);
          // No judgement reports the raw direction: better ↔ higher, worse ↔ lower.
          const raw: Record<string, string> = { better: "higher", worse: "lower" };
          expect(none.significance).toBe(raw[high.significance] ?? high.significance);
        },
      ),
    );
  });

  it("a 95% CI entirely above the benchmark is never similar (single CI methods)", () => {
    fc.assert(
      fc.property(
        areaArb,
        finite(0.001, 100),
        fc.constantFrom("single_ci_95", "single_ci_two_levels"),
        (area, gapBelow, method) => {
          const b = area.lower95! - gapBelow;
          fc.pre(b < area.lower95!);
          const r = compareWithBenchmark(area, b, { method: method as ComparisonMethod, polarity: "no_judgement" });
          expect(r.significance).toBe("higher");
        },
      ),
    );
  });

  it("a benchmark inside the 95% CI is similar with no level", () => {
    fc.assert(
      fc.property(areaArb, fc.double({ min: 0, max: 1, noNaN: true }), (area, t) => {
        // Clamped: lower + t·(upper − lower) can round to just outside the interval.
        const b = Math.min(Math.max(area.lower95! + t * (area.upper95! - area.lower95!), area.lower95!), area.upper95!);
        for (const method of ["single_ci_95", "single_ci_two_levels"] as const) {
          const r = compareWithBenchmark(area, b, { method, polarity: "higher_is_better" });
          expect(r).toEqual({ significance: "similar", level: null });
        }
      }),
    );
  });

  it("two levels: between the 95% and 99.8% limits → level 95, beyond 99.8% → level 99.8", () => {
    const area = { value: 10, lower95: 9, upper95: 11, lower998: 8, upper998: 12 };
    const cmp = (b: number) =>
      compareWithBenchmark(area, b, { method: "single_ci_two_levels", polarity: "higher_is_better" });
    expect(cmp(8.5)).toEqual({ significance: "better", level: 95 });
    expect(cmp(9)).toEqual({ significance: "similar", level: null }); // inclusive
    expect(cmp(8)).toEqual({ significance: "better", level: 95 }); // inclusive at the 99.8% limit
    expect(cmp(7.9)).toEqual({ significance: "better", level: 99.8 });
    expect(cmp(11.5)).toEqual({ significance: "worse", level: 95 });
    expect(cmp(12.1)).toEqual({ significance: "worse", level: 99.8 });
    // No judgement beyond 99.8%: reported as higher/lower at 99.8 (METHODS §13.10).
    expect(compareWithBenchmark(area, 12.1, { method: "single_ci_two_levels", polarity: "no_judgement" })).toEqual({
      significance: "lower",
      level: 99.8,
    });
  });

  it("double overlap is symmetric: swapping area and benchmark swaps higher and lower", () => {
    fc.assert(
      fc.property(areaArb, areaArb, (x, y) => {
        const asBench = (a: BenchmarkArea) => ({ value: a.value, lower95: a.lower95, upper95: a.upper95 });
        const xy = compareWithBenchmark(x, asBench(y), { method: "double_overlap_95", polarity: "no_judgement" });
        const yx = compareWithBenchmark(y, asBench(x), { method: "double_overlap_95", polarity: "no_judgement" });
        fc.pre(x.value !== y.value);
        const swap: Record<string, string> = { higher: "lower", lower: "higher", similar: "similar" };
        expect(yx.significance).toBe(swap[xy.significance]);
      }),
    );
  });

  it("double overlap: touching intervals overlap", () => {
    const r = compareWithBenchmark(
      { value: 5, lower95: 4, upper95: 6 },
      { value: 7, lower95: 6, upper95: 8 },
      { method: "double_overlap_95", polarity: "higher_is_better" },
    );
    expect(r.significance).toBe("similar");
  });

  it("missing inputs give not_compared", () => {
    const opts = { method: "single_ci_95", polarity: "higher_is_better" } as const;
    expect(compareWithBenchmark({ value: null, lower95: 1, upper95: 2 }, 1, opts).significance).toBe("not_compared");
    expect(compareWithBenchmark({ value: 1.5, lower95: 1, upper95: 2 }, null, opts).significance).toBe("not_compared");
    expect(compareWithBenchmark({ value: 1.5, lower95: null, upper95: 2 }, 3, opts).significance).toBe("not_compared");
    expect(
      compareWithBenchmark({ value: 1.5, lower95: 1, upper95: 2 }, 3, {
        method: "single_ci_two_levels",
        polarity: "no_judgement",
      }).significance,
    ).toBe("not_compared");
    expect(
      compareWithBenchmark({ value: 1.5, lower95: 1, upper95: 2 }, 3, {
        method: "double_overlap_95",
        polarity: "no_judgement",
      }).significance,
    ).toBe("not_compared");
    expect(
      compareWithBenchmark({ value: 10 }, 8, { method: "spc_proportion", polarity: "no_judgement", unit: 100 })
        .significance,
    ).toBe("not_compared");
  });

  it("SPC for proportions: control limits bracket the benchmark and tighten with the denominator", () => {
    fc.assert(
      fc.property(finite(1, 99), fc.integer({ min: 10, max: 1_000_000 }), (bench, n) => {
        const r = compareWithBenchmark({ value: bench, denominator: n }, bench, {
          method: "spc_proportion",
          polarity: "higher_is_better",
          unit: 100,
        });
        expect(r.significance).toBe("similar");
        expect(r.controlLimits!.lower).toBeLessThanOrEqual(bench);
        expect(r.controlLimits!.upper).toBeGreaterThanOrEqual(bench);
        const wider = compareWithBenchmark({ value: bench, denominator: n }, bench, {
          method: "spc_proportion",
          polarity: "higher_is_better",
          unit: 100,
          confidence: 0.998,
        });
        expect(wider.controlLimits!.lower).toBeLessThanOrEqual(r.controlLimits!.lower);
        expect(wider.controlLimits!.upper).toBeGreaterThanOrEqual(r.controlLimits!.upper);
      }),
      { numRuns: 200 },
    );
  });

  it("SPC for DSR: a value far above the benchmark is significant at 99.8%", () => {
    const r = compareWithBenchmark({ value: 400, denominator: 100000 }, 200, {
      method: "spc_dsr",
      polarity: "lower_is_better",
      unit: 100000,
      confidence: 99.8,
    });
    expect(r.significance).toBe("worse");
    expect(r.level).toBe(99.8);
    expect(r.controlLimits!.lower).toBeLessThan(200);
    expect(r.controlLimits!.upper).toBeGreaterThan(200);
  });

  it("throws clear errors on invalid input", () => {
    const polarity: Polarity = "higher_is_better";
    expect(() => compareWithBenchmark({ value: 1 }, 1, { method: "nope" as ComparisonMethod, polarity })).toThrow(
      /method/,
    );
    expect(() => compareWithBenchmark({ value: 1 }, 1, { method: "single_ci_95", polarity: "up" as Polarity })).toThrow(
      /polarity/,
    );
    expect(() => compareWithBenchmark({ value: Number.NaN }, 1, { method: "single_ci_95", polarity })).toThrow(
      /finite/,
    );
    expect(() =>
      compareWithBenchmark({ value: 1, lower95: 2, upper95: 0 }, 1, { method: "single_ci_95", polarity }),
    ).toThrow(/greater than the upper/);
    expect(() =>
      compareWithBenchmark({ value: 1, lower95: 0, upper95: 2, lower998: 0.5, upper998: 3 }, 1, {
        method: "single_ci_two_levels",
        polarity,
      }),
    ).toThrow(/enclose/);
    expect(() =>
      compareWithBenchmark({ value: 1, denominator: 10 }, 1, { method: "spc_proportion", polarity }),
    ).toThrow(/unit/);
    expect(() =>
      compareWithBenchmark({ value: 1, denominator: 10 }, 1, {
        method: "spc_dsr",
        polarity,
        unit: 1e5,
        confidence: 0.9,
      }),
    ).toThrow(/confidence/);
    expect(() =>
      compareWithBenchmark({ value: 1, denominator: 0 }, 1, { method: "spc_dsr", polarity, unit: 1e5 }),
    ).toThrow(/denominator/);
    expect(() =>
      compareWithBenchmark({ value: 50, denominator: 10 }, 150, { method: "spc_proportion", polarity, unit: 100 }),
    ).toThrow(/\[0, 1\]/);
  });
});
