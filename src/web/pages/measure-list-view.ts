/** The measures list (framework browser) in one language: filter choices and the table of matching measures. */
import type { Language } from "../../domain/enums.ts";
import { esc } from "../../render/charts/svg.ts";
import { cell, linkCell, type TableModel } from "../../render/document/table.ts";
import type { FrameworkView, MeasureView } from "../../services/framework-service.ts";
import { sortMeasuresByTitle } from "../../services/public/measure-catalogue.ts";
import { pick, type Translate } from "../i18n.ts";
import { unitLabel } from "./labels.ts";

export interface MeasureListFilter {
  q?: string | undefined;
  coreAim?: string | undefined;
  group?: string | undefined;
  tier?: string | undefined;
  article?: number | undefined;
  status?: string | undefined;
  sort?: string | undefined;
}

export function buildMeasureList(
  view: FrameworkView,
  found: MeasureView[],
  f: MeasureListFilter,
  lang: Language,
  t: Translate,
) {
  const measures = f.sort === "name" ? sortMeasuresByTitle(found, lang) : found;
  const text = (b: Parameters<typeof pick>[0]) => pick(b, lang).text;
  const notTranslated = (b: { cy?: string | undefined } | null | undefined) => lang === "cy" && b && !b.cy;
  const table: TableModel = {
    id: "table-measures",
    caption: t("measures.list.tableCaption"),
    rowHeader: "measure",
    columns: [
      { key: "measure", header: t("measures.list.columns.measure"), kind: "text" },
      { key: "code", header: t("measures.list.columns.code"), kind: "text", downloadOnly: true },
      { key: "coreAims", header: t("measures.list.columns.coreAims"), kind: "text" },
      { key: "tier", header: t("measures.list.columns.tier"), kind: "text" },
      { key: "group", header: t("measures.list.columns.group"), kind: "text" },
      { key: "unit", header: t("measures.list.columns.unit"), kind: "text" },
      { key: "polarity", header: t("measures.list.columns.polarity"), kind: "text" },
      { key: "status", header: t("measures.list.columns.status"), kind: "text" },
    ],
    rows: measures.map((m) => {
      const title = text(m.title);
      const link = linkCell(title, `/${lang}/measures/${encodeURIComponent(m.code)}`);
      if (notTranslated(m.title)) {
        link.html = `<span lang="en">${link.html}</span> <strong class="govuk-tag govuk-tag--grey">${esc(t("framework.notTranslated"))}</strong>`;
      }
      return {
        measure: link,
        code: cell(m.code),
        coreAims: cell(m.coreAims.map((c) => t("framework.coreAim", { number: c.replace(/^CA/, "") })).join(", ")),
        tier: cell(m.localAreaCode ? t("plans.local") : t(`enums.tier.${m.tier}`)),
        group: cell(m.group ? text(m.group.title) : ""),
        unit: cell(unitLabel(t, lang, m)),
        polarity: cell(t(`enums.polarity.${m.polarity}`)),
        status: cell(t(`enums.status.${m.status}`)),
      };
    }),
  };
  const groups = view.aims.flatMap((a) => a.groups.map((g) => g.group));
  const articles = new Map<number, string>();
  for (const a of view.aims) for (const x of a.articles) articles.set(x.article.number, text(x.article.title));
  return {
    table,
    count: measures.length,
    choices: {
      coreAims: view.aims.map((a) => ({
        value: a.code,
        text: `${t("framework.coreAim", { number: a.number })}: ${text(a.title)}`,
        selected: f.coreAim === a.code,
      })),
      groups: groups.map((g) => ({ value: g.code, text: text(g.title), selected: f.group === g.code })),
      tiers: ["high_level", "additional"].map((x) => ({
        value: x,
        text: t(`enums.tier.${x}`),
        selected: f.tier === x,
      })),
      articles: [...articles.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([n, title]) => ({
          value: String(n),
          text: t("measures.list.articleOption", { number: n, title }),
          selected: f.article === n,
        })),
      statuses: [
        { value: "current", text: t("measures.list.statusCurrent"), selected: !f.status || f.status === "current" },
        ...["live", "in_development", "retired"].map((x) => ({
          value: x,
          text: t(`enums.status.${x}`),
          selected: f.status === x,
        })),
        { value: "all", text: t("pages.filters.all"), selected: f.status === "all" },
      ],
      sorts: [
        { value: "framework", text: t("measures.list.sortFramework"), selected: f.sort !== "name" },
        { value: "name", text: t("measures.list.sortName"), selected: f.sort === "name" },
      ],
    },
  };
}
