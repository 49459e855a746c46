/**
 * Page models of the public plan pages: the list of published plans, a plan, the turn-the-curve report of one of its
 * measures and a programme's scorecard. Numbers are formatted here, statuses are given in words (never colour alone),
 * and narrative markdown is rendered safely (src/render/document/markdown.ts).
 */
import type { Language } from "../../domain/enums.ts";
import type { CurvePeriod } from "../../render/charts/turn-the-curve.ts";
import { turnTheCurveChart } from "../../render/charts/turn-the-curve.ts";
import { renderMarkdown } from "../../render/document/markdown.ts";
import { diffHtml, diffWords } from "../../render/document/text-diff.ts";
import type { Translate } from "../../render/wording/translate.ts";
import type { MeasureView } from "../../services/framework-service.ts";
import type { PlanBaseline } from "../../services/plans/baseline.ts";
import type { PlanDetail } from "../../services/plans/index.ts";

type NarrativeVersionRow = PlanDetail["narratives"][number];
type ProgrammeMeasureRow = PlanDetail["programmes"][number]["measures"][number];
type PerformanceValueRow = ProgrammeMeasureRow["values"][number];

import { displayValue, numberFormat } from "./labels.ts";

type Bilingual = { en: string; cy?: string } | null | undefined;

/** Text in the page language, English when there is no Welsh (the template marks it). */
export function inLanguage(text: Bilingual, lang: Language): string {
  if (!text) return "";
  return lang === "cy" && text.cy ? text.cy : text.en;
}

export function planAddress(lang: Language, areaCode: string, period: string): string {
  return `/${lang}/plans/${areaCode}/${period}`;
}

/** The verdict of the latest value against the forecast, in words. */
export function verdictText(t: Translate, lang: Language, m: MeasureView, b: PlanBaseline): string {
  if (b.noForecast)
    return t(`plans.noForecast.${b.noForecast === "unknown_period_type" ? "too_few_points" : b.noForecast}`);
  const latest = b.latest;
  if (!latest) return t("plans.noActualYet");
  if (!latest.judgement) return t("plans.noActualYet");
  const f = b.forecast.find((p) => p.period === latest.period);
  return t(`plans.verdict.${latest.judgement.verdict}`, {
    value: displayValue(lang, m, latest.value),
    period: latest.period,
    forecast: f ? displayValue(lang, m, f.value) : "",
    lower: f ? displayValue(lang, m, f.lower) : "",
    upper: f ? displayValue(lang, m, f.upper) : "",
  });
}

/** Short status words for a scorecard cell. */
export function targetText(t: Translate, b: PlanBaseline): string {
  return t(`plans.target.${b.latest?.target ?? "none"}`);
}

export interface CurveModel {
  svg: string;
  rows: { period: string; cells: string[] }[];
  headers: string[];
}

/** The turn-the-curve chart and the same numbers as table rows. */
export function curveModel(
  t: Translate,
  lang: Language,
  m: MeasureView,
  b: PlanBaseline,
  wales: ReadonlyMap<string, number | null>,
  targets: ReadonlyMap<string, number>,
  title: string,
): CurveModel {
  const codes = new Set<string>();
  for (const p of [...b.history, ...b.actuals]) codes.add(p.period);
  for (const p of b.forecast) codes.add(p.period);
  for (const p of b.planPeriods) codes.add(p);
  for (const p of targets.keys()) codes.add(p);
  const ordered = [...codes].sort();
  const points = new Map([...b.history, ...b.actuals].map((p) => [p.period, p] as const));
  const fc = new Map(b.forecast.map((p) => [p.period, p] as const));
  const periods: CurvePeriod[] = ordered.map((period) => {
    const a = points.get(period);
    const f = fc.get(period);
    return {
      period,
      label: period,
      actual: a?.value ?? null,
      lower: a?.lower95 ?? null,
      upper: a?.upper95 ?? null,
      wales: wales.get(period) ?? null,
      forecast: f?.value ?? null,
      forecastLower: f?.lower ?? null,
      forecastUpper: f?.upper ?? null,
      target: targets.get(period) ?? null,
    };
  });
  const svg = turnTheCurveChart({
    id: `ttc-${m.code}`,
    title,
    desc: t("plans.page.chartDesc"),
    periods,
    labels: {
      actual: t("plans.chart.actual"),
      band: t("plans.chart.band"),
      wales: t("plans.chart.wales"),
      forecast: t("plans.chart.forecast"),
      forecastBand: t("plans.chart.forecastBand"),
      target: t("plans.chart.target"),
      value: t("plans.page.value"),
    },
    format: numberFormat(lang, m),
  });
  const v = (n: number | null) => (n === null ? "" : displayValue(lang, m, n));
  const range = (lo: number | null, hi: number | null) =>
    lo === null || hi === null ? "" : t("plans.page.range", { lower: v(lo), upper: v(hi) });
  return {
    svg,
    headers: [
      t("plans.page.period"),
      t("plans.chart.actual"),
      t("plans.chart.band"),
      t("plans.chart.wales"),
      t("plans.chart.forecast"),
      t("plans.chart.forecastBand"),
      t("plans.chart.target"),
    ],
    rows: periods.map((p) => ({
      period: p.label,
      cells: [
        v(p.actual),
        range(p.lower, p.upper),
        v(p.wales),
        v(p.forecast),
        range(p.forecastLower, p.forecastUpper),
        v(p.target),
      ],
    })),
  };
}

