/**
 * The kinds of reference period a measure value can refer to.
 *
 * | type             | canonical code     | span                                    |
 * |------------------|--------------------|-----------------------------------------|
 * | `calendar_year`  | `2019`             | 1 Jan – 31 Dec                          |
 * | `financial_year` | `2019-20`          | 1 Apr 2019 – 31 Mar 2020                |
 * | `academic_year`  | `2019/20`          | 1 Sep 2019 – 31 Aug 2020                |
 * | `quarter`        | `2019-Q1`          | calendar quarter (Q1 = Jan–Mar)         |
 * | `month`          | `2019-03`          | one calendar month                      |
 * | `snapshot_date`  | `2019-03-31`       | a single day ("at 31 March 2019")       |
 * | `multi_year`     | `2017-2019`        | whole calendar years, inclusive (≥ 2)   |
 *
 * `multi_year` covers pooled calendar years only (e.g. 3-year pooled rates). Pooled financial or
 * academic years (`2017-18_2019-20`) are deliberately not supported yet.
 */
export const PeriodType = {
  CalendarYear: "calendar_year",
  FinancialYear: "financial_year",
  AcademicYear: "academic_year",
  Quarter: "quarter",
  Month: "month",
  SnapshotDate: "snapshot_date",
  MultiYear: "multi_year",
} as const;

/** One of the {@link PeriodType} values. */
export type PeriodType = (typeof PeriodType)[keyof typeof PeriodType];

/** All period types, in a fixed order (also the tie-break order used by `comparePeriods`). */
export const PERIOD_TYPES: readonly PeriodType[] = Object.values(PeriodType);

/** A canonical example code per type, for hints and error messages. */
export const PERIOD_TYPE_EXAMPLES: Readonly<Record<PeriodType, string>> = {
  calendar_year: "2019",
  financial_year: "2019-20",
  academic_year: "2019/20",
  quarter: "2019-Q1",
  month: "2019-03",
  snapshot_date: "2019-03-31",
  multi_year: "2017-2019",
};

/** True when `value` is one of the {@link PeriodType} values. */
export function isPeriodType(value: unknown): value is PeriodType {
  return typeof value === "string" && (PERIOD_TYPES as readonly string[]).includes(value);
}
