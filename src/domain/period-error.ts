import { MONTH_NAMES_EN } from "./month-names.ts";
import { PERIOD_TYPE_EXAMPLES, PERIOD_TYPES, type PeriodType } from "./period-type.ts";

/**
 * Stable keys for period parsing errors. The web layer translates by key; the English
 * `error` text returned by `parsePeriod` is for logs, the CLI and import reports.
 */
export const PeriodErrorCode = {
  /** The input is empty or only whitespace. */
  Empty: "empty",
  /** The `type` argument is not a {@link PeriodType}. */
  UnknownType: "unknown_type",
  /** No type was given and the input is not any canonical period code. */
  Unrecognised: "unrecognised",
  /** No type was given and the code fits more than one type (e.g. `2011-12`: financial year or December). */
  Ambiguous: "ambiguous",
  /** The input is not any accepted spelling of the given type. */
  InvalidFormat: "invalid_format",
  /** A financial or academic year whose two years are not consecutive (`2013-15`). */
  NonConsecutiveYears: "non_consecutive_years",
  /** Two forms of the same period disagree (`FYE2015 (2013-14)`). */
  InconsistentForms: "inconsistent_forms",
  /** A month number outside 1–12. */
  InvalidMonth: "invalid_month",
  /** A quarter number outside 1–4. */
  InvalidQuarter: "invalid_quarter",
  /** A day that does not exist in its month (`2019-02-30`). */
  InvalidDate: "invalid_date",
  /** A multi-year period whose end year is not after its start year. */
  InvalidRange: "invalid_range",
  /** A year outside the supported range (see `MIN_YEAR`/`MAX_YEAR`). */
  YearOutOfRange: "year_out_of_range",
} as const;

/** One of the {@link PeriodErrorCode} values. */
export type PeriodErrorCode = (typeof PeriodErrorCode)[keyof typeof PeriodErrorCode];

/** All period error codes. */
export const PERIOD_ERROR_CODES: readonly PeriodErrorCode[] = Object.values(PeriodErrorCode);

/** Values a translated message may interpolate. Only the fields relevant to the code are set. */
export interface PeriodErrorParams {
  /** The offending input as given (trimmed), or the bad type name for `unknown_type`. */
  readonly value: string;
  /** The period type that was expected, when known. */
  readonly type?: PeriodType;
  /** An example of the expected form, e.g. `2013-14`. */
  readonly example?: string;
  /** For `ambiguous`: the types the code could be. */
  readonly candidates?: readonly PeriodType[];
  /** For `invalid_date`: the year and month, and how many days that month has. */
  readonly year?: number;
  readonly month?: number;
  readonly daysInMonth?: number;
  /** For `year_out_of_range`: the supported range. */
  readonly minYear?: number;
  readonly maxYear?: number;
}

/** English noun phrase with article for each type, used in messages. */
export const PERIOD_TYPE_NOUNS_EN: Readonly<Record<PeriodType, string>> = {
  calendar_year: "a calendar year",
  financial_year: "a financial year",
  academic_year: "an academic year",
  quarter: "a quarter",
  month: "a month",
  snapshot_date: "a snapshot date",
  multi_year: "a multi-year period",
};

const MAX_QUOTED = 60;

function quote(value: string): string {
  const shown = value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED - 1)}…` : value;
  return `"${shown}"`;
}

function listWithOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

/** Build the short plain-English message for an error code. */
export function periodErrorMessage(code: PeriodErrorCode, params: PeriodErrorParams): string {
  const v = quote(params.value);
  const noun = params.type ? PERIOD_TYPE_NOUNS_EN[params.type] : "a period";
  const example = params.example ?? (params.type ? PERIOD_TYPE_EXAMPLES[params.type] : "2019-20");
  switch (code) {
    case PeriodErrorCode.Empty:
      return `The period is empty: expected a form like ${example}`;
    case PeriodErrorCode.UnknownType:
      return `${v} is not a period type: expected one of ${PERIOD_TYPES.join(", ")}`;
    case PeriodErrorCode.Unrecognised:
      return `${v} is not a recognised period: expected a form like ${listWithOr(Object.values(PERIOD_TYPE_EXAMPLES))}`;
    case PeriodErrorCode.Ambiguous: {
      const nouns = (params.candidates ?? []).map((t) => PERIOD_TYPE_NOUNS_EN[t]);
      return `${v} is ambiguous: it could be ${listWithOr(nouns)}, so the period type must be given`;
    }
    case PeriodErrorCode.InvalidFormat:
    case PeriodErrorCode.NonConsecutiveYears:
      return `${v} is not ${noun}: expected a form like ${example}`;
    case PeriodErrorCode.InconsistentForms:
      return `${v} is not ${noun}: its two forms name different periods; expected a form like ${example}`;
    case PeriodErrorCode.InvalidMonth:
      return `${v} is not ${noun}: the month must be from 1 to 12`;
    case PeriodErrorCode.InvalidQuarter:
      return `${v} is not a quarter: the quarter must be from Q1 to Q4`;
    case PeriodErrorCode.InvalidDate: {
      const monthName = params.month ? MONTH_NAMES_EN[params.month - 1] : undefined;
      if (monthName && params.year !== undefined && params.daysInMonth !== undefined) {
        return `${v} is not a real date: ${monthName} ${params.year} has ${params.daysInMonth} days`;
      }
      return `${v} is not a real date: expected a form like ${example}`;
    }
    case PeriodErrorCode.InvalidRange:
      return `${v} is not ${noun}: the end year must be after the start year, as in ${example}`;
    case PeriodErrorCode.YearOutOfRange:
      return `${v} is not ${noun}: years must be from ${params.minYear ?? "?"} to ${params.maxYear ?? "?"}`;
  }
}
