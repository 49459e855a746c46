import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeLimits } from "../../src/services/analysis/limits.ts";
import { placeAmongPeers } from "../../src/services/analysis/ranking.ts";
import { byarsLimits } from "../../src/stats/byars.ts";
import { poissonCountLimits } from "../../src/stats/poisson-count-limits.ts";
import { proportionCI } from "../../src/stats/proportion.ts";
import { fingertipsQuintiles } from "../../src/stats/quantiles.ts";
import { rateCI } from "../../src/stats/rate.ts";

const empty = { lower95: null, upper95: null, lower998: null, upper998: null };

describe("confidence limits by value type", () => {
  it("proportions: Wilson from the numerator and denominator, as proportionCI", () => {
    const l = computeLimits("proportion", 100, { value: 7.1, numerator: 71, denominator: 1000, ...empty });
    const a = proportionCI(71, 1000, { multiplier: 100, confidence: 0.95 });
    const b = proportionCI(71, 1000, { multiplier: 100, confidence: 0.998 });
    expect(l).toEqual({ lower95: a.lower, upper95: a.upper, lower998: b.lower, upper998: b.upper, ciMethod: "wilson" });
  });

  it("crude rates: exact below 10 events and Byar's from 10, as rateCI (bit for bit)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 100000 }), (x, n) => {
        const l = computeLimits("crude_rate", 1000, { value: (x / n) * 1000, numerator: x, denominator: n, ...empty });
        const a = rateCI(x, n, { multiplier: 1000, confidence: 0.95 });
        const b = rateCI(x, n, { multiplier: 1000, confidence: 0.998 });
        if (a.lower === null || b.lower === null) return l.ciMethod === null;
        return l.lower95 === a.lower && l.upper95 === a.upper && l.lower998 === b.lower && l.upper998 === b.upper;
      }),
    );
  });

  it("counts: Poisson limits on the count itself", () => {
    for (const x of [0, 3, 9, 10, 450]) {
      const l = computeLimits("count", 1, { value: x, numerator: x, denominator: null, ...empty });
      expect(l.lower95).toBe(poissonCountLimits(x, 0.95).lower);
      expect(l.upper998).toBe(poissonCountLimits(x, 0.998).upper);
      expect(l.ciMethod).toBe("poisson_count");
    }
  });

  it("supplied limits are kept; 99.8% only when both are supplied", () => {
    const l = computeLimits("proportion", 100, {
      value: 50,
      numerator: 5,
      denominator: 10,
      lower95: 40,
      upper95: 60,
      lower998: null,
      upper998: 70,
    });
    expect(l).toEqual({ lower95: 40, upper95: 60, lower998: null, upper998: null, ciMethod: "supplied" });
  });

  it("DSRs without limits: Dobson with one stratum from 10 events, nothing below", () => {
    const l = computeLimits("directly_standardised_rate", 100000, {
      value: 250,
      numerator: 40,
      denominator: null,
      ...empty,
    });
    expect(l.ciMethod).toBe("dobson_single_stratum");
    expect(l.lower95).toBeCloseTo((byarsLimits(40, 0.95).lower! * 250) / 40, 12);
    expect(
      computeLimits("directly_standardised_rate", 100000, { value: 25, numerator: 9, denominator: null, ...empty }),
    ).toMatchObject({ ciMethod: null, lower95: null });
  });

  it("means, ratios and supplied-CI measures without limits get none; bad counts give none rather than an error", () => {
    expect(computeLimits("mean", 1, { value: 5, numerator: null, denominator: null, ...empty }).ciMethod).toBeNull();
    expect(
      computeLimits("proportion", 100, { value: 5, numerator: 12, denominator: 10, ...empty }).ciMethod,
    ).toBeNull();
    expect(
      computeLimits("proportion", 100, { value: null, numerator: 1, denominator: 10, ...empty }).ciMethod,
    ).toBeNull();
  });
});

describe("quintile and rank among peers", () => {
  it("rank 1 is the best by polarity; ties share the best rank; no judgement ranks the highest first", () => {
    const values = [10, 30, 20, 30, null];
    expect(placeAmongPeers(values, "higher_is_better").map((p) => p.rank)).toEqual([4, 1, 3, 1, null]);
    expect(placeAmongPeers(values, "lower_is_better").map((p) => p.rank)).toEqual([1, 3, 2, 3, null]);
    expect(placeAmongPeers(values, "no_judgement").map((p) => p.rank)).toEqual([4, 1, 3, 1, null]);
    expect(placeAmongPeers(values, "lower_is_better")[0]!.rankOutOf).toBe(4);
  });

  it("quintiles are numbered by value (1 = lowest) and need five values", () => {
    const values = Array.from({ length: 22 }, (_, i) => i + 1);
    const q = placeAmongPeers(values, "higher_is_better").map((p) => p.quintile);
    expect(q[0]).toBe(1);
    expect(q[21]).toBe(5);
    expect(placeAmongPeers([1, 2, 3, 4], "higher_is_better").every((p) => p.quintile === null)).toBe(true);
  });

  it("quintiles equal the library's Fingertips quintiles (unreversed) for any values", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.option(
            fc.integer({ min: -50, max: 50 }).map((x) => x / 4),
            { nil: null },
          ),
          { maxLength: 60 },
        ),
        (values) => {
          const ours = placeAmongPeers(values, "higher_is_better").map((p) => p.quintile ?? 0);
          const theirs = fingertipsQuintiles(values, { polarity: "lower_is_better" }).categories;
          expect(ours).toEqual(theirs);
        },
      ),
    );
  });
});
