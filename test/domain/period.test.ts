import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { civilFromDays, daysFromCivil, daysInMonth, isoDate, parseIsoDate } from "../../src/domain/civil-date.ts";
import { LANGUAGES } from "../../src/domain/enums.ts";
import {
  comparePeriods,
  createPeriod,
  formatPeriod,
  inferPeriodTypes,
  isPeriod,
  MAX_YEAR,
  MIN_YEAR,
  nextPeriod,
  PERIOD_ERROR_CODES,
  PERIOD_TYPES,
  type Period,
  type PeriodErrorCode,
  type PeriodParts,
  PeriodType,
  parsePeriod,
  periodParts,
  periodsBetween,
  previousPeriod,
  shiftPeriod,
} from "../../src/domain/period.ts";
import { readSharedCsv, requireShared, sampleCsvFiles } from "./helpers/shared-data.ts";

// ---------------------------------------------------------------------------------------------
// helpers and arbitraries

/** Parse and insist on success. */
function ok(input: string, type?: PeriodType): Period {
  const r = parsePeriod(input, type);
  if (!r.ok) throw new Error(`expected ${JSON.stringify(input)} to parse as ${type ?? "any"}: ${r.error}`);
  return r.period;
}

/** Parse and return the error code (or "ok"). */
function errorCode(input: string, type?: PeriodType): string {
  const r = parsePeriod(input, type);
  return r.ok ? "ok" : r.code;
}

function dayAfter(iso: string): string {
  const d = parseIsoDate(iso);
  if (!d) throw new Error(`bad date ${iso}`);
  const next = civilFromDays(daysFromCivil(d.year, d.month, d.day) + 1);
  return isoDate(next.year, next.month, next.day);
}

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Years with a margin of one either side so next/previous stay in range; biased to realistic years. */
const yearArb = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1990, max: 2035 }) },
  { weight: 1, arbitrary: fc.integer({ min: MIN_YEAR + 1, max: MAX_YEAR - 2 }) },
);

const dateArb = fc
  .record({ year: yearArb, month: fc.integer({ min: 1, max: 12 }) })
  .chain(({ year, month }) =>
    fc.integer({ min: 1, max: daysInMonth(year, month) }).map((day) => ({ year, month, day })),
  );

const partsArb: fc.Arbitrary<PeriodParts> = fc.oneof(
  yearArb.map((year): PeriodParts => ({ type: "calendar_year", year })),
  yearArb.map((startYear): PeriodParts => ({ type: "financial_year", startYear })),
  yearArb.map((startYear): PeriodParts => ({ type: "academic_year", startYear })),
  fc
    .record({ year: yearArb, quarter: fc.integer({ min: 1, max: 4 }) })
    .map((r): PeriodParts => ({ type: "quarter", ...r })),
  fc
    .record({ year: yearArb, month: fc.integer({ min: 1, max: 12 }) })
    .map((r): PeriodParts => ({ type: "month", ...r })),
  dateArb.map((d): PeriodParts => ({ type: "snapshot_date", ...d })),
  fc
    .record({ startYear: yearArb, span: fc.integer({ min: 1, max: 9 }) })
    .filter(({ startYear, span }) => startYear + span <= MAX_YEAR - 1)
    .map(({ startYear, span }): PeriodParts => ({ type: "multi_year", startYear, endYear: startYear + span })),
);

const periodArb: fc.Arbitrary<Period> = partsArb.map(createPeriod);

/** Periods whose canonical code is readable as both a financial year and a month (2011-12). */
function isAmbiguousCode(p: Period): boolean {
  return inferPeriodTypes(p.code).length > 1;
}

const typeArb = fc.constantFrom(...PERIOD_TYPES);

// ---------------------------------------------------------------------------------------------

describe("PeriodType", () => {
  it("has the seven types with stable string values", () => {
    expect(PeriodType).toEqual({
      CalendarYear: "calendar_year",
      FinancialYear: "financial_year",
      AcademicYear: "academic_year",
      Quarter: "quarter",
      Month: "month",
      SnapshotDate: "snapshot_date",
      MultiYear: "multi_year",
    });
    expect(PERIOD_TYPES).toHaveLength(7);
  });

  it("has stable error codes", () => {
    expect([...PERIOD_ERROR_CODES].sort()).toEqual(
      [
        "ambiguous",
        "empty",
        "inconsistent_forms",
        "invalid_date",
        "invalid_format",
        "invalid_month",
        "invalid_quarter",
        "invalid_range",
        "non_consecutive_years",
        "unknown_type",
        "unrecognised",
        "year_out_of_range",
      ].sort(),
    );
  });
});

