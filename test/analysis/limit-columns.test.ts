/**
 * The analysis computes limits a measure at a time in columns: every row equals the scalar statistics for that row
 * (bit for bit), rows that are suppressed, supplied or invalid are handled as one value at a time would be.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeLimitColumns, type LimitsInput } from "../../src/services/analysis/limits.ts";
import { byarsLimits } from "../../src/stats/byars.ts";
import { poissonCountLimits } from "../../src/stats/poisson-count-limits.ts";
import { proportionCI } from "../../src/stats/proportion.ts";
import { rateCI } from "../../src/stats/rate.ts";

const maybe = <T>(a: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 8, arbitrary: a }, { weight: 1, arbitrary: fc.constant(null) });
const row: fc.Arbitrary<LimitsInput> = fc
  .record({
    numerator: maybe(fc.oneof(fc.integer({ min: -2, max: 15 }), fc.integer({ min: 0, max: 20000 }))),
    denominator: maybe(fc.integer({ min: -1, max: 30000 })),
    value: maybe(fc.double({ min: 0, max: 1000, noNaN: true })),
    supplied: fc.boolean(),
  })
  .map(({ supplied, ...r }) => ({
    ...r,
    lower95: supplied ? 1 : null,
    upper95: supplied ? 2 : null,
    lower998: supplied ? 0.5 : null,
    upper998: supplied ? 2.5 : null,
  }));

/** The limits of one row by the scalar statistics, as the analysis defines them (null when none). */
function expected(valueType: string, multiplier: number, r: LimitsInput): (number | null)[] | null {
  if (r.value === null) return null;
  if (r.lower95 !== null && r.upper95 !== null) return [r.lower95, r.upper95, r.lower998, r.upper998];
  const x = valueType === "count" ? r.value : r.numerator;
  const n = r.denominator;
  if (x === null || x < 0) return null;
  const two = (f: (c: number) => { lower: number | null; upper: number | null }) => {
    const a = f(0.95);
    const b = f(0.998);
    return a.lower === null || b.lower === null ? null : [a.lower, a.upper, b.lower, b.upper];
  };
  switch (valueType) {
    case "proportion":
      return n === null || n <= 0 || x > n ? null : two((c) => proportionCI(x, n, { confidence: c, multiplier }));
    case "crude_rate":
      return n === null || n <= 0 ? null : two((c) => rateCI(x, n, { confidence: c, multiplier }));
    case "count":
      return two((c) => poissonCountLimits(x, c));
    case "directly_standardised_rate": {
      if (x < 10) return null;
      const k = r.value / x;
      const l = two((c) => byarsLimits(x, c));
      return l === null ? null : l.map((v) => v! * k);
    }
    default:
      return null;
  }
}

describe("limits a measure at a time (computeLimitColumns)", () => {
  for (const valueType of ["proportion", "crude_rate", "count", "directly_standardised_rate", "mean"]) {
    it(`${valueType}: every row is the scalar result, suppressed rows get none`, () => {
      fc.assert(
        fc.property(fc.array(row, { maxLength: 30 }), fc.constantFrom(1, 100, 1000, 100000), (rows, multiplier) => {
          const skip = new Uint8Array(rows.length).map((_, i) => (i % 7 === 3 ? 1 : 0));
          const got = computeLimitColumns(valueType, multiplier, rows, skip);
          rows.forEach((r, i) => {
            const want = skip[i] ? null : expected(valueType, multiplier, r);
            const have = [got.lower95[i], got.upper95[i], got.lower998[i], got.upper998[i]].map((v) =>
              Number.isNaN(v) ? null : v,
            );
            expect(have).toEqual(want ?? [null, null, null, null]);
            expect(got.ciMethod[i] === null).toBe(want === null);
          });
        }),
        { numRuns: 200 },
      );
    });
  }
});
