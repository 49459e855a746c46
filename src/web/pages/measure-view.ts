/**
 * The measure page in one language: the charts (time series with confidence band and the Wales line; all areas with
 * whiskers, coloured and labelled by comparison with Wales), the same figures as tables (which are also the
 * downloads), breakdowns and inequality gaps, and the choices for the filter form.
 */
import type { Language } from "../../domain/enums.ts";
import { barChart } from "../../render/charts/bar-chart.ts";
import { timeSeriesChart } from "../../render/charts/time-series.ts";
import { areaValueColumns, cell, linkCell, markIllustrative, type TableModel } from "../../render/document/table.ts";
import type { AnalysisResult } from "../../services/analysis/index.ts";
import { areaName, sortAreas } from "../../services/public/area-directory.ts";
import { breakdownLabel } from "../../services/public/breakdown-label.ts";
import type { MeasurePageData } from "../../services/public/measure-page-data.ts";
import { formatNumber, pick, type Translate } from "../i18n.ts";
import {
  ciText,
  displayValue,
  numberFormat,
  statusCounts,
  statusLabels,
  tableUnit,
  toStatus,
  trendReasonText,
  trendText,
  unitLabel,
} from "./labels.ts";
import { statusHtml } from "./status-cell.ts";
import { withQuery } from "./urls.ts";

export const MEASURE_PARTS = ["series", "areas", "breakdowns", "gaps"] as const;
export type MeasurePart = (typeof MEASURE_PARTS)[number];

/** The view model of a measure page (built from a measure and its analysis; not a measure shape). */
export interface MeasurePageView {
  title: string;
  unit: string;
  periodLabel: string;
  areaLabel: string;
  breakdownLabel: string | null;
  hasData: boolean;
  walesResult: AnalysisResult | null;
  areaResult: AnalysisResult | null;
  walesValue: string;
  /** Why there is no Wales figure for the period, and the latest one with its period (empty when there is one). */
  walesMissing: string;
  /** Why no area is compared (empty when some are). */
  noneCompared: string;
  walesCi: string;
  walesTrend: string;
  areaSummary: string | null;
  /** A sentence when the chosen area has a figure for one period only (the chart then shows a point, no line). */
  seriesNote: string;
  counts: { status: string; label: string; count: number }[];
  trendReason: string;
  choices: {
    areas: { value: string; text: string; selected: boolean }[];
    periods: { value: string; text: string; selected: boolean }[];
    breakdowns: { value: string; text: string; selected: boolean }[];
  };
  charts: { series: string | null; areas: string | null };
  tables: Partial<Record<MeasurePart, TableModel>>;
  query: Record<string, string | undefined>;
}

function periodText(d: MeasurePageData, code: string, lang: Language): string {
  const p = d.periods.find((x) => x.code === code);
  return p ? p.label[lang] : code;
}

