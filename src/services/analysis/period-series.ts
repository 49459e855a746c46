/**
 * Periods as the analysis needs them: a chronological sort key, and a position in the period type's series so
 * that consecutive periods differ by exactly 1 (2019 → 2020, 2019-20 → 2020-21, Q4 2019 → Q1 2020).
 */
import { seriesPosition } from "../../domain/period-order.ts";
import { parsePeriod } from "../../domain/period-parse.ts";
import { isPeriodType } from "../../domain/period-type.ts";

const MIN_DATE_MS = Date.parse("1000-01-01T00:00:00Z");

/** A period code resolved for the analysis. */
export interface SeriesPeriod {
  code: string;
  sortKey: number;
  /** Position in the series: consecutive periods of the type differ by 1. */
  position: number;
}

/**
 * Resolves period codes of one type, caching each code. A code that does not parse as the type keeps its place by
 * end date (`periodEnd`) and gets no series position (so it never counts as consecutive).
 */
export function createPeriodResolver(periodType: string): (code: string, periodEnd: string) => SeriesPeriod {
  const cache = new Map<string, SeriesPeriod>();
  return (code, periodEnd) => {
    let hit = cache.get(code);
    if (!hit) {
      const parsed = isPeriodType(periodType) ? parsePeriod(code, periodType) : null;
      if (parsed?.ok) {
        hit = { code, sortKey: parsed.period.sortKey, position: seriesPosition(parsed.period) };
      } else {
        // Unknown shape: order by end date as Period.sortKey does (days since 1000-01-01), never consecutive.
        const days = Math.floor((Date.parse(`${periodEnd}T00:00:00Z`) - MIN_DATE_MS) / 86_400_000);
        hit = { code, sortKey: Number.isFinite(days) ? days * 4_194_304 + days : 0, position: Number.NaN };
      }
      cache.set(code, hit);
    }
    return hit;
  };
}
