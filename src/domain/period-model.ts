import { daysFromCivil, daysInMonth, isoDate, isValidDate, pad2 } from "./civil-date.ts";
import { PeriodErrorCode, type PeriodErrorParams } from "./period-error.ts";
import { isPeriodType, PERIOD_TYPE_EXAMPLES, PeriodType } from "./period-type.ts";

/** Earliest year a period may touch. Four-digit years only. */
export const MIN_YEAR = 1000;
/** Latest year a period may touch (a financial year can therefore start at most in 9998). */
export const MAX_YEAR = 9999;

/**
 * A reference period: plain, serialisable data.
 *
 * - `code` is the canonical code for the type (see {@link PeriodType}); `type` + `code` identify it.
 * - `start` / `end` are the first and last days covered, inclusive, as `YYYY-MM-DD`.
 * - `sortKey` orders periods chronologically by end date, then start date (earlier start first).
 *   It is an exact integer, unique per (start, end), stable across releases, but otherwise opaque.
 */
export interface Period {
  readonly type: PeriodType;
  readonly code: string;
  readonly start: string;
  readonly end: string;
  readonly sortKey: number;
}

/** The numeric fields of a period, one shape per type. Years are four-digit calendar years. */
export type PeriodParts =
  | { readonly type: "calendar_year"; readonly year: number }
  | { readonly type: "financial_year"; readonly startYear: number }
  | { readonly type: "academic_year"; readonly startYear: number }
  | { readonly type: "quarter"; readonly year: number; readonly quarter: number }
  | { readonly type: "month"; readonly year: number; readonly month: number }
  | { readonly type: "snapshot_date"; readonly year: number; readonly month: number; readonly day: number }
  | { readonly type: "multi_year"; readonly startYear: number; readonly endYear: number };

/** Why a set of parts is not a valid period: an error code plus message parameters (without `value`). */
export interface PartsProblem {
  readonly code: PeriodErrorCode;
  readonly params: Omit<PeriodErrorParams, "value">;
}

const MIN_DAY = daysFromCivil(MIN_YEAR, 1, 1);
/** 2^22 > number of days between MIN_YEAR-01-01 and MAX_YEAR-12-31 (about 3.29 million). */
const START_FACTOR = 4_194_304;

/** Sort key for a (start, end) pair of valid dates; see {@link Period.sortKey}. */
function sortKeyOf(start: readonly [number, number, number], end: readonly [number, number, number]): number {
  const s = daysFromCivil(...start) - MIN_DAY;
  const e = daysFromCivil(...end) - MIN_DAY;
  return e * START_FACTOR + s;
}

function yearProblem(type: PeriodType, ...years: number[]): PartsProblem | undefined {
  for (const y of years) {
    if (!Number.isInteger(y) || y < MIN_YEAR || y > MAX_YEAR) {
      return { code: PeriodErrorCode.YearOutOfRange, params: { type, minYear: MIN_YEAR, maxYear: MAX_YEAR } };
    }
  }
  return undefined;
}

/** Fiscal-style example `2013-14` for a start year (used in messages). */
export function yearPairExample(startYear: number, separator: "-" | "/"): string {
  return `${startYear}${separator}${pad2((startYear + 1) % 100)}`;
}

/**
 * Check parts without building a period. Returns `undefined` when valid, otherwise the problem.
 * Used by the parser (to report errors) and by {@link createPeriod} (to throw).
 */
export function checkPeriodParts(parts: PeriodParts): PartsProblem | undefined {
  switch (parts.type) {
    case "calendar_year":
      return yearProblem(parts.type, parts.year);
    case "financial_year":
    case "academic_year":
      return yearProblem(parts.type, parts.startYear, parts.startYear + 1);
    case "quarter":
      return (
        yearProblem(parts.type, parts.year) ??
        (Number.isInteger(parts.quarter) && parts.quarter >= 1 && parts.quarter <= 4
          ? undefined
          : { code: PeriodErrorCode.InvalidQuarter, params: { type: parts.type } })
      );
    case "month":
      return (
        yearProblem(parts.type, parts.year) ??
        (Number.isInteger(parts.month) && parts.month >= 1 && parts.month <= 12
          ? undefined
          : { code: PeriodErrorCode.InvalidMonth, params: { type: parts.type } })
      );
    case "snapshot_date": {
      const yp = yearProblem(parts.type, parts.year);
      if (yp) return yp;
      if (!Number.isInteger(parts.month) || parts.month < 1 || parts.month > 12) {
        return { code: PeriodErrorCode.InvalidMonth, params: { type: parts.type } };
      }
      if (!isValidDate(parts.year, parts.month, parts.day)) {
        return {
          code: PeriodErrorCode.InvalidDate,
          params: {
            type: parts.type,
            year: parts.year,
            month: parts.month,
            daysInMonth: daysInMonth(parts.year, parts.month),
          },
        };
      }
      return undefined;
    }
    case "multi_year": {
      const yp = yearProblem(parts.type, parts.startYear, parts.endYear);
      if (yp) return yp;
      if (parts.endYear <= parts.startYear) {
        return {
          code: PeriodErrorCode.InvalidRange,
          params: { type: parts.type, example: PERIOD_TYPE_EXAMPLES.multi_year },
        };
      }
      return undefined;
    }
    default:
      return { code: PeriodErrorCode.UnknownType, params: {} };
  }
}

