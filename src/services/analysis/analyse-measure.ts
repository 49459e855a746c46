/**
 * The pure core of the analysis: one measure's published, disclosure-controlled observations (all areas, periods and
 * breakdowns) in, one {@link AnalysisResult} per observation and the inequality gaps out. No I/O, no clock.
 *
 * Per observation (see docs/analysis.md):
 * - limits (95% and 99.8%) when not supplied, by value type ({@link computeLimits});
 * - comparison with Wales and with the area's parent grouping at the period (e.g. its health board), by the
 *   Fingertips overlapping-CI method ({@link compareValue}); a benchmark without a published value of its own is
 *   pooled from its members' numerators and denominators (proportions and crude rates) when every member has them;
 * - quintile and rank among areas of the same type ({@link placeAmongPeers});
 * - recent trend over the latest five consecutive periods ({@link trendsAlongSeries});
 * - "significantly worse than Wales and getting worse";
 * - progress against the measure's target (met by polarity, and the distance value − target);
 * - the bilingual summary sentence ({@link summarise}).
 * Suppressed values stay suppressed: no limits, comparison, rank, trend or target, and the summary says so.
 * Counts (whose size follows the size of the area) are not compared with Wales nor ranked.
 */
import { parseBreakdown } from "../../domain/breakdown.ts";
import type { BilingualText } from "../../domain/enums.ts";
import type { Polarity } from "../../stats/types.ts";
import { type ComparedValue, compareValue, comparisonMethodFor, NOT_COMPARED, statsPolarity } from "./comparison.ts";
import { computeGaps } from "./gaps.ts";
import { computeLimits, type Limits } from "./limits.ts";
import { createPeriodResolver } from "./period-series.ts";
import { placeAmongPeers } from "./ranking.ts";
import { trendsAlongSeries } from "./series-trend.ts";
import { summarise } from "./summary.ts";
import type {
  AnalysisObservation,
  AnalysisResult,
  AreaContext,
  MeasureAnalysis,
  MeasureSpec,
  MembershipInfo,
} from "./types.ts";

/** Grouping types that can be an area's parent, in order of preference when a measure is published for several. */
export const PARENT_TYPES = ["health_board", "education_consortium", "region"] as const;

/** The parent grouping type for a measure: the first of {@link PARENT_TYPES} among its geographies, else null. */
export function parentTypeFor(geographies: readonly string[]): string | null {
  return PARENT_TYPES.find((t) => geographies.includes(t)) ?? null;
}

interface Prepared extends Limits {
  obs: AnalysisObservation;
  areaType: string;
  suppressed: boolean;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  periodSort: number;
  position: number;
}

const POOLABLE = new Set(["proportion", "crude_rate"]);

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function isValidOn(m: MembershipInfo, date: string): boolean {
  return (m.validFrom === null || m.validFrom <= date) && (m.validTo === null || date <= m.validTo);
}

/**
 * The value of a benchmark with no published value: Σ numerators / Σ denominators × multiplier over `members`, when
 * the value type allows pooling and every member has a published numerator and denominator.
 */
