/**
 * A plan period: the span a partnership plan covers, e.g. "2011-2014" (calendar years) or "2024-25" (a financial
 * year) or "2024-25-to-2026-27" (several financial years). The slug is stable and used in addresses
 * (`/{lang}/plans/{GSS code}/{slug}`). Pure; no I/O.
 */

export interface PlanPeriod {
  /** Stable address form, e.g. "2011-2014", "2024-25", "2024-25-to-2026-27". */
  slug: string;
  kind: "calendar_years" | "financial_years";
  /** First year covered (a financial year 2024-25 starts in 2024). */
  startYear: number;
  /** Last year covered (a financial year 2024-25 ends in 2025; a calendar span 2011-2014 ends in 2014). */
  endYear: number;
  /** Years covered, e.g. 2011-2014 → 4 (calendar), 2024-25-to-2026-27 → 3 (financial). */
  years: number;
}

export class PlanPeriodError extends Error {
  constructor(text: string, reason: string) {
    super(
      `"${text.length > 40 ? `${text.slice(0, 40)}…` : text}" is not a plan period: ${reason} (e.g. 2011-2014, 2024-25 or 2024-25-to-2026-27)`,
    );
    this.name = "PlanPeriodError";
  }
}

const YEAR_MIN = 1990;
const YEAR_MAX = 2100;

function financialYear(text: string, whole: string): number {
  const m = /^(\d{4})-(\d{2})$/.exec(text);
  if (!m) throw new PlanPeriodError(whole, `"${text}" is not a financial year`);
  const start = Number(m[1]);
  const end = Number(m[2]);
  if ((start + 1) % 100 !== end) throw new PlanPeriodError(whole, `${text} does not end the year after it starts`);
  return start;
}

function checkYears(whole: string, start: number, end: number): void {
  if (start < YEAR_MIN || end > YEAR_MAX) throw new PlanPeriodError(whole, `years must be ${YEAR_MIN}–${YEAR_MAX}`);
  if (end < start) throw new PlanPeriodError(whole, "it ends before it starts");
  if (end - start > 10) throw new PlanPeriodError(whole, "a plan covers at most ten years");
}

/** Parses a plan period from its slug or a form entry (en dash or "to" accepted between financial years). */
export function parsePlanPeriod(input: string): PlanPeriod {
  const text = input
    .trim()
    .replace(/[–—]/g, "-")
    .replace(/\s+to\s+/i, "-to-")
    .replace(/\s+/g, "");
  const whole = input.trim();
  let m = /^(\d{4})-(\d{4})$/.exec(text);
  if (m) {
    const startYear = Number(m[1]);
    const endYear = Number(m[2]);
    checkYears(whole, startYear, endYear);
    if (endYear === startYear) throw new PlanPeriodError(whole, "a span of calendar years needs two different years");
    return {
      slug: `${startYear}-${endYear}`,
      kind: "calendar_years",
      startYear,
      endYear,
      years: endYear - startYear + 1,
    };
  }
  m = /^(\d{4}-\d{2})-to-(\d{4}-\d{2})$/i.exec(text);
  if (m) {
    const first = financialYear(m[1]!, whole);
    const last = financialYear(m[2]!, whole);
    checkYears(whole, first, last + 1);
    if (last === first) return planPeriodOfFinancialYear(first);
    if (last < first) throw new PlanPeriodError(whole, "it ends before it starts");
    return {
      slug: `${m[1]}-to-${m[2]}`,
      kind: "financial_years",
      startYear: first,
      endYear: last + 1,
      years: last - first + 1,
    };
  }
  if (/^\d{4}-\d{2}$/.test(text)) return planPeriodOfFinancialYear(financialYear(text, whole));
  if (/^\d{4}$/.test(text)) throw new PlanPeriodError(whole, "give the first and last year");
  throw new PlanPeriodError(whole, "the form is not recognised");
}

function planPeriodOfFinancialYear(start: number): PlanPeriod {
  checkYears(`${start}`, start, start + 1);
  const slug = `${start}-${String((start + 1) % 100).padStart(2, "0")}`;
  return { slug, kind: "financial_years", startYear: start, endYear: start + 1, years: 1 };
}

/**
 * The years of the plan at which targets are set (one a year): calendar spans give each calendar year,
 * financial spans give each financial year's start year.
 */
export function planTargetYears(period: PlanPeriod): number[] {
  const last = period.kind === "calendar_years" ? period.endYear : period.endYear - 1;
  const years: number[] = [];
  for (let y = period.startYear; y <= last; y++) years.push(y);
  return years;
}