describe("createPeriod", () => {
  it.each<[PeriodParts, string, string, string]>([
    [{ type: "calendar_year", year: 2019 }, "2019", "2019-01-01", "2019-12-31"],
    [{ type: "financial_year", startYear: 2019 }, "2019-20", "2019-04-01", "2020-03-31"],
    [{ type: "financial_year", startYear: 1999 }, "1999-00", "1999-04-01", "2000-03-31"],
    [{ type: "academic_year", startYear: 2019 }, "2019/20", "2019-09-01", "2020-08-31"],
    [{ type: "academic_year", startYear: 2099 }, "2099/00", "2099-09-01", "2100-08-31"],
    [{ type: "quarter", year: 2019, quarter: 1 }, "2019-Q1", "2019-01-01", "2019-03-31"],
    [{ type: "quarter", year: 2020, quarter: 2 }, "2020-Q2", "2020-04-01", "2020-06-30"],
    [{ type: "quarter", year: 2020, quarter: 4 }, "2020-Q4", "2020-10-01", "2020-12-31"],
    [{ type: "month", year: 2019, month: 3 }, "2019-03", "2019-03-01", "2019-03-31"],
    [{ type: "month", year: 2020, month: 2 }, "2020-02", "2020-02-01", "2020-02-29"],
    [{ type: "month", year: 1900, month: 2 }, "1900-02", "1900-02-01", "1900-02-28"],
    [{ type: "snapshot_date", year: 2019, month: 3, day: 31 }, "2019-03-31", "2019-03-31", "2019-03-31"],
    [{ type: "multi_year", startYear: 2017, endYear: 2019 }, "2017-2019", "2017-01-01", "2019-12-31"],
  ])("%o → %s (%s to %s)", (parts, code, start, end) => {
    const p = createPeriod(parts);
    expect(p).toMatchObject({ type: parts.type, code, start, end });
    expect(Number.isSafeInteger(p.sortKey)).toBe(true);
    expect(periodParts(p)).toEqual(parts);
  });

  it.each<PeriodParts>([
    { type: "calendar_year", year: 999 },
    { type: "calendar_year", year: 2019.5 },
    { type: "financial_year", startYear: MAX_YEAR },
    { type: "quarter", year: 2019, quarter: 5 },
    { type: "month", year: 2019, month: 0 },
    { type: "snapshot_date", year: 2019, month: 2, day: 29 },
    { type: "multi_year", startYear: 2019, endYear: 2019 },
  ])("rejects invalid parts %o with RangeError", (parts) => {
    expect(() => createPeriod(parts)).toThrow(RangeError);
  });

  it("isPeriod accepts real periods and rejects tampered or foreign objects", () => {
    const p = ok("2019-20", PeriodType.FinancialYear);
    expect(isPeriod(p)).toBe(true);
    expect(isPeriod(JSON.parse(JSON.stringify(p)))).toBe(true);
    expect(isPeriod({ ...p, end: "2020-03-30" })).toBe(false);
    expect(isPeriod({ ...p, sortKey: p.sortKey + 1 })).toBe(false);
    expect(isPeriod({ ...p, code: "2019/20" })).toBe(false);
    expect(isPeriod({ ...p, type: "weekly" })).toBe(false);
    expect(isPeriod(null)).toBe(false);
    expect(isPeriod("2019-20")).toBe(false);
  });

  it("periodParts throws TypeError for a hand-built period with a non-canonical code", () => {
    const p = ok("2019-20", PeriodType.FinancialYear);
    expect(() => periodParts({ ...p, code: "2019/20" })).toThrow(TypeError);
  });
});

