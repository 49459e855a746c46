import { describe, expect, it } from "vitest";
import { actionDateProblems, actionDueSoon, addDays, shownActionStatus } from "../../src/domain/plans/actions.ts";
import { canRemoveFromPlan, localMeasureCode, quadrantOf, submissionProblems } from "../../src/domain/plans/model.ts";
import { PlanPeriodError, parsePlanPeriod, planTargetYears } from "../../src/domain/plans/plan-period.ts";
import { judgeAgainstForecast, targetBeatsForecast, targetStatus } from "../../src/domain/plans/turn-the-curve.ts";
import { forecast } from "../../src/stats/forecast.ts";

describe("plan periods", () => {
  it("reads calendar spans, financial years and spans of financial years", () => {
    expect(parsePlanPeriod("2011-2014")).toEqual({
      slug: "2011-2014",
      kind: "calendar_years",
      startYear: 2011,
      endYear: 2014,
      years: 4,
    });
    expect(parsePlanPeriod(" 2011 – 2014 ").slug).toBe("2011-2014");
    expect(parsePlanPeriod("2024-25")).toEqual({
      slug: "2024-25",
      kind: "financial_years",
      startYear: 2024,
      endYear: 2025,
      years: 1,
    });
    expect(parsePlanPeriod("2024-25 to 2026-27")).toMatchObject({ slug: "2024-25-to-2026-27", years: 3 });
    expect(parsePlanPeriod("1999-00").slug).toBe("1999-00");
    expect(planTargetYears(parsePlanPeriod("2011-2014"))).toEqual([2011, 2012, 2013, 2014]);
    expect(planTargetYears(parsePlanPeriod("2024-25-to-2026-27"))).toEqual([2024, 2025, 2026]);
  });

  it("refuses what is not a plan period, saying why", () => {
    for (const bad of ["2014-2011", "2014", "2024-26", "2011-2030", "spring", "2011-2011"]) {
      expect(() => parsePlanPeriod(bad), bad).toThrow(PlanPeriodError);
    }
    expect(() => parsePlanPeriod("2014-2011")).toThrow(/ends before it starts/);
    expect(() => parsePlanPeriod("2024-26")).toThrow(/does not end the year after/);
  });
});

describe("turning the curve: the latest value against the baseline forecast", () => {
  // Hand-worked: values 10, 13, 14, 17 at 1..4. x̄ = 2.5, ȳ = 13.5, Sxx = 5, Sxy = 11, slope 2.2, intercept 8;
  // residuals -0.2, 0.6, -0.6, 0.2, RSS 0.8, s = √0.4; at x = 5: ŷ = 19, se = √0.4·√(1 + 1/4 + 6.25/5) = 1,
  // t(0.975, 2) = 4.302653, so the 95% prediction interval is 19 ± 4.302653.
  const f = forecast([10, 13, 14, 17], { horizon: 1 });
  const p = f.forecast[0]!;
  const band = { value: p.value, lower: p.lower, upper: p.upper, level: f.level };

  it("matches the hand-worked forecast", () => {
    expect(p.value).toBeCloseTo(19, 12);
    expect(p.se).toBeCloseTo(1, 12);
    expect(p.lower).toBeCloseTo(19 - 4.302653, 5);
    expect(p.upper).toBeCloseTo(19 + 4.302653, 5);
  });

  it("says better or worse by the measure's polarity, significant only outside the prediction interval", () => {
    expect(judgeAgainstForecast(24, band, "higher_is_better")).toMatchObject({
      verdict: "better_significant",
      significant: true,
      turned: true,
    });
    expect(judgeAgainstForecast(20, band, "higher_is_better")).toMatchObject({
      verdict: "better_not_significant",
      significant: false,
      turned: false,
    });
    expect(judgeAgainstForecast(20, band, "higher_is_better").difference).toBeCloseTo(1, 12);
    expect(judgeAgainstForecast(14, band, "higher_is_better").verdict).toBe("worse_significant");
    expect(judgeAgainstForecast(18, band, "higher_is_better").verdict).toBe("worse_not_significant");
    expect(judgeAgainstForecast(14, band, "lower_is_better")).toMatchObject({
      verdict: "better_significant",
      turned: true,
    });
    expect(judgeAgainstForecast(24, band, "lower_is_better").verdict).toBe("worse_significant");
    expect(judgeAgainstForecast(24, band, "no_judgement")).toMatchObject({
      verdict: "higher_significant",
      turned: false,
    });
    expect(judgeAgainstForecast(18, band, "no_judgement").verdict).toBe("lower_not_significant");
    expect(judgeAgainstForecast(19, { value: 19, lower: 19, upper: 19, level: 0.95 }, "higher_is_better").verdict).toBe(
      "as_forecast",
    );
    // on the limit counts as inside
    expect(judgeAgainstForecast(band.upper, band, "higher_is_better").verdict).toBe("better_not_significant");
  });

  it("refuses a malformed band or a missing value", () => {
    expect(() => judgeAgainstForecast(Number.NaN, band, "higher_is_better")).toThrow(/finite/);
    expect(() => judgeAgainstForecast(1, { value: 5, lower: 6, upper: 7, level: 0.95 }, "higher_is_better")).toThrow();
  });
});

