/**
 * The pure core of the analysis: one measure's published, disclosure-controlled observations (all areas, periods and
 * breakdowns) in, one {@link AnalysisResult} per observation and the inequality gaps out. No I/O, no clock.
 *
 * Per observation (see docs/analysis.md):
 * - limits (95% and 99.8%) when not supplied, by value type, a column at a time ({@link computeLimitColumns});
 * - comparison with Wales and with the area's parent grouping at the period (e.g. its health board), by the
 *   Fingertips overlapping-CI method ({@link compareNumbers}); a benchmark without a published value of its own is
 *   pooled from its members' numerators and denominators (proportions and crude rates) when every member has them;
 * - quintile and rank among areas of the same type ({@link placeRows});
 * - recent trend over the latest five consecutive periods ({@link trendAt});
 * - "significantly worse than Wales and getting worse";
 * - progress against the measure's target (met by polarity, and the distance value − target);
 * - the bilingual summary sentence ({@link summarise}).
 * Suppressed values stay suppressed: no limits, comparison, rank, trend or target, and the summary says so.
 * Counts (whose size follows the size of the area) are not compared with Wales nor ranked.
 */
import { parseBreakdown } from "../../domain/breakdown.ts";
import type { BilingualText } from "../../domain/enums.ts";
import { type SummaryFormat, summarise } from "../../render/wording/summary.ts";
import type { TrendColumns } from "../../stats/trend.ts";
import type { ComparisonMethod, Polarity } from "../../stats/types.ts";
import { compareNumbers, comparisonMethodOf, NOT_COMPARED, statsPolarity } from "./comparison.ts";
import { computeGaps } from "./gaps.ts";
import { computeLimitColumns } from "./limits.ts";
import { createPeriodResolver } from "./period-series.ts";
import { placeRows } from "./ranking.ts";
import { refused, type TrendOutcome, trendAt, trendRefusalForPeriodType } from "./series-trend.ts";
import type {
  AnalysisGap,
  AnalysisObservation,
  AnalysisResult,
  AreaContext,
  MeasureAnalysis,
  MeasureSpec,
  MembershipInfo,
  StoredAnalysisResult,
} from "./types.ts";

/** Grouping types that can be an area's parent, in order of preference when a measure is published for several. */
export const PARENT_TYPES = ["health_board", "education_consortium", "region"] as const;

/** The parent grouping type for a measure: the first of {@link PARENT_TYPES} among its geographies, else null. */
export function parentTypeFor(geographies: readonly string[]): string | null {
  return PARENT_TYPES.find((t) => geographies.includes(t)) ?? null;
}

const orNull = (x: number): number | null => (Number.isNaN(x) ? null : x);
/** Value types whose benchmark may be pooled from its members' numerators and denominators. */
export const POOLABLE: ReadonlySet<string> = new Set(["proportion", "crude_rate"]);
/** The summary of a row before (or without) its sentence. */
export const EMPTY_SUMMARY: BilingualText = Object.freeze({ en: "", cy: "" });

export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Whether a membership is valid on `date` (ISO; open ends always are). */
export function isValidOn(m: MembershipInfo, date: string): boolean {
  return (m.validFrom === null || m.validFrom <= date) && (m.validTo === null || date <= m.validTo);
}

/** The bilingual label of a breakdown code (null for the total; the code itself when it does not parse). */
export function breakdownLabel(code: string, ctx: AreaContext): BilingualText | null {
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

/**
 * Gives each distinct string a number 0, 1, 2 … in order of first appearance. The last string asked for is kept, so
 * runs of the same string (a period or a breakdown, row after row) skip the map.
 */
class Interner {
  readonly ids = new Map<string, number>();
  readonly values: string[] = [];
  private last: string | undefined;
  private lastId = -1;
  id(value: string): number {
    if (value === this.last) return this.lastId;
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
    }
    this.last = value;
    this.lastId = id;
    return id;
  }
}

/**
 * Row numbers grouped by `group[row]` (0 … groups − 1), each group in row order (a stable counting sort): the rows of
 * group g are order[start[g] … start[g + 1] − 1].
 */
function groupRows(group: Int32Array, groups: number): { order: Int32Array; start: Int32Array } {
  const start = new Int32Array(groups + 1);
  for (let i = 0; i < group.length; i++) start[group[i]! + 1]!++;
  for (let g = 0; g < groups; g++) start[g + 1]! += start[g]!;
  const next = start.slice(0, groups);
  const order = new Int32Array(group.length);
  for (let i = 0; i < group.length; i++) order[next[group[i]!]!++] = i;
  return { order, start };
}

