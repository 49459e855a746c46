/** The map page in one language: the hexagon map (by comparison with Wales or by quintile) and its table. */
import type { Language } from "../../domain/enums.ts";
import { type BoundaryCollection, boundaryMap } from "../../render/charts/boundary-map.ts";
import { hexMap } from "../../render/charts/hex-map.ts";
import { areaValueColumns, cell, linkCell, type TableModel } from "../../render/document/table.ts";
import { areaName } from "../../services/public/area-directory.ts";
import type { MeasurePageData } from "../../services/public/measure-page-data.ts";
import { formatNumber, pick, type Translate } from "../i18n.ts";
import { ciText, displayValue, numberFormat, quintileNames, statusCounts, statusLabels, toStatus } from "./labels.ts";
import { statusHtml } from "./status-cell.ts";

export function buildMap(
  d: MeasurePageData,
  lang: Language,
  t: Translate,
  mode: "significance" | "quintile",
  boundaries: BoundaryCollection | null = null,
) {
  const m = d.measure;
  const title = pick(m.title, lang).text;
  const period = d.period ? d.period.label[lang] : "";
  const labels = statusLabels(t, "wales");
  const qNames = quintileNames(t);
  const las = d.dir.localAuthorities;
  const byArea = new Map(d.results.map((r) => [r.areaCode, r]));
  const mapTitle = t(mode === "quintile" ? "map.titleQuintile" : "map.titleSignificance", { measure: title, period });
  const options = {
    id: "chart-map",
    title: mapTitle,
    desc: t(`map.desc${boundaries ? "Boundaries" : ""}${mode === "quintile" ? "Quintile" : "Significance"}`, {
      counts: statusCounts(
        t,
        labels,
        las.map((a) => byArea.get(a.code)?.benchmarkSignificance ?? "not_compared"),
      ),
    }),
    mode,
    areas: las.map((a) => {
      const r = byArea.get(a.code);
      return {
        code: a.code,
        name: areaName(a, lang),
        value: r && !r.suppressed ? r.value : null,
        status: toStatus(r?.benchmarkSignificance),
        quintile: r?.quintile ?? null,
      };
    }),
    statusLabels: labels,
    quintileLabels: qNames,
    missingLabel: t("stats.noData"),
    format: numberFormat(lang, m),
  };
  const svg = boundaries ? boundaryMap({ ...options, boundaries }) : hexMap(options);
  const table: TableModel = {
    id: "table-map",
    caption: mapTitle,
    rowHeader: "area",
    columns: [
      ...areaValueColumns(t, m.decimals),
      { key: "status", header: t("stats.comparedWithWales"), kind: "text" },
      { key: "quintile", header: t("stats.quintileColumn"), kind: "text" },
    ],
    rows: las.map((a) => {
      const r = byArea.get(a.code);
      const st = toStatus(r?.benchmarkSignificance);
      const q = r?.quintile ?? null;
      return {
        areaCode: cell(a.code),
        area: linkCell(areaName(a, lang), `/${lang}/areas/${a.code}`),
        value: cell(
          r && !r.suppressed ? r.value : null,
          !r ? t("stats.noData") : r.suppressed ? t("stats.suppressedShort") : displayValue(lang, m, r.value),
        ),
        ci: cell(null, r ? ciText(t, lang, m, r.lower95, r.upper95) : ""),
        lower: cell(r?.lower95 ?? null),
        upper: cell(r?.upper95 ?? null),
        status: cell(labels[st], labels[st], statusHtml(st, labels[st])),
        quintile: cell(q, q ? `${formatNumber(q, lang, 0)}: ${qNames[q - 1]}` : ""),
      };
    }),
  };
  return { title, period, mapTitle, svg, table, boundaries: boundaries !== null };
}
