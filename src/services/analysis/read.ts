/**
 * The read API of the stored analysis, for pages, the JSON API and exports. Every output reads the same stored rows,
 * so they all give the same answer for the same data version. All functions return plain objects with the stored
 * fields ({@link AnalysisResult}, {@link AnalysisGap}); nothing here computes statistics except
 * {@link nationalSummary}, which only counts stored labels.
 *
 * Conventions: `breakdown` defaults to "total" (the whole population); `period: "latest"` (the default) means the
 * latest period with results for the measure (for an area: each measure's own latest period).
 *
 * Each row's summary sentence is not stored: it is written here, from the row's stored fields, the measure's number
 * format and the area's and group's names ({@link SentenceContext}), the same sentence the analysis would have made.
 */
import type { Db } from "../../db/database.ts";
import {
  type AnalysisGapRow,
  type AnalysisResultRow,
  listAnalysisRuns,
  selectAreaResults,
  selectGaps,
  selectLatestPeriod,
  selectLatestTotals,
  selectMeasureResults,
  selectSeries,
} from "../../db/queries/analysis.ts";
import { findCurrentFramework, listCoreAims, listMeasureLinks, listMeasures } from "../../db/queries/framework.ts";
import type { BilingualText } from "../../domain/enums.ts";
import { type SummaryFormat, summarise } from "../../render/wording/summary.ts";
import { breakdownLabel } from "./analyse-measure.ts";
import { loadAreaContext } from "./context.ts";
import type { AnalysisGap, AnalysisResult, AreaContext } from "./types.ts";

/** What the summary sentences of stored rows need: each measure's number format, the areas' and groups' names. */
export interface SentenceContext {
  formats: ReadonlyMap<string, SummaryFormat>;
  areas: AreaContext;
}

/** The {@link SentenceContext} of the current framework and areas. */
export async function loadSentenceContext(db: Db): Promise<SentenceContext> {
  const framework = await findCurrentFramework(db);
  const [measures, areas] = await Promise.all([framework ? listMeasures(db, framework.id) : [], loadAreaContext(db)]);
  const formats = new Map<string, SummaryFormat>(
    measures.map((m) => [
      m.code,
      { unit: m.unit, multiplier: m.multiplier, decimals: m.decimals, valueType: m.valueType },
    ]),
  );
  return { formats, areas };
}

/** A stored row as the typed result (the text columns hold the documented codes), with its summary sentence. */
function toResult(row: AnalysisResultRow, sentences: SentenceContext): AnalysisResult {
  const r = row as unknown as AnalysisResult;
  const format = sentences.formats.get(r.measureCode);
  const { areas } = sentences;
  r.summary = format
    ? summarise(r, format, {
        areaName: areas.areas.get(r.areaCode)?.name ?? { en: r.areaCode, cy: r.areaCode },
        breakdownLabel: breakdownLabel(r.breakdown, areas),
        isBenchmarkArea: r.areaCode === areas.walesCode,
      })
    : { en: "", cy: "" }; // a measure no longer in the framework: no sentence
  return r;
}

const toResults = async (
  db: Db,
  rows: readonly AnalysisResultRow[],
  sentences: SentenceContext | undefined,
): Promise<AnalysisResult[]> => {
  if (rows.length === 0) return [];
  const context = sentences ?? (await loadSentenceContext(db));
  return rows.map((row) => toResult(row, context));
};

function toGap(row: AnalysisGapRow): AnalysisGap {
  return row as unknown as AnalysisGap;
}

/**
 * The latest period code with results for a measure (for `breakdown`, default "total"), or null when the measure has
 * no analysis.
 */
export async function latestPeriod(db: Db, measureCode: string, breakdown = "total"): Promise<string | null> {
  return selectLatestPeriod(db, measureCode, breakdown);
}

/**
 * Every area's result for a measure at one period: `period` "latest" (default) or a period code; `breakdown` "total"
 * (default), a breakdown code such as "sex=female", or "*" for all breakdowns. Ordered by breakdown, then area code.
 * Returns [] when there is nothing for that period.
 */
export async function getMeasureResults(
  db: Db,
  measureCode: string,
  options: { period?: string | undefined; breakdown?: string | undefined; sentences?: SentenceContext } = {},
): Promise<AnalysisResult[]> {
  const breakdown = options.breakdown ?? "total";
  const period =
    options.period === undefined || options.period === "latest"
      ? await selectLatestPeriod(db, measureCode, breakdown === "*" ? "total" : breakdown)
      : options.period;
  if (period === null) return [];
  const rows = await selectMeasureResults(db, measureCode, period, breakdown === "*" ? null : breakdown);
  return toResults(db, rows, options.sentences);
}

/**
 * One area's results for every analysed measure: at each measure's latest period (`period: "latest"`, the default) or
 * at one period code. One breakdown ("total" by default). Ordered by measure code.
 */
