/**
 * The columnar interval methods give bit-for-bit the scalar results (Object.is on every element, NaN where the scalar
 * gives null), throw the scalar error naming the first invalid row, and accept Float64Array and number[] alike.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { baselineProportionCI, baselineRateCI } from "../../bench/stats-baseline.ts";
import type { IntervalColumns } from "../../src/stats/interval-estimate.ts";
import { poissonCountCIs, poissonCountLimits } from "../../src/stats/poisson-count-limits.ts";
import { proportionCI, proportionCIs } from "../../src/stats/proportion.ts";
import { rateCI, rateCIs } from "../../src/stats/rate.ts";

type Cell = number | null | undefined;

/** Mostly valid cells (small counts for the exact branch, large ones, fractions), some missing, a few invalid. */
const cell = (invalid: number) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0, max: 5000 }) },
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 12 }) },
    { weight: 2, arbitrary: fc.double({ min: 0, max: 1e7, noNaN: true }) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 1e9 }) },
    { weight: 2, arbitrary: fc.constantFrom<Cell>(Number.NaN, null, undefined) },
    {
      weight: invalid,
      arbitrary: fc.constantFrom<Cell>(-1, -0.5, 0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1e-300),
    },
  );
const rows = (invalid: number) =>
  fc
    .integer({ min: 0, max: 40 })
    .chain((length) =>
      fc.tuple(
        fc.array(cell(invalid), { minLength: length, maxLength: length }),
        fc.array(cell(invalid), { minLength: length, maxLength: length }),
      ),
    );
const confidence = fc.oneof(
  fc.constantFrom(0.95, 0.998, 95, 99.8, 0.9, 1, 100, 90),
  fc.double({ min: 0.9, max: 1, noNaN: true }),
);
const multiplier = fc.oneof(fc.constantFrom(1, 100, 1000, 100000), fc.double({ min: 1e-3, max: 1e6, noNaN: true }));

/** NaN (a missing cell in a column) as the scalar functions take a missing value. */
const scalarInput = (v: Cell) => (typeof v === "number" && Number.isNaN(v) ? null : v);
/** A number[] column as a Float64Array (null → NaN, as Float64Array.from would make it 0). */
const typed = (column: readonly Cell[]) =>
  Float64Array.from(column, (v) => (v === null || v === undefined ? Number.NaN : v));

interface ScalarEstimate {
  value?: number | null;
  lower: number | null;
  upper: number | null;
}

/**
 * Runs `scalar` row by row and `columnar` on the whole columns (as given and as Float64Arrays), and checks they agree:
 * the same error "row i: <scalar message>" at the first row where the scalar function throws, else every element.
 */
function agree(
  length: number,
  scalar: (i: number) => ScalarEstimate,
  columnar: (asTyped: boolean) => IntervalColumns,
  value: (i: number, r: ScalarEstimate) => number | null,
): void {
  const expected: ScalarEstimate[] = [];
  let error: string | null = null;
  for (let i = 0; i < length && error === null; i++) {
    try {
      expected.push(scalar(i));
    } catch (e) {
      error = `row ${i}: ${(e as Error).message}`;
    }
  }
  for (const asTyped of [false, true]) {
    if (error !== null) {
      expect(() => columnar(asTyped)).toThrow(error);
      try {
        columnar(asTyped);
      } catch (e) {
        expect((e as Error).message).toBe(error);
      }
      continue;
    }
    const got = columnar(asTyped);
    expect(got.value).toBeInstanceOf(Float64Array);
    expect([got.value.length, got.lower.length, got.upper.length]).toEqual([length, length, length]);
    for (let i = 0; i < length; i++) {
      const r = expected[i]!;
      const want = [value(i, r) ?? Number.NaN, r.lower ?? Number.NaN, r.upper ?? Number.NaN];
      const have = [got.value[i], got.lower[i], got.upper[i]];
      for (let k = 0; k < 3; k++) {
        if (!Object.is(have[k], want[k])) {
          throw new Error(`row ${i} ${["value", "lower", "upper"][k]}: columnar ${have[k]} ≠ scalar ${want[k]}`);
        }
      }
    }
  }
}

