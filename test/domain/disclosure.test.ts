import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalBreakdown, parseBreakdown } from "../../src/domain/breakdown.ts";
import {
  discloseObservation,
  missingDisclosureCount,
  protectedCountField,
  roundToBase,
} from "../../src/domain/disclosure.ts";

const obs = (over: Partial<Parameters<typeof discloseObservation>[0]> = {}) => ({
  value: 6,
  numerator: 3,
  denominator: 500,
  lower95: 1.2,
  upper95: 17.5,
  lower998: 0.5,
  upper998: 25,
  noteCodes: [] as string[],
  ...over,
});

describe("disclosure control", () => {
  it("suppresses a numerator below the threshold: value, counts and intervals null, note code suppressed", () => {
    expect(discloseObservation(obs(), { suppressBelow: 5 })).toEqual({
      value: null,
      numerator: null,
      denominator: null,
      lower95: null,
      upper95: null,
      lower998: null,
      upper998: null,
      noteCodes: ["suppressed"],
    });
    expect(discloseObservation(obs({ numerator: 5 }), { suppressBelow: 5 }).value).toBe(6);
  });

  it("suppresses a small count of a count measure, and keeps values already marked suppressed hidden", () => {
    const count = obs({ value: 2, numerator: null, denominator: null });
    expect(discloseObservation(count, { suppressBelow: 5, valueType: "count" }).value).toBeNull();
    expect(discloseObservation(obs({ noteCodes: ["suppressed"] }), null).value).toBeNull();
  });

  it("rounds counts to the base; the value too for count measures", () => {
    const rate = { roundTo: 5, valueType: "crude_rate", multiplier: 1000 };
    expect(discloseObservation(obs({ value: 46.9, numerator: 47, denominator: 1003 }), rate)).toMatchObject({
      value: (45 / 1005) * 1000,
      numerator: 45,
      denominator: 1005,
    });
    expect(discloseObservation(obs({ value: 947, numerator: null }), { roundTo: 5, valueType: "count" })).toMatchObject(
      {
        value: 945,
        lower95: null,
      },
    );
    expect(roundToBase(2.5, 5)).toBe(5);
    expect(roundToBase(2.4, 5)).toBe(0);
    expect(roundToBase(-7.5, 5)).toBe(-10);
  });

  it("never returns a numerator below the threshold and never changes its input", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 1, max: 10 }),
        fc.option(fc.integer({ min: 2, max: 10 }), { nil: null }),
        (numerator, suppressBelow, roundTo) => {
          const input = obs({ value: numerator / 10, numerator, denominator: 1000 });
          const frozen = JSON.stringify(input);
          const out = discloseObservation(input, { suppressBelow, roundTo, valueType: "proportion", multiplier: 100 });
          expect(JSON.stringify(input)).toBe(frozen);
          if (numerator < suppressBelow) expect(out.numerator).toBeNull();
          else if (roundTo) expect((out.numerator ?? 0) % roundTo).toBe(0);
        },
      ),
    );
  });
});

