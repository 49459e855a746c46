/**
 * The analysis of one measure as it was written before issue 18 (objects per row, maps keyed by strings, one
 * `recentTrend` call per window): kept here only as the straightforward reference that the restructured, columnar
 * `analyseMeasure` must equal exactly (test/analysis/analysis-identity.test.ts).
 */
import type { BilingualText } from "../../src/domain/enums.ts";
import { type SummaryFormat, summarise } from "../../src/render/wording/summary.ts";
import {
  breakdownLabel,
  EMPTY_SUMMARY,
  isValidOn,
  POOLABLE,
  parentTypeFor,
  pushTo,
} from "../../src/services/analysis/analyse-measure.ts";
import {
  compareValue,
  comparisonMethodFor,
  NOT_COMPARED,
  statsPolarity,
} from "../../src/services/analysis/comparison.ts";
import { computeGaps } from "../../src/services/analysis/gaps.ts";
import { computeLimitColumns } from "../../src/services/analysis/limits.ts";
import { createPeriodResolver } from "../../src/services/analysis/period-series.ts";
import { placeAmongPeers } from "../../src/services/analysis/ranking.ts";
import { type SeriesPoint, trendsAlongSeries } from "../../src/services/analysis/series-trend.ts";
import type {
  AnalysisGap,
  AnalysisObservation,
  AnalysisResult,
  AreaContext,
  MeasureSpec,
  MembershipInfo,
} from "../../src/services/analysis/types.ts";
import type { Polarity } from "../../src/stats/types.ts";

const orNull = (x: number): number | null => (Number.isNaN(x) ? null : x);

/**
 * The value of a benchmark with no published value: Σ numerators / Σ denominators × multiplier over `members`, when
 * the value type allows pooling and every member has a published numerator and denominator.
 */
function pooledValue(
  cell: ReadonlyMap<string, AnalysisResult>,
  members: readonly string[],
  valueType: string,
  multiplier: number,
): number | null {
  if (!POOLABLE.has(valueType) || members.length === 0) return null;
  let num = 0;
  let den = 0;
  for (const code of members) {
    const r = cell.get(code);
    if (!r || r.suppressed || r.numerator === null || r.denominator === null) return null;
    num += r.numerator;
    den += r.denominator;
  }
  return den > 0 ? (num / den) * multiplier : null;
}

