/**
 * The national dashboard in one language: for each core aim, how many measures are improving, worsening or not
 * changing in Wales, and how many local authority results are significantly better or worse than Wales; then, per
 * aim, each measure's Wales value and trend.
 */
import type { Language } from "../../domain/enums.ts";
import { esc } from "../../render/charts/svg.ts";
import { cell, linkCell, type TableModel } from "../../render/document/table.ts";
import type { AimSummary, AnalysisResult } from "../../services/analysis/index.ts";
import type { FrameworkView } from "../../services/framework-service.ts";
import { formatNumber, pick, type Translate } from "../i18n.ts";
import { displayValue, trendText } from "./labels.ts";

const n = (lang: Language, v: number) => cell(v, formatNumber(v, lang, 0));

export function buildDashboard(
  summary: AimSummary[],
  walesResults: AnalysisResult[],
  view: FrameworkView,
  lang: Language,
  t: Translate,
) {
  const text = (b: Parameters<typeof pick>[0]) => pick(b, lang).text;
  const aimNumber = new Map(view.aims.map((a) => [a.code, a.number]));
  const aimLabel = (code: string) => t("framework.coreAim", { number: aimNumber.get(code) ?? code });
  const trends: TableModel = {
    id: "table-trends",
    caption: t("dashboard.trendsCaption"),
    rowHeader: "aim",
    columns: [
      { key: "aimCode", header: t("dashboard.aimCode"), kind: "text", downloadOnly: true },
      { key: "aim", header: t("dashboard.aim"), kind: "text" },
      { key: "measures", header: t("dashboard.measures"), kind: "number", numeric: true },
      { key: "improving", header: t("stats.trend.getting_better"), kind: "number", numeric: true },
      { key: "worsening", header: t("stats.trend.getting_worse"), kind: "number", numeric: true },
      { key: "changing", header: t("dashboard.changingNoJudgement"), kind: "number", numeric: true },
      { key: "unchanged", header: t("stats.trend.no_significant_change"), kind: "number", numeric: true },
      { key: "unknown", header: t("stats.trend.cannot_be_calculated"), kind: "number", numeric: true },
    ],
    rows: summary.map((s) => ({
      aimCode: cell(s.coreAimCode),
      aim: linkCell(`${aimLabel(s.coreAimCode)}: ${text(s.title)}`, `#${s.coreAimCode}`),
      measures: n(lang, s.measures),
      improving: n(lang, s.walesTrend.improving),
      worsening: n(lang, s.walesTrend.worsening),
      changing: n(lang, s.walesTrend.increasing + s.walesTrend.decreasing),
      unchanged: n(lang, s.walesTrend.noSignificantChange),
      unknown: n(lang, s.walesTrend.cannotBeCalculated),
    })),
  };
  const areas: TableModel = {
    id: "table-comparisons",
    caption: t("dashboard.areasCaption"),
    rowHeader: "aim",
    columns: [
      { key: "aimCode", header: t("dashboard.aimCode"), kind: "text", downloadOnly: true },
      { key: "aim", header: t("dashboard.aim"), kind: "text" },
      { key: "better", header: t("stats.significance.wales.better"), kind: "number", numeric: true },
      { key: "similar", header: t("stats.significance.wales.similar"), kind: "number", numeric: true },
      { key: "worse", header: t("stats.significance.wales.worse"), kind: "number", numeric: true },
      { key: "higherLower", header: t("dashboard.higherLower"), kind: "number", numeric: true },
      { key: "notCompared", header: t("stats.significance.wales.not_compared"), kind: "number", numeric: true },
      { key: "worseAndWorsening", header: t("dashboard.worseAndWorsening"), kind: "number", numeric: true },
    ],
    rows: summary.map((s) => ({
      aimCode: cell(s.coreAimCode),
      aim: cell(`${aimLabel(s.coreAimCode)}: ${text(s.title)}`),
      better: n(lang, s.areasComparedWithWales.better),
      similar: n(lang, s.areasComparedWithWales.similar),
      worse: n(lang, s.areasComparedWithWales.worse),
      higherLower: n(lang, s.areasComparedWithWales.higher + s.areasComparedWithWales.lower),
      notCompared: n(lang, s.areasComparedWithWales.notCompared),
      worseAndWorsening: n(lang, s.worseAndWorsening),
    })),
  };
  const wales = new Map(walesResults.map((r) => [r.measureCode, r]));
  const perAim = view.aims.map((a) => {
    const measures = view.measures.filter(
      (m) => m.status === "live" && m.coreAims.includes(a.code) && wales.has(m.code),
    );
    const table: TableModel = {
      id: `table-${a.code}`,
      caption: t("dashboard.aimMeasuresCaption", { aim: aimLabel(a.code) }),
      rowHeader: "measure",
      columns: [
        { key: "measure", header: t("stats.measure"), kind: "text" },
        { key: "tier", header: t("measures.list.columns.tier"), kind: "text" },
        { key: "value", header: t("stats.walesValue"), kind: "text", numeric: true },
        { key: "trend", header: t("dashboard.walesTrend"), kind: "text" },
      ],
      rows: measures.map((m) => {
        const r = wales.get(m.code)!;
        const link = linkCell(text(m.title), `/${lang}/measures/${encodeURIComponent(m.code)}`);
        if (lang === "cy" && !m.title.cy) {
          link.html = `<span lang="en">${link.html}</span> <strong class="govuk-tag govuk-tag--grey">${esc(t("framework.notTranslated"))}</strong>`;
        }
        return {
          measure: link,
          tier: cell(t(`enums.tier.${m.tier}`)),
          value: cell(
            r.suppressed ? null : r.value,
            r.suppressed ? t("stats.suppressedShort") : displayValue(lang, m, r.value),
          ),
          trend: cell(trendText(t, r)),
        };
      }),
    };
    return { code: a.code, heading: `${aimLabel(a.code)}: ${text(a.title)}`, table };
  });
  return { trends, areas, perAim };
}