describe("disclosure control holds whatever columns a row has (issue 11 items 2 and 3)", () => {
  it("suppresses whole a value whose count is missing, so value × denominator cannot give it back", () => {
    const rule = { suppressBelow: 5, valueType: "proportion", multiplier: 100 };
    const row = obs({ value: 1.6207455429497568, numerator: null, denominator: 1234, lower95: null, upper95: null });
    expect(missingDisclosureCount(rule, row)).toBe("numerator");
    expect(discloseObservation(row, rule)).toMatchObject({ value: null, denominator: null, noteCodes: ["suppressed"] });
    // a row without a value needs no count
    expect(missingDisclosureCount(rule, obs({ value: null, numerator: null }))).toBeNull();
    // no rule, nothing needed
    expect(missingDisclosureCount({ valueType: "proportion" }, row)).toBeNull();
  });

  it("reads the count each value type protects: numerator, the count itself, or a mean's denominator", () => {
    expect(protectedCountField("proportion")).toBe("numerator");
    expect(protectedCountField("crude_rate")).toBe("numerator");
    expect(protectedCountField("directly_standardised_rate")).toBe("numerator");
    expect(protectedCountField("ratio")).toBe("numerator");
    expect(protectedCountField("supplied_ci")).toBe("numerator");
    expect(protectedCountField("count")).toBe("value");
    expect(protectedCountField("mean")).toBe("denominator");
    const mean = { suppressBelow: 5, valueType: "mean", multiplier: 1 };
    expect(discloseObservation(obs({ value: 301, numerator: 1204, denominator: 4 }), mean).value).toBeNull();
    expect(discloseObservation(obs({ value: 301, numerator: null, denominator: 40 }), mean).value).toBe(301);
    expect(missingDisclosureCount(mean, obs({ value: 301, numerator: 1204, denominator: null }))).toBe("denominator");
  });

  it("recomputes a rate from its rounded counts, so the published figures agree with each other (17 / 23,456)", () => {
    const rule = { roundTo: 5, valueType: "crude_rate", multiplier: 10000 };
    const out = discloseObservation(obs({ value: 7.2476, numerator: 17, denominator: 23456 }), rule);
    expect(out).toMatchObject({ numerator: 15, denominator: 23455, lower95: null, upper95: null });
    expect(((out.value as number) * 23455) / 10000).toBeCloseTo(15, 9);
    expect(missingDisclosureCount(rule, obs({ value: 7.2, numerator: 17, denominator: null }))).toBe("denominator");
  });

  it("scales a standardised rate, ratio or survey estimate with its rounded counts and drops supplied limits", () => {
    for (const valueType of ["directly_standardised_rate", "ratio", "supplied_ci"]) {
      const rule = { roundTo: 5, valueType, multiplier: 100000 };
      const row = { ...obs({ value: 72.476, numerator: 17, denominator: 23456 }), ciSupplied: true };
      const out = discloseObservation(row, rule);
      expect(out.value).toBeCloseTo((72.476 * (15 / 17) * 23456) / 23455, 9);
      expect(out).toMatchObject({
        numerator: 15,
        denominator: 23455,
        lower95: null,
        upper998: null,
        ciSupplied: false,
      });
    }
  });

  it("keeps a mean but withholds its numerator when counts are rounded (numerator ÷ mean = number of people)", () => {
    const out = discloseObservation(obs({ value: 301, numerator: 5117, denominator: 17 }), {
      roundTo: 5,
      valueType: "mean",
      multiplier: 1,
    });
    expect(out).toMatchObject({ value: 301, numerator: null, denominator: 15, lower95: null });
  });

  it("suppresses a value whose denominator rounds to 0", () => {
    const rule = { roundTo: 5, valueType: "proportion", multiplier: 100 };
    expect(discloseObservation(obs({ value: 50, numerator: 1, denominator: 2 }), rule).value).toBeNull();
  });

  it("never lets value × published denominator ÷ multiplier give back an unrounded numerator", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("proportion", "crude_rate", "directly_standardised_rate", "ratio", "supplied_ci"),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 200, max: 100000 }),
        fc.constantFrom(100, 1000, 10000, 100000),
        (valueType, x, d, multiplier) => {
          const rule = { suppressBelow: 3, roundTo: 5, valueType, multiplier };
          const out = discloseObservation(obs({ value: (x / d) * multiplier, numerator: x, denominator: d }), rule);
          if (out.value === null) return;
          const recovered = (out.value * (out.denominator as number)) / multiplier;
          expect(recovered).toBeCloseTo(out.numerator as number, 6);
          expect((out.numerator as number) % 5).toBe(0);
        },
      ),
    );
  });
});

describe("breakdowns", () => {
  it("are canonical: total, or dimensions sorted by code", () => {
    expect(canonicalBreakdown({})).toBe("total");
    expect(canonicalBreakdown({ sex: "female", age_band: "0", fsm: "" })).toBe("age_band=0;sex=female");
    expect(parseBreakdown(" sex=female ; age_band=0 ")).toEqual({ ok: true, parts: { sex: "female", age_band: "0" } });
    expect(parseBreakdown("Total")).toEqual({ ok: true, parts: {} });
    expect(parseBreakdown("sex")).toMatchObject({ ok: false });
    expect(parseBreakdown("sex=a;sex=b")).toMatchObject({ ok: false });
  });
});
