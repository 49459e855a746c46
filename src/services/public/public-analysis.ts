/**
 * The stored analysis (src/services/analysis/read.ts) as the public pages and API read it: cached per data stamp,
 * so a busy page costs one stamp check rather than its queries. Results are already built from published,
 * disclosure-controlled data (suppressed rows carry no value).
 */
import type { Db } from "../../db/database.ts";
import {
  type AimSummary,
  type AnalysisGap,
  type AnalysisResult,
  getAreaResults,
  getGaps,
  getMeasureResults,
  getSeries,
  latestPeriod,
  loadSentenceContext,
  nationalSummary,
} from "../analysis/index.ts";
import type { ViewCache } from "./view-cache.ts";

export interface PublicAnalysis {
  latestPeriod(measureCode: string, breakdown?: string): Promise<string | null>;
  /** Every area's result at a period ("latest" by default) and breakdown ("total"; "*" for all). */
  measureResults(measureCode: string, period?: string, breakdown?: string): Promise<AnalysisResult[]>;
  /** One area's results for every measure at each measure's latest period (or one period). */
  areaResults(areaCode: string, period?: string, breakdown?: string): Promise<AnalysisResult[]>;
  /** One area's series for a measure, oldest first. */
  series(measureCode: string, areaCode: string, breakdown?: string): Promise<AnalysisResult[]>;
  /** Every area's series for a measure (one breakdown), keyed by area code, each oldest first. */
  allSeries(
    measureCode: string,
    periods: readonly string[],
    breakdown?: string,
  ): Promise<Map<string, AnalysisResult[]>>;
  gaps(
    measureCode: string,
    filter?: { areaCode?: string | undefined; period?: string | undefined; dimension?: string | undefined },
  ): Promise<AnalysisGap[]>;
  national(): Promise<AimSummary[]>;
}

export function createPublicAnalysis(db: Db, cache: ViewCache): PublicAnalysis {
  // what the rows' summary sentences need (measure formats, area and group names), loaded once per data stamp
  const sentences = () => cache.get("an:sentences", () => loadSentenceContext(db));
  const measureResults = (code: string, period = "latest", breakdown = "total") =>
    cache.get(`an:m:${code}:${period}:${breakdown}`, async () =>
      getMeasureResults(db, code, { period, breakdown, sentences: await sentences() }),
    );
  return {
    latestPeriod: (code, breakdown = "total") =>
      cache.get(`an:latest:${code}:${breakdown}`, () => latestPeriod(db, code, breakdown)),
    measureResults,
    areaResults: (area, period = "latest", breakdown = "total") =>
      cache.get(`an:a:${area}:${period}:${breakdown}`, async () =>
        getAreaResults(db, area, { period, breakdown, sentences: await sentences() }),
      ),
    series: (code, area, breakdown = "total") =>
      cache.get(`an:s:${code}:${area}:${breakdown}`, async () =>
        getSeries(db, code, area, breakdown, await sentences()),
      ),
    allSeries: (code, periods, breakdown = "total") =>
      cache.get(`an:all:${code}:${breakdown}:${periods.join(",")}`, async () => {
        const out = new Map<string, AnalysisResult[]>();
        for (const p of periods) {
          for (const r of await measureResults(code, p, breakdown)) {
            const list = out.get(r.areaCode) ?? [];
            list.push(r);
            out.set(r.areaCode, list);
          }
        }
        for (const list of out.values()) list.sort((a, b) => a.periodSort - b.periodSort);
        return out;
      }),
    gaps: (code, filter = {}) =>
      cache.get(`an:g:${code}:${filter.areaCode ?? ""}:${filter.period ?? ""}:${filter.dimension ?? ""}`, () =>
        getGaps(db, code, filter),
      ),
    national: () => cache.get("an:national", () => nationalSummary(db)),
  };
}
