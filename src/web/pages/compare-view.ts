/** The compare page in one language: the side-by-side table and bar chart of the chosen areas. */
import type { Language } from "../../domain/enums.ts";
import { barChart } from "../../render/charts/bar-chart.ts";
import { esc } from "../../render/charts/svg.ts";
import { areaValueColumns, cell, linkCell, markIllustrative, type TableModel } from "../../render/document/table.ts";
import type { FrameworkView } from "../../services/framework-service.ts";
import type { AreaDirectory } from "../../services/public/area-directory.ts";
import { areaName, groupingsOn, sortAreas } from "../../services/public/area-directory.ts";
import type { CompareData } from "../../services/public/compare-data.ts";
import { formatNumber, pick, type Translate } from "../i18n.ts";
import {
  ciText,
  displayValue,
  numberFormat,
  statusLabels,
  tableUnit,
  toStatus,
  trendText,
  unitLabel,
} from "./labels.ts";
import { statusHtml } from "./status-cell.ts";

export function compareChoices(
  view: FrameworkView,
  dir: AreaDirectory,
  lang: Language,
  t: Translate,
  q: { measure?: string | undefined; areas: readonly string[]; group?: string | undefined },
) {
  const text = (b: Parameters<typeof pick>[0]) => pick(b, lang).text;
  const today = new Date().toISOString().slice(0, 10);
  const typeOrder = ["health_board", "education_consortium", "police_force_area", "fire_rescue", "region", "custom"];
  const groups = groupingsOn(dir, today).sort(
    (a, b) => typeOrder.indexOf(a.type) - typeOrder.indexOf(b.type) || a.sortOrder - b.sortOrder,
  );
  return {
    measures: view.measures
      .filter((m) => m.status === "live")
      .map((m) => ({ value: m.code, text: text(m.title), selected: m.code === q.measure })),
    areas: sortAreas(dir.localAuthorities, lang).map((a) => ({
      value: a.code,
      text: areaName(a, lang),
      checked: q.areas.includes(a.code),
    })),
    groups: groups.map((g) => ({
      value: g.code,
      text: `${areaName(g, lang)} (${t(`compare.groupTypes.${g.type}`)})`,
      selected: g.code === q.group,
    })),
  };
}

