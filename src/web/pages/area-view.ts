/**
 * The area list and the area profile in one language. The profile answers "how does my area compare with Wales on
 * the high-level measures, and is it getting better?": a table per core aim (value with its confidence interval,
 * Wales, the comparison and the recent trend in words, rank) and a spine chart placing the area within the range of
 * all areas.
 */

import type { Language } from "../../domain/enums.ts";
import { spineChart } from "../../render/charts/spine-chart.ts";
import { esc } from "../../render/charts/svg.ts";
import { cell, linkCell, markIllustrative, type TableModel } from "../../render/document/table.ts";
import type { FrameworkView } from "../../services/framework-service.ts";
import type { AreaDirectory } from "../../services/public/area-directory.ts";
import { areaName, groupingsOfArea, sortAreas } from "../../services/public/area-directory.ts";
import type { AreaProfileData, ProfileRow } from "../../services/public/area-profile-data.ts";
import { formatNumber, pick, type Translate } from "../i18n.ts";
import { coreAimChoices, tierChoices } from "./filter-choices.ts";
import { ciText, displayValue, statusLabels, toStatus, trendText } from "./labels.ts";
import { statusHtml } from "./status-cell.ts";

export function buildAreaList(dir: AreaDirectory, lang: Language, t: Translate, order: "alphabetical" | "standard") {
  const today = new Date().toISOString().slice(0, 10);
  const las = sortAreas(dir.localAuthorities, lang, order);
  const table: TableModel = {
    id: "table-areas-list",
    caption: t("areas.list.tableCaption"),
    rowHeader: "area",
    columns: [
      { key: "area", header: t("stats.area"), kind: "text" },
      { key: "code", header: t("areas.list.code"), kind: "text" },
      { key: "healthBoard", header: t("areas.list.healthBoard"), kind: "text" },
      { key: "region", header: t("areas.list.police"), kind: "text" },
    ],
    rows: las.map((a) => {
      const groups = groupingsOfArea(dir, a.code, today);
      const hb = groups.find((g) => g.type === "health_board");
      const police = groups.find((g) => g.type === "police_force_area");
      return {
        area: linkCell(areaName(a, lang), `/${lang}/areas/${a.code}`),
        code: cell(a.code),
        healthBoard: cell(hb ? areaName(hb, lang) : ""),
        region: cell(police ? areaName(police, lang) : ""),
      };
    }),
  };
  return { table, wales: dir.wales };
}

