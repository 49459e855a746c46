import { describe, expect, it } from "vitest";
import { withAreaAliases } from "../../src/domain/area-name.ts";
import { resolveColumns } from "../../src/ingest/observations/columns.ts";
import type { Issue, RawRow } from "../../src/ingest/observations/types.ts";
import { FileFormatError } from "../../src/ingest/observations/types.ts";
import {
  type AreaInfo,
  type MeasureInfo,
  parseNumber,
  type ReferenceData,
  RowValidator,
} from "../../src/ingest/observations/validate-rows.ts";

const measure = (over: Partial<MeasureInfo>): MeasureInfo => ({
  code: "m",
  periodType: "financial_year",
  valueType: "proportion",
  unit: "percentage",
  multiplier: 100,
  breakdowns: [],
  geographies: ["country", "local_authority"],
  status: "live",
  roundTo: null,
  titles: [],
  ...over,
});

const areas: AreaInfo[] = withAreaAliases([
  { code: "W92000004", nameEn: "Wales", nameCy: "Cymru", aliases: [], type: "country" },
  { code: "W06000001", nameEn: "Isle of Anglesey", nameCy: "Ynys Môn", aliases: [], type: "local_authority" },
  { code: "W06000010", nameEn: "Carmarthenshire", nameCy: "Sir Gaerfyrddin", aliases: [], type: "local_authority" },
  { code: "W06000015", nameEn: "Cardiff", nameCy: "Caerdydd", aliases: [], type: "local_authority" },
  { code: "W06000023", nameEn: "Powys", nameCy: "Powys", aliases: [], type: "local_authority" },
  { code: "W11000028", nameEn: "Aneurin Bevan", nameCy: "Aneurin Bevan", aliases: [], type: "health_board" },
]);

const reference: ReferenceData = {
  measures: [
    measure({
      code: "pct",
      titles: ["Children in low income families", "Plant mewn teuluoedd incwm isel"],
      breakdowns: ["sex"],
    }),
    measure({ code: "rate", valueType: "crude_rate", unit: "rate", multiplier: 1000, periodType: "calendar_year" }),
    measure({
      code: "count",
      valueType: "count",
      unit: "count",
      multiplier: 1,
      periodType: "snapshot_date",
      roundTo: 5,
    }),
    measure({ code: "score", valueType: "supplied_ci", unit: "score", multiplier: 1, periodType: "academic_year" }),
  ],
  areas,
  dimensions: [
    {
      code: "sex",
      titles: ["Sex", "Rhyw"],
      values: [
        { code: "female", labels: ["Female", "Benyw"] },
        { code: "male", labels: ["Male", "Gwryw"] },
      ],
    },
  ],
};

const HEADER = [
  "measure_code",
  "area_code",
  "period",
  "value",
  "numerator",
  "denominator",
  "lower_ci",
  "upper_ci",
  "note_code",
  "sex",
];

function check(cells: Record<string, string>, headings = HEADER, options = {}) {
  const v = new RowValidator(reference, headings, options);
  const issues: Issue[] = [];
  const row: RawRow = { row: 7, cells: headings.map((h) => cells[h] ?? "") };
  const result = v.validate(row, { add: (i) => issues.push(i) });
  return { result, issues, errors: issues.filter((i) => i.severity === "error") };
}

const ok = {
  measure_code: "pct",
  area_code: "W06000015",
  period: "2019-20",
  value: "25.0",
  numerator: "50",
  denominator: "200",
};