/** Analyses one measure, one object per row from the start. */
export function referenceAnalyseMeasure(
  measure: MeasureSpec,
  observations: readonly AnalysisObservation[],
  ctx: AreaContext,
  dataVersion: string,
): { results: AnalysisResult[]; gaps: AnalysisGap[] } {
  const polarity: Polarity = statsPolarity(measure.polarity);
  const valueType = measure.valueType;
  const resolvePeriod = createPeriodResolver(measure.periodType);
  const target = measure.targetValue;

  // 1. One result row per observation: the public value and its limits; the other facts are filled in below.
  //    The limits are computed a measure at a time, in columns (both levels, every row at once).
  const suppressedRows = new Uint8Array(observations.length);
  observations.forEach((obs, i) => {
    if (obs.noteCodes.includes("suppressed")) suppressedRows[i] = 1;
  });
  const limits = computeLimitColumns(valueType, measure.multiplier, observations, suppressedRows);
  const positions = new Float64Array(observations.length);
  const results: AnalysisResult[] = observations.map((obs, i): AnalysisResult => {
    const suppressed = suppressedRows[i] === 1;
    const value = suppressed ? null : obs.value;
    const numerator = suppressed ? null : obs.numerator;
    const denominator = suppressed ? null : obs.denominator;
    const period = resolvePeriod(obs.period, obs.periodEnd);
    positions[i] = period.position;
    const isWales = obs.areaCode === ctx.walesCode;
    return {
      measureCode: measure.code,
      areaCode: obs.areaCode,
      areaType: ctx.areas.get(obs.areaCode)?.type ?? "unknown",
      period: obs.period,
      periodEnd: obs.periodEnd,
      periodSort: period.sortKey,
      breakdown: obs.breakdown,
      observationId: obs.id,
      illustrative: obs.illustrative,
      suppressed,
      value,
      numerator,
      denominator,
      lower95: orNull(limits.lower95[i]!),
      upper95: orNull(limits.upper95[i]!),
      lower998: orNull(limits.lower998[i]!),
      upper998: orNull(limits.upper998[i]!),
      ciMethod: limits.ciMethod[i]!,
      comparisonMethod: null,
      benchmarkCode: isWales ? null : ctx.walesCode,
      benchmarkValue: null,
      benchmarkSignificance: "not_compared",
      benchmarkLevel: null,
      benchmarkPooled: false,
      parentCode: null,
      parentValue: null,
      parentPooled: false,
      parentSignificance: "not_compared",
      parentLevel: null,
      quintile: null,
      rank: null,
      rankOutOf: null,
      trendDirection: "cannot_be_calculated",
      trendJudgement: null,
      trendReason: "missing_values",
      worseAndWorsening: false,
      targetValue: target,
      targetMet: null,
      targetDistance: null,
      summary: EMPTY_SUMMARY,
      dataVersion,
    };
  });

  for (const r of results) if (!r.suppressed) r.comparisonMethod = comparisonMethodFor(valueType, r.value, r);

  // 2. Cells: one period and breakdown, all areas.
  const cells = new Map<string, Map<string, AnalysisResult>>();
  for (const r of results) {
    const key = r.breakdown === "total" ? r.period : `${r.period}\u0000${r.breakdown}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = new Map();
      cells.set(key, cell);
    }
    cell.set(r.areaCode, r);
  }

  // 3. Benchmarks (Wales, the parent grouping at the period) and placings among areas of the same type, per cell.
  const parentType = parentTypeFor(measure.geographies);
  const parentsOf = new Map<string, MembershipInfo[]>();
  const membersOf = new Map<string, MembershipInfo[]>();
  if (parentType) {
    for (const m of ctx.memberships) {
      if (ctx.areas.get(m.groupingCode)?.type !== parentType) continue;
      pushTo(parentsOf, m.areaCode, m);
      pushTo(membersOf, m.groupingCode, m);
    }
  }
  const localAuthorities = [...ctx.areas.values()].filter((a) => a.type === "local_authority").map((a) => a.code);
  const ranked = valueType !== "count";
  for (const cell of cells.values()) {
    const wales = cell.get(ctx.walesCode);
    const walesValue = wales ? wales.value : pooledValue(cell, localAuthorities, valueType, measure.multiplier);
    const walesPooled = !wales && walesValue !== null;
    const parentValues = new Map<string, number | null>();
    const peers = new Map<string, AnalysisResult[]>();
    for (const r of cell.values()) {
      if (r.benchmarkCode !== null) {
        r.benchmarkValue = walesValue;
        r.benchmarkPooled = walesPooled;
      }
      if (r.areaType !== "country") pushTo(peers, r.areaType, r);
      const candidates = parentsOf.get(r.areaCode);
      if (!candidates) continue;
      const date = r.periodEnd;
      const parentCode = candidates.find((m) => isValidOn(m, date))?.groupingCode ?? null;
      if (parentCode === null) continue;
      let parentValue = parentValues.get(parentCode);
      if (parentValue === undefined) {
        const own = cell.get(parentCode);
        const members = (membersOf.get(parentCode) ?? []).filter((m) => isValidOn(m, date)).map((m) => m.areaCode);
        parentValue = own ? own.value : pooledValue(cell, members, valueType, measure.multiplier);
        parentValues.set(parentCode, parentValue);
      }
      r.parentCode = parentCode;
      r.parentValue = parentValue;
      r.parentPooled = parentValue !== null && !cell.has(parentCode);
    }
    if (!ranked) continue;
    for (const group of peers.values()) {
      const placings = placeAmongPeers(
        group.map((r) => r.value),
        polarity,
      );
      for (let i = 0; i < group.length; i++) {
        const r = group[i]!;
        const placing = placings[i]!;
        r.quintile = placing.quintile;
        r.rank = placing.rank;
        r.rankOutOf = placing.rankOutOf;
      }
    }
  }

  // 4. Recent trend along each area's series (per breakdown).
  const series = new Map<string, number[]>();
  results.forEach((r, i) => {
    pushTo(series, r.breakdown === "total" ? r.areaCode : `${r.areaCode}\u0000${r.breakdown}`, i);
  });
  for (const indexes of series.values()) {
    indexes.sort((a, b) => results[a]!.periodSort - results[b]!.periodSort);
    const points: SeriesPoint[] = indexes.map((i) => {
      const r = results[i]!;
      return {
        position: positions[i]!,
        value: r.value,
        lower95: r.lower95,
        upper95: r.upper95,
        numerator: r.numerator,
        denominator: r.denominator,
      };
    });
    const trends = trendsAlongSeries(points, {
      periodType: measure.periodType,
      polarity,
      proportion: valueType === "proportion",
    });
    for (let k = 0; k < indexes.length; k++) {
      const r = results[indexes[k]!]!;
      if (r.suppressed) continue;
      const t = trends[k]!;
      r.trendDirection = t.direction;
      r.trendJudgement = t.judgement;
      r.trendReason = t.reason;
    }
  }

  // 5. Comparisons, flags, target and the summary sentence.
  const format: SummaryFormat = {
    unit: measure.unit,
    multiplier: measure.multiplier,
    decimals: measure.decimals,
    valueType,
  };
  const groupLabels = new Map<string, BilingualText | null>();
  for (const r of results) {
    const method = r.comparisonMethod as Parameters<typeof compareValue>[2];
    const vsWales = r.benchmarkCode === null ? NOT_COMPARED : compareValue(r, r.benchmarkValue, method, polarity);
    r.benchmarkSignificance = vsWales.significance;
    r.benchmarkLevel = vsWales.level;
    if (r.parentCode !== null) {
      const vsParent = compareValue(r, r.parentValue, method, polarity);
      r.parentSignificance = vsParent.significance;
      r.parentLevel = vsParent.level;
    }
    r.worseAndWorsening = vsWales.significance === "worse" && r.trendJudgement === "getting_worse";
    if (target !== null && r.value !== null) {
      r.targetDistance = r.value - target;
      if (polarity !== "no_judgement")
        r.targetMet = polarity === "higher_is_better" ? r.value >= target : r.value <= target;
    }
    let group = groupLabels.get(r.breakdown);
    if (group === undefined) {
      group = breakdownLabel(r.breakdown, ctx);
      groupLabels.set(r.breakdown, group);
    }
    r.summary = summarise(r, format, {
      areaName: ctx.areas.get(r.areaCode)?.name ?? { en: r.areaCode, cy: r.areaCode },
      breakdownLabel: group,
      isBenchmarkArea: r.benchmarkCode === null,
    });
  }

  // 6. Inequality gaps between the groups of each breakdown dimension.
  const periodPositions = new Map<string, number>();
  results.forEach((r, i) => {
    periodPositions.set(r.period, positions[i]!);
  });
  const gaps = computeGaps(results, {
    measureCode: measure.code,
    valueType,
    multiplier: measure.multiplier,
    periodType: measure.periodType,
    dimensions: ctx.dimensions,
    positions: periodPositions,
    dataVersion,
  });
  return { results, gaps };
}