export function buildAreaProfile(
  d: AreaProfileData,
  view: FrameworkView,
  lang: Language,
  t: Translate,
  q: { coreAim?: string | undefined; tier: string },
) {
  const name = areaName(d.area, lang);
  const labels = statusLabels(t, "wales");
  const text = (b: Parameters<typeof pick>[0]) => pick(b, lang).text;
  // a table of many measures: each rate says what it is per ("20.9 per 1,000"); percentages carry "%"
  const valueText = (r: ProfileRow["result"], m: ProfileRow["measure"]) =>
    r.suppressed
      ? t("stats.suppressedShort")
      : r.value === null
        ? t("stats.noData")
        : m.unit === "rate"
          ? `${displayValue(lang, m, r.value)} ${t("stats.perUnit", { multiplier: formatNumber(m.multiplier, lang, 0) })}`
          : displayValue(lang, m, r.value);

  const tableFor = (id: string, caption: string, rows: ProfileRow[]): TableModel =>
    markIllustrative(
      profileTable(id, caption, rows),
      rows.map((r) => r.result.illustrative),
      t,
    );
  const profileTable = (id: string, caption: string, rows: ProfileRow[]): TableModel => ({
    id,
    caption,
    rowHeader: "measure",
    columns: [
      { key: "measureCode", header: t("downloads.columns.measureCode"), kind: "text", downloadOnly: true },
      { key: "measure", header: t("stats.measure"), kind: "text" },
      { key: "period", header: t("stats.period"), kind: "text" },
      { key: "value", header: t("stats.value"), kind: "number", numeric: true },
      { key: "ci", header: t("stats.ci95"), kind: "text", pageOnly: true },
      { key: "lower", header: t("stats.lower"), kind: "number", downloadOnly: true },
      { key: "upper", header: t("stats.upper"), kind: "number", downloadOnly: true },
      ...(d.isWales
        ? []
        : [
            { key: "wales", header: t("stats.walesValue"), kind: "number" as const, numeric: true },
            { key: "status", header: t("stats.comparedWithWales"), kind: "text" as const },
          ]),
      { key: "trend", header: t("stats.trendColumn"), kind: "text" },
      ...(d.isWales ? [] : [{ key: "rank", header: t("stats.rank"), kind: "text" as const, numeric: true }]),
    ],
    rows: rows.map(({ measure: m, result: r, period, wales }) => {
      const st = toStatus(r.benchmarkSignificance);
      const title = text(m.title);
      const link = linkCell(
        title,
        `/${lang}/measures/${encodeURIComponent(m.code)}${d.isWales ? "" : `?area=${d.area.code}`}`,
      );
      if (lang === "cy" && !m.title.cy) {
        link.html = `<span lang="en">${link.html}</span> <strong class="govuk-tag govuk-tag--grey">${esc(t("framework.notTranslated"))}</strong>`;
      }
      return {
        measureCode: cell(m.code),
        measure: link,
        period: cell(period ? period.label[lang] : r.period),
        value: cell(r.suppressed ? null : r.value, valueText(r, m)),
        ci: cell(null, ciText(t, lang, m, r.lower95, r.upper95)),
        lower: cell(r.lower95),
        upper: cell(r.upper95),
        wales: cell(wales && !wales.suppressed ? wales.value : null, wales ? valueText(wales, m) : ""),
        status: cell(labels[st], labels[st], statusHtml(st, labels[st])),
        trend: cell(trendText(t, r)),
        rank: cell(
          r.rank && r.rankOutOf ? `${r.rank}/${r.rankOutOf}` : null,
          r.rank && r.rankOutOf ? t("stats.rankOf", { rank: r.rank, total: r.rankOutOf }) : "",
        ),
      };
    }),
  });

  const aims = d.aims.map((a) => ({
    code: a.code,
    heading: `${t("framework.coreAim", { number: a.number })}: ${text(a.title)}`,
    table: tableFor(
      `table-${a.code}`,
      t("areas.profile.tableCaption", { area: name, aim: t("framework.coreAim", { number: a.number }) }),
      a.rows,
    ),
  }));
  // one table with every row, for downloads
  const unique = [...new Map(d.rows.map((r) => [r.measure.code, r])).values()];
  const all = tableFor("table-profile", t("areas.profile.downloadTitle", { area: name }), unique);

  const counts = (["better", "similar", "worse", "higher", "lower", "not_compared"] as const)
    .map((s) => ({
      status: s,
      label: labels[s],
      count: unique.filter((r) => toStatus(r.result.benchmarkSignificance) === s).length,
    }))
    .filter((c) => c.count > 0);
  const better = unique.filter((r) => r.result.trendJudgement === "getting_better").length;
  const worse = unique.filter((r) => r.result.trendJudgement === "getting_worse").length;

  const spine =
    !d.isWales && unique.length > 0
      ? spineChart({
          id: "chart-spine",
          title: t("areas.profile.spineTitle", { area: name }),
          desc: t("areas.profile.spineDesc", { area: name, count: unique.length }),
          rows: unique.map(({ measure: m, result: r, wales, spread }) => ({
            code: m.code,
            label: text(m.shortTitle ?? m.title),
            value: r.suppressed ? null : r.value,
            benchmark: wales && !wales.suppressed ? wales.value : null,
            min: spread.min,
            max: spread.max,
            q25: spread.q25,
            q75: spread.q75,
            polarity: (m.polarity as "higher_is_better" | "lower_is_better" | "no_judgement") ?? "no_judgement",
            status: toStatus(r.benchmarkSignificance),
            missingNote: r.suppressed ? t("stats.suppressedShort") : undefined,
          })),
          axisLabels: { left: t("stats.spineLeft"), centre: t("stats.wales"), right: t("stats.spineRight") },
          rangeLabel: t("stats.range"),
          middleLabel: t("stats.middleHalf"),
          statusLabels: labels,
          format: (n) => formatNumber(n, lang, 1),
          missingText: t("stats.noData"),
          unplacedText: t("stats.spineUnplaced"),
        })
      : null;

  return {
    name,
    aims,
    all,
    spine,
    counts,
    trend: { better, worse, total: unique.length },
    choices: {
      coreAims: coreAimChoices(view, lang, t, q.coreAim),
      tiers: tierChoices(t, q.tier),
    },
  };
}
