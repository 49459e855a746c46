import { daysInMonth } from "./civil-date.ts";
import { createPeriod, type Period, type PeriodParts, periodParts } from "./period-model.ts";
import { PERIOD_TYPES } from "./period-type.ts";

/**
 * Chronological order: by end date, then by start date (a longer period ending on the same day
 * comes first), then by type and code as a final tie-break so the order is total.
 * Suitable for `Array.prototype.sort`.
 */
export function comparePeriods(a: Period, b: Period): number {
  if (a.sortKey !== b.sortKey) return a.sortKey < b.sortKey ? -1 : 1;
  if (a.type !== b.type) return PERIOD_TYPES.indexOf(a.type) - PERIOD_TYPES.indexOf(b.type);
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

function shiftedParts(parts: PeriodParts, steps: number): PeriodParts {
  switch (parts.type) {
    case "calendar_year":
      return { ...parts, year: parts.year + steps };
    case "financial_year":
    case "academic_year":
      return { ...parts, startYear: parts.startYear + steps };
    case "quarter": {
      const index = parts.year * 4 + (parts.quarter - 1) + steps;
      return { ...parts, year: floorDiv(index, 4), quarter: index - floorDiv(index, 4) * 4 + 1 };
    }
    case "month": {
      const index = parts.year * 12 + (parts.month - 1) + steps;
      return { ...parts, year: floorDiv(index, 12), month: index - floorDiv(index, 12) * 12 + 1 };
    }
    case "snapshot_date": {
      const year = parts.year + steps;
      return { ...parts, year, day: Math.min(parts.day, daysInMonth(year, parts.month)) };
    }
    case "multi_year":
      return { ...parts, startYear: parts.startYear + steps, endYear: parts.endYear + steps };
  }
}

/**
 * The period `steps` periods after (`steps` > 0) or before (`steps` < 0) `period`, of the same type.
 *
 * - Years, quarters and months step by one unit.
 * - A snapshot date steps by one **year** (same day and month; series such as "at 31 March" are
 *   annual). 29 February becomes 28 February in a common year, so stepping from 29 February and
 *   back lands on 28 February; every other date round-trips exactly.
 * - A multi-year period slides by one year, keeping its length (rolling pooled periods:
 *   `2017-2019` → `2018-2020`).
 *
 * Throws `RangeError` if the result falls outside `MIN_YEAR`–`MAX_YEAR` or `steps` is not an integer.
 */
export function shiftPeriod(period: Period, steps: number): Period {
  if (!Number.isInteger(steps)) throw new RangeError(`steps must be an integer, got ${steps}`);
  return createPeriod(shiftedParts(periodParts(period), steps));
}

/** The next period of the same type (for forecasts). See {@link shiftPeriod} for the step rules. */
export function nextPeriod(period: Period): Period {
  return shiftPeriod(period, 1);
}

/** The previous period of the same type. See {@link shiftPeriod} for the step rules. */
export function previousPeriod(period: Period): Period {
  return shiftPeriod(period, -1);
}

/**
 * Position of a period in its type's series, so that shifting by n adds n (2019 → 2020, 2019-20 → 2020-21,
 * Q4 2019 → Q1 2020 differ by 1). The analysis uses it to tell consecutive periods.
 */
export function seriesPosition(period: Period): number {
  return seriesIndex(periodParts(period));
}

function seriesIndex(parts: PeriodParts): number {
  switch (parts.type) {
    case "calendar_year":
    case "snapshot_date":
      return parts.year;
    case "financial_year":
    case "academic_year":
    case "multi_year":
      return parts.startYear;
    case "quarter":
      return parts.year * 4 + parts.quarter - 1;
    case "month":
      return parts.year * 12 + parts.month - 1;
  }
}

/**
 * Every period from `from` to `to` inclusive, stepping as {@link nextPeriod} does, in order.
 * Returns `[]` when `to` is before `from`. A snapshot or multi-year series stops at the last
 * step that does not pass `to` (so `to` itself is included only if it lies on the series).
 * Throws `RangeError` when the two periods have different types.
 */
export function periodsBetween(from: Period, to: Period): Period[] {
  if (from.type !== to.type) {
    throw new RangeError(`periodsBetween needs two periods of the same type, got ${from.type} and ${to.type}`);
  }
  const steps = seriesIndex(periodParts(to)) - seriesIndex(periodParts(from));
  const result: Period[] = [];
  for (let i = 0; i <= steps; i++) {
    const p = shiftPeriod(from, i);
    if (comparePeriods(p, to) > 0) break;
    result.push(p);
  }
  return result;
}