describe("row validation", () => {
  it("accepts a valid row and returns it in canonical form", () => {
    const { result, issues } = check({ ...ok, note_code: "p r", sex: "Female" });
    expect(issues).toEqual([]);
    expect(result).toMatchObject({
      measureCode: "pct",
      areaCode: "W06000015",
      period: "2019-20",
      periodEnd: "2020-03-31",
      breakdown: "sex=female",
      value: 25,
      numerator: 50,
      denominator: 200,
      noteCodes: ["provisional", "revised"],
    });
  });

  it.each([
    ["measure_code", "nope", "unknown_measure"],
    ["area_code", "Atlantis", "unknown_area"],
    ["period", "sometime", "unknown_period"],
    ["period", "2019", "wrong_period_type"],
    ["value", "twelve", "not_a_number"],
    ["numerator", "1O", "not_a_number"],
    ["note_code", "q", "unknown_note_code"],
    ["sex", "unknown", "unknown_dimension_value"],
  ])("names row, column, value and problem: %s = %s", (column, value, code) => {
    const { result, errors } = check({ ...ok, [column]: value });
    expect(result).toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ row: 7, column, value, code });
    expect(errors[0]!.message).toContain(value);
  });

  it("reports every error of a row, not just the first", () => {
    const { errors } = check({
      measure_code: "pct",
      area_code: "Atlantis",
      period: "2019",
      value: "x1",
      note_code: "q",
    });
    expect(errors.map((e) => e.code).sort()).toEqual([
      "not_a_number",
      "unknown_area",
      "unknown_note_code",
      "wrong_period_type",
    ]);
  });

  it("rejects a numerator above the denominator of a proportion", () => {
    const { errors } = check({ ...ok, value: "120", numerator: "240", denominator: "200" });
    expect(errors.map((e) => e.code)).toContain("numerator_exceeds_denominator");
    expect(errors.find((e) => e.code === "numerator_exceeds_denominator")).toMatchObject({
      column: "numerator",
      value: "240",
    });
  });

  it("rejects a value that does not match numerator / denominator × multiplier beyond rounding", () => {
    expect(check({ ...ok, value: "25.04" }).errors[0]).toMatchObject({ code: "value_inconsistent", column: "value" });
    expect(check({ ...ok, value: "25" }).errors).toEqual([]);
  });

  it("allows rounding of the value to its written decimals but not more", () => {
    expect(check({ ...ok, numerator: "1", denominator: "3", value: "33.3" }).errors).toEqual([]);
    expect(check({ ...ok, numerator: "1", denominator: "3", value: "33" }).errors).toEqual([]);
    const bad = check({ ...ok, numerator: "1", denominator: "3", value: "33.4" }).errors;
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ code: "value_inconsistent", column: "value", value: "33.4", row: 7 });
    expect(bad[0]!.message).toContain("1 / 3 × 100");
  });

  it("checks rates against the multiplier", () => {
    const row = { measure_code: "rate", area_code: "Wales", period: "2019", numerator: "30", denominator: "1000" };
    expect(check({ ...row, value: "30.0" }).errors).toEqual([]);
    expect(check({ ...row, value: "3.0" }).errors[0]).toMatchObject({ code: "value_inconsistent" });
  });

  it("rejects lower > value and value > upper", () => {
    const base = { measure_code: "score", area_code: "W06000015", period: "2019/20", value: "10" };
    expect(check({ ...base, lower_ci: "9", upper_ci: "11" }).errors).toEqual([]);
    expect(check({ ...base, lower_ci: "10.5", upper_ci: "11" }).errors[0]).toMatchObject({
      code: "interval_order",
      column: "lower_ci",
      value: "10.5",
    });
    expect(check({ ...base, lower_ci: "9", upper_ci: "9.5" }).errors[0]).toMatchObject({
      code: "interval_order",
      column: "upper_ci",
      value: "9.5",
    });
  });

  it("needs a note code for an empty value, and reads markers in the value cell", () => {
    expect(check({ ...ok, value: "", numerator: "", denominator: "" }).errors[0]).toMatchObject({
      code: "missing_value",
    });
    expect(check({ ...ok, value: "", numerator: "", denominator: "", note_code: "x" }).result).toMatchObject({
      value: null,
      noteCodes: ["not_available"],
    });
    expect(check({ ...ok, value: "[c]", numerator: "", denominator: "" }).result).toMatchObject({
      value: null,
      noteCodes: ["suppressed"],
    });
    expect(check({ ...ok, value: "..", numerator: "", denominator: "" }).result?.noteCodes).toEqual(["not_available"]);
    expect(check({ ...ok, value: "25.0 (p)" }).result).toMatchObject({ value: 25, noteCodes: ["provisional"] });
  });

  it("reads thousands separators", () => {
    expect(parseNumber("1,234.5")).toBe(1234.5);
    expect(parseNumber("1,23")).toBeNaN();
    expect(parseNumber("  ")).toBeNull();
    expect(parseNumber("0x10")).toBeNaN();
  });

  it("matches areas by code, retired code, English or Welsh name and known spellings, without case or accents", () => {
    for (const [text, code] of [
      ["w06000015", "W06000015"],
      ["Caerdydd", "W06000015"],
      ["Ynys Mon", "W06000001"],
      ["ynys môn", "W06000001"],
      ["Sir Gaerfryddin", "W06000010"],
      ["W06000007", "W06000023"],
      ["City and County of Cardiff", "W06000015"],
    ]) {
      expect(check({ ...ok, area_code: text! }).result?.areaCode, text).toBe(code);
    }
  });

  it("falls back to the area name column", () => {
    const headings = ["measure_code", "area_code", "area_name", "period", "value"];
    const r = check(
      { measure_code: "pct", area_code: "X99", area_name: "Cardiff", period: "2019-20", value: "3" },
      headings,
    );
    expect(r.result?.areaCode).toBe("W06000015");
  });

  it("parses the usual period spellings into the measure's period type", () => {
    for (const text of ["2019-20", "2019/20", "FYE2020", "FYE2020 (2019-20)", "Financial year 2019-20", "2019-2020"]) {
      expect(check({ ...ok, period: text }).result?.period, text).toBe("2019-20");
    }
    const snapshot = { measure_code: "count", area_code: "W06000015", value: "45" };
    for (const text of ["2019-03-31", "31/03/2019", "31 March 2019"]) {
      expect(check({ ...snapshot, period: text }).result?.period, text).toBe("2019-03-31");
    }
  });

  it("warns (without blocking) when an area type is not a geography of the measure", () => {
    const { result, issues } = check({ ...ok, area_code: "W11000028" });
    expect(result).not.toBeNull();
    expect(issues[0]).toMatchObject({ severity: "warning", code: "geography_not_listed" });
  });

  it("rejects a breakdown the measure does not have", () => {
    const { errors } = check({ measure_code: "rate", area_code: "Wales", period: "2019", value: "3", sex: "male" });
    expect(errors[0]).toMatchObject({ code: "breakdown_not_allowed", column: "sex" });
  });

  it("accepts a count within its rounding and rejects a negative count", () => {
    const base = { measure_code: "count", area_code: "W06000015", period: "2019-03-31" };
    expect(check({ ...base, value: "45", numerator: "45" }).errors).toEqual([]);
    expect(check({ ...base, value: "-5" }).errors[0]).toMatchObject({ code: "negative" });
  });

  it("matches measure titles and the mapping's measure text", () => {
    expect(check({ ...ok, measure_code: "CHILDREN IN LOW INCOME FAMILIES" }).result?.measureCode).toBe("pct");
    const mapping = { measures: { "Relative low income, %": "pct" } };
    expect(check({ ...ok, measure_code: "Relative low income, %" }, HEADER, { mapping }).result?.measureCode).toBe(
      "pct",
    );
  });

  it("fails the file when a required column is missing, naming it", () => {
    expect(() => new RowValidator(reference, ["measure_code", "area_code", "value"])).toThrow(FileFormatError);
    expect(() => new RowValidator(reference, ["measure_code", "area_code", "value"])).toThrow(/no period column/);
  });

  it("matches column names case-insensitively, with synonyms and mapping renames, and warns about the rest", () => {
    const v = new RowValidator(reference, ["MEASURE", "Area Code", "Year", "Value", "Lower 95% CI", "Gender", "unit"], {
      mapping: { columns: { Gender: "sex" } },
    });
    expect(v.columns.index).toMatchObject({ measure_code: 0, area_code: 1, period: 2, value: 3, lower_ci: 4 });
    expect(v.columns.dimensions).toEqual([{ code: "sex", index: 5 }]);
    expect(v.fileIssues[0]).toMatchObject({ code: "ignored_columns", column: "unit" });
  });
});

describe("period messages say a thing once (issue 17)", () => {
  it('"23" for a calendar-year measure: the problem once, with the measure and an example', () => {
    const { errors } = check({
      ...ok,
      measure_code: "rate",
      period: "23",
      value: "5",
      numerator: "5",
      denominator: "1000",
    });
    expect(errors).toHaveLength(1);
    const message = errors[0]!.message;
    expect(message).toBe(
      '"23" is not a calendar year: expected a form like 2019 (measure rate is recorded by calendar year)',
    );
    expect(message.split("is not a calendar year").length - 1).toBe(1);
  });
});

describe("a missing measure column is explained for the web and the command line alike (issue 17)", () => {
  it("names both ways of giving the measure for the whole file", () => {
    expect(() => resolveColumns(["area_code", "period", "value"], { dimensions: [], fixedMeasure: false })).toThrow(
      "the file has no measure_code (or give the measure for the whole file: --measure CODE with omf import, the Measure field on the upload page) column",
    );
  });
});
