import { monthFromName } from "./month-names.ts";
import { PeriodErrorCode, type PeriodErrorParams, periodErrorMessage } from "./period-error.ts";
import { checkPeriodParts, createPeriod, type Period, type PeriodParts, yearPairExample } from "./period-model.ts";
import { isPeriodType, PERIOD_TYPE_EXAMPLES, PeriodType } from "./period-type.ts";

/** A successful parse. */
export interface PeriodParseSuccess {
  readonly ok: true;
  readonly period: Period;
}

/** A failed parse: a short English `error` sentence plus a stable `code` and `params` for translation. */
export interface PeriodParseFailure {
  readonly ok: false;
  readonly error: string;
  readonly code: PeriodErrorCode;
  readonly params: PeriodErrorParams;
}

/** Result of {@link parsePeriod}. */
export type PeriodParseResult = PeriodParseSuccess | PeriodParseFailure;

/** Internal outcome of one type's parser: parts, a specific problem, or "not this shape" (`undefined`). */
type Attempt =
  | { readonly parts: PeriodParts }
  | { readonly problem: PeriodErrorCode; readonly params?: Omit<PeriodErrorParams, "value"> }
  | undefined;

function fail(code: PeriodErrorCode, params: PeriodErrorParams): PeriodParseFailure {
  return { ok: false, error: periodErrorMessage(code, params), code, params };
}

/**
 * Canonicalise free text for matching: compatibility-normalise (fullwidth digits, no-break
 * spaces), turn every dash and minus into `-`, collapse whitespace, trim, lower-case.
 */
