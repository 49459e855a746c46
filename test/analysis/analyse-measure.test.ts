import { describe, expect, it } from "vitest";
import { analyseMeasure } from "../../src/services/analysis/analyse-measure.ts";
import { compareWithGroup } from "../../src/services/analysis/compare-with-group.ts";
import type {
  AnalysisObservation,
  AnalysisResult,
  AreaContext,
  MeasureSpec,
} from "../../src/services/analysis/types.ts";
import { proportionCI } from "../../src/stats/proportion.ts";

const WALES = "W92000004";
const LAS = ["W06000001", "W06000002", "W06000003", "W06000004", "W06000005", "W06000006"];
const [A, B, C, D, E, F] = LAS as [string, string, string, string, string, string];

const ctx: AreaContext = {
  walesCode: WALES,
  areas: new Map([
    [WALES, { code: WALES, type: "country", name: { en: "Wales", cy: "Cymru" } }],
    ...LAS.map(
      (code, i) => [code, { code, type: "local_authority", name: { en: `LA ${i}`, cy: `ALl ${i}` } }] as const,
    ),
    ["HB1", { code: "HB1", type: "health_board", name: { en: "Board one", cy: "Bwrdd un" } }],
    ["HB2", { code: "HB2", type: "health_board", name: { en: "Board two", cy: "Bwrdd dau" } }],
  ]),
  memberships: [
    // A moves from HB1 to HB2 on 1 April 2019 (like Bridgend).
    { groupingCode: "HB1", areaCode: A, validFrom: null, validTo: "2019-03-31" },
    { groupingCode: "HB2", areaCode: A, validFrom: "2019-04-01", validTo: null },
    { groupingCode: "HB1", areaCode: B, validFrom: null, validTo: null },
    { groupingCode: "HB2", areaCode: C, validFrom: null, validTo: null },
  ],
  dimensions: new Map([
    [
      "sex",
      {
        code: "sex",
        title: { en: "Sex", cy: "Rhyw" },
        values: [
          { code: "female", label: { en: "Female", cy: "Benyw" } },
          { code: "male", label: { en: "Male", cy: "Gwryw" } },
        ],
      },
    ],
  ]),
};

function measure(over: Partial<MeasureSpec> = {}): MeasureSpec {
  return {
    code: "m",
    valueType: "proportion",
    polarity: "lower_is_better",
    unit: "percentage",
    multiplier: 100,
    decimals: 1,
    periodType: "calendar_year",
    geographies: ["country", "local_authority", "health_board"],
    breakdowns: ["sex"],
    targetValue: null,
    suppressBelow: null,
    roundTo: null,
    ...over,
  };
}

let nextId = 1;
function obs(
  areaCode: string,
  year: number,
  x: number | null,
  n: number | null,
  over: Partial<AnalysisObservation> = {},
) {
  return {
    id: nextId++,
    areaCode,
    period: String(year),
    periodEnd: `${year}-12-31`,
    breakdown: "total",
    value: x === null || n === null ? null : (x / n) * 100,
    numerator: x,
    denominator: n,
    lower95: null,
    upper95: null,
    lower998: null,
    upper998: null,
    noteCodes: [],
    illustrative: false,
    ...over,
  } satisfies AnalysisObservation;
}

function find(results: AnalysisResult[], area: string, period: string, breakdown = "total"): AnalysisResult {
  const r = results.find((x) => x.areaCode === area && x.period === period && x.breakdown === breakdown);
  if (!r) throw new Error(`no result for ${area} ${period} ${breakdown}`);
  return r;
}

/** One year: Wales 10% and six areas around it. */
function year(y: number, aCount = 300): AnalysisObservation[] {
  return [
    obs(WALES, y, 1000, 10000),
    obs(A, y, aCount, 1000), // 30%: far above Wales
    obs(B, y, 105, 1000), // 10.5%: similar
    obs(C, y, 125, 1000), // 12.5%: above Wales at 95% but not at 99.8%
    obs(D, y, 50, 1000), // 5%: far below
    obs(E, y, 90, 1000),
    obs(F, y, 80, 1000),
  ];
}