describe("targets", () => {
  it("is met when at least as good as the target in the measure's direction", () => {
    expect(targetStatus(80, 80, "higher_is_better")).toBe("met");
    expect(targetStatus(79.9, 80, "higher_is_better")).toBe("not_met");
    expect(targetStatus(5.1, 5, "lower_is_better")).toBe("not_met");
    expect(targetStatus(5, 5, "lower_is_better")).toBe("met");
    expect(targetStatus(5, 5, "no_judgement")).toBe("not_judged");
  });
  it("says whether a target asks for better than the forecast", () => {
    expect(targetBeatsForecast(20, 19, "higher_is_better")).toBe(true);
    expect(targetBeatsForecast(18, 19, "higher_is_better")).toBe(false);
    expect(targetBeatsForecast(18, 19, "lower_is_better")).toBe(true);
    expect(targetBeatsForecast(18, 19, "no_judgement")).toBeNull();
  });
});

describe("actions", () => {
  it("computes overdue from the due date, never for done actions", () => {
    expect(shownActionStatus({ status: "on_track", dueDate: "2026-03-31" }, "2026-04-01")).toBe("overdue");
    expect(shownActionStatus({ status: "on_track", dueDate: "2026-03-31" }, "2026-03-31")).toBe("on_track");
    expect(shownActionStatus({ status: "at_risk", dueDate: null }, "2030-01-01")).toBe("at_risk");
    expect(shownActionStatus({ status: "done", dueDate: "2020-01-01" }, "2026-01-01")).toBe("done");
  });
  it("finds actions due within a number of days", () => {
    expect(actionDueSoon({ status: "not_started", dueDate: "2026-05-01" }, "2026-04-01", 30)).toBe(true);
    expect(actionDueSoon({ status: "not_started", dueDate: "2026-05-02" }, "2026-04-01", 30)).toBe(false);
    expect(actionDueSoon({ status: "done", dueDate: "2026-04-02" }, "2026-04-01", 30)).toBe(false);
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
  });
  it("checks dates", () => {
    expect(actionDateProblems({ status: "on_track", startDate: "2026-02-30" })).toEqual({ startDate: "invalid_date" });
    expect(actionDateProblems({ status: "on_track", startDate: "2026-03-01", dueDate: "2026-02-01" })).toEqual({
      dueDate: "due_before_start",
    });
    expect(actionDateProblems({ status: "on_track", startDate: "2026-03-01", dueDate: "2026-03-01" })).toEqual({});
  });
});

describe("measure selection and submission", () => {
  const en = (text: string) => ({ en: text });
  it("never lets a high-level measure be removed", () => {
    expect(canRemoveFromPlan({ kind: "high_level" })).toBe(false);
    expect(canRemoveFromPlan({ kind: "additional" })).toBe(true);
    expect(canRemoveFromPlan({ kind: "local" })).toBe(true);
  });
  it("names every missing thing before a plan can be submitted", () => {
    const problems = submissionProblems(
      {
        priorities: [{ id: 1 }, { id: 2 }],
        selected: [
          { measureCode: "HL1", kind: "high_level", priorityId: null, reason: null },
          { measureCode: "AD1", kind: "additional", priorityId: 1, reason: en("  ") },
          { measureCode: "AD2", kind: "additional", priorityId: null, reason: en("Because") },
        ],
        withBaseline: new Set(["HL1"]),
        withStory: new Set(["HL1", "AD1"]),
      },
      ["HL1", "HL2"],
    );
    expect(problems).toEqual([
      { code: "high_level_missing", measureCode: "HL2" },
      { code: "priority_without_measure", priorityId: 2 },
      { code: "choice_without_reason", measureCode: "AD1" },
      { code: "choice_without_priority", measureCode: "AD2" },
      { code: "measure_without_story", measureCode: "AD2" },
    ]);
    expect(
      submissionProblems(
        {
          priorities: [{ id: 1 }],
          selected: [
            { measureCode: "HL1", kind: "high_level", priorityId: null, reason: null },
            { measureCode: "AD1", kind: "additional", priorityId: 1, reason: { en: "", cy: "Oherwydd" } },
          ],
          withBaseline: new Set(["HL1"]),
          withStory: new Set(["HL1", "AD1"]),
        },
        ["HL1"],
      ),
    ).toEqual([]);
  });
  it("namespaces local measure codes and maps quadrants", () => {
    expect(localMeasureCode("W06000015", "fs-visits")).toBe("LOCAL-W06000015-FS-VISITS");
    expect(() => localMeasureCode("W06000015", "bad code!")).toThrow(/not a local measure code/);
    expect(quadrantOf("performance_better_off_percent")).toBe("better_off_percent");
    expect(quadrantOf("population_indicator")).toBeNull();
  });
});
