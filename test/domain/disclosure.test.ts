import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalBreakdown, parseBreakdown } from "../../src/domain/breakdown.ts";
import { discloseObservation, roundToBase } from "../../src/domain/disclosure.ts";

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
    expect(discloseObservation(count, { suppressBelow: 5, valueIsCount: true }).value).toBeNull();
    expect(discloseObservation(count, { suppressBelow: 5 }).value).toBe(2); // not a count measure: no numerator, kept
    expect(discloseObservation(obs({ noteCodes: ["suppressed"] }), null).value).toBeNull();
  });

  it("rounds counts to the base; the value too for count measures", () => {
    expect(discloseObservation(obs({ numerator: 47, denominator: 1003 }), { roundTo: 5 })).toMatchObject({
      value: 6,
      numerator: 45,
      denominator: 1005,
    });
    expect(discloseObservation(obs({ value: 947, numerator: null }), { roundTo: 5, valueIsCount: true })).toMatchObject(
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
          const input = obs({ numerator, denominator: 1000 });
          const frozen = JSON.stringify(input);
          const out = discloseObservation(input, { suppressBelow, roundTo });
          expect(JSON.stringify(input)).toBe(frozen);
          if (numerator < suppressBelow) expect(out.numerator).toBeNull();
          else if (roundTo) expect((out.numerator ?? 0) % roundTo).toBe(0);
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