describe("analyseMeasure: comparisons with Wales", () => {
  it("the hand-checked intervals are as the test assumes", () => {
    const c95 = proportionCI(125, 1000, { multiplier: 100, confidence: 0.95 });
    const c998 = proportionCI(125, 1000, { multiplier: 100, confidence: 0.998 });
    expect(c95.lower!).toBeGreaterThan(10);
    expect(c998.lower!).toBeLessThan(10);
    expect(proportionCI(300, 1000, { multiplier: 100, confidence: 0.998 }).lower!).toBeGreaterThan(10);
  });

  it("an area whose 99.8% CI excludes Wales is worse (lower is better) or better (higher is better) at 99.8%", () => {
    const low = analyseMeasure(measure(), year(2020), ctx, "v").results;
    expect(find(low, A, "2020")).toMatchObject({ benchmarkSignificance: "worse", benchmarkLevel: 99.8 });
    expect(find(low, D, "2020")).toMatchObject({ benchmarkSignificance: "better", benchmarkLevel: 99.8 });
    expect(find(low, C, "2020")).toMatchObject({ benchmarkSignificance: "worse", benchmarkLevel: 95 });
    expect(find(low, B, "2020")).toMatchObject({ benchmarkSignificance: "similar", benchmarkLevel: null });
    expect(find(low, A, "2020")).toMatchObject({
      benchmarkCode: WALES,
      benchmarkValue: 10,
      comparisonMethod: "single_ci_two_levels",
      ciMethod: "wilson",
    });
    const high = analyseMeasure(measure({ polarity: "higher_is_better" }), year(2020), ctx, "v").results;
    expect(find(high, A, "2020").benchmarkSignificance).toBe("better");
    expect(find(high, D, "2020").benchmarkSignificance).toBe("worse");
    const none = analyseMeasure(measure({ polarity: "no_judgement" }), year(2020), ctx, "v").results;
    expect(find(none, A, "2020").benchmarkSignificance).toBe("higher");
    expect(find(none, D, "2020").benchmarkSignificance).toBe("lower");
  });

  it("Wales is not compared with itself, and its sentence has no comparison", () => {
    const wales = find(analyseMeasure(measure(), year(2020), ctx, "v").results, WALES, "2020");
    expect(wales).toMatchObject({ benchmarkCode: null, benchmarkSignificance: "not_compared", rank: null });
    expect(wales.summary.en).toBe("Wales: 10.0% (95% CI 9.4 to 10.6); not enough data for a trend.");
  });

  it("without a Wales row, Wales is pooled from all local authorities' numerators and denominators", () => {
    const rows = year(2020).filter((o) => o.areaCode !== WALES);
    const r = find(analyseMeasure(measure(), rows, ctx, "v").results, B, "2020");
    expect(r.benchmarkPooled).toBe(true);
    expect(r.benchmarkValue).toBeCloseTo(((300 + 105 + 125 + 50 + 90 + 80) / 6000) * 100, 12);
  });
});