function clean(input: string): string {
  return input
    .normalize("NFKC")
    .replace(/[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g, "-")
    .replace(/\s+/gu, " ")
    .trim()
    .toLowerCase();
}

/** Resolve the end of a year pair: a 2-digit end is the first later year with those last digits. */
function pairEnd(start: number, endText: string): number {
  const n = Number(endText);
  if (endText.length === 4) return n;
  let end = start - (start % 100) + n;
  if (end <= start) end += 100;
  return end;
}

/** A financial/academic year from a `YYYY-YY` / `YYYY/YYYY` style pair, checking consecutiveness. */
function yearPair(
  type: "financial_year" | "academic_year",
  startText: string,
  endText: string,
  separator: "-" | "/",
): Attempt {
  const start = Number(startText);
  const end = pairEnd(start, endText);
  if (end !== start + 1) {
    return {
      problem: PeriodErrorCode.NonConsecutiveYears,
      params: { type, example: yearPairExample(start, separator) },
    };
  }
  return { parts: { type, startYear: start } };
}

const PAIR = String.raw`(\d{4}) ?[-/] ?(\d{4}|\d{2})`;

const FY_LABELLED = new RegExp(`^(?:(?:financial year|blwyddyn ariannol|fy) ?)?${PAIR}(?: financial year)?$`);
const FY_ENDING =
  /^(?:fye|financial year ending(?: 31)?(?: march)?|year ending 31 march|blwyddyn ariannol yn gorffen(?: 31)?(?: mawrth)?|blwyddyn yn gorffen 31 mawrth) ?(\d{4})(?: ?\((.*)\))?$/;

function parseFinancialYear(s: string): Attempt {
  const ending = FY_ENDING.exec(s);
  if (ending) {
    const startYear = Number(ending[1]) - 1;
    const inner = ending[2];
    if (inner !== undefined) {
      const innerAttempt = parseFinancialYear(clean(inner));
      if (!innerAttempt) return undefined;
      if ("problem" in innerAttempt) return innerAttempt;
      if (innerAttempt.parts.type !== "financial_year" || innerAttempt.parts.startYear !== startYear) {
        return {
          problem: PeriodErrorCode.InconsistentForms,
          params: { type: "financial_year", example: `FYE${startYear + 1} (${yearPairExample(startYear, "-")})` },
        };
      }
    }
    return { parts: { type: "financial_year", startYear } };
  }
  const m = FY_LABELLED.exec(s);
  if (!m) return undefined;
  return yearPair("financial_year", m[1]!, m[2]!, "-");
}

const AY_LABELLED = new RegExp(`^(?:(?:academic year|blwyddyn academaidd|ay) ?)?${PAIR}(?: academic year)?$`);

function parseAcademicYear(s: string): Attempt {
  const m = AY_LABELLED.exec(s);
  if (!m) return undefined;
  return yearPair("academic_year", m[1]!, m[2]!, "/");
}

const CY_LABELLED = /^(?:(?:calendar year|blwyddyn galendr|cy) ?)?(\d{4})(?: calendar year)?$/;

function parseCalendarYear(s: string): Attempt {
  const m = CY_LABELLED.exec(s);
  return m ? { parts: { type: "calendar_year", year: Number(m[1]) } } : undefined;
}

const Q_WORD = "(?:q|ch|quarter ?|chwarter ?)";
const QUARTER_YEAR_FIRST = new RegExp(String.raw`^(\d{4}) ?[-/ ]? ?${Q_WORD}(\d)$`);
const QUARTER_YEAR_LAST = new RegExp(String.raw`^${Q_WORD}(\d) ?[-/ ]? ?(\d{4})$`);

function parseQuarter(s: string): Attempt {
  let m = QUARTER_YEAR_FIRST.exec(s);
  if (m) return { parts: { type: "quarter", year: Number(m[1]), quarter: Number(m[2]) } };
  m = QUARTER_YEAR_LAST.exec(s);
  if (m) return { parts: { type: "quarter", year: Number(m[2]), quarter: Number(m[1]) } };
  return undefined;
}

const MONTH_NUMERIC_YEAR_FIRST = /^(\d{4}) ?(?:-|\/|m) ?(\d{1,2})$/;
const MONTH_NUMERIC_YEAR_LAST = /^(\d{1,2}) ?[-/] ?(\d{4})$/;
const MONTH_NAME_YEAR = /^(?:mis |month of )?([a-z]+)\.?,? (\d{4})$/;
const YEAR_MONTH_NAME = /^(\d{4}) ([a-z]+)\.?$/;

function parseMonth(s: string): Attempt {
  let m = MONTH_NUMERIC_YEAR_FIRST.exec(s);
  if (m) return { parts: { type: "month", year: Number(m[1]), month: Number(m[2]) } };
  m = MONTH_NUMERIC_YEAR_LAST.exec(s);
  if (m) return { parts: { type: "month", year: Number(m[2]), month: Number(m[1]) } };
  m = MONTH_NAME_YEAR.exec(s);
  let month = m ? monthFromName(m[1]!) : undefined;
  if (m && month !== undefined) return { parts: { type: "month", year: Number(m[2]), month } };
  m = YEAR_MONTH_NAME.exec(s);
  month = m ? monthFromName(m[2]!) : undefined;
  if (m && month !== undefined) return { parts: { type: "month", year: Number(m[1]), month } };
  return undefined;
}

const SNAPSHOT_ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ]00:00(?::00(?:\.0+)?)?(?:z|\+00:?00)?)?$/;
const SNAPSHOT_DMY = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/;
const AT = "(?:(?:as )?at |ar )?";
const SNAPSHOT_DAY_MONTH = new RegExp(String.raw`^${AT}(\d{1,2})(?:st|nd|rd|th)? (?:of )?([a-z]+)\.?,? (\d{4})$`);
const SNAPSHOT_MONTH_DAY = new RegExp(String.raw`^${AT}([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$`);

function snapshot(year: string, month: number, day: string): Attempt {
  return { parts: { type: "snapshot_date", year: Number(year), month, day: Number(day) } };
}

