/**
 * The metadata sheet and citation of a download: what the figures are, where they come from, the disclosure rule,
 * the licence and how to cite them, all in the page language.
 */
import type { Language } from "../../domain/enums.ts";
import { webUrlOrNull } from "../../domain/web-url.ts";
import type { DownloadTable } from "../../render/tables/download-table.ts";
import type { MeasureView } from "../../services/framework-service.ts";
import { formatNumber, pick, type Translate } from "../i18n.ts";
import { unitLabel } from "./labels.ts";

export interface DownloadContext {
  t: Translate;
  lang: Language;
  /** Absolute URL of the page the figures come from. */
  url: string;
  title: string;
  fileName: string;
  measure?: MeasureView | undefined;
  area?: string | undefined;
  period?: string | undefined;
  illustrative: boolean;
  /** The framework version the figures are shown under (sendDownload adds the page's when not given). */
  frameworkVersion?: string | null | undefined;
}

/** The metadata row naming the framework version a download shows. */
export function frameworkVersionRow(t: Translate, version: string): { label: string; value: string } {
  return { label: t("fwversions.metaLabel"), value: version };
}

/** The disclosure rule of a measure in words. */
export function disclosureText(
  t: Translate,
  lang: Language,
  m: Pick<MeasureView, "suppressBelow" | "roundTo">,
): string {
  const n = m.suppressBelow ? formatNumber(m.suppressBelow, lang, 0) : null;
  const round = m.roundTo && m.roundTo > 1 ? formatNumber(m.roundTo, lang, 0) : null;
  if (n && round) return t("downloads.disclosure.suppressRound", { n, round });
  if (n) return t("downloads.disclosure.suppress", { n });
  if (round) return t("downloads.disclosure.round", { n: round });
  return t("downloads.disclosure.none");
}

function dateText(lang: Language, d = new Date()): string {
  return new Intl.DateTimeFormat(lang === "cy" ? "cy-GB" : "en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
  }).format(d);
}

/** Everything of a download except its columns and rows. */
export function downloadExtras(c: DownloadContext): Omit<DownloadTable, "columns" | "rows"> {
  const { t, lang, measure: m } = c;
  const meta: { label: string; value: string }[] = [{ label: t("downloads.meta.title"), value: c.title }];
  if (m) {
    meta.push({ label: t("downloads.meta.measure"), value: pick(m.title, lang).text });
    meta.push({ label: t("downloads.meta.measureCode"), value: m.code });
    meta.push({ label: t("downloads.meta.definition"), value: pick(m.layDefinition, lang).text });
    meta.push({ label: t("downloads.meta.unit"), value: unitLabel(t, lang, m) });
    meta.push({ label: t("downloads.meta.polarity"), value: t(`enums.polarity.${m.polarity}`) });
    if (m.source) {
      meta.push({
        label: t("downloads.meta.source"),
        value: [pick(m.source.name, lang).text, m.source.publisher, webUrlOrNull(m.source.url)]
          .filter(Boolean)
          .join(", "),
      });
    }
    meta.push({ label: t("downloads.meta.disclosure"), value: disclosureText(t, lang, m) });
  }
  if (c.area) meta.push({ label: t("downloads.meta.area"), value: c.area });
  if (c.period) meta.push({ label: t("downloads.meta.period"), value: c.period });
  if (c.frameworkVersion) meta.push(frameworkVersionRow(t, c.frameworkVersion));
  if (c.illustrative) meta.push({ label: t("downloads.meta.illustrative"), value: t("downloads.illustrativeNote") });
  meta.push({ label: t("downloads.meta.licence"), value: t("downloads.licence") });
  meta.push({ label: t("downloads.meta.url"), value: c.url });
  const date = dateText(lang);
  meta.push({ label: t("downloads.meta.downloaded"), value: date });
  return {
    title: c.title,
    fileName: c.fileName,
    metadata: meta,
    citation: t("downloads.citation", { service: t("service.name"), title: c.title, url: c.url, date }),
    citationLabel: t("downloads.citationLabel"),
    sheetNames: { data: t("downloads.sheetData"), metadata: t("downloads.sheetMetadata") },
  };
}

/** The citation alone, for showing beside download links. */
export function citationText(t: Translate, lang: Language, title: string, url: string): string {
  return t("downloads.citation", { service: t("service.name"), title, url, date: dateText(lang) });
}
