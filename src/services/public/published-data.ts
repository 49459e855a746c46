/**
 * Published, disclosure-controlled observations for public output, per measure, through the one visibility query
 * (`visibleObservations`, public view). Cached per measure and data stamp; also lists the periods and breakdowns
 * that have published data, so requests for unknown ones can be refused loudly.
 */
import type { Db } from "../../db/database.ts";
import { type VisibleObservation, visibleObservations } from "../../db/queries/visible-observations.ts";

/** A published observation as the public read side gives it (the canonical Observation with its revision). */
export type { VisibleObservation };

import { formatPeriod } from "../../domain/period-format.ts";
import { parsePeriod } from "../../domain/period-parse.ts";
import { isPeriodType, type PeriodType } from "../../domain/period-type.ts";
import type { ViewCache } from "./view-cache.ts";

export interface PeriodInfo {
  code: string;
  type: string;
  start: string;
  end: string;
  sortKey: number;
  label: { en: string; cy: string };
  longLabel: { en: string; cy: string };
}

/** Describes a period code of a type, with English and Welsh labels; unparseable codes are described as-is. */
export function describePeriod(code: string, type: string, periodEnd?: string): PeriodInfo {
  const parsed = isPeriodType(type) ? parsePeriod(code, type as PeriodType) : null;
  if (parsed?.ok) {
    const p = parsed.period;
    return {
      code,
      type,
      start: p.start,
      end: p.end,
      sortKey: p.sortKey,
      label: { en: formatPeriod(p, "en"), cy: formatPeriod(p, "cy") },
      longLabel: { en: formatPeriod(p, "en", "long"), cy: formatPeriod(p, "cy", "long") },
    };
  }
  const end = periodEnd ?? "";
  return {
    code,
    type,
    start: end,
    end,
    sortKey: Date.parse(end) || 0,
    label: { en: code, cy: code },
    longLabel: { en: code, cy: code },
  };
}

export interface PublishedData {
  /** Every published row of a measure (all areas, periods, breakdowns), disclosure control applied. */
  rows(measureCode: string): Promise<VisibleObservation[]>;
  /** Periods with published data for a measure, oldest first. */
  periods(measureCode: string, periodType: string): Promise<PeriodInfo[]>;
  /** Breakdowns with published data for a measure ("total" first). */
  breakdowns(measureCode: string): Promise<string[]>;
}

export function createPublishedData(db: Db, cache: ViewCache): PublishedData {
  const rows = (code: string) =>
    cache.get(`published:${code}`, () => visibleObservations(db, { measureCodes: [code] }));
  return {
    rows,
    async periods(code, periodType) {
      return cache.get(`periods:${code}:${periodType}`, async () => {
        const seen = new Map<string, PeriodInfo>();
        for (const r of await rows(code)) {
          if (!seen.has(r.period)) seen.set(r.period, describePeriod(r.period, periodType, r.periodEnd));
        }
        return [...seen.values()].sort((a, b) => a.sortKey - b.sortKey || a.code.localeCompare(b.code));
      });
    },
    async breakdowns(code) {
      return cache.get(`breakdowns:${code}`, async () => {
        const set = new Set((await rows(code)).map((r) => r.breakdown));
        return [...set].sort((a, b) => (a === "total" ? -1 : b === "total" ? 1 : a.localeCompare(b)));
      });
    },
  };
}