export interface NarrativeModel {
  section: string;
  heading: string;
  html: string;
  items: { text: string; tag: string; detail: string }[];
  version: number;
  author: string;
  at: string;
  history: { version: number; author: string; at: string; diff: string; restoredFrom: number | null }[];
}

function itemModels(t: Translate, section: string, items: unknown): NarrativeModel["items"] {
  if (!Array.isArray(items)) return [];
  return items.map((raw) => {
    const o = raw as Record<string, string | undefined>;
    if (section === "story") return { text: o.text ?? "", tag: t(`plans.factor.${o.kind}`), detail: "" };
    if (section === "partners") return { text: o.name ?? "", tag: o.organisationType ?? "", detail: o.role ?? "" };
    if (section === "what_works") return { text: o.text ?? "", tag: t(`plans.idea.${o.kind}`), detail: o.source ?? "" };
    return { text: o.text ?? "", tag: "", detail: "" };
  });
}

/** A time as `YYYY-MM-DD HH:MM` (UTC), as the pages show when something was saved. */
export function minuteUtc(d: Date): string {
  return d.toISOString().slice(0, 16).replace("T", " ");
}

/** One narrative section: its current text (markdown rendered safely), its items and every earlier version's diff. */
export function narrativeModel(
  t: Translate,
  section: string,
  versions: readonly NarrativeVersionRow[],
): NarrativeModel | null {
  const current = versions[0];
  if (!current) return null;
  const labels = { added: t("plans.page.added"), removed: t("plans.page.removed") };
  return {
    section,
    heading: t(`plans.section.${section}`),
    html: renderMarkdown(current.body),
    items: itemModels(t, section, current.items),
    version: current.version,
    author: current.author,
    at: minuteUtc(current.createdAt),
    history: versions.map((v, i) => ({
      version: v.version,
      author: v.author,
      at: minuteUtc(v.createdAt),
      restoredFrom: v.restoredFrom,
      diff: diffHtml(diffWords(versions[i + 1]?.body ?? "", v.body), labels),
    })),
  };
}

export interface ScoreRow {
  code: string;
  title: string;
  latest: string;
  latestPeriod: string;
  change: string;
  trend: string;
}

/** A programme's performance measure on the scorecard: the latest value, change since the previous period, trend. */
export function scoreRow(
  t: Translate,
  lang: Language,
  m: ProgrammeMeasureRow,
  values: readonly PerformanceValueRow[],
): ScoreRow {
  // the current revision of each period
  const byPeriod = new Map<string, PerformanceValueRow>();
  for (const v of values) {
    const had = byPeriod.get(v.period);
    if (!had || v.revision > had.revision) byPeriod.set(v.period, v);
  }
  const series = [...byPeriod.values()].sort((a, b) => a.period.localeCompare(b.period));
  const last = series.at(-1);
  const prev = series.at(-2);
  const spec = { unit: m.unit, multiplier: 1, decimals: m.decimals };
  let change = "";
  let trend = t("plans.trend.not_enough");
  if (last && prev) {
    const d = last.value - prev.value;
    change = `${d > 0 ? "+" : ""}${displayValue(lang, spec, d)}`;
    if (d === 0) trend = t("plans.trend.no_change");
    else if (m.polarity === "higher_is_better") trend = t(d > 0 ? "plans.trend.improving" : "plans.trend.worsening");
    else if (m.polarity === "lower_is_better") trend = t(d < 0 ? "plans.trend.improving" : "plans.trend.worsening");
    else trend = t(d > 0 ? "plans.trend.up" : "plans.trend.down");
  }
  return {
    code: m.code,
    title: inLanguage(m.title as Bilingual, lang),
    latest: last ? displayValue(lang, spec, last.value) : "",
    latestPeriod: last?.period ?? "",
    change,
    trend,
  };
}
