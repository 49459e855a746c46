/**
 * Outcome agreements as tables and documents (issue 16): the overview across the local authorities and one
 * agreement's assessments, each one TableModel shared by the page and its CSV/XLSX download, and one authority's
 * annual assessment as a document (the model src/render/document turns into a DOCX), with the grant payable written
 * out in words. Everything is in the language of `t`.
 */
import type { Language } from "../../domain/enums.ts";
import type { Block, RenderedDocument } from "../../render/document/index.ts";
import { cell, linkCell, type TableModel } from "../../render/document/table.ts";
import { explainGrant, formatPounds } from "../../render/wording/agreement-score.ts";
import type { Translate } from "../../render/wording/translate.ts";
import type { AgreementDetail, OverviewRow } from "../../services/agreements/index.ts";
import { inLanguage } from "./plan-view.ts";

/** The outcomes of an agreement counted by theme, in words: "education (2); housing (1)". */
function themesText(themes: OverviewRow["themes"], t: Translate): string {
  return themes.map((x) => `${x.theme || t("agreements.overview.noTheme")} (${x.outcomes})`).join("; ");
}

/** The overview across the local authorities: one row per authority (or per readable agreement). */
export function overviewModel(
  rows: OverviewRow[],
  o: { t: Translate; lang: Language; areaName: (code: string) => string; period: string | null },
): TableModel {
  const { t, lang } = o;
  return {
    id: "agreements-overview",
    caption: o.period
      ? t("agreements.overview.caption", { period: o.period, count: rows.length })
      : t("agreements.page.listCaption", { count: rows.length }),
    rowHeader: "area",
    columns: [
      { key: "areaCode", header: t("downloads.columns.areaCode"), kind: "text", downloadOnly: true },
      { key: "area", header: t("agreements.page.authority"), kind: "text" },
      { key: "period", header: t("agreements.page.period"), kind: "text" },
      { key: "scheme", header: t("agreements.page.scheme"), kind: "text" },
      { key: "status", header: t("agreements.page.status"), kind: "text" },
      { key: "grant", header: t("agreements.page.grant"), kind: "number", decimals: 2, numeric: true },
      { key: "year", header: t("agreements.overview.latestYear"), kind: "text" },
      { key: "points", header: t("agreements.overview.points"), kind: "number", decimals: 0, numeric: true },
      { key: "maximum", header: t("agreements.overview.maximum"), kind: "number", decimals: 0, downloadOnly: true },
      { key: "payable", header: t("agreements.page.payable"), kind: "number", decimals: 2, numeric: true },
      { key: "themes", header: t("agreements.overview.themes"), kind: "text" },
    ],
    rows: rows.map((r) => {
      const a = r.agreement;
      const name = o.areaName(r.areaCode);
      const c = r.latest?.moderated ?? null;
      const none = t("agreements.overview.none");
      return {
        areaCode: cell(r.areaCode),
        area: a ? linkCell(name, `/${lang}/agreements/${a.areaCode}/${a.period}`, name) : cell(name),
        period: cell(a?.period ?? null),
        scheme: cell(a ? `${a.schemeCode} v${a.schemeVersion}` : null),
        status: cell(a ? t(`agreements.status.${a.status}`) : none),
        grant: cell(a ? a.grantPence / 100 : null, a ? formatPounds(a.grantPence, lang) : ""),
        year: cell(r.latest?.year ?? null, r.latest?.year ?? (a ? t("agreements.overview.notAssessed") : "")),
        points: cell(
          c ? c.points : null,
          c ? t("agreements.page.scoreOf", { points: c.points, maximum: c.maximum }) : "",
        ),
        maximum: cell(c ? c.maximum : null),
        payable: cell(
          c?.payablePence != null ? c.payablePence / 100 : null,
          c?.payablePence != null ? formatPounds(c.payablePence, lang) : c ? t("agreements.page.notKnown") : "",
        ),
        themes: cell(themesText(r.themes, t)),
      };
    }),
  };
}