function pooledValue(
  cell: ReadonlyMap<string, Prepared>,
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

function breakdownLabel(code: string, ctx: AreaContext): BilingualText | null {
  if (code === "total") return null;
  const parsed = parseBreakdown(code);
  if (!parsed.ok) return { en: code, cy: code };
  const labels = Object.entries(parsed.parts).map(([dim, value]) => {
    const label = ctx.dimensions.get(dim)?.values.find((v) => v.code === value)?.label;
    return label ?? { en: value, cy: value };
  });
  return {
    en: labels.map((l) => l.en).join(", "),
    cy: labels.map((l) => l.cy || l.en).join(", "),
  };
}

/** Analyses one measure (see the module comment). `dataVersion` is stored on every row. */
export function analyseMeasure(
  measure: MeasureSpec,
  observations: readonly AnalysisObservation[],
  ctx: AreaContext,
  dataVersion: string,
): MeasureAnalysis {
  const polarity: Polarity = statsPolarity(measure.polarity);
  const valueType = measure.valueType;
  const resolvePeriod = createPeriodResolver(measure.periodType);

  // 1. Public values and their limits.
  const prepared: Prepared[] = observations.map((obs) => {
    const suppressed = obs.noteCodes.includes("suppressed");
    const value = suppressed ? null : obs.value;
    const numerator = suppressed ? null : obs.numerator;
    const denominator = suppressed ? null : obs.denominator;
    const limits = computeLimits(valueType, measure.multiplier, { ...obs, value });
    const period = resolvePeriod(obs.period, obs.periodEnd);
    return {
      ...limits,
      obs,
      areaType: ctx.areas.get(obs.areaCode)?.type ?? "unknown",
      suppressed,
      value,
      numerator,
      denominator,
      periodSort: period.sortKey,
      position: period.position,
    };
  });

  // 2. Cells: one period and breakdown, all areas.
  const cells = new Map<string, Map<string, Prepared>>();
  for (const p of prepared) {
    const key = `${p.obs.period}\u0000${p.obs.breakdown}`;
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = new Map()));
    cell.set(p.obs.areaCode, p);
  }

  // 3. Parents: memberships of the measure's parent grouping type, per member area.
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

  interface CellFacts {
    benchmarkValue: number | null;
    parentCode: string | null;
    parentValue: number | null;
    quintile: number | null;
    rank: number | null;
    rankOutOf: number | null;
  }
  const facts = new Map<Prepared, CellFacts>();
  const ranked = valueType !== "count";

  for (const cell of cells.values()) {
    const wales = cell.get(ctx.walesCode);
    const benchmarkValue =
      wales && !wales.suppressed && wales.value !== null
        ? wales.value
        : wales?.suppressed
          ? null
          : pooledValue(cell, localAuthorities, valueType, measure.multiplier);
    const parentValues = new Map<string, number | null>();
    const peers = new Map<string, Prepared[]>();
    for (const p of cell.values()) {
      if (p.areaType !== "country") pushTo(peers, p.areaType, p);
      let parentCode: string | null = null;
      let parentValue: number | null = null;
      const candidates = parentsOf.get(p.obs.areaCode);
      if (candidates) {
        const date = p.obs.periodEnd;
        parentCode = candidates.find((m) => isValidOn(m, date))?.groupingCode ?? null;
        if (parentCode !== null) {
          if (!parentValues.has(parentCode)) {
            const own = cell.get(parentCode);
            const members = (membersOf.get(parentCode) ?? []).filter((m) => isValidOn(m, date)).map((m) => m.areaCode);
            parentValues.set(
              parentCode,
              own
                ? own.suppressed
                  ? null
                  : own.value
                : pooledValue(cell, members, valueType, measure.multiplier),
            );
          }
          parentValue = parentValues.get(parentCode) ?? null;
        }
      }
      facts.set(p, { benchmarkValue, parentCode, parentValue, quintile: null, rank: null, rankOutOf: null });
    }
    if (ranked) {
      for (const group of peers.values()) {
        const placings = placeAmongPeers(
          group.map((p) => p.value),
          polarity,
        );
        group.forEach((p, i) => Object.assign(facts.get(p)!, placings[i]));
      }
    }
  }

  // 4. Trends along each area's series.
  const series = new Map<string, Prepared[]>();
  for (const p of prepared) {
    const key = `${p.obs.areaCode}\u0000${p.obs.breakdown}`;
    let s = series.get(key);
    if (!s) series.set(key, (s = []));
    s.push(p);
  }
  const trendOf = new Map<Prepared, ReturnType<typeof trendsAlongSeries>[number]>();
  for (const s of series.values()) {
    s.sort((a, b) => a.periodSort - b.periodSort);
    const trends = trendsAlongSeries(s, {
      periodType: measure.periodType,
      polarity,
      proportion: valueType === "proportion",
    });
    s.forEach((p, i) => trendOf.set(p, trends[i]!));
  }

  // 5. Assemble.
  const results: AnalysisResult[] = prepared.map((p) => {
    const f = facts.get(p)!;
    const t = trendOf.get(p)!;
    const isWales = p.obs.areaCode === ctx.walesCode;
    const compared: ComparedValue = p;
    const method = p.suppressed ? null : comparisonMethodFor(valueType, compared);
    const vsWales = isWales ? NOT_COMPARED : compareValue(compared, f.benchmarkValue, method, polarity);
    const vsParent = f.parentCode ? compareValue(compared, f.parentValue, method, polarity) : NOT_COMPARED;
    const target = measure.targetValue;
    const hasTarget = target !== null && p.value !== null;
    const targetMet =
      hasTarget && polarity !== "no_judgement"
        ? polarity === "higher_is_better"
          ? p.value! >= target
          : p.value! <= target
        : null;
    const trendDirection = p.suppressed ? "cannot_be_calculated" : t.direction;
    const trendJudgement = p.suppressed ? null : t.judgement;
    const trendReason = p.suppressed ? "missing_values" : t.reason;
    const row: AnalysisResult = {
      measureCode: measure.code,
      areaCode: p.obs.areaCode,
      areaType: p.areaType,
      period: p.obs.period,
      periodEnd: p.obs.periodEnd,
      periodSort: p.periodSort,
      breakdown: p.obs.breakdown,
      observationId: p.obs.id,
      illustrative: p.obs.illustrative,
      suppressed: p.suppressed,
      value: p.value,
      numerator: p.numerator,
      denominator: p.denominator,
      lower95: p.lower95,
      upper95: p.upper95,
      lower998: p.lower998,
      upper998: p.upper998,
      ciMethod: p.ciMethod,
      comparisonMethod: method,
      benchmarkCode: isWales ? null : ctx.walesCode,
      benchmarkValue: isWales ? null : f.benchmarkValue,
      benchmarkSignificance: vsWales.significance,
      benchmarkLevel: vsWales.level,
      parentCode: f.parentCode,
      parentValue: f.parentCode ? f.parentValue : null,
      parentSignificance: vsParent.significance,
      parentLevel: vsParent.level,
      quintile: p.suppressed ? null : f.quintile,
      rank: p.suppressed ? null : f.rank,
      rankOutOf: p.suppressed ? null : f.rankOutOf,
      trendDirection,
      trendJudgement,
      trendReason,
      worseAndWorsening: vsWales.significance === "worse" && trendJudgement === "getting_worse",
      targetValue: target,
      targetMet,
      targetDistance: hasTarget ? p.value! - target : null,
      summary: { en: "", cy: "" },
      dataVersion,
    };
    row.summary = summarise({
      areaName: ctx.areas.get(p.obs.areaCode)?.name ?? { en: p.obs.areaCode, cy: p.obs.areaCode },
      breakdownLabel: breakdownLabel(p.obs.breakdown, ctx),
      isBenchmarkArea: isWales,
      unit: measure.unit,
      multiplier: measure.multiplier,
      decimals: measure.decimals,
      valueType,
      suppressed: p.suppressed,
      value: row.value,
      lower95: row.lower95,
      upper95: row.upper95,
      benchmarkSignificance: row.benchmarkSignificance,
      benchmarkValue: row.benchmarkValue,
      trendDirection,
      trendJudgement,
      trendReason,
      targetValue: row.targetValue,
      targetMet,
    });
    return row;
  });

  // 6. Inequality gaps between the groups of each breakdown dimension.
  const positions = new Map(prepared.map((p) => [p.obs.period, p.position]));
  const gaps = computeGaps(results, {
    measureCode: measure.code,
    valueType,
    multiplier: measure.multiplier,
    periodType: measure.periodType,
    dimensions: ctx.dimensions,
    positions,
    dataVersion,
  });
  return { results, gaps };
}
