import { describe, expect, it } from "vitest";
import { parsePlanPeriod } from "../../src/domain/plans/plan-period.ts";
import { planBaseline } from "../../src/services/plans/baseline.ts";

// Hand-worked (see test/domain/plans.test.ts): 10, 13, 14, 17 for 2008–2011 fit 8 + 2.2·x with x = 1..4 (here
// positions 0..3, so 10.2 + 2.2·x); the 95% prediction interval one step ahead is 19 ± 4.302653.
const history = [
  { period: "2008", value: 10 },
  { period: "2009", value: 13 },
  { period: "2010", value: 14 },
  { period: "2011", value: 17 },
];

describe("a plan measure's baseline and forecast", () => {
  it("takes the baseline before the plan starts and forecasts each plan year", () => {
    const b = planBaseline(
      [...history, { period: "2012", value: 24 }],
      "calendar_year",
      parsePlanPeriod("2012-2014"),
      "higher_is_better",
      new Map([["2012", 25]]),
    );
    expect(b.baseline).toMatchObject({ period: "2011", value: 17 });
    expect(b.history.map((h) => h.period)).toEqual(["2008", "2009", "2010", "2011"]);
    expect(b.planPeriods).toEqual(["2012", "2013", "2014"]);
    expect(b.forecast.map((f) => f.period)).toEqual(["2012", "2013", "2014"]);
    expect(b.forecast[0]!.value).toBeCloseTo(19, 10);
    expect(b.forecast[1]!.value).toBeCloseTo(21.2, 10);
    expect(b.forecast[2]!.value).toBeCloseTo(23.4, 10);
    expect(b.forecast[0]!.upper).toBeCloseTo(19 + 4.302653, 5);
    // the interval widens further from the data
    expect(b.forecast[2]!.upper - b.forecast[2]!.value).toBeGreaterThan(b.forecast[0]!.upper - b.forecast[0]!.value);
    expect(b.latest).toMatchObject({ period: "2012", value: 24, target: "not_met" });
    expect(b.latest?.judgement).toMatchObject({ verdict: "better_significant", turned: true });
  });

  it("judges inside the interval as not significantly different, and by polarity", () => {
    const b = planBaseline(
      [...history, { period: "2012", value: 20 }],
      "calendar_year",
      parsePlanPeriod("2012-2014"),
      "lower_is_better",
    );
    expect(b.latest?.judgement?.verdict).toBe("worse_not_significant");
  });

  it("skips suppressed values and works with gaps in the series", () => {
    const b = planBaseline(
      [
        { period: "2007", value: 8 },
        { period: "2008", value: null },
        { period: "2009", value: 12 },
        { period: "2011", value: 16 },
      ],
      "calendar_year",
      parsePlanPeriod("2012-2013"),
      "higher_is_better",
    );
    // 8, 12, 16 at positions 0, 2, 4: an exact line of slope 2, so 2012 (position 5) forecasts 18 with no spread
    expect(b.forecast.map((f) => [f.period, f.value])).toEqual([
      ["2012", 18],
      ["2013", 20],
    ]);
    expect(b.forecast[0]!.lower).toBeCloseTo(18, 10);
    expect(b.latest).toBeNull();
  });

  it("uses financial years for a financial plan period", () => {
    const b = planBaseline(
      [
        { period: "2020-21", value: 5 },
        { period: "2021-22", value: 6 },
        { period: "2022-23", value: 7 },
        { period: "2023-24", value: 9 },
      ],
      "financial_year",
      parsePlanPeriod("2023-24 to 2025-26"),
      "higher_is_better",
    );
    expect(b.baseline?.period).toBe("2022-23");
    expect(b.planPeriods).toEqual(["2023-24", "2024-25", "2025-26"]);
    expect(b.forecast.map((f) => f.period)).toEqual(["2023-24", "2024-25", "2025-26"]);
    expect(b.forecast[0]!.value).toBeCloseTo(8, 10);
    expect(b.latest).toMatchObject({ period: "2023-24", value: 9 });
    // 5, 6, 7 is an exact line: the interval has no width, so any departure from 8 is significant
    expect(b.latest?.judgement?.verdict).toBe("better_significant");
  });

  it("says why there is no forecast", () => {
    expect(
      planBaseline(history.slice(0, 2), "calendar_year", parsePlanPeriod("2012-2014"), "higher_is_better").noForecast,
    ).toBe("too_few_points");
    expect(
      planBaseline([{ period: "2013", value: 3 }], "calendar_year", parsePlanPeriod("2012-2014"), "higher_is_better"),
    ).toMatchObject({
      noForecast: "no_baseline",
      baseline: null,
      planPeriods: ["2013", "2014"],
    });
    expect(planBaseline([], "calendar_year", parsePlanPeriod("2012-2014"), "higher_is_better").planPeriods).toEqual([]);
  });
});
