import type { Language } from "./enums.ts";
import { monthName } from "./month-names.ts";
import { type Period, periodParts } from "./period-model.ts";

/** `short` for tables, axes and filters; `long` for headings and captions (names the period type). */
export type PeriodFormatStyle = "short" | "long";

interface Words {
  readonly calendarYear: string;
  readonly financialYear: string;
  readonly academicYear: string;
  readonly quarterAbbr: string;
  readonly quarter: string;
  readonly at: string;
  readonly to: string;
  readonly calendarYears: string;
}

/**
 * Fixed words per language. Welsh forms from WELSH.md §4 and glossary-cy.csv (Blwyddyn ariannol /
 * academaidd / galendr, Ch1, Chwarter, "2017 i 2019"). "Blynyddoedd calendr" (calendar years) and
 * "Ar" (at) follow the same patterns but are not attested in the sources: translator to confirm.
 */
const WORDS: Readonly<Record<Language, Words>> = {
  en: {
    calendarYear: "Calendar year",
    financialYear: "Financial year",
    academicYear: "Academic year",
    quarterAbbr: "Q",
    quarter: "Quarter",
    at: "At",
    to: "to",
    calendarYears: "Calendar years",
  },
  cy: {
    calendarYear: "Blwyddyn galendr",
    financialYear: "Blwyddyn ariannol",
    academicYear: "Blwyddyn academaidd",
    quarterAbbr: "Ch",
    quarter: "Chwarter",
    at: "Ar",
    to: "i",
    calendarYears: "Blynyddoedd calendr",
  },
};

/**
 * Display text for a period in English or Welsh.
 *
 * | type           | en short        | en long                       | cy short        | cy long                          |
 * |----------------|-----------------|-------------------------------|-----------------|----------------------------------|
 * | calendar_year  | `2019`          | `Calendar year 2019`          | `2019`          | `Blwyddyn galendr 2019`          |
 * | financial_year | `2019-20`       | `Financial year 2019-20`      | `2019-20`       | `Blwyddyn ariannol 2019-20`      |
 * | academic_year  | `2019/20`       | `Academic year 2019/20`       | `2019/20`       | `Blwyddyn academaidd 2019/20`    |
 * | quarter        | `Q1 2019`       | `Quarter 1 2019`              | `Ch1 2019`      | `Chwarter 1 2019`                |
 * | month          | `March 2019`    | `March 2019`                  | `Mawrth 2019`   | `Mawrth 2019`                    |
 * | snapshot_date  | `31 March 2019` | `At 31 March 2019`            | `31 Mawrth 2019`| `Ar 31 Mawrth 2019`              |
 * | multi_year     | `2017 to 2019`  | `Calendar years 2017 to 2019` | `2017 i 2019`   | `Blynyddoedd calendr 2017 i 2019`|
 *
 * Every output parses back to the same period with `parsePeriod(text, period.type)`.
 * Long forms start with a capital, so use them as labels or headings rather than mid-sentence.
 * Throws `TypeError` if `period` is not well formed (see `periodParts`).
 */
export function formatPeriod(period: Period, lang: Language, style: PeriodFormatStyle = "short"): string {
  const w = WORDS[lang] ?? WORDS.en;
  const long = style === "long";
  const parts = periodParts(period);
  switch (parts.type) {
    case "calendar_year":
      return long ? `${w.calendarYear} ${period.code}` : period.code;
    case "financial_year":
      return long ? `${w.financialYear} ${period.code}` : period.code;
    case "academic_year":
      return long ? `${w.academicYear} ${period.code}` : period.code;
    case "quarter":
      return long ? `${w.quarter} ${parts.quarter} ${parts.year}` : `${w.quarterAbbr}${parts.quarter} ${parts.year}`;
    case "month":
      return `${monthName(parts.month, lang)} ${parts.year}`;
    case "snapshot_date": {
      const date = `${parts.day} ${monthName(parts.month, lang)} ${parts.year}`;
      return long ? `${w.at} ${date}` : date;
    }
    case "multi_year": {
      const range = `${parts.startYear} ${w.to} ${parts.endYear}`;
      return long ? `${w.calendarYears} ${range}` : range;
    }
  }
}
