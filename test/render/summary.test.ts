import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatNumber,
  formatValue,
  type SummaryFacts,
  type SummaryFormat,
  summarise,
} from "../../src/render/wording/summary.ts";
import type { Significance, TrendDirection, TrendJudgement } from "../../src/stats/types.ts";

const cardiff = { areaName: { en: "Cardiff", cy: "Caerdydd" }, breakdownLabel: null, isBenchmarkArea: false };
const percent: SummaryFormat = { unit: "percentage", multiplier: 100, decimals: 1, valueType: "proportion" };

function facts(over: Partial<SummaryFacts> = {}): SummaryFacts {
  return {
    suppressed: false,
    value: 7.1,
    lower95: 6.5,
    upper95: 7.7,
    benchmarkSignificance: "worse",
    benchmarkValue: 6.2,
    trendDirection: "no_significant_change",
    trendJudgement: null,
    trendReason: "no_significant_trend",
    targetValue: null,
    targetMet: null,
    ...over,
  };
}

describe("summary sentences", () => {
  it("reads as in the issue, in English and Welsh", () => {
    expect(summarise(facts(), percent, cardiff)).toEqual({
      en: "Cardiff: 7.1% (95% CI 6.5 to 7.7), significantly worse than Wales (6.2%); no significant change over the last five years.",
      cy: "Caerdydd: 7.1% (cyfwng hyder o 95%: 6.5 i 7.7), yn arwyddocaol waeth na Chymru (6.2%); dim newid arwyddocaol dros y pum mlynedd diwethaf.",
    });
  });

  it("formats the benchmark and target of each sentence afresh when they or the decimals change", () => {
    const sequence: [number, number, number][] = [
      [6.2, 50, 1],
      [6.2, 50, 1],
      [6.25, 50, 2],
      [6.25, 40, 1],
      [-0, 40, 1],
      [0, 40, 1],
    ];
    for (const [benchmarkValue, targetValue, decimals] of sequence) {
      const s = summarise(facts({ benchmarkValue, targetValue, targetMet: false }), { ...percent, decimals }, cardiff);
      const b = formatNumber(benchmarkValue, decimals, "en");
      const t = formatNumber(targetValue, decimals, "en");
      expect(s.en).toContain(`significantly worse than Wales (${b}%)`);
      expect(s.en).toContain(`target of ${t}% not met`);
    }
  });

  const comparisons: [Significance, string, string][] = [
    ["better", "significantly better than Wales (6.2%)", "yn arwyddocaol well na Chymru (6.2%)"],
    ["worse", "significantly worse than Wales (6.2%)", "yn arwyddocaol waeth na Chymru (6.2%)"],
    ["higher", "significantly higher than Wales (6.2%)", "yn arwyddocaol uwch na Chymru (6.2%)"],
    ["lower", "significantly lower than Wales (6.2%)", "yn arwyddocaol is na Chymru (6.2%)"],
    ["similar", "similar to Wales (6.2%)", "tebyg i Gymru (6.2%)"],
    ["not_compared", "not compared with Wales (6.2%)", "heb ei gymharu â Chymru (6.2%)"],
  ];
  const trends: [TrendDirection, TrendJudgement | null, string, string, string][] = [
    [
      "increasing",
      "getting_better",
      "significant_trend",
      "improving over the last five years",
      "yn gwella dros y pum mlynedd diwethaf",
    ],
    [
      "decreasing",
      "getting_worse",
      "significant_trend",
      "getting worse over the last five years",
      "yn gwaethygu dros y pum mlynedd diwethaf",
    ],
    [
      "increasing",
      null,
      "significant_trend",
      "increasing over the last five years",
      "yn cynyddu dros y pum mlynedd diwethaf",
    ],
    [
      "decreasing",
      null,
      "significant_trend",
      "decreasing over the last five years",
      "yn gostwng dros y pum mlynedd diwethaf",
    ],
    [
      "no_significant_change",
      null,
      "outlier_found",
      "no significant change over the last five years",
      "dim newid arwyddocaol dros y pum mlynedd diwethaf",
    ],
    [
      "cannot_be_calculated",
      null,
      "not_enough_data_points",
      "not enough data for a trend",
      "dim digon o ddata i gyfrifo tuedd",
    ],
    ["cannot_be_calculated", null, "missing_values", "trend cannot be calculated", "ni ellir cyfrifo'r duedd"],
    [
      "cannot_be_calculated",
      null,
      "overlapping_periods",
      "no trend is calculated for overlapping periods",
      "ni chyfrifir tuedd ar gyfer cyfnodau sy'n gorgyffwrdd",
    ],
  ];

  for (const [significance, en, cy] of comparisons) {
    for (const [direction, judgement, reason, trendEn, trendCy] of trends) {
      it(`${significance} × ${direction}${judgement ? ` (${judgement})` : ""}, ${reason}`, () => {
        const s = summarise(
          facts({
            benchmarkSignificance: significance,
            trendDirection: direction,
            trendJudgement: judgement,
            trendReason: reason as SummaryFacts["trendReason"],
          }),
          percent,
          cardiff,
        );
        expect(s.en).toBe(`Cardiff: 7.1% (95% CI 6.5 to 7.7), ${en}; ${trendEn}.`);
        expect(s.cy).toBe(`Caerdydd: 7.1% (cyfwng hyder o 95%: 6.5 i 7.7), ${cy}; ${trendCy}.`);
        for (const text of [s.en, s.cy ?? ""]) {
          expect(text).not.toMatch(/undefined|null|NaN|\s{2}|\s[,.;]|\.\.$/);
          expect(text.endsWith(".")).toBe(true);
        }
      });
    }
  }

  it("Wales's own sentence has no comparison clause", () => {
    const s = summarise(facts({ benchmarkSignificance: "not_compared", benchmarkValue: null }), percent, {
      areaName: { en: "Wales", cy: "Cymru" },
      breakdownLabel: null,
      isBenchmarkArea: true,
    });
    expect(s.en).toBe("Wales: 7.1% (95% CI 6.5 to 7.7); no significant change over the last five years.");
    expect(s.cy).toBe(
      "Cymru: 7.1% (cyfwng hyder o 95%: 6.5 i 7.7); dim newid arwyddocaol dros y pum mlynedd diwethaf.",
    );
  });

  it("suppressed values say so and nothing else", () => {
    const s = summarise(facts({ suppressed: true, value: null, lower95: null, upper95: null }), percent, cardiff);
    expect(s).toEqual({
      en: "Cardiff: value suppressed to protect confidentiality.",
      cy: "Caerdydd: gwerth wedi'i atal at ddibenion cyfrinachedd.",
    });
  });

  it("a missing value is 'not available'", () => {
    expect(summarise(facts({ value: null }), percent, cardiff)).toEqual({
      en: "Cardiff: not available.",
      cy: "Caerdydd: ddim ar gael.",
    });
  });

  it("rates say 'per' / 'fesul'; counts have no comparison; breakdown groups follow the place name", () => {
    const rate: SummaryFormat = { unit: "rate", multiplier: 1000, decimals: 1, valueType: "crude_rate" };
    const s = summarise(
      facts({ value: 23.44, lower95: 21.01, upper95: 26.06, benchmarkValue: 19.96, benchmarkSignificance: "similar" }),
      rate,
      { ...cardiff, breakdownLabel: { en: "Female", cy: "Benyw" } },
    );
    expect(s.en).toBe(
      "Cardiff (Female): 23.4 per 1,000 (95% CI 21.0 to 26.1), similar to Wales (20.0 per 1,000); no significant change over the last five years.",
    );
    expect(s.cy).toBe(
      "Caerdydd (Benyw): 23.4 fesul 1,000 (cyfwng hyder o 95%: 21.0 i 26.1), tebyg i Gymru (20.0 fesul 1,000); dim newid arwyddocaol dros y pum mlynedd diwethaf.",
    );
    const count: SummaryFormat = { unit: "count", multiplier: 1, decimals: 0, valueType: "count" };
    expect(summarise(facts({ value: 1234, lower95: 1165.4, upper95: 1305.9 }), count, cardiff).en).toBe(
      "Cardiff: 1,234 (95% CI 1,165 to 1,306); no significant change over the last five years.",
    );
  });

  it("a target is met or not", () => {
    const s = summarise(facts({ targetValue: 95, targetMet: false }), percent, cardiff);
    expect(s.en).toMatch(/; target of 95\.0% not met\.$/);
    expect(s.cy).toMatch(/; targed o 95\.0% heb ei gyrraedd\.$/);
    expect(summarise(facts({ targetValue: 5, targetMet: true }), percent, cardiff).cy).toMatch(
      /targed o 5\.0% wedi'i gyrraedd\.$/,
    );
  });

  it("numbers are formatted exactly as Intl.NumberFormat en-GB / cy-GB", () => {
    const intl = new Map<number, Intl.NumberFormat>();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ min: -1e9, max: 1e9, noNaN: true }),
          fc.integer({ min: -1e6, max: 1e6 }).map((x) => x / 20), // halves at one decimal: 3.15, 0.05 …
          fc.integer({ min: -1e6, max: 1e6 }).map((x) => x / 200),
        ),
        fc.integer({ min: 0, max: 4 }),
        (x, d) => {
          if (!intl.has(d)) {
            intl.set(d, new Intl.NumberFormat("cy-GB", { minimumFractionDigits: d, maximumFractionDigits: d }));
          }
          let expected = intl.get(d)!.format(x);
          if (/^-0(\.0+)?$/.test(expected)) expected = expected.slice(1);
          expect(formatNumber(x, d, "cy")).toBe(expected);
        },
      ),
      { numRuns: 5000 },
    );
    expect(formatValue(1234567.891, "percentage", 100, 2, "en")).toBe("1,234,567.89%");
    expect(formatValue(12.3, "rate", 100000, 1, "cy")).toBe("12.3 fesul 100,000");
  });
});