/**
 * Analyses one measure (see the module comment). `dataVersion` is stored on every row.
 *
 * The work is done in columns (typed arrays indexed by row, areas, periods and breakdowns numbered once): cells and
 * series are row numbers grouped by counting sorts, ranks are written in place, trends slide a window along each
 * sorted series without building points, and comparisons use shared outcome objects. The result objects are built
 * once, at the end, with every field final.
 */
export function analyseMeasure(
  measure: MeasureSpec,
  observations: readonly AnalysisObservation[],
  ctx: AreaContext,
  dataVersion: string,
): MeasureAnalysis {
  const polarity: Polarity = statsPolarity(measure.polarity);
  const valueType = measure.valueType;
  const resolvePeriod = createPeriodResolver(measure.periodType);
  const target = measure.targetValue;
  const rowCount = observations.length;

  // 1. The public values in columns (NaN = null: visible observations hold finite numbers or null) and their limits,
  //    computed a measure at a time (both levels, every row at once). Areas, periods and breakdowns are numbered.
  const suppressed = new Uint8Array(rowCount);
  const value = new Float64Array(rowCount);
  const numerator = new Float64Array(rowCount);
  const denominator = new Float64Array(rowCount);
  const areaOf = new Int32Array(rowCount);
  const periodOf = new Int32Array(rowCount);
  const breakdownOf = new Int32Array(rowCount);
  const areas = new Interner();
  const periods = new Interner();
  const breakdowns = new Interner();
  const periodSorts: number[] = [];
  const periodPositions: number[] = [];
  for (let i = 0; i < rowCount; i++) {
    const obs = observations[i]!;
    const hidden = obs.noteCodes.includes("suppressed");
    suppressed[i] = hidden ? 1 : 0;
    value[i] = hidden || obs.value === null ? Number.NaN : obs.value;
    numerator[i] = hidden || obs.numerator === null ? Number.NaN : obs.numerator;
    denominator[i] = hidden || obs.denominator === null ? Number.NaN : obs.denominator;
    areaOf[i] = areas.id(obs.areaCode);
    const p = periods.id(obs.period);
    if (p === periodSorts.length) {
      const period = resolvePeriod(obs.period, obs.periodEnd);
      periodSorts.push(period.sortKey);
      periodPositions.push(period.position);
    }
    periodOf[i] = p;
    breakdownOf[i] = breakdowns.id(obs.breakdown);
  }
  const limits = computeLimitColumns(valueType, measure.multiplier, observations, suppressed);
  const { lower95, upper95, lower998, upper998 } = limits;
  const areaCount = areas.values.length;
  const breakdownCount = breakdowns.values.length;
  const areaTypes = areas.values.map((code) => ctx.areas.get(code)?.type ?? "unknown");
  const walesArea = areas.ids.get(ctx.walesCode) ?? -1;
  const methods: (ComparisonMethod | null)[] = new Array(rowCount);
  for (let i = 0; i < rowCount; i++) {
    methods[i] =
      suppressed[i] === 1
        ? null
        : comparisonMethodOf(valueType, value[i]!, lower95[i]!, upper95[i]!, lower998[i]!, upper998[i]!);
  }

  // 2. Cells: one period and breakdown, all areas. Within a cell an area's last row stands for it.
  const cellOf = new Int32Array(rowCount);
  for (let i = 0; i < rowCount; i++) cellOf[i] = periodOf[i]! * breakdownCount + breakdownOf[i]!;
  const cells = groupRows(cellOf, periods.values.length * breakdownCount);
  const cellCount = cells.start.length - 1;

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
  // The parents, numbered, with their own area (−1: no rows) and members; each area's fixed parent when its only
  // membership is open-ended (−1: none; −2: it depends on the date).
  const parents = new Interner();
  const parentMembers: MembershipInfo[][] = [];
  for (const [code, members] of membersOf) {
    parents.id(code);
    parentMembers.push(members);
  }
  const parentArea = Int32Array.from(parents.values, (code) => areas.ids.get(code) ?? -1);
  const memberAreas = parentMembers.map((members) => Int32Array.from(members, (m) => areas.ids.get(m.areaCode) ?? -1));
  const openMembers = parentMembers.map((members) => members.every((m) => m.validFrom === null && m.validTo === null));
  const parentCandidates = areas.values.map((code) => parentsOf.get(code));
  const fixedParent = Int32Array.from(parentCandidates, (candidates) => {
    if (!candidates) return -1;
    const [only] = candidates;
    return candidates.length === 1 && only!.validFrom === null && only!.validTo === null
      ? parents.ids.get(only!.groupingCode)!
      : -2;
  });
  const parentStamp = new Int32Array(parents.values.length).fill(-1);
  const parentCached = new Float64Array(parents.values.length);
  const datedMembers = new Int32Array(Math.max(0, ...memberAreas.map((m) => m.length)));
  const localAuthorities: number[] = [];
  let everyAuthorityHasRows = true;
  for (const a of ctx.areas.values()) {
    if (a.type !== "local_authority") continue;
    const id = areas.ids.get(a.code);
    if (id === undefined) everyAuthorityHasRows = false;
    else localAuthorities.push(id);
  }
  const poolable = POOLABLE.has(valueType);
  const multiplier = measure.multiplier;
  // The row standing for each area in the cell being processed (valid where cellStamp[area] is that cell).
  const rowOfArea = new Int32Array(areaCount);
  const cellStamp = new Int32Array(areaCount).fill(-1);
  const inCell = (area: number, cell: number) => (cellStamp[area] === cell ? rowOfArea[area]! : -1);
  /** Σ numerators / Σ denominators × multiplier over the member areas, when each has a published row with both. */
  const pooled = (members: ArrayLike<number>, count: number, cell: number): number => {
    if (!poolable || count === 0) return Number.NaN;
    let num = 0;
    let den = 0;
    for (let k = 0; k < count; k++) {
      const area = members[k]!;
      const row = area < 0 ? -1 : inCell(area, cell);
      if (row < 0 || suppressed[row] === 1 || Number.isNaN(numerator[row]!) || Number.isNaN(denominator[row]!)) {
        return Number.NaN;
      }
      num += numerator[row]!;
      den += denominator[row]!;
    }
    return den > 0 ? (num / den) * multiplier : Number.NaN;
  };
  /** The parent's value in the cell: its own published value, else pooled from its members at the date. */
  const parentValueIn = (p: number, cell: number, date: string): number => {
    const ownRow = parentArea[p]! < 0 ? -1 : inCell(parentArea[p]!, cell);
    if (ownRow >= 0) return value[ownRow]!;
    const members = memberAreas[p]!;
    if (openMembers[p]) return pooled(members, members.length, cell);
    let count = 0;
    parentMembers[p]!.forEach((m, k) => {
      if (isValidOn(m, date)) datedMembers[count++] = members[k]!;
    });
    return pooled(datedMembers, count, cell);
  };
  const benchmarkValue = new Float64Array(rowCount).fill(Number.NaN);
  const benchmarkPooled = new Uint8Array(rowCount);
  const parentCode: (string | null)[] = new Array(rowCount).fill(null);
  const parentValue = new Float64Array(rowCount).fill(Number.NaN);
  const parentPooled = new Uint8Array(rowCount);
  const quintile = new Uint8Array(rowCount);
  const rank = new Int32Array(rowCount);
  const rankOutOf = new Int32Array(rowCount);
  const typeIds = new Interner();
  const typeOfArea = Int32Array.from(areaTypes, (t) => typeIds.id(t));
  const countryType = typeIds.ids.get("country") ?? -1;
  const peers = new Int32Array(rowCount);
  const ranked = valueType !== "count";
  for (let cell = 0; cell < cellCount; cell++) {
    const from = cells.start[cell]!;
    const to = cells.start[cell + 1]!;
    if (from === to) continue;
    for (let k = from; k < to; k++) {
      const row = cells.order[k]!;
      rowOfArea[areaOf[row]!] = row;
      cellStamp[areaOf[row]!] = cell;
    }
    const walesRow = walesArea < 0 ? -1 : inCell(walesArea, cell);
    const walesValue =
      walesRow >= 0
        ? value[walesRow]!
        : everyAuthorityHasRows
          ? pooled(localAuthorities, localAuthorities.length, cell)
          : Number.NaN;
    const walesPooled = walesRow < 0 && !Number.isNaN(walesValue);
    for (let k = from; k < to; k++) {
      const row = cells.order[k]!;
      const area = areaOf[row]!;
      if (rowOfArea[area] !== row) continue; // a later row of the same area stands for it
      if (area !== walesArea) {
        benchmarkValue[row] = walesValue;
        benchmarkPooled[row] = walesPooled ? 1 : 0;
      }
      let p = fixedParent[area]!;
      if (p === -1) continue;
      if (p === -2) {
        const date = observations[row]!.periodEnd;
        const code = parentCandidates[area]!.find((m) => isValidOn(m, date))?.groupingCode;
        if (code === undefined) continue;
        p = parents.ids.get(code)!;
      }
      // The first row of the cell with this parent decides its value (the members valid at that row's date).
      if (parentStamp[p] !== cell) {
        parentStamp[p] = cell;
        parentCached[p] = parentValueIn(p, cell, observations[row]!.periodEnd);
      }
      const v = parentCached[p]!;
      parentCode[row] = parents.values[p]!;
      parentValue[row] = v;
      parentPooled[row] = !Number.isNaN(v) && (parentArea[p]! < 0 || inCell(parentArea[p]!, cell) < 0) ? 1 : 0;
    }
    if (!ranked) continue;
    for (let type = 0; type < typeIds.values.length; type++) {
      if (type === countryType) continue;
      let n = 0;
      for (let k = from; k < to; k++) {
        const row = cells.order[k]!;
        const area = areaOf[row]!;
        if (typeOfArea[area] === type && rowOfArea[area] === row) peers[n++] = row;
      }
      if (n > 0) placeRows(value, peers, 0, n, polarity, quintile, rank, rankOutOf);
    }
  }

  // 4. Recent trend along each area's series (per breakdown), rows in chronological order.
  const seriesIds = new Map<number, number>();
  const seriesOf = new Int32Array(rowCount);
  for (let i = 0; i < rowCount; i++) {
    const key = areaOf[i]! * breakdownCount + breakdownOf[i]!;
    let id = seriesIds.get(key);
    if (id === undefined) {
      id = seriesIds.size;
      seriesIds.set(key, id);
    }
    seriesOf[i] = id;
  }
  const series = groupRows(seriesOf, seriesIds.size);
  const order = series.order;
  const sortOf = (row: number) => periodSorts[periodOf[row]!]!;
  const position = new Float64Array(rowCount);
  for (let i = 0; i < rowCount; i++) position[i] = periodPositions[periodOf[i]!]!;
  const trendColumns: TrendColumns = {
    period: position,
    value,
    lower: lower95,
    upper: upper95,
    count: numerator,
    denominator,
  };
  const trendOptions = { polarity, proportion: valueType === "proportion" };
  const refusal = trendRefusalForPeriodType(measure.periodType);
  const trends: TrendOutcome[] = new Array(rowCount);
  for (let s = 0; s < seriesIds.size; s++) {
    const from = series.start[s]!;
    const to = series.start[s + 1]!;
    // Insertion sort by period (stable; a series is short and usually in order already).
    for (let k = from + 1; k < to; k++) {
      const row = order[k]!;
      const key = sortOf(row);
      let j = k - 1;
      while (j >= from && sortOf(order[j]!) > key) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = row;
    }
    for (let k = from; k < to; k++) {
      const row = order[k]!;
      if (suppressed[row] === 1) continue;
      trends[row] = refusal ? refused(refusal) : trendAt(trendColumns, order, from, k, trendOptions);
    }
  }

  // 5. The result rows, built on demand, each once with its comparisons, flags, target and (unless only the numbers
  //    are needed) its summary sentence.
  const format: SummaryFormat = {
    unit: measure.unit,
    multiplier: measure.multiplier,
    decimals: measure.decimals,
    valueType,
  };
  const groupLabels = breakdowns.values.map((code) => breakdownLabel(code, ctx));
  const areaNames = areas.values.map((code) => ctx.areas.get(code)?.name ?? { en: code, cy: code });
  const resultRow = (i: number, withSummary: boolean): AnalysisResult => {
    const obs = observations[i]!;
    const hidden = suppressed[i] === 1;
    const area = areaOf[i]!;
    const isWales = area === walesArea;
    const v = value[i]!;
    const method = methods[i]!;
    const l95 = lower95[i]!;
    const u95 = upper95[i]!;
    const l998 = lower998[i]!;
    const u998 = upper998[i]!;
    const vsWales = isWales
      ? NOT_COMPARED
      : compareNumbers(v, l95, u95, l998, u998, benchmarkValue[i]!, method, polarity);
    const parent = parentCode[i]!;
    const vsParent =
      parent === null ? NOT_COMPARED : compareNumbers(v, l95, u95, l998, u998, parentValue[i]!, method, polarity);
    const trend = hidden ? null : trends[i]!;
    const publicValue = hidden ? null : obs.value;
    const r: AnalysisResult = {
      measureCode: measure.code,
      areaCode: obs.areaCode,
      areaType: areaTypes[area]!,
      period: obs.period,
      periodEnd: obs.periodEnd,
      periodSort: periodSorts[periodOf[i]!]!,
      breakdown: obs.breakdown,
      observationId: obs.id,
      illustrative: obs.illustrative,
      suppressed: hidden,
      value: publicValue,
      numerator: hidden ? null : obs.numerator,
      denominator: hidden ? null : obs.denominator,
      lower95: orNull(l95),
      upper95: orNull(u95),
      lower998: orNull(l998),
      upper998: orNull(u998),
      ciMethod: limits.ciMethod[i]!,
      comparisonMethod: method,
      benchmarkCode: isWales ? null : ctx.walesCode,
      benchmarkValue: isWales ? null : orNull(benchmarkValue[i]!),
      benchmarkSignificance: vsWales.significance,
      benchmarkLevel: vsWales.level,
      benchmarkPooled: benchmarkPooled[i] === 1,
      parentCode: parent,
      parentValue: parent === null ? null : orNull(parentValue[i]!),
      parentPooled: parentPooled[i] === 1,
      parentSignificance: vsParent.significance,
      parentLevel: vsParent.level,
      quintile: quintile[i] === 0 ? null : quintile[i]!,
      rank: rank[i] === 0 ? null : rank[i]!,
      rankOutOf: rank[i] === 0 ? null : rankOutOf[i]!,
      trendDirection: trend ? trend.direction : "cannot_be_calculated",
      trendJudgement: trend ? trend.judgement : null,
      trendReason: trend ? trend.reason : "missing_values",
      worseAndWorsening: vsWales.significance === "worse" && trend?.judgement === "getting_worse",
      targetValue: target,
      targetMet:
        target !== null && publicValue !== null && polarity !== "no_judgement"
          ? polarity === "higher_is_better"
            ? publicValue >= target
            : publicValue <= target
          : null,
      targetDistance: target !== null && publicValue !== null ? publicValue - target : null,
      summary: EMPTY_SUMMARY,
      dataVersion,
    };
    if (withSummary) {
      r.summary = summarise(r, format, {
        areaName: areaNames[area]!,
        breakdownLabel: groupLabels[breakdownOf[i]!]!,
        isBenchmarkArea: isWales,
      });
    }
    return r;
  };
  const rowsOf = (from: number, to: number, withSummary: boolean): AnalysisResult[] => {
    const start = Math.max(0, from);
    const end = Math.min(rowCount, to);
    const out: AnalysisResult[] = new Array(Math.max(0, end - start));
    for (let i = start; i < end; i++) out[i - start] = resultRow(i, withSummary);
    return out;
  };
  const rows = (from: number, to: number): AnalysisResult[] => rowsOf(from, to, true);

  // 6. Inequality gaps between the groups of each breakdown dimension (from the rows with a breakdown; summaries are
  //    not needed for them).
  let gaps: AnalysisGap[] = [];
  if (breakdowns.values.some((code) => code !== "total")) {
    const gapPositions = new Map<string, number>();
    for (let p = 0; p < periods.values.length; p++) gapPositions.set(periods.values[p]!, periodPositions[p]!);
    const broken: AnalysisResult[] = [];
    for (let i = 0; i < rowCount; i++) if (observations[i]!.breakdown !== "total") broken.push(resultRow(i, false));
    gaps = computeGaps(broken, {
      measureCode: measure.code,
      valueType,
      multiplier: measure.multiplier,
      periodType: measure.periodType,
      dimensions: ctx.dimensions,
      positions: gapPositions,
      dataVersion,
    });
  }
  let all: AnalysisResult[] | null = null;
  return {
    get results() {
      all ??= rows(0, rowCount);
      return all;
    },
    rowCount,
    rows,
    // the summary field stays as the shared empty one: it is not a stored column, so the write never reads it
    storedRows: (from: number, to: number): StoredAnalysisResult[] => rowsOf(from, to, false),
    gaps,
  };
}