describe("parsePeriod with a type: accepted spellings", () => {
  const cases: readonly [PeriodType, string, string][] = [
    // financial year
    ["financial_year", "2013-14", "2013-14"],
    ["financial_year", "2013/14", "2013-14"],
    ["financial_year", "2013-2014", "2013-14"],
    ["financial_year", "2013/2014", "2013-14"],
    ["financial_year", "2013 - 14", "2013-14"],
    ["financial_year", "2013–14", "2013-14"],
    ["financial_year", "  2013-14  ", "2013-14"],
    ["financial_year", "1999-00", "1999-00"],
    ["financial_year", "1999-2000", "1999-00"],
    ["financial_year", "FYE2015", "2014-15"],
    ["financial_year", "FYE 2015", "2014-15"],
    ["financial_year", "FYE\u00a02015", "2014-15"],
    ["financial_year", "fye2015", "2014-15"],
    ["financial_year", "FYE2015 (2014-15)", "2014-15"],
    ["financial_year", "FYE2000 (1999-00)", "1999-00"],
    ["financial_year", "FY2014-15", "2014-15"],
    ["financial_year", "FY 2014/15", "2014-15"],
    ["financial_year", "2014-15 financial year", "2014-15"],
    ["financial_year", "Financial year 2014-15", "2014-15"],
    ["financial_year", "Blwyddyn ariannol 2014-15", "2014-15"],
    ["financial_year", "financial year ending March 2015", "2014-15"],
    ["financial_year", "Financial year ending 31 March 2015", "2014-15"],
    ["financial_year", "Year ending 31 March 2015", "2014-15"],
    ["financial_year", "Blwyddyn yn gorffen 31 Mawrth 2015", "2014-15"],
    // academic year
    ["academic_year", "2019/20", "2019/20"],
    ["academic_year", "2019-20", "2019/20"],
    ["academic_year", "2019/2020", "2019/20"],
    ["academic_year", "2019-2020", "2019/20"],
    ["academic_year", "AY2019/20", "2019/20"],
    ["academic_year", "AY 2019/20", "2019/20"],
    ["academic_year", "Academic year 2019/20", "2019/20"],
    ["academic_year", "2019/20 academic year", "2019/20"],
    ["academic_year", "Blwyddyn academaidd 2019/20", "2019/20"],
    ["academic_year", "1999/00", "1999/00"],
    // calendar year
    ["calendar_year", "2019", "2019"],
    ["calendar_year", "CY2019", "2019"],
    ["calendar_year", "CY 2019", "2019"],
    ["calendar_year", "Calendar year 2019", "2019"],
    ["calendar_year", "2019 calendar year", "2019"],
    ["calendar_year", "Blwyddyn galendr 2019", "2019"],
    // quarter
    ["quarter", "2019-Q1", "2019-Q1"],
    ["quarter", "2019 Q1", "2019-Q1"],
    ["quarter", "2019Q1", "2019-Q1"],
    ["quarter", "2019q1", "2019-Q1"],
    ["quarter", "2019/Q1", "2019-Q1"],
    ["quarter", "Q1 2019", "2019-Q1"],
    ["quarter", "Q4-2019", "2019-Q4"],
    ["quarter", "Ch1 2019", "2019-Q1"],
    ["quarter", "2019 Ch3", "2019-Q3"],
    ["quarter", "Quarter 2 2019", "2019-Q2"],
    ["quarter", "Chwarter 4 2019", "2019-Q4"],
    // month
    ["month", "2019-03", "2019-03"],
    ["month", "2019-3", "2019-03"],
    ["month", "03/2019", "2019-03"],
    ["month", "3/2019", "2019-03"],
    ["month", "2019M03", "2019-03"],
    ["month", "March 2019", "2019-03"],
    ["month", "march 2019", "2019-03"],
    ["month", "Mar 2019", "2019-03"],
    ["month", "Mar. 2019", "2019-03"],
    ["month", "Sept 2019", "2019-09"],
    ["month", "Sep 2019", "2019-09"],
    ["month", "2019 March", "2019-03"],
    ["month", "Mawrth 2019", "2019-03"],
    ["month", "mis Mawrth 2019", "2019-03"],
    ["month", "Maw 2019", "2019-03"],
    ["month", "Ionawr 2020", "2020-01"],
    ["month", "Chwefror 2020", "2020-02"],
    ["month", "Rhagfyr 2020", "2020-12"],
    ["month", "Gorffennaf 2020", "2020-07"],
    // snapshot date
    ["snapshot_date", "2019-03-31", "2019-03-31"],
    ["snapshot_date", "2019-3-31", "2019-03-31"],
    ["snapshot_date", "2019-03-31T00:00:00", "2019-03-31"],
    ["snapshot_date", "2019-03-31 00:00:00", "2019-03-31"],
    ["snapshot_date", "2019-03-31T00:00:00.000Z", "2019-03-31"],
    ["snapshot_date", "31/03/2019", "2019-03-31"],
    ["snapshot_date", "31/3/2019", "2019-03-31"],
    ["snapshot_date", "31.03.2019", "2019-03-31"],
    ["snapshot_date", "31-03-2019", "2019-03-31"],
    ["snapshot_date", "31 March 2019", "2019-03-31"],
    ["snapshot_date", "31 Mar 2019", "2019-03-31"],
    ["snapshot_date", "31st March 2019", "2019-03-31"],
    ["snapshot_date", "1st April 2019", "2019-04-01"],
    ["snapshot_date", "31 Mawrth 2019", "2019-03-31"],
    ["snapshot_date", "30 Meh 2005", "2005-06-30"],
    ["snapshot_date", "At 31 March 2019", "2019-03-31"],
    ["snapshot_date", "as at 31 March 2019", "2019-03-31"],
    ["snapshot_date", "Ar 31 Mawrth 2019", "2019-03-31"],
    ["snapshot_date", "March 31, 2019", "2019-03-31"],
    ["snapshot_date", "29 February 2020", "2020-02-29"],
    // multi-year
    ["multi_year", "2017-2019", "2017-2019"],
    ["multi_year", "2017–2019", "2017-2019"],
    ["multi_year", "2017 - 2019", "2017-2019"],
    ["multi_year", "2017 to 2019", "2017-2019"],
    ["multi_year", "2017 i 2019", "2017-2019"],
    ["multi_year", "2017-19", "2017-2019"],
    ["multi_year", "1998-02", "1998-2002"],
    ["multi_year", "Calendar years 2017 to 2019", "2017-2019"],
    ["multi_year", "Blynyddoedd calendr 2017 i 2019", "2017-2019"],
  ];

  it.each(cases)("%s: %j → %s", (type, input, code) => {
    const p = ok(input, type);
    expect(p.type).toBe(type);
    expect(p.code).toBe(code);
  });

  it("covers every period type", () => {
    expect(new Set(cases.map(([type]) => type))).toEqual(new Set(PERIOD_TYPES));
  });

  it("parses every form used in the sample data files", (ctx) => {
    requireShared(ctx);
    const typeOfFile: Record<string, PeriodType> = {
      "children_looked_after_count_31_march.csv": "snapshot_date",
      "children_relative_low_income.csv": "financial_year",
      "flying_start_children_receiving_services.csv": "financial_year",
      "flying_start_health_visitor_contacts_per_child.csv": "financial_year",
      "fully_immunised_by_4th_birthday.csv": "financial_year",
      "low_birth_weight.csv": "calendar_year",
      "teenage_conceptions_under18_rate.csv": "calendar_year",
    };
    let checked = 0;
    for (const file of sampleCsvFiles()) {
      const type = typeOfFile[file.replace("sample-data/", "")];
      if (!type) continue; // a new file: its type is unknown here
      for (const row of readSharedCsv(file)) {
        const value = row.period ?? "";
        const p = ok(value, type);
        const untyped = parsePeriod(value);
        // canonical forms also parse without a type; FYE forms need the type
        if (untyped.ok) expect(untyped.period).toEqual(p);
        else expect(value).toMatch(/^FYE/);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});

describe("parsePeriod without a type (canonical shapes only)", () => {
  it.each<[string, PeriodType, string]>([
    ["2019", "calendar_year", "2019"],
    ["2019-20", "financial_year", "2019-20"],
    ["1999-00", "financial_year", "1999-00"],
    ["2019/20", "academic_year", "2019/20"],
    ["2019-Q1", "quarter", "2019-Q1"],
    ["2019-q1", "quarter", "2019-Q1"],
    ["2019-03", "month", "2019-03"],
    ["2013-01", "month", "2013-01"],
    ["2019-03-31", "snapshot_date", "2019-03-31"],
    ["2017-2019", "multi_year", "2017-2019"],
    [" 2019 ", "calendar_year", "2019"],
  ])("%j → %s %s", (input, type, code) => {
    expect(ok(input)).toMatchObject({ type, code });
  });

  it.each(["2011-12", "2000-01", "2008-09", "1909-10"])("%j is ambiguous (financial year or month)", (input) => {
    const r = parsePeriod(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe("ambiguous");
    expect(r.params.candidates).toEqual(["financial_year", "month"]);
    expect(r.error).toBe(
      `"${input}" is ambiguous: it could be a financial year or a month, so the period type must be given`,
    );
    // with a type it is fine
    expect(ok(input, "financial_year").type).toBe("financial_year");
    expect(ok(input, "month").type).toBe("month");
  });

  it.each(["FYE2015", "Q1 2019", "2019 Q1", "March 2019", "31/03/2019", "2017 to 2019", "CY2019", "AY2019/20", "abc"])(
    "%j is not a canonical code",
    (input) => {
      expect(errorCode(input)).toBe("unrecognised");
    },
  );

  it("reports the specific problem for canonical shapes with bad values", () => {
    expect(errorCode("2013-15")).toBe("non_consecutive_years");
    expect(errorCode("2013/15")).toBe("non_consecutive_years");
    expect(errorCode("2019-Q5")).toBe("invalid_quarter");
    expect(errorCode("2019-02-30")).toBe("invalid_date");
    expect(errorCode("2019-13-01")).toBe("invalid_month");
    expect(errorCode("2019-2017")).toBe("invalid_range");
    expect(errorCode("0999")).toBe("year_out_of_range");
  });

  it("inferPeriodTypes lists the canonical readings", () => {
    expect(inferPeriodTypes("2019")).toEqual(["calendar_year"]);
    expect(inferPeriodTypes("2019-20")).toEqual(["financial_year"]);
    expect(inferPeriodTypes("2019-03")).toEqual(["month"]);
    expect(inferPeriodTypes("2011-12")).toEqual(["financial_year", "month"]);
    expect(inferPeriodTypes("2019/20")).toEqual(["academic_year"]);
    expect(inferPeriodTypes("2019-Q2")).toEqual(["quarter"]);
    expect(inferPeriodTypes("2019-03-31")).toEqual(["snapshot_date"]);
    expect(inferPeriodTypes("2017-2019")).toEqual(["multi_year"]);
    expect(inferPeriodTypes("2013-15")).toEqual([]);
    expect(inferPeriodTypes("2019-02-30")).toEqual([]);
    expect(inferPeriodTypes("FYE2015")).toEqual([]);
  });
});

describe("parsePeriod errors", () => {
  const cases: readonly [string, PeriodType | undefined, PeriodErrorCode, string][] = [
    ["", undefined, "empty", "The period is empty: expected a form like 2019-20"],
    ["   ", "month", "empty", "The period is empty: expected a form like 2019-03"],
    [
      "2013-15",
      "financial_year",
      "non_consecutive_years",
      `"2013-15" is not a financial year: expected a form like 2013-14`,
    ],
    [
      "2013-2015",
      "financial_year",
      "non_consecutive_years",
      `"2013-2015" is not a financial year: expected a form like 2013-14`,
    ],
    [
      "2013-13",
      "financial_year",
      "non_consecutive_years",
      `"2013-13" is not a financial year: expected a form like 2013-14`,
    ],
    [
      "2019/21",
      "academic_year",
      "non_consecutive_years",
      `"2019/21" is not an academic year: expected a form like 2019/20`,
    ],
    [
      "FYE2015 (2014-16)",
      "financial_year",
      "non_consecutive_years",
      `"FYE2015 (2014-16)" is not a financial year: expected a form like 2014-15`,
    ],
    [
      "FYE2015 (2013-14)",
      "financial_year",
      "inconsistent_forms",
      `"FYE2015 (2013-14)" is not a financial year: its two forms name different periods; expected a form like FYE2015 (2014-15)`,
    ],
    ["2019", "financial_year", "invalid_format", `"2019" is not a financial year: expected a form like 2019-20`],
    ["FYE15", "financial_year", "invalid_format", `"FYE15" is not a financial year: expected a form like 2019-20`],
    ["2019 Q1", "financial_year", "invalid_format", `"2019 Q1" is not a financial year: expected a form like 2019-20`],
    ["FYE2015", "academic_year", "invalid_format", `"FYE2015" is not an academic year: expected a form like 2019/20`],
    ["19", "calendar_year", "invalid_format", `"19" is not a calendar year: expected a form like 2019`],
    ["20190", "calendar_year", "invalid_format", `"20190" is not a calendar year: expected a form like 2019`],
    ["2019-20", "calendar_year", "invalid_format", `"2019-20" is not a calendar year: expected a form like 2019`],
    ["0999", "calendar_year", "year_out_of_range", `"0999" is not a calendar year: years must be from 1000 to 9999`],
    [
      "9999-00",
      "financial_year",
      "year_out_of_range",
      `"9999-00" is not a financial year: years must be from 1000 to 9999`,
    ],
    [
      "FYE1000",
      "financial_year",
      "year_out_of_range",
      `"FYE1000" is not a financial year: years must be from 1000 to 9999`,
    ],
    ["2019 Q5", "quarter", "invalid_quarter", `"2019 Q5" is not a quarter: the quarter must be from Q1 to Q4`],
    ["Q0 2019", "quarter", "invalid_quarter", `"Q0 2019" is not a quarter: the quarter must be from Q1 to Q4`],
    ["2019-Q1-20", "quarter", "invalid_format", `"2019-Q1-20" is not a quarter: expected a form like 2019-Q1`],
    ["Q1 2019/20", "quarter", "invalid_format", `"Q1 2019/20" is not a quarter: expected a form like 2019-Q1`],
    ["2019-13", "month", "invalid_month", `"2019-13" is not a month: the month must be from 1 to 12`],
    ["2019-00", "month", "invalid_month", `"2019-00" is not a month: the month must be from 1 to 12`],
    ["13/2019", "month", "invalid_month", `"13/2019" is not a month: the month must be from 1 to 12`],
    ["2019-03-01", "month", "invalid_format", `"2019-03-01" is not a month: expected a form like 2019-03`],
    ["Marchember 2019", "month", "invalid_format", `"Marchember 2019" is not a month: expected a form like 2019-03`],
    ["2019", "month", "invalid_format", `"2019" is not a month: expected a form like 2019-03`],
    ["2019", "snapshot_date", "invalid_format", `"2019" is not a snapshot date: expected a form like 2019-03-31`],
    [
      "March 2019",
      "snapshot_date",
      "invalid_format",
      `"March 2019" is not a snapshot date: expected a form like 2019-03-31`,
    ],
    ["2019-02-30", "snapshot_date", "invalid_date", `"2019-02-30" is not a real date: February 2019 has 28 days`],
    ["2019-02-29", "snapshot_date", "invalid_date", `"2019-02-29" is not a real date: February 2019 has 28 days`],
    ["1900-02-29", "snapshot_date", "invalid_date", `"1900-02-29" is not a real date: February 1900 has 28 days`],
    ["31/04/2019", "snapshot_date", "invalid_date", `"31/04/2019" is not a real date: April 2019 has 30 days`],
    ["31 June 2019", "snapshot_date", "invalid_date", `"31 June 2019" is not a real date: June 2019 has 30 days`],
    ["2019-03-00", "snapshot_date", "invalid_date", `"2019-03-00" is not a real date: March 2019 has 31 days`],
    [
      "2019-13-01",
      "snapshot_date",
      "invalid_month",
      `"2019-13-01" is not a snapshot date: the month must be from 1 to 12`,
    ],
    [
      "03/31/2019",
      "snapshot_date",
      "invalid_month",
      `"03/31/2019" is not a snapshot date: the month must be from 1 to 12`,
    ],
    [
      "2019-03-31T12:00:00",
      "snapshot_date",
      "invalid_format",
      `"2019-03-31T12:00:00" is not a snapshot date: expected a form like 2019-03-31`,
    ],
    [
      "2019-2017",
      "multi_year",
      "invalid_range",
      `"2019-2017" is not a multi-year period: the end year must be after the start year, as in 2017-2019`,
    ],
    [
      "2019-2019",
      "multi_year",
      "invalid_range",
      `"2019-2019" is not a multi-year period: the end year must be after the start year, as in 2017-2019`,
    ],
    ["2019", "multi_year", "invalid_format", `"2019" is not a multi-year period: expected a form like 2017-2019`],
    [
      "abc",
      undefined,
      "unrecognised",
      `"abc" is not a recognised period: expected a form like 2019, 2019-20, 2019/20, 2019-Q1, 2019-03, 2019-03-31 or 2017-2019`,
    ],
  ];

  it.each(cases)("%j as %s → %s", (input, type, code, message) => {
    const r = parsePeriod(input, type);
    expect(r).toMatchObject({ ok: false, code, error: message });
    if (!r.ok) expect(r.params.value).toBe(input.trim());
  });

  it("covers every error code", () => {
    const covered = new Set<string>(cases.map(([, , code]) => code));
    covered.add("unknown_type").add("ambiguous");
    expect(covered).toEqual(new Set(PERIOD_ERROR_CODES));
  });

  it("rejects an unknown type name", () => {
    const r = parsePeriod("2019", "weekly" as PeriodType);
    expect(r).toMatchObject({ ok: false, code: "unknown_type", params: { value: "weekly" } });
    if (!r.ok) expect(r.error).toMatch(/^"weekly" is not a period type: expected one of calendar_year, /);
  });

  it("treats null and undefined input as empty", () => {
    expect(errorCode(null as unknown as string)).toBe("empty");
    expect(parsePeriod(undefined, "month")).toMatchObject({ ok: false, code: "empty", params: { type: "month" } });
  });

  it("gives translatable params with the expected type and example", () => {
    const r = parsePeriod("2013-15", "financial_year");
    expect(r).toMatchObject({
      ok: false,
      params: { value: "2013-15", type: "financial_year", example: "2013-14" },
    });
    const d = parsePeriod("2019-02-30", "snapshot_date");
    expect(d).toMatchObject({ ok: false, params: { year: 2019, month: 2, daysInMonth: 28 } });
  });

  it("shortens very long values in messages", () => {
    const long = `x${"9".repeat(200)}`;
    const r = parsePeriod(long);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.length).toBeLessThan(200);
      expect(r.params.value).toBe(long);
    }
  });
});

describe("formatPeriod", () => {
  const cases: readonly [string, PeriodType, string, string, string, string][] = [
    // code, type, en short, en long, cy short, cy long
    ["2019", "calendar_year", "2019", "Calendar year 2019", "2019", "Blwyddyn galendr 2019"],
    ["2019-20", "financial_year", "2019-20", "Financial year 2019-20", "2019-20", "Blwyddyn ariannol 2019-20"],
    ["1999-00", "financial_year", "1999-00", "Financial year 1999-00", "1999-00", "Blwyddyn ariannol 1999-00"],
    ["2019/20", "academic_year", "2019/20", "Academic year 2019/20", "2019/20", "Blwyddyn academaidd 2019/20"],
    ["2019-Q1", "quarter", "Q1 2019", "Quarter 1 2019", "Ch1 2019", "Chwarter 1 2019"],
    ["2019-03", "month", "March 2019", "March 2019", "Mawrth 2019", "Mawrth 2019"],
    ["2022-01", "month", "January 2022", "January 2022", "Ionawr 2022", "Ionawr 2022"],
    ["2019-03-31", "snapshot_date", "31 March 2019", "At 31 March 2019", "31 Mawrth 2019", "Ar 31 Mawrth 2019"],
    ["2024-01-05", "snapshot_date", "5 January 2024", "At 5 January 2024", "5 Ionawr 2024", "Ar 5 Ionawr 2024"],
    [
      "2017-2019",
      "multi_year",
      "2017 to 2019",
      "Calendar years 2017 to 2019",
      "2017 i 2019",
      "Blynyddoedd calendr 2017 i 2019",
    ],
  ];

  it.each(cases)("%s (%s)", (code, type, enShort, enLong, cyShort, cyLong) => {
    const p = ok(code, type);
    expect(formatPeriod(p, "en")).toBe(enShort);
    expect(formatPeriod(p, "en", "short")).toBe(enShort);
    expect(formatPeriod(p, "en", "long")).toBe(enLong);
    expect(formatPeriod(p, "cy")).toBe(cyShort);
    expect(formatPeriod(p, "cy", "long")).toBe(cyLong);
  });

  it("uses every Welsh month name from WELSH.md §4", () => {
    const names = Array.from({ length: 12 }, (_, i) =>
      formatPeriod(createPeriod({ type: "month", year: 2024, month: i + 1 }), "cy"),
    );
    expect(names).toEqual(
      [
        "Ionawr",
        "Chwefror",
        "Mawrth",
        "Ebrill",
        "Mai",
        "Mehefin",
        "Gorffennaf",
        "Awst",
        "Medi",
        "Hydref",
        "Tachwedd",
        "Rhagfyr",
      ].map((m) => `${m} 2024`),
    );
  });

  it("throws TypeError for a malformed period", () => {
    const p = ok("2019", "calendar_year");
    expect(() => formatPeriod({ ...p, code: "CY2019" }, "en")).toThrow(TypeError);
  });
});

describe("ordering", () => {
  it("sorts by end date, then start date", () => {
    const codes: [string, PeriodType][] = [
      ["2019-20", "financial_year"],
      ["2019", "calendar_year"],
      ["2019-03-31", "snapshot_date"],
      ["2019-Q1", "quarter"],
      ["2019-03", "month"],
      ["2017-2019", "multi_year"],
      ["2018/19", "academic_year"],
      ["2018-19", "financial_year"],
    ];
    const sorted = codes.map(([c, t]) => ok(c, t)).sort(comparePeriods);
    expect(sorted.map((p) => p.code)).toEqual([
      "2018-19", // ends 2019-03-31, starts 2018-04-01
      "2019-Q1", // ends 2019-03-31, starts 2019-01-01
      "2019-03", // ends 2019-03-31, starts 2019-03-01
      "2019-03-31",
      "2018/19", // ends 2019-08-31
      "2017-2019", // ends 2019-12-31, starts 2017
      "2019", // ends 2019-12-31, starts 2019
      "2019-20",
    ]);
  });

  it("treats equal periods as equal and orders financial years across the century", () => {
    expect(comparePeriods(ok("2019-20", "financial_year"), ok("2019/20", "financial_year"))).toBe(0);
    expect(comparePeriods(ok("1999-00", "financial_year"), ok("2000-01", "financial_year"))).toBeLessThan(0);
  });
});

describe("nextPeriod, previousPeriod, shiftPeriod, periodsBetween", () => {
  it.each<[string, PeriodType, string, string]>([
    ["2019", "calendar_year", "2020", "2018"],
    ["2019-20", "financial_year", "2020-21", "2018-19"],
    ["1999-00", "financial_year", "2000-01", "1998-99"],
    ["2019/20", "academic_year", "2020/21", "2018/19"],
    ["2019-Q4", "quarter", "2020-Q1", "2019-Q3"],
    ["2019-Q1", "quarter", "2019-Q2", "2018-Q4"],
    ["2019-12", "month", "2020-01", "2019-11"],
    ["2019-01", "month", "2019-02", "2018-12"],
    ["2019-03-31", "snapshot_date", "2020-03-31", "2018-03-31"],
    ["2020-02-29", "snapshot_date", "2021-02-28", "2019-02-28"],
    ["2017-2019", "multi_year", "2018-2020", "2016-2018"],
  ])("%s (%s): next %s, previous %s", (code, type, next, previous) => {
    const p = ok(code, type);
    expect(nextPeriod(p).code).toBe(next);
    expect(previousPeriod(p).code).toBe(previous);
    expect(nextPeriod(p).type).toBe(type);
  });

  it("shifts by several steps", () => {
    expect(shiftPeriod(ok("2019-Q3", "quarter"), 6).code).toBe("2021-Q1");
    expect(shiftPeriod(ok("2019-Q3", "quarter"), -11).code).toBe("2016-Q4");
    expect(shiftPeriod(ok("2019-11", "month"), 14).code).toBe("2021-01");
    expect(shiftPeriod(ok("2020-02-29", "snapshot_date"), 4).code).toBe("2024-02-29");
    expect(shiftPeriod(ok("2019", "calendar_year"), 0).code).toBe("2019");
    expect(() => shiftPeriod(ok("2019", "calendar_year"), 0.5)).toThrow(RangeError);
    expect(() => nextPeriod(ok("9999", "calendar_year"))).toThrow(RangeError);
    expect(() => previousPeriod(ok("1000-01", "month"))).toThrow(RangeError);
  });

  it("lists periods between two periods inclusive", () => {
    const from = ok("2013-14", "financial_year");
    const to = ok("2016-17", "financial_year");
    expect(periodsBetween(from, to).map((p) => p.code)).toEqual(["2013-14", "2014-15", "2015-16", "2016-17"]);
    expect(periodsBetween(to, from)).toEqual([]);
    expect(periodsBetween(from, from)).toEqual([from]);
    expect(periodsBetween(ok("2019-11", "month"), ok("2020-02", "month")).map((p) => p.code)).toEqual([
      "2019-11",
      "2019-12",
      "2020-01",
      "2020-02",
    ]);
  });

  it("steps snapshot series by year and stops before passing the end", () => {
    const between = periodsBetween(ok("2016-03-31", "snapshot_date"), ok("2018-06-30", "snapshot_date"));
    expect(between.map((p) => p.code)).toEqual(["2016-03-31", "2017-03-31", "2018-03-31"]);
    const early = periodsBetween(ok("2016-03-31", "snapshot_date"), ok("2018-01-01", "snapshot_date"));
    expect(early.map((p) => p.code)).toEqual(["2016-03-31", "2017-03-31"]);
  });

  it("refuses periods of different types", () => {
    expect(() => periodsBetween(ok("2019", "calendar_year"), ok("2019-20", "financial_year"))).toThrow(RangeError);
  });
});

describe("civil-date arithmetic", () => {
  it("agrees with Date.UTC on day numbers", () => {
    fc.assert(
      fc.property(dateArb, ({ year, month, day }) => {
        const expected = Math.round(Date.UTC(year, month - 1, day) / 86_400_000);
        // Date.UTC maps years 0–99 to 1900+; our range starts at 1000 so that never applies
        expect(daysFromCivil(year, month, day)).toBe(expected);
        expect(civilFromDays(expected)).toEqual({ year, month, day });
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe("properties", () => {
  it("the canonical code re-parses to the same period, with its type", () => {
    fc.assert(
      fc.property(periodArb, (p) => {
        expect(parsePeriod(p.code, p.type)).toEqual({ ok: true, period: p });
        expect(isPeriod(p)).toBe(true);
      }),
    );
  });

  it("the canonical code re-parses to itself without a type, unless it is ambiguous", () => {
    fc.assert(
      fc.property(periodArb, (p) => {
        const r = parsePeriod(p.code);
        if (isAmbiguousCode(p)) {
          expect(r).toMatchObject({ ok: false, code: "ambiguous" });
          expect(["financial_year", "month"]).toContain(p.type);
        } else {
          expect(r).toEqual({ ok: true, period: p });
        }
      }),
    );
  });

  it("format then parse returns the same period, for every style and both languages", () => {
    fc.assert(
      fc.property(
        periodArb,
        fc.constantFrom(...LANGUAGES),
        fc.constantFrom("short", "long" as const),
        (p, lang, style) => {
          const text = formatPeriod(p, lang, style);
          expect(parsePeriod(text, p.type)).toEqual({ ok: true, period: p });
        },
      ),
      { numRuns: 500 },
    );
  });

  it("sortKey and comparePeriods order by end date, then start date", () => {
    fc.assert(
      fc.property(periodArb, periodArb, (a, b) => {
        const byDates = sign(compareStrings(a.end, b.end) || compareStrings(a.start, b.start));
        expect(sign(a.sortKey - b.sortKey)).toBe(byDates);
        if (byDates !== 0) expect(sign(comparePeriods(a, b))).toBe(byDates);
        expect(sign(comparePeriods(a, b)) + sign(comparePeriods(b, a))).toBe(0);
        expect(comparePeriods(a, b) === 0).toBe(a.type === b.type && a.code === b.code);
      }),
      { numRuns: 500 },
    );
  });

  it("ordering is consistent with start dates within a type (and for disjoint periods)", () => {
    fc.assert(
      fc.property(partsArb, partsArb, (pa, pb) => {
        const a = createPeriod(pa);
        const b = createPeriod(pb);
        const sameLength =
          a.type === b.type &&
          (pa.type !== "multi_year" ||
            pb.type !== "multi_year" ||
            pa.endYear - pa.startYear === pb.endYear - pb.startYear);
        if (sameLength) expect(sign(comparePeriods(a, b))).toBe(sign(compareStrings(a.start, b.start)));
        if (a.end < b.start) expect(comparePeriods(a, b)).toBeLessThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it("sorting with comparePeriods gives non-decreasing end dates", () => {
    fc.assert(
      fc.property(fc.array(periodArb, { maxLength: 30 }), (periods) => {
        const sorted = [...periods].sort(comparePeriods);
        for (let i = 1; i < sorted.length; i++) {
          expect(sorted[i - 1]!.end <= sorted[i]!.end).toBe(true);
        }
      }),
    );
  });

  it("next(previous(p)) = p and previous(next(p)) = p (except snapshots on 29 February)", () => {
    fc.assert(
      fc.property(periodArb, (p) => {
        fc.pre(!(p.type === "snapshot_date" && p.code.endsWith("-02-29")));
        expect(nextPeriod(previousPeriod(p))).toEqual(p);
        expect(previousPeriod(nextPeriod(p))).toEqual(p);
        expect(comparePeriods(nextPeriod(p), p)).toBeGreaterThan(0);
        expect(nextPeriod(p).start > p.start).toBe(true);
      }),
    );
  });

  it("consecutive years, quarters and months tile time with no gaps or overlaps", () => {
    const contiguous = partsArb.filter((parts) => parts.type !== "snapshot_date" && parts.type !== "multi_year");
    fc.assert(
      fc.property(contiguous, (parts) => {
        const p = createPeriod(parts);
        expect(nextPeriod(p).start).toBe(dayAfter(p.end));
      }),
    );
  });

  it("shiftPeriod composes and periodsBetween walks next by next", () => {
    fc.assert(
      fc.property(periodArb, fc.integer({ min: 0, max: 24 }), (p, n) => {
        fc.pre(!(p.type === "snapshot_date" && p.code.endsWith("-02-29")));
        fc.pre(Number(p.end.slice(0, 4)) + n <= MAX_YEAR);
        const to = shiftPeriod(p, n);
        const between = periodsBetween(p, to);
        expect(between).toHaveLength(n + 1);
        expect(between[0]).toEqual(p);
        expect(between[n]).toEqual(to);
        for (let i = 1; i < between.length; i++) expect(between[i]).toEqual(nextPeriod(between[i - 1]!));
        expect(shiftPeriod(to, -n)).toEqual(p);
      }),
      { numRuns: 200 },
    );
  });

  it("rejects days that do not exist, in every date spelling", () => {
    const badDate = fc
      .record({ year: yearArb, month: fc.constantFrom(2, 4, 6, 9, 11) })
      .chain(({ year, month }) =>
        fc.integer({ min: daysInMonth(year, month) + 1, max: 31 }).map((day) => ({ year, month, day })),
      );
    fc.assert(
      fc.property(badDate, ({ year, month, day }) => {
        fc.pre(day > daysInMonth(year, month));
        const monthName = new Intl.DateTimeFormat("en-GB", { month: "long", timeZone: "UTC" }).format(
          new Date(Date.UTC(2001, month - 1, 1)),
        );
        for (const text of [isoDate(year, month, day), `${day}/${month}/${year}`, `${day} ${monthName} ${year}`]) {
          expect(errorCode(text, "snapshot_date")).toBe("invalid_date");
        }
        expect(errorCode(isoDate(year, month, day))).toBe("invalid_date");
      }),
    );
  });

  it("rejects months outside 1–12", () => {
    fc.assert(
      fc.property(yearArb, fc.oneof(fc.constant(0), fc.integer({ min: 13, max: 99 })), (year, month) => {
        expect(errorCode(`${year}-${String(month).padStart(2, "0")}`, "month")).toBe("invalid_month");
        expect(errorCode(`${year}-${String(month).padStart(2, "0")}-01`, "snapshot_date")).toBe("invalid_month");
      }),
    );
  });

  it("rejects financial and academic years that are not consecutive", () => {
    fc.assert(
      fc.property(yearArb, fc.integer({ min: 0, max: 99 }), (year, yy) => {
        fc.pre(yy !== (year + 1) % 100);
        const pair = String(yy).padStart(2, "0");
        expect(errorCode(`${year}-${pair}`, "financial_year")).toBe("non_consecutive_years");
        expect(errorCode(`${year}/${pair}`, "academic_year")).toBe("non_consecutive_years");
      }),
    );
  });

  it("never throws on arbitrary text, and every success is a well-formed period", () => {
    const text = fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom(..."0123456789-/ QqFYEfyeM.:()abcr") }));
    fc.assert(
      fc.property(text, fc.option(typeArb, { nil: undefined }), (input, type) => {
        const r = parsePeriod(input, type);
        if (r.ok) {
          expect(isPeriod(r.period)).toBe(true);
          if (type) expect(r.period.type).toBe(type);
          expect(parsePeriod(r.period.code, r.period.type)).toEqual(r);
        } else {
          expect(PERIOD_ERROR_CODES).toContain(r.code);
          expect(r.error.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