export function buildComparison(d: CompareData, lang: Language, t: Translate) {
  const m = d.measure;
  const title = pick(m.title, lang).text;
  const walesLabels = statusLabels(t, "wales");
  const groupLabels = statusLabels(t, "group");
  const groupName = d.group ? areaName(d.group, lang) : t("compare.chosenAreas");
  const period = d.period ? d.period.label[lang] : "";
  const tableTitle = t("compare.tableTitle", { measure: title, group: groupName, period });
  const valueText = (r: CompareData["wales"]) =>
    !r
      ? t("stats.noData")
      : r.suppressed
        ? t("stats.suppressedShort")
        : r.value === null
          ? t("stats.noData")
          : displayValue(lang, m, r.value);
  const rows: TableModel["rows"] = [];
  const flags: boolean[] = [];
  if (d.wales) {
    flags.push(d.wales.illustrative);
    rows.push({
      areaCode: cell(d.wales.areaCode),
      area: cell(t("stats.wales")),
      value: cell(d.wales.suppressed ? null : d.wales.value, valueText(d.wales)),
      ci: cell(null, ciText(t, lang, m, d.wales.lower95, d.wales.upper95)),
      lower: cell(d.wales.lower95),
      upper: cell(d.wales.upper95),
      vsWales: cell(t("stats.significance.benchmarkItself")),
      vsGroup: cell(""),
      rank: cell(null, ""),
      trend: cell(trendText(t, d.wales)),
    });
  }
  if (d.comparison && d.comparison.groupValue !== null) {
    flags.push(false);
    rows.push({
      areaCode: cell(d.group?.code ?? null),
      // how the group's value is made is said in the row heading, not in the interval column (it has no interval)
      area: cell(
        t("compare.groupRow", { group: groupName }),
        undefined,
        `${esc(t("compare.groupRow", { group: groupName }))}<br><span class="govuk-body-s">${esc(
          t(`compare.groupMethod.${d.comparison.groupMethod ?? "mean"}`),
        )}</span>`,
      ),
      value: cell(d.comparison.groupValue, displayValue(lang, m, d.comparison.groupValue)),
      ci: cell(null, ""),
      lower: cell(null),
      upper: cell(null),
      vsWales: cell(""),
      vsGroup: cell(""),
      rank: cell(null, ""),
      trend: cell(""),
    });
  }
  for (const a of d.areas) {
    const r = d.results.get(a.code);
    const c = d.byArea.get(a.code);
    const sw = toStatus(r?.benchmarkSignificance);
    const sg = toStatus(c?.significance);
    flags.push(r?.illustrative ?? false);
    rows.push({
      areaCode: cell(a.code),
      area: linkCell(areaName(a, lang), `/${lang}/areas/${a.code}`),
      value: cell(r && !r.suppressed ? r.value : null, valueText(r)),
      ci: cell(null, r ? ciText(t, lang, m, r.lower95, r.upper95) : ""),
      lower: cell(r?.lower95 ?? null),
      upper: cell(r?.upper95 ?? null),
      vsWales: cell(walesLabels[sw], walesLabels[sw], statusHtml(sw, walesLabels[sw])),
      vsGroup: cell(groupLabels[sg], groupLabels[sg], statusHtml(sg, groupLabels[sg])),
      rank: cell(
        c?.rank && c.rankOutOf ? `${c.rank}/${c.rankOutOf}` : null,
        c?.rank && c.rankOutOf ? t("stats.rankOf", { rank: c.rank, total: c.rankOutOf }) : "",
      ),
      trend: cell(r ? trendText(t, r) : ""),
    });
  }
  const tableModel: TableModel = {
    id: "table-compare",
    caption: tableTitle,
    rowHeader: "area",
    columns: [
      ...areaValueColumns(t, m.decimals, tableUnit(t, lang, m)),
      { key: "vsWales", header: t("stats.comparedWithWales"), kind: "text" },
      { key: "vsGroup", header: t("compare.comparedWithGroup"), kind: "text" },
      { key: "rank", header: t("compare.rankInGroup"), kind: "text", numeric: true },
      { key: "trend", header: t("stats.trendColumn"), kind: "text" },
    ],
    rows,
  };
  const table = markIllustrative(tableModel, flags, t);
  const chartTitle = t("compare.chartTitle", { measure: title, group: groupName, period });
  const svg =
    d.areas.length > 0
      ? barChart({
          id: "chart-compare",
          title: chartTitle,
          desc: t("compare.chartDesc", { count: d.areas.length }),
          rows: d.areas.map((a) => {
            const r = d.results.get(a.code);
            return {
              code: a.code,
              label: areaName(a, lang),
              value: r && !r.suppressed ? r.value : null,
              lower: r && !r.suppressed ? r.lower95 : null,
              upper: r && !r.suppressed ? r.upper95 : null,
              status: toStatus(r?.benchmarkSignificance),
              missingText: r?.suppressed ? t("stats.suppressedShort") : t("stats.noData"),
            };
          }),
          benchmark: d.wales
            ? { label: t("stats.wales"), value: d.wales.suppressed ? null : d.wales.value }
            : undefined,
          valueLabel: unitLabel(t, lang, m),
          statusLabels: walesLabels,
          format: numberFormat(lang, m),
        })
      : null;
  return {
    title,
    groupName,
    period,
    table,
    svg,
    chartTitle,
    summary: d.comparison
      ? t("compare.summary", {
          withValue: formatNumber(d.comparison.membersWithValue, lang, 0),
          without: formatNumber(d.comparison.membersWithoutValue, lang, 0),
        })
      : "",
  };
}