function parseSnapshotDate(s: string): Attempt {
  let m = SNAPSHOT_ISO.exec(s);
  if (m) return snapshot(m[1]!, Number(m[2]), m[3]!);
  m = SNAPSHOT_DMY.exec(s);
  if (m) return snapshot(m[4]!, Number(m[3]), m[1]!);
  m = SNAPSHOT_DAY_MONTH.exec(s);
  let month = m ? monthFromName(m[2]!) : undefined;
  if (m && month !== undefined) return snapshot(m[3]!, month, m[1]!);
  m = SNAPSHOT_MONTH_DAY.exec(s);
  month = m ? monthFromName(m[1]!) : undefined;
  if (m && month !== undefined) return snapshot(m[3]!, month, m[2]!);
  return undefined;
}

const MULTI_YEAR = /^(?:(?:calendar years|blynyddoedd calendr) )?(\d{4})(?: ?- ?| to | i )(\d{4}|\d{2})$/;

function parseMultiYear(s: string): Attempt {
  const m = MULTI_YEAR.exec(s);
  if (!m) return undefined;
  const startYear = Number(m[1]);
  const endText = m[2]!;
  // A 2-digit end means the first later year with those digits; "2017-17" is therefore 2017-2117.
  const endYear = endText.length === 4 ? Number(endText) : pairEnd(startYear, endText);
  return { parts: { type: "multi_year", startYear, endYear } };
}

const PARSERS: Readonly<Record<PeriodType, (s: string) => Attempt>> = {
  calendar_year: parseCalendarYear,
  financial_year: parseFinancialYear,
  academic_year: parseAcademicYear,
  quarter: parseQuarter,
  month: parseMonth,
  snapshot_date: parseSnapshotDate,
  multi_year: parseMultiYear,
};

function parseAs(value: string, type: PeriodType): PeriodParseResult {
  const attempt = PARSERS[type](clean(value));
  if (!attempt) return fail(PeriodErrorCode.InvalidFormat, { value, type, example: PERIOD_TYPE_EXAMPLES[type] });
  if ("problem" in attempt) return fail(attempt.problem, { type, ...attempt.params, value });
  const problem = checkPeriodParts(attempt.parts);
  if (problem) return fail(problem.code, { type, ...problem.params, value });
  return { ok: true, period: createPeriod(attempt.parts) };
}

/** True when `yyyy-nn` could be a financial year (consecutive years). */
function isFinancialPair(year: number, nn: number): boolean {
  return nn === (year + 1) % 100;
}

/**
 * The period types whose *canonical* code shape `code` has and is valid for, e.g.
 * `2019-20` → `[financial_year]`, `2011-12` → `[financial_year, month]`, `FYE2015` → `[]`.
 * Surrounding whitespace is ignored and `q` may be lower-case; nothing else is lenient.
 */
export function inferPeriodTypes(code: string): PeriodType[] {
  const t = code.trim();
  if (/^\d{4}$/.test(t)) return [PeriodType.CalendarYear];
  const ym = /^(\d{4})-(\d{2})$/.exec(t);
  if (ym) {
    const year = Number(ym[1]);
    const nn = Number(ym[2]);
    const types: PeriodType[] = [];
    if (isFinancialPair(year, nn)) types.push(PeriodType.FinancialYear);
    if (nn >= 1 && nn <= 12) types.push(PeriodType.Month);
    return types.filter((type) => parseAs(t, type).ok);
  }
  const shapes: readonly [RegExp, PeriodType][] = [
    [/^\d{4}\/\d{2}$/, PeriodType.AcademicYear],
    [/^\d{4}-q\d$/i, PeriodType.Quarter],
    [/^\d{4}-\d{2}-\d{2}$/, PeriodType.SnapshotDate],
    [/^\d{4}-\d{4}$/, PeriodType.MultiYear],
  ];
  for (const [shape, type] of shapes) {
    if (shape.test(t)) return parseAs(t, type).ok ? [type] : [];
  }
  return [];
}