export async function getAreaResults(
  db: Db,
  areaCode: string,
  options: {
    period?: "latest" | string | undefined;
    breakdown?: string | undefined;
    sentences?: SentenceContext;
  } = {},
): Promise<AnalysisResult[]> {
  const period = options.period === undefined || options.period === "latest" ? null : options.period;
  const rows = await selectAreaResults(db, areaCode, period, options.breakdown ?? "total");
  return toResults(db, rows, options.sentences);
}

/** One area's time series for a measure (oldest first), for charts and the trend table. */
export async function getSeries(
  db: Db,
  measureCode: string,
  areaCode: string,
  breakdown = "total",
  sentences?: SentenceContext,
): Promise<AnalysisResult[]> {
  return toResults(db, await selectSeries(db, measureCode, areaCode, breakdown), sentences);
}

/**
 * Inequality gaps of a measure (A − B between the two groups of each breakdown dimension, with the gap's trend),
 * optionally for one area, period or dimension. Ordered by area, dimension, then period (oldest first).
 */
export async function getGaps(
  db: Db,
  measureCode: string,
  filter: { areaCode?: string | undefined; period?: string | undefined; dimension?: string | undefined } = {},
): Promise<AnalysisGap[]> {
  return (await selectGaps(db, measureCode, filter)).map(toGap);
}

/** When each measure was last analysed, for which data version, how many rows and how long it took. */
export async function getAnalysisRuns(db: Db) {
  return listAnalysisRuns(db);
}

/** Counts behind the national picture for one core aim (latest period of each measure, whole population). */
export interface AimSummary {
  coreAimCode: string;
  title: BilingualText;
  /** Measures of the aim (not retired) that have an analysis. */
  measures: number;
  /** Wales's recent trend per measure: judged by polarity, or increasing/decreasing for measures with no judgement. */
  walesTrend: {
    improving: number;
    worsening: number;
    increasing: number;
    decreasing: number;
    noSignificantChange: number;
    cannotBeCalculated: number;
  };
  /** Local authority results compared with Wales, summed over the aim's measures. */
  areasComparedWithWales: {
    better: number;
    worse: number;
    higher: number;
    lower: number;
    similar: number;
    notCompared: number;
  };
  /** Local authority results significantly worse than Wales and getting worse. */
  worseAndWorsening: number;
}

/** For each core aim (in order): counts of measures improving / worsening / not changing in Wales, and of areas
 * significantly better / worse than Wales at each measure's latest period. */
export async function nationalSummary(db: Db): Promise<AimSummary[]> {
  const framework = await findCurrentFramework(db);
  if (!framework) return [];
  const [aims, measures, totals] = await Promise.all([
    listCoreAims(db),
    listMeasures(db, framework.id),
    selectLatestTotals(db),
  ]);
  const current = measures.filter((m) => m.status !== "retired");
  const links = await listMeasureLinks(
    db,
    current.map((m) => m.id),
  );
  const byMeasure = new Map<string, typeof totals>();
  for (const t of totals) byMeasure.set(t.measureCode, [...(byMeasure.get(t.measureCode) ?? []), t]);
  const country = new Set(totals.filter((t) => t.areaType === "country").map((t) => t.areaCode));
  return aims.map((aim) => {
    const summary: AimSummary = {
      coreAimCode: aim.code,
      title: aim.title,
      measures: 0,
      walesTrend: {
        improving: 0,
        worsening: 0,
        increasing: 0,
        decreasing: 0,
        noSignificantChange: 0,
        cannotBeCalculated: 0,
      },
      areasComparedWithWales: { better: 0, worse: 0, higher: 0, lower: 0, similar: 0, notCompared: 0 },
      worseAndWorsening: 0,
    };
    for (const m of current) {
      if (!(links.aims.get(m.id) ?? []).includes(aim.code)) continue;
      const rows = byMeasure.get(m.code);
      if (!rows) continue;
      summary.measures++;
      const wales = rows.find((r) => country.has(r.areaCode));
      const w = summary.walesTrend;
      if (!wales || wales.trendDirection === "cannot_be_calculated") w.cannotBeCalculated++;
      else if (wales.trendDirection === "no_significant_change") w.noSignificantChange++;
      else if (wales.trendJudgement === "getting_better") w.improving++;
      else if (wales.trendJudgement === "getting_worse") w.worsening++;
      else if (wales.trendDirection === "increasing") w.increasing++;
      else w.decreasing++;
      for (const r of rows) {
        if (r.areaType !== "local_authority") continue;
        const c = summary.areasComparedWithWales;
        switch (r.benchmarkSignificance) {
          case "better":
          case "worse":
          case "higher":
          case "lower":
          case "similar":
            c[r.benchmarkSignificance]++;
            break;
          default:
            c.notCompared++;
        }
        if (r.worseAndWorsening) summary.worseAndWorsening++;
      }
    }
    return summary;
  });
}