describe("analyseMeasure: rank, quintile, parent, target", () => {
  it("rank 1 is the best by polarity among the local authorities; Wales is not ranked", () => {
    const low = analyseMeasure(measure(), year(2020), ctx, "v").results;
    expect(find(low, D, "2020")).toMatchObject({ rank: 1, rankOutOf: 6, quintile: 1 });
    expect(find(low, A, "2020")).toMatchObject({ rank: 6, rankOutOf: 6, quintile: 5 });
    const high = analyseMeasure(measure({ polarity: "higher_is_better" }), year(2020), ctx, "v").results;
    expect(find(high, A, "2020")).toMatchObject({ rank: 1, quintile: 5 });
    const none = analyseMeasure(measure({ polarity: "no_judgement" }), year(2020), ctx, "v").results;
    expect(find(none, A, "2020").rank).toBe(1); // highest value first
  });

  it("the parent is the health board the area belonged to at the period, pooled from its members", () => {
    const results = analyseMeasure(measure(), [...year(2018), ...year(2020)], ctx, "v").results;
    const before = find(results, A, "2018");
    const after = find(results, A, "2020");
    expect(before.parentCode).toBe("HB1");
    expect(after.parentCode).toBe("HB2");
    expect(before.parentPooled).toBe(true);
    expect(before.parentValue).toBeCloseTo(((300 + 105) / 2000) * 100, 12); // A and B in 2018
    expect(after.parentValue).toBeCloseTo(((300 + 125) / 2000) * 100, 12); // A and C in 2020
    expect(find(results, B, "2018").parentSignificance).toBe("better"); // 10.5% vs (300+105)/2000 = 20.25%
    expect(find(results, B, "2020")).toMatchObject({ parentValue: 10.5, parentSignificance: "similar" }); // B alone
    expect(find(results, D, "2020")).toMatchObject({ parentCode: null, parentSignificance: "not_compared" });
  });

  it("a published parent value is used as published", () => {
    const rows = [...year(2020), obs("HB2", 2020, 100, 1000)];
    const r = find(analyseMeasure(measure(), rows, ctx, "v").results, C, "2020");
    expect(r).toMatchObject({ parentCode: "HB2", parentValue: 10, parentPooled: false });
  });

  it("target: met by polarity, and the distance", () => {
    const results = analyseMeasure(measure({ targetValue: 20 }), year(2020), ctx, "v").results;
    expect(find(results, A, "2020")).toMatchObject({ targetMet: false, targetValue: 20 });
    expect(find(results, A, "2020").targetDistance).toBeCloseTo(10, 12);
    expect(find(results, D, "2020").targetMet).toBe(true);
    expect(find(results, D, "2020").summary.en).toMatch(/target of 20\.0% met\.$/);
    const none = analyseMeasure(measure({ targetValue: 20, polarity: "no_judgement" }), year(2020), ctx, "v");
    expect(find(none.results, A, "2020").targetMet).toBeNull();
  });

  it("counts are neither compared with Wales nor ranked, but have limits", () => {
    const counts = [obs(WALES, 2020, 900, null), ...LAS.map((a, i) => obs(a, 2020, 100 + i * 20, null))].map((o) => ({
      ...o,
      value: o.numerator,
    }));
    const r = find(
      analyseMeasure(measure({ valueType: "count", unit: "count", decimals: 0 }), counts, ctx, "v").results,
      A,
      "2020",
    );
    expect(r).toMatchObject({
      benchmarkSignificance: "not_compared",
      rank: null,
      quintile: null,
      ciMethod: "poisson_count",
    });
    expect(r.summary.en).toBe("LA 0: 100 (95% CI 81 to 122); not enough data for a trend.");
  });
});

describe("analyseMeasure: recent trend", () => {
  const rising = (years: number[]) => years.flatMap((y, i) => year(y, 200 + i * 40));

  it("needs five consecutive points: four are not enough", () => {
    const r = find(analyseMeasure(measure(), rising([2016, 2017, 2018, 2019]), ctx, "v").results, A, "2019");
    expect(r).toMatchObject({ trendDirection: "cannot_be_calculated", trendReason: "not_enough_data_points" });
  });

  it("five consecutive rising points: increasing, and getting worse when lower is better", () => {
    const results = analyseMeasure(measure(), rising([2016, 2017, 2018, 2019, 2020]), ctx, "v").results;
    const r = find(results, A, "2020");
    expect(r).toMatchObject({ trendDirection: "increasing", trendJudgement: "getting_worse" });
    expect(r.worseAndWorsening).toBe(true);
    expect(r.summary.en).toBe(
      "LA 0: 36.0% (95% CI 33.1 to 39.0), significantly worse than Wales (10.0%); getting worse over the last five years.",
    );
    expect(find(results, B, "2020")).toMatchObject({
      trendDirection: "no_significant_change",
      worseAndWorsening: false,
    });
    const better = analyseMeasure(
      measure({ polarity: "higher_is_better" }),
      rising([2016, 2017, 2018, 2019, 2020]),
      ctx,
      "v",
    );
    expect(find(better.results, A, "2020")).toMatchObject({
      trendJudgement: "getting_better",
      worseAndWorsening: false,
    });
  });

  it("a break in the series stops the trend", () => {
    const r = find(analyseMeasure(measure(), rising([2015, 2016, 2018, 2019, 2020]), ctx, "v").results, A, "2020");
    expect(r.trendReason).toBe("non_consecutive_periods");
  });

  it("rolling multi-year periods get no trend (they overlap)", () => {
    const rows = [2014, 2015, 2016, 2017, 2018].flatMap((y) =>
      year(y).map((o) => ({ ...o, period: `${y - 2}-${y}`, periodEnd: `${y}-12-31` })),
    );
    const r = analyseMeasure(measure({ periodType: "multi_year" }), rows, ctx, "v").results;
    expect(find(r, A, "2016-2018").trendReason).toBe("overlapping_periods");
  });
});