/** The single type a canonical-looking code should be parsed as, or an ambiguity / unrecognised failure. */
function typeForCanonicalShape(value: string): PeriodType | PeriodParseFailure {
  if (/^\d{4}$/.test(value)) return PeriodType.CalendarYear;
  const ym = /^(\d{4})-(\d{2})$/.exec(value);
  if (ym) {
    const year = Number(ym[1]);
    const nn = Number(ym[2]);
    const fy = isFinancialPair(year, nn);
    const month = nn >= 1 && nn <= 12;
    if (fy && month) {
      return fail(PeriodErrorCode.Ambiguous, {
        value,
        candidates: [PeriodType.FinancialYear, PeriodType.Month],
      });
    }
    // Neither fits (e.g. 2013-15): report it as a financial year, the commoner reading.
    return month ? PeriodType.Month : PeriodType.FinancialYear;
  }
  if (/^\d{4}\/\d{2}$/.test(value)) return PeriodType.AcademicYear;
  if (/^\d{4}-q\d$/i.test(value)) return PeriodType.Quarter;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return PeriodType.SnapshotDate;
  if (/^\d{4}-\d{4}$/.test(value)) return PeriodType.MultiYear;
  return fail(PeriodErrorCode.Unrecognised, { value });
}

/**
 * Parse a period code.
 *
 * **With `type`** the usual spellings of that type are accepted and normalised to the canonical
 * code (case-insensitive; any dash or space variant):
 * - `financial_year`: `2013-14`, `2013/14`, `2013-2014`, `1999-00`, `FY2013-14`, `FYE2014`,
 *   `FYE 2014`, `FYE2015 (2014-15)`, `2014-15 financial year`, `Financial year 2014-15`,
 *   `Blwyddyn ariannol 2014-15`, `financial year ending March 2015`, `year ending 31 March 2015`.
 * - `academic_year`: `2019/20`, `2019-20`, `2019/2020`, `AY2019/20`, `Academic year 2019/20`,
 *   `Blwyddyn academaidd 2019/20`.
 * - `calendar_year`: `2019`, `CY2019`, `Calendar year 2019`, `Blwyddyn galendr 2019`.
 * - `quarter` (calendar quarters): `2019-Q1`, `2019 Q1`, `2019Q1`, `Q1 2019`, `Ch1 2019`,
 *   `Quarter 1 2019`, `Chwarter 1 2019`.
 * - `month`: `2019-03`, `2019-3`, `03/2019`, `2019M03`, `March 2019`, `Mar 2019`, `Sept 2019`,
 *   `Mawrth 2019`, `Maw 2019`, `mis Mawrth 2019`, `2019 March` (but not `2019-03-01`, a date).
 * - `snapshot_date`: `2019-03-31`, `2019-03-31T00:00:00` (midnight only), `31/03/2019`,
 *   `31.03.2019`, `31 March 2019`, `31st March 2019`, `31 Mawrth 2019`, `At 31 March 2019`,
 *   `as at 31 March 2019`, `Ar 31 Mawrth 2019`, `March 31, 2019`. A bare year is an error.
 * - `multi_year`: `2017-2019`, `2017-19`, `2017 to 2019`, `2017 i 2019`,
 *   `Calendar years 2017 to 2019`.
 *
 * **Without `type`** only canonical code shapes are accepted: `2019`, `2019-20`, `2019/20`,
 * `2019-Q1`, `2019-03`, `2019-03-31`, `2017-2019`. `YYYY-NN` is a financial year when the years
 * are consecutive and a month when NN is 01–12; codes that are both (`2011-12`) fail as `ambiguous`.
 *
 * Never throws; a failure carries an English sentence, a stable {@link PeriodErrorCode} and params.
 */
export function parsePeriod(input: string | null | undefined, type?: PeriodType): PeriodParseResult {
  const value = typeof input === "string" ? input.trim() : "";
  if (type !== undefined && !isPeriodType(type)) {
    return fail(PeriodErrorCode.UnknownType, { value: String(type) });
  }
  if (clean(value) === "") {
    return fail(PeriodErrorCode.Empty, type ? { value, type, example: PERIOD_TYPE_EXAMPLES[type] } : { value });
  }
  if (type) return parseAs(value, type);
  const inferred = typeForCanonicalShape(value);
  return typeof inferred === "string" ? parseAs(value, inferred) : inferred;
}