/** One agreement's outcomes and their assessments year by year (the authority's, the moderated and the one counted). */
export function assessmentsModel(d: AgreementDetail, t: Translate, lang: Language, year?: string): TableModel {
  const category = (c: string | undefined) => (c ? t(`agreements.category.${c}`) : "");
  const rows: TableModel["rows"] = [];
  for (const o of d.outcomes)
    for (const y of d.period.years) {
      if (year && y !== year) continue;
      const pair = o.assessments.find((a) => a.year === y);
      const counted = pair?.moderated ?? pair?.self ?? null;
      rows.push({
        outcome: cell(`${o.position}. ${inLanguage(o.title, lang)}`),
        theme: cell(o.theme ?? ""),
        measures: cell([...o.measureCodes, ...o.localMeasures].join(", ")),
        year: cell(y),
        self: cell(
          pair?.self?.category ?? null,
          pair?.self ? category(pair.self.category) : t("agreements.page.notAssessed"),
        ),
        evidence: cell(pair?.self?.evidence ?? ""),
        collaboration: cell(pair?.self?.collaboration ?? ""),
        moderated: cell(
          pair?.moderated?.category ?? null,
          pair?.moderated ? category(pair.moderated.category) : t("agreements.page.notModerated"),
        ),
        reason: cell(pair?.moderated?.reason ?? ""),
        counted: cell(counted?.category ?? null, counted ? category(counted.category) : ""),
      });
    }
  return {
    id: "agreement-assessments",
    caption: t("agreements.report.assessmentsCaption", { period: year ?? d.agreement.period }),
    rowHeader: "outcome",
    columns: [
      { key: "outcome", header: t("agreements.report.outcome"), kind: "text" },
      { key: "theme", header: t("agreements.page.theme"), kind: "text" },
      { key: "measures", header: t("agreements.page.measures"), kind: "text", downloadOnly: true },
      { key: "year", header: t("agreements.page.year"), kind: "text" },
      { key: "self", header: t("agreements.page.selfAssessment"), kind: "text" },
      { key: "evidence", header: t("agreements.form.evidence"), kind: "text" },
      { key: "collaboration", header: t("agreements.page.collaboration"), kind: "text" },
      { key: "moderated", header: t("agreements.page.moderation"), kind: "text" },
      { key: "reason", header: t("agreements.page.reason"), kind: "text" },
      { key: "counted", header: t("agreements.report.counted"), kind: "text" },
    ],
    rows,
  };
}

/** The grant payable of each year in words (the lines the page, the downloads' metadata and the document share). */
export function grantLines(d: AgreementDetail, t: Translate, lang: Language, year?: string): string[] {
  const out: string[] = [];
  for (const y of d.years) {
    if (year && y.year !== year) continue;
    if (!y.moderated) {
      out.push(
        `${y.year}: ${t("agreements.page.assessed", { assessed: y.assessed, outcomes: d.scheme.outcomes })}. ${t("agreements.page.incomplete")}`,
      );
      continue;
    }
    const e = explainGrant(d.scheme, y.moderated, t, lang);
    out.push(`${y.year}: ${[e.summary, e.rule, ...e.parts].join(" ")}`);
    if (y.authority) {
      const own = explainGrant(d.scheme, y.authority, t, lang);
      if (own.summary !== e.summary) out.push(`${t("agreements.page.authorityResult")} ${own.summary}`);
    }
  }
  return out;
}

/** One authority's annual assessment as a document: the agreement, the grant payable in words, each outcome. */
export function assessmentDocument(
  d: AgreementDetail,
  o: { t: Translate; lang: Language; area: string; year: string },
): RenderedDocument {
  const { t, lang, area, year } = o;
  const title = t("agreements.report.title", { area, period: d.agreement.period, year });
  const blocks: Block[] = [{ kind: "heading", level: 1, text: title }];
  if (d.agreement.illustrative)
    blocks.push({
      kind: "paragraph",
      text: `${t("agreements.illustrative")}: ${t("agreements.page.illustrativeBody")}`,
    });
  blocks.push({
    kind: "list",
    items: [
      `${t("agreements.page.authority")}: ${area} (${d.agreement.areaCode})`,
      `${t("agreements.page.scheme")}: ${inLanguage(d.scheme.name, lang)} (${t("agreements.page.version", { version: d.schemeVersion })})`,
      `${t("agreements.page.status")}: ${t(`agreements.status.${d.agreement.status}`)}`,
      `${t("agreements.page.grant")}: ${formatPounds(d.agreement.grantPence, lang)}`,
    ],
  });
  blocks.push({ kind: "heading", level: 2, text: t("agreements.page.scoreHeading") });
  for (const line of grantLines(d, t, lang, year)) blocks.push({ kind: "paragraph", text: line });
  if (!d.scheme.pointsStated) blocks.push({ kind: "paragraph", text: t("agreements.score.pointsNote") });
  blocks.push({ kind: "heading", level: 2, text: t("agreements.page.outcomesHeading") });
  blocks.push({ kind: "table", table: assessmentsModel(d, t, lang, year) });
  if (d.variations.length > 0) {
    blocks.push({ kind: "heading", level: 2, text: t("agreements.page.variationsHeading") });
    blocks.push({
      kind: "list",
      items: d.variations.map(
        (v) =>
          `${v.number}. ${v.kind === "grant" ? t("agreements.page.variedGrant") : t("agreements.page.variedOutcome", { position: v.outcomePosition ?? 0 })}: ${v.reason} (${v.createdAt.toISOString().slice(0, 10)})`,
      ),
    });
  }
  return { lang, title, blocks };
}