describe("analyseMeasure: suppressed values leak nothing", () => {
  it("a suppressed row has no value, limits, comparison, rank or trend, and is not counted among peers", () => {
    const rows = [2016, 2017, 2018, 2019, 2020].flatMap((y) =>
      year(y).map((o) =>
        o.areaCode === C ? { ...o, value: null, numerator: null, denominator: null, noteCodes: ["suppressed"] } : o,
      ),
    );
    const results = analyseMeasure(measure({ targetValue: 20 }), rows, ctx, "v").results;
    const c = find(results, C, "2020");
    expect(c).toMatchObject({
      suppressed: true,
      value: null,
      numerator: null,
      denominator: null,
      lower95: null,
      upper95: null,
      lower998: null,
      upper998: null,
      ciMethod: null,
      comparisonMethod: null,
      benchmarkSignificance: "not_compared",
      parentSignificance: "not_compared",
      quintile: null,
      rank: null,
      rankOutOf: null,
      trendDirection: "cannot_be_calculated",
      trendJudgement: null,
      worseAndWorsening: false,
      targetMet: null,
      targetDistance: null,
    });
    expect(c.summary).toEqual({
      en: "LA 2: value suppressed to protect confidentiality.",
      cy: "ALl 2: gwerth wedi'i atal at ddibenion cyfrinachedd.",
    });
    expect(find(results, A, "2020").rankOutOf).toBe(5);
    // The parent of A in 2020 (HB2 = A + C) cannot be pooled without C's counts.
    expect(find(results, A, "2020")).toMatchObject({
      parentCode: "HB2",
      parentValue: null,
      parentSignificance: "not_compared",
    });
  });
});

describe("analyseMeasure: inequality gaps", () => {
  it("female − male per area and period with its MOVER interval and trend", () => {
    const rows: AnalysisObservation[] = [];
    [2016, 2017, 2018, 2019, 2020].forEach((y, i) => {
      rows.push(obs(A, y, 250, 1000));
      rows.push(obs(A, y, 200 + i * 50, 1000, { breakdown: "sex=female" }));
      rows.push(obs(A, y, 200, 1000, { breakdown: "sex=male" }));
    });
    const { results, gaps } = analyseMeasure(measure(), rows, ctx, "v");
    expect(find(results, A, "2020", "sex=female").summary.en).toMatch(/^LA 0 \(Female\): 40\.0% /);
    expect(gaps).toHaveLength(5);
    const last = gaps.find((g) => g.period === "2020")!;
    expect(last).toMatchObject({ dimension: "sex", groupA: "sex=female", groupB: "sex=male", significant: true });
    expect(last.absolute).toBeCloseTo(20, 10);
    expect(last.absoluteLower).toBeLessThan(20);
    expect(last.relative).toBeCloseTo(2, 10);
    expect(last).toMatchObject({ trendDirection: "increasing", gapTrend: "widening" });
    const first = gaps.find((g) => g.period === "2016")!;
    expect(first).toMatchObject({ significant: false, gapTrend: "cannot_be_calculated" });
  });
});

describe("compareWithGroup", () => {
  it("pools the group's counts and compares every area with it; ranks within the group", () => {
    const results = analyseMeasure(measure(), year(2020), ctx, "v").results.filter((r) => r.areaType !== "country");
    const g = compareWithGroup(results, [B, C, D], measure());
    expect(g.groupMethod).toBe("pooled");
    expect(g.groupValue).toBeCloseTo(((105 + 125 + 50) / 3000) * 100, 12);
    const a = g.areas.find((x) => x.areaCode === A)!;
    expect(a).toMatchObject({ significance: "worse", member: false, rank: null });
    expect(g.areas.find((x) => x.areaCode === D)).toMatchObject({ member: true, rank: 1, rankOutOf: 3 });
    expect(() => compareWithGroup([...results, { ...results[0]!, period: "2019" }], [B], measure())).toThrow();
  });
});