type Ymd = readonly [number, number, number];

function codeAndSpan(parts: PeriodParts): { code: string; start: Ymd; end: Ymd } {
  switch (parts.type) {
    case "calendar_year":
      return { code: String(parts.year), start: [parts.year, 1, 1], end: [parts.year, 12, 31] };
    case "financial_year":
      return {
        code: yearPairExample(parts.startYear, "-"),
        start: [parts.startYear, 4, 1],
        end: [parts.startYear + 1, 3, 31],
      };
    case "academic_year":
      return {
        code: yearPairExample(parts.startYear, "/"),
        start: [parts.startYear, 9, 1],
        end: [parts.startYear + 1, 8, 31],
      };
    case "quarter": {
      const lastMonth = parts.quarter * 3;
      return {
        code: `${parts.year}-Q${parts.quarter}`,
        start: [parts.year, lastMonth - 2, 1],
        end: [parts.year, lastMonth, daysInMonth(parts.year, lastMonth)],
      };
    }
    case "month":
      return {
        code: `${parts.year}-${pad2(parts.month)}`,
        start: [parts.year, parts.month, 1],
        end: [parts.year, parts.month, daysInMonth(parts.year, parts.month)],
      };
    case "snapshot_date": {
      const day: Ymd = [parts.year, parts.month, parts.day];
      return { code: isoDate(...day), start: day, end: day };
    }
    case "multi_year":
      return {
        code: `${parts.startYear}-${parts.endYear}`,
        start: [parts.startYear, 1, 1],
        end: [parts.endYear, 12, 31],
      };
  }
}

/**
 * Build a period from its parts. Throws `RangeError` when the parts are invalid
 * (use `parsePeriod` for untrusted text; this is for code that computes periods).
 */
export function createPeriod(parts: PeriodParts): Period {
  const problem = checkPeriodParts(parts);
  if (problem) {
    throw new RangeError(`invalid ${String(parts.type)} period parts (${problem.code}): ${JSON.stringify(parts)}`);
  }
  const { code, start, end } = codeAndSpan(parts);
  return { type: parts.type, code, start: isoDate(...start), end: isoDate(...end), sortKey: sortKeyOf(start, end) };
}

const CANONICAL: Readonly<Record<PeriodType, RegExp>> = {
  calendar_year: /^(\d{4})$/,
  financial_year: /^(\d{4})-(\d{2})$/,
  academic_year: /^(\d{4})\/(\d{2})$/,
  quarter: /^(\d{4})-Q(\d)$/,
  month: /^(\d{4})-(\d{2})$/,
  snapshot_date: /^(\d{4})-(\d{2})-(\d{2})$/,
  multi_year: /^(\d{4})-(\d{4})$/,
};

/**
 * Parts of a canonical code of the given type, or `undefined` if `code` is not canonical
 * for that type (or not valid). Lenient spellings are handled by `parsePeriod`, not here.
 */
export function partsFromCanonicalCode(type: PeriodType, code: string): PeriodParts | undefined {
  if (!isPeriodType(type)) return undefined;
  const m = CANONICAL[type].exec(code);
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = Number(m[2]);
  let parts: PeriodParts;
  switch (type) {
    case PeriodType.CalendarYear:
      parts = { type, year: a };
      break;
    case PeriodType.FinancialYear:
    case PeriodType.AcademicYear:
      parts = { type, startYear: a };
      break;
    case PeriodType.Quarter:
      parts = { type, year: a, quarter: b };
      break;
    case PeriodType.Month:
      parts = { type, year: a, month: b };
      break;
    case PeriodType.SnapshotDate:
      parts = { type, year: a, month: b, day: Number(m[3]) };
      break;
    case PeriodType.MultiYear:
      parts = { type, startYear: a, endYear: b };
      break;
  }
  if (checkPeriodParts(parts)) return undefined;
  return createPeriod(parts).code === code ? parts : undefined;
}

/**
 * The parts of a period (decoded from its canonical code). Throws `TypeError` when the
 * object is not a well-formed period, e.g. one built by hand with a non-canonical code.
 */
export function periodParts(period: Period): PeriodParts {
  const parts = partsFromCanonicalCode(period.type, period.code);
  if (!parts) throw new TypeError(`not a canonical ${String(period.type)} code: ${JSON.stringify(period.code)}`);
  return parts;
}

/**
 * True when `value` is a well-formed {@link Period}: a known type, a canonical code, and
 * `start`, `end` and `sortKey` consistent with the code. Use on data read from storage.
 */
export function isPeriod(value: unknown): value is Period {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  if (!isPeriodType(v.type) || typeof v.code !== "string") return false;
  const parts = partsFromCanonicalCode(v.type, v.code);
  if (!parts) return false;
  const p = createPeriod(parts);
  return p.start === v.start && p.end === v.end && p.sortKey === v.sortKey;
}
