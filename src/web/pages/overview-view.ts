/**
 * The overview (tartan rug) in one language: measures × areas, each cell the value on its comparison colour with the
 * comparison's shape and, for screen readers, the comparison in words. The long-form table is the download.
 */

import type { Language } from "../../domain/enums.ts";
import { esc } from "../../render/charts/svg.ts";
import { tartanCell, tartanRug } from "../../render/charts/tartan-rug.ts";
import { cell, markIllustrative, type TableModel } from "../../render/document/table.ts";
import type { FrameworkView } from "../../services/framework-service.ts";
import { areaName, sortAreas } from "../../services/public/area-directory.ts";
import type { OverviewData } from "../../services/public/overview-data.ts";
import { formatNumber, pick, type Translate } from "../i18n.ts";
import { coreAimChoices, tierChoices } from "./filter-choices.ts";
import { displayValue, statusLabels, toStatus } from "./labels.ts";

export function buildOverview(
  d: OverviewData,
  view: FrameworkView,
  lang: Language,
  t: Translate,
  q: { coreAim?: string | undefined; tier: string; order: "alphabetical" | "standard" },
) {
  const labels = statusLabels(t, "wales");
  const text = (b: Parameters<typeof pick>[0]) => pick(b, lang).text;
  const las = sortAreas(d.dir.localAuthorities, lang, q.order);
  const wales = d.dir.wales;
  const columns = las.map((a) => ({ code: a.code, label: areaName(a, lang) }));
  const rows = d.rows.map((row) => {
    const m = row.measure;
    const w = wales ? row.byArea.get(wales.code) : undefined;
    return {
      code: m.code,
      title: text(m.title),
      notTranslated: lang === "cy" && !m.title.cy,
      // a measure's results are illustrative (demo data) all together, until real data are published for it
      illustrative: [...row.byArea.values()].some((r) => r.illustrative),
      period: row.period ? row.period.label[lang] : "",
      wales: w && !w.suppressed && w.value !== null ? displayValue(lang, m, w.value) : t("stats.noData"),
      cells: las.map((a) => {
        const r = row.byArea.get(a.code);
        const status = toStatus(r?.benchmarkSignificance);
        const has = r && !r.suppressed && r.value !== null;
        const value = has ? formatNumber(r.value, lang, m.decimals) : r?.suppressed ? t("stats.suppressedShort") : "–";
        return {
          status: has ? status : "not_compared",
          html: has
            ? `${tartanCell({ id: "i", status, label: labels[status], decorative: true })}${esc(value)}<span class="govuk-visually-hidden">, ${esc(labels[status])}</span>`
            : `${esc(value)}<span class="govuk-visually-hidden">, ${esc(r?.suppressed ? t("stats.suppressed") : t("stats.noData"))}</span>`,
        };
      }),
    };
  });
  const title = t("overview.tableTitle");
  const svg =
    rows.length > 0
      ? tartanRug({
          id: "chart-rug",
          title,
          desc: t("overview.chartDesc", { measures: rows.length, areas: las.length }),
          columns,
          rows: d.rows.map((row) => ({
            code: row.measure.code,
            label: text(row.measure.shortTitle ?? row.measure.title),
            cells: las.map((a) => {
              const r = row.byArea.get(a.code);
              return {
                value: r && !r.suppressed ? r.value : null,
                status: r && !r.suppressed && r.value !== null ? toStatus(r.benchmarkSignificance) : "not_compared",
              };
            }),
          })),
          statusLabels: labels,
          format: (n) => formatNumber(n, lang, 1),
          missingText: "–",
        })
      : null;
  const areasInLong = [...(wales ? [wales] : []), ...las];
  const longTable: TableModel = {
    id: "table-overview",
    caption: title,
    rowHeader: "measure",
    columns: [
      { key: "measureCode", header: t("downloads.columns.measureCode"), kind: "text" },
      { key: "measure", header: t("stats.measure"), kind: "text" },
      { key: "period", header: t("stats.period"), kind: "text" },
      { key: "areaCode", header: t("downloads.columns.areaCode"), kind: "text" },
      { key: "area", header: t("stats.area"), kind: "text" },
      { key: "value", header: t("stats.value"), kind: "number" },
      { key: "lower", header: t("stats.lower"), kind: "number" },
      { key: "upper", header: t("stats.upper"), kind: "number" },
      { key: "status", header: t("stats.comparedWithWales"), kind: "text" },
      { key: "statusCode", header: t("downloads.columns.significanceCode"), kind: "text" },
    ],
    rows: d.rows.flatMap((row) =>
      areasInLong.map((a) => {
        const r = row.byArea.get(a.code);
        const st = toStatus(r?.benchmarkSignificance);
        return {
          measureCode: cell(row.measure.code),
          measure: cell(text(row.measure.title)),
          period: cell(row.period ? row.period.label[lang] : (r?.period ?? "")),
          areaCode: cell(a.code),
          area: cell(areaName(a, lang)),
          value: cell(r && !r.suppressed ? r.value : null),
          lower: cell(r && !r.suppressed ? r.lower95 : null),
          upper: cell(r && !r.suppressed ? r.upper95 : null),
          status: cell(a.type === "country" ? t("stats.significance.benchmarkItself") : labels[st]),
          statusCode: cell(a.type === "country" ? null : st),
        };
      }),
    ),
  };
  // every illustrative row of the download is marked, not only the page's banner
  const long = markIllustrative(
    longTable,
    d.rows.flatMap((row) => areasInLong.map((a) => row.byArea.get(a.code)?.illustrative === true)),
    t,
  );
  return {
    columns,
    rows,
    svg,
    long,
    legend: (["better", "similar", "worse", "higher", "lower", "not_compared"] as const).map((s) => ({
      status: s,
      label: labels[s],
      icon: tartanCell({ id: "l", status: s, label: labels[s], decorative: true }),
    })),
    choices: {
      coreAims: coreAimChoices(view, lang, t, q.coreAim),
      tiers: tierChoices(t, q.tier),
      orders: [
        { value: "alphabetical", text: t("pages.order.alphabetical"), selected: q.order === "alphabetical" },
        { value: "standard", text: t("pages.order.standard"), selected: q.order === "standard" },
      ],
    },
  };
}
