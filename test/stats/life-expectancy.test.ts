import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type LifeTableBand, lifeExpectancy } from "../../src/stats/life-expectancy.ts";

const START_AGES = [0, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90];
/** Roughly realistic death rates per band. */
const RATES = [
  0.004, 0.0002, 0.0001, 0.0001, 0.0003, 0.0004, 0.0005, 0.0006, 0.0008, 0.0013, 0.002, 0.003, 0.005, 0.008, 0.013,
  0.022, 0.04, 0.07, 0.13, 0.25,
];

function table(population: number): LifeTableBand[] {
  return START_AGES.map((startAge, i) => ({
    startAge,
    population,
    deaths: Math.max(1, Math.round(population * RATES[i]!)),
  }));
}

describe("lifeExpectancy (METHODS §8)", () => {
  it("limits bracket the value and 99.8% is wider than 95%", () => {
    fc.assert(
      fc.property(fc.integer({ min: 5000, max: 200000 }), (population) => {
        const a = lifeExpectancy(table(population));
        const b = lifeExpectancy(table(population), { confidence: 0.998 });
        return a.every(
          (r, i) =>
            r.value !== null &&
            r.lower! <= r.value &&
            r.value <= r.upper! &&
            b[i]!.lower! < r.lower! &&
            b[i]!.upper! > r.upper!,
        );
      }),
    );
  });
  it("limits narrow as the population grows", () => {
    const small = lifeExpectancy(table(10000));
    const large = lifeExpectancy(table(1000000));
    small.forEach((r, i) => {
      expect(large[i]!.upper! - large[i]!.lower!).toBeLessThan(r.upper! - r.lower!);
    });
  });
  it("returns bands in start-age order whatever the input order, with cumulative counts", () => {
    const bands = table(20000);
    const r = lifeExpectancy([...bands].reverse());
    expect(r.map((x) => x.startAge)).toEqual(START_AGES);
    expect(r[0]!.populationUsed).toBe(20000 * 20);
    expect(r[19]!.deathsUsed).toBe(bands[19]!.deaths);
    expect(r[0]!.value!).toBeGreaterThan(r[1]!.value! - 1);
    expect(r[0]!.method).toBe("Chiang, using Silcocks et al for confidence limits");
  });
  it("suppresses the whole area for the METHODS §8 data conditions", () => {
    const ok = table(20000);
    const cases: [LifeTableBand[], string][] = [
      [ok.slice(1), "band count is not 20"],
      [ok.map((b, i) => (i === 3 ? { ...b, deaths: -1 } : b)), "negative deaths"],
      [ok.map((b, i) => (i === 3 ? { ...b, population: 0 } : b)), "population not > 0"],
      [ok.map((b, i) => (i === 19 ? { ...b, deaths: b.population + 1 } : b)), "deaths exceed population"],
      [table(250), "total population <= 5000"],
    ];
    for (const [bands, reason] of cases) {
      const r = lifeExpectancy(bands);
      expect(r.every((x) => x.value === null && x.lower === null && x.upper === null && x.suppressed === reason)).toBe(
        true,
      );
    }
  });
  it("drops the value but keeps the limits when the 95% interval is wider than 20 years", () => {
    // small area whose last band has a single death: the open-ended band's variance explodes
    const bands = table(310).map((b, i) => (i === 19 ? { ...b, deaths: 1 } : b));
    const r = lifeExpectancy(bands);
    const wide = r.filter((x) => x.value === null);
    expect(wide.length).toBeGreaterThan(0);
    for (const x of wide) expect(x.upper! - x.lower!).toBeGreaterThan(20);
  });
  it("throws for non-finite or repeated inputs", () => {
    const ok = table(20000);
    expect(() => lifeExpectancy([])).toThrow(/non-empty/);
    expect(() => lifeExpectancy(ok.map((b, i) => (i === 2 ? { ...b, deaths: Number.NaN } : b)))).toThrow(
      /bands\[2\]\.deaths must be a finite number/,
    );
    expect(() => lifeExpectancy(ok.map((b, i) => (i === 2 ? { ...b, startAge: 1 } : b)))).toThrow(/startAge 1 repeats/);
    expect(() => lifeExpectancy(ok, { confidence: 2 })).toThrow(/confidence/);
  });
});