/** Builds the page view (pure; cached by the route per language and query). */
export function buildMeasureView(
  d: MeasurePageData,
  lang: Language,
  t: Translate,
  sort: "value" | "name",
): MeasurePageView {
  const m = d.measure;
  const fmt = numberFormat(lang, m);
  const labels = statusLabels(t, "wales");
  const title = pick(m.title, lang).text;
  const area = areaName(d.area, lang);
  const periodLabel = d.period ? d.period.label[lang] : "";
  const bLabel = breakdownLabel(d.dims, d.breakdown, lang);
  const isWales = d.area.code === d.wales.code;
  const isCount = m.valueType === "count";
  const walesResult = d.results.find((r) => r.areaCode === d.wales.code) ?? null;
  const areaResult = d.results.find((r) => r.areaCode === d.area.code) ?? null;
  const las = d.results.filter((r) => r.areaType === "local_authority");
  const counts = (["better", "similar", "worse", "higher", "lower", "not_compared"] as const)
    .map((s) => ({
      status: s,
      label: labels[s],
      count: las.filter((r) => toStatus(r.benchmarkSignificance) === s).length,
    }))
    .filter((c) => c.count > 0);
  const query = {
    area: isWales ? undefined : d.area.code,
    period: d.period && d.period.code !== d.periods.at(-1)?.code ? d.period.code : undefined,
    breakdown: d.breakdown === "total" ? undefined : d.breakdown,
    sort: sort === "value" ? undefined : sort,
  };
  const valueWithNotes = (r: AnalysisResult) =>
    r.suppressed ? t("stats.suppressedShort") : r.value === null ? t("stats.noData") : displayValue(lang, m, r.value);

  // ---- time series of the chosen area
  const seriesTitle = t("measures.page.seriesTitle", { measure: title, area });
  const walesByPeriod = new Map(d.walesSeries.map((r) => [r.period, r]));
  const seriesChart =
    d.series.length > 0
      ? timeSeriesChart({
          id: "chart-series",
          title: seriesTitle,
          desc: t("measures.page.seriesDesc", {
            area,
            from: periodText(d, d.series[0]!.period, lang),
            to: periodText(d, d.series.at(-1)!.period, lang),
          }),
          points: d.series.map((r) => ({
            period: r.period,
            label: periodText(d, r.period, lang),
            value: r.suppressed ? null : r.value,
            lower: r.suppressed ? null : r.lower95,
            upper: r.suppressed ? null : r.upper95,
            status: isWales ? undefined : toStatus(r.benchmarkSignificance),
          })),
          seriesLabel: area,
          // a count's Wales total is not a reference for an area's count (it would squash every area's line)
          benchmark:
            isWales || isCount
              ? undefined
              : {
                  label: t("stats.wales"),
                  values: Object.fromEntries(d.walesSeries.map((r) => [r.period, r.suppressed ? null : r.value])),
                },
          bandLabel: t("stats.ci95"),
          valueLabel: unitLabel(t, lang, m),
          statusLabels: labels,
          format: fmt,
        })
      : null;
  const seriesTable: TableModel = {
    id: "table-series",
    caption: seriesTitle,
    rowHeader: "period",
    columns: [
      { key: "periodCode", header: t("downloads.columns.periodCode"), kind: "text", downloadOnly: true },
      { key: "period", header: t("stats.period"), kind: "text" },
      { key: "value", header: t("stats.value"), kind: "number", decimals: m.decimals, numeric: true },
      { key: "ci", header: t("stats.ci95"), kind: "text", pageOnly: true },
      { key: "lower", header: t("stats.lower"), kind: "number", decimals: m.decimals, downloadOnly: true },
      { key: "upper", header: t("stats.upper"), kind: "number", decimals: m.decimals, downloadOnly: true },
      ...(isWales
        ? []
        : [
            {
              key: "wales",
              header: t("stats.walesValue"),
              kind: "number" as const,
              decimals: m.decimals,
              numeric: true,
            },
            { key: "status", header: t("stats.comparedWithWales"), kind: "text" as const },
          ]),
      { key: "notes", header: t("stats.notes"), kind: "text" },
    ],
    rows: [...d.series].reverse().map((r) => {
      const w = walesByPeriod.get(r.period);
      const st = toStatus(r.benchmarkSignificance);
      return {
        periodCode: cell(r.period),
        period: cell(periodText(d, r.period, lang)),
        value: cell(r.suppressed ? null : r.value, valueWithNotes(r)),
        ci: cell(null, ciText(t, lang, m, r.lower95, r.upper95)),
        lower: cell(r.lower95),
        upper: cell(r.upper95),
        wales: cell(w && !w.suppressed ? w.value : null, w ? valueWithNotes(w) : ""),
        status: cell(labels[st], labels[st], statusHtml(st, labels[st])),
        notes: cell(r.suppressed ? t("stats.suppressed") : ""),
      };
    }),
  };

  // ---- every area at the period
  const order = sort === "name" ? sortAreas(d.dir.localAuthorities, lang) : d.dir.localAuthorities;
  const byArea = new Map(d.results.map((r) => [r.areaCode, r]));
  let rows = order.flatMap((a) => (byArea.has(a.code) ? [byArea.get(a.code)!] : []));
  if (sort === "value") {
    const dirn = m.polarity === "lower_is_better" ? 1 : -1;
    rows = [...rows].sort((a, b) => {
      const av = a.suppressed ? null : a.value;
      const bv = b.suppressed ? null : b.value;
      if (av === null) return bv === null ? 0 : 1;
      if (bv === null) return -1;
      return dirn * (av - bv);
    });
  }
  const areasTitle = t("measures.page.areasTitle", { measure: title, period: periodLabel });
  const areasChart =
    rows.length > 0
      ? barChart({
          id: "chart-areas",
          title: areasTitle,
          desc: t(isCount ? "measures.page.areasDescCount" : "measures.page.areasDesc", {
            counts: statusCounts(
              t,
              labels,
              las.map((r) => r.benchmarkSignificance),
            ),
            wales: walesResult?.value != null ? displayValue(lang, m, walesResult.value) : t("stats.noData"),
          }),
          rows: rows.map((r) => ({
            code: r.areaCode,
            label: areaName(d.dir.byCode.get(r.areaCode)!, lang),
            value: r.suppressed ? null : r.value,
            lower: r.suppressed ? null : r.lower95,
            upper: r.suppressed ? null : r.upper95,
            status: toStatus(r.benchmarkSignificance),
            highlight: r.areaCode === d.area.code,
            missingText: r.suppressed ? t("stats.suppressedShort") : t("stats.noData"),
          })),
          benchmark:
            walesResult && !isCount
              ? { label: t("stats.wales"), value: walesResult.suppressed ? null : walesResult.value }
              : undefined,
          valueLabel: unitLabel(t, lang, m),
          statusLabels: labels,
          format: fmt,
        })
      : null;
  const areaRows = [...(walesResult ? [walesResult] : []), ...rows];
  const areasTable: TableModel = {
    id: "table-areas",
    caption: areasTitle,
    rowHeader: "area",
    columns: [
      ...areaValueColumns(t, m.decimals, tableUnit(t, lang, m)),
      { key: "status", header: t("stats.comparedWithWales"), kind: "text" },
      { key: "quintile", header: t("stats.quintileColumn"), kind: "number", numeric: true },
      { key: "rank", header: t("stats.rank"), kind: "text", numeric: true },
      { key: "trend", header: t("stats.trendColumn"), kind: "text" },
    ],
    rows: areaRows.map((r) => {
      const a = d.dir.byCode.get(r.areaCode)!;
      const st = toStatus(r.benchmarkSignificance);
      const isW = r.areaCode === d.wales.code;
      const statusText = isW ? t("stats.significance.benchmarkItself") : labels[st];
      return {
        areaCode: cell(r.areaCode),
        area: linkCell(areaName(a, lang), `/${lang}/areas/${a.code}`),
        value: cell(r.suppressed ? null : r.value, valueWithNotes(r)),
        ci: cell(null, ciText(t, lang, m, r.lower95, r.upper95)),
        lower: cell(r.lower95),
        upper: cell(r.upper95),
        status: cell(statusText, statusText, isW ? undefined : statusHtml(st, statusText)),
        quintile: cell(r.quintile, r.quintile ? formatNumber(r.quintile, lang, 0) : ""),
        rank: cell(
          r.rank && r.rankOutOf ? `${r.rank}/${r.rankOutOf}` : null,
          r.rank && r.rankOutOf ? t("stats.rankOf", { rank: r.rank, total: r.rankOutOf }) : "",
        ),
        trend: cell(trendText(t, r)),
      };
    }),
  };

  // ---- breakdowns and gaps of the chosen area
  const tables: Partial<Record<MeasurePart, TableModel>> = {
    series: markIllustrative(
      seriesTable,
      [...d.series].reverse().map((r) => r.illustrative),
      t,
    ),
    areas: markIllustrative(
      areasTable,
      areaRows.map((r) => r.illustrative),
      t,
    ),
  };
  if (d.breakdownResults.length > 0) {
    tables.breakdowns = {
      id: "table-breakdowns",
      caption: t("measures.page.breakdownsTitle", { area, period: periodLabel }),
      rowHeader: "breakdown",
      columns: [
        { key: "breakdownCode", header: t("stats.breakdown"), kind: "text", downloadOnly: true },
        { key: "breakdown", header: t("stats.breakdown"), kind: "text" },
        { key: "value", header: t("stats.value"), kind: "number", decimals: m.decimals, numeric: true },
        { key: "ci", header: t("stats.ci95"), kind: "text", pageOnly: true },
        { key: "lower", header: t("stats.lower"), kind: "number", decimals: m.decimals, downloadOnly: true },
        { key: "upper", header: t("stats.upper"), kind: "number", decimals: m.decimals, downloadOnly: true },
        { key: "trend", header: t("stats.trendColumn"), kind: "text" },
      ],
      rows: d.breakdownResults.map((r) => ({
        breakdownCode: cell(r.breakdown),
        breakdown: cell(breakdownLabel(d.dims, r.breakdown, lang) ?? t("stats.total")),
        value: cell(r.suppressed ? null : r.value, valueWithNotes(r)),
        ci: cell(null, ciText(t, lang, m, r.lower95, r.upper95)),
        lower: cell(r.lower95),
        upper: cell(r.upper95),
        trend: cell(trendText(t, r)),
      })),
    };
  }
  const gaps = d.period ? d.gaps.filter((g) => g.period === d.period!.code) : [];
  if (gaps.length > 0) {
    tables.gaps = {
      id: "table-gaps",
      caption: t("measures.page.gapsTitle", { area, period: periodLabel }),
      rowHeader: "groups",
      columns: [
        { key: "groups", header: t("measures.page.gapGroups"), kind: "text" },
        { key: "gap", header: t("measures.page.gap"), kind: "number", decimals: m.decimals, numeric: true },
        { key: "ci", header: t("stats.ci95"), kind: "text", pageOnly: true },
        { key: "lower", header: t("stats.lower"), kind: "number", decimals: m.decimals, downloadOnly: true },
        { key: "upper", header: t("stats.upper"), kind: "number", decimals: m.decimals, downloadOnly: true },
        { key: "significant", header: t("measures.page.gapSignificant"), kind: "text" },
        { key: "gapTrend", header: t("measures.page.gapTrend"), kind: "text" },
      ],
      rows: gaps.map((g) => ({
        groups: cell(
          t("measures.page.gapBetween", {
            a: breakdownLabel(d.dims, g.groupA.replace(":", "="), lang) ?? g.groupA,
            b: breakdownLabel(d.dims, g.groupB.replace(":", "="), lang) ?? g.groupB,
          }),
        ),
        gap: cell(g.absolute, formatNumber(g.absolute, lang, m.decimals)),
        ci: cell(null, ciText(t, lang, m, g.absoluteLower, g.absoluteUpper)),
        lower: cell(g.absoluteLower),
        upper: cell(g.absoluteUpper),
        significant: cell(g.significant ? t("measures.page.gapYes") : t("measures.page.gapNo")),
        gapTrend: cell(t(`measures.page.gapTrends.${g.gapTrend}`)),
      })),
    };
  }

  const areaChoices = [d.wales, ...sortAreas(d.dir.localAuthorities, lang)].map((a) => ({
    value: a.code,
    text: areaName(a, lang),
    selected: a.code === d.area.code,
  }));
  return {
    title,
    unit: unitLabel(t, lang, m),
    periodLabel,
    areaLabel: area,
    breakdownLabel: bLabel,
    hasData: d.results.length > 0,
    walesResult,
    areaResult,
    walesValue: walesResult && walesResult.value !== null ? valueWithNotes(walesResult) : "",
    walesMissing: (() => {
      if (walesResult && walesResult.value !== null) return "";
      if (walesResult?.suppressed) return "";
      const latest = [...d.walesSeries].reverse().find((r) => r.value !== null && !r.suppressed);
      return latest
        ? t("measures.page.walesMissingLatest", {
            period: periodLabel,
            value: displayValue(lang, m, latest.value!),
            latest: periodText(d, latest.period, lang),
          })
        : t("measures.page.walesMissingNone");
    })(),
    noneCompared: counts.length === 0 ? t("measures.page.noneCompared", { period: periodLabel }) : "",
    walesCi: walesResult ? ciText(t, lang, m, walesResult.lower95, walesResult.upper95) : "",
    walesTrend: walesResult ? trendText(t, walesResult) : t("measures.page.trendMissing"),
    trendReason: walesResult ? trendReasonText(t, walesResult.trendReason) : "",
    areaSummary: (() => {
      const latest = d.series.at(-1);
      return latest ? (lang === "cy" ? (latest.summary.cy ?? latest.summary.en) : latest.summary.en) : null;
    })(),
    seriesNote: (() => {
      const shown = d.series.filter((r) => !r.suppressed && r.value !== null);
      if (shown.length !== 1) return "";
      const r = shown[0]!;
      const ci = ciText(t, lang, m, r.lower95, r.upper95);
      return t(ci ? "measures.page.singlePeriodCi" : "measures.page.singlePeriod", {
        value: displayValue(lang, m, r.value!),
        period: periodText(d, r.period, lang),
        ci,
      });
    })(),
    counts,
    choices: {
      areas: areaChoices,
      periods: [...d.periods]
        .reverse()
        .map((p) => ({ value: p.code, text: p.label[lang], selected: p.code === d.period?.code })),
      breakdowns: d.breakdowns.map((b) => ({
        value: b,
        text: breakdownLabel(d.dims, b, lang) ?? t("stats.total"),
        selected: b === d.breakdown,
      })),
    },
    charts: { series: seriesChart, areas: areasChart },
    tables,
    query,
  };
}

/** The URL of a download of part of the measure page, keeping the page's choices. */
export function measureDownloadUrl(
  lang: Language,
  code: string,
  query: Record<string, string | undefined>,
  part: string,
  format: string,
): string {
  return withQuery(`/${lang}/measures/${encodeURIComponent(code)}/download`, { ...query, part, format });
}