describe("proportionCIs: bit-for-bit proportionCI", () => {
  for (const [label, invalid] of [
    ["valid rows", 0],
    ["rows with errors", 1],
  ] as const) {
    it(`on random columns (${label})`, () => {
      fc.assert(
        fc.property(rows(invalid), confidence, multiplier, ([x, n], c, m) => {
          const length = Math.min(x.length, n.length);
          const options = { confidence: c, multiplier: m };
          agree(
            length,
            (i) => proportionCI(scalarInput(x[i]), scalarInput(n[i]), options),
            (asTyped) => (asTyped ? proportionCIs(typed(x), typed(n), options) : proportionCIs(x, n, options)),
            (_i, r) => r.value ?? null,
          );
        }),
        { numRuns: 300 },
      );
    });
  }
  it("names the row and keeps the scalar message", () => {
    expect(() => proportionCIs([1, 2, 5], [10, 10, 4])).toThrow(
      "row 2: x must be <= n for a proportion; got x = 5, n = 4",
    );
    expect(() => proportionCIs([1, Number.POSITIVE_INFINITY], [10, 10])).toThrow(
      "row 1: x must be a finite number; got Infinity",
    );
    expect(() => proportionCIs([1], [0])).toThrow("row 0: n must be > 0; got 0");
    expect(() => proportionCIs([1], [2], { confidence: 50 })).toThrow(
      "confidence level must be between 90 and 100 or between 0.9 and 1; got 50",
    );
    expect(() => proportionCIs([1, 2], [3])).toThrow("x and n must have the same length; got 2 and 1");
    expect(() => proportionCIs(null as never, [3])).toThrow("x must be an array or a Float64Array; got null");
  });
  it("gives NaN for missing rows and empty columns for empty input", () => {
    const r = proportionCIs([Number.NaN, 3], [10, Number.NaN]);
    expect([...r.value, ...r.lower, ...r.upper].every(Number.isNaN)).toBe(true);
    expect(proportionCIs([], []).value).toEqual(new Float64Array(0));
  });
});

describe("rateCIs: bit-for-bit rateCI, the exact branch included", () => {
  for (const [label, invalid] of [
    ["valid rows", 0],
    ["rows with errors", 1],
  ] as const) {
    it(`on random columns (${label})`, () => {
      fc.assert(
        fc.property(rows(invalid), confidence, multiplier, ([x, n], c, m) => {
          const length = Math.min(x.length, n.length);
          const options = { confidence: c, multiplier: m };
          agree(
            length,
            (i) => rateCI(scalarInput(x[i]), scalarInput(n[i]), options),
            (asTyped) => (asTyped ? rateCIs(typed(x), typed(n), options) : rateCIs(x, n, options)),
            (_i, r) => r.value ?? null,
          );
        }),
        { numRuns: 300 },
      );
    });
  }
  it("names the row and keeps the scalar message", () => {
    expect(() => rateCIs([1, -2], [10, 10])).toThrow("row 1: x must be >= 0; got -2");
    expect(() => rateCIs([1], [1], { multiplier: 0 })).toThrow("multiplier must be > 0; got 0");
  });
});

describe("poissonCountCIs: bit-for-bit poissonCountLimits", () => {
  it("on random columns (with errors)", () => {
    fc.assert(
      fc.property(fc.array(cell(1), { maxLength: 40 }), confidence, (x, c) => {
        agree(
          x.length,
          (i) => {
            const v = scalarInput(x[i]);
            return v === null || v === undefined ? { lower: null, upper: null } : poissonCountLimits(v, c);
          },
          (asTyped) => poissonCountCIs(asTyped ? typed(x) : x, { confidence: c }),
          (i) => scalarInput(x[i]) ?? null,
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe("the faster scalar functions", () => {
  it("give bit-for-bit the results of the scalar path before issue 18 (bench/stats-baseline.ts)", () => {
    fc.assert(
      fc.property(cell(1), cell(1), confidence, multiplier, (x, n, c, m) => {
        const args = [scalarInput(x), scalarInput(n), { confidence: c, multiplier: m }] as const;
        for (const [now, before] of [
          [proportionCI, baselineProportionCI],
          [rateCI, baselineRateCI],
        ] as const) {
          let a: unknown;
          let b: unknown;
          try {
            a = now(...args);
          } catch (e) {
            a = (e as Error).message;
          }
          try {
            b = before(...args);
          } catch (e) {
            b = (e as Error).message;
          }
          expect(a).toStrictEqual(b);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
