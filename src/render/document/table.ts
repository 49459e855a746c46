/**
 * One model for a table of figures that serves both the accessible HTML table on the page and its CSV/XLSX download,
 * so the two can never disagree. Each cell keeps its raw value (for the download) and its display text, optionally
 * with safe HTML (links, status icons) for the page.
 */

import { esc } from "../charts/svg.ts";
import type { CellValue, DownloadColumn, DownloadTable } from "../tables/download-table.ts";
import type { Translate } from "../wording/translate.ts";

export interface TableCell {
  raw: CellValue;
  text: string;
  /** Safe HTML shown instead of the text (already escaped). */
  html?: string | undefined;
}

export interface TableColumn extends DownloadColumn {
  /** Right-aligned numeric column in HTML. */
  numeric?: boolean;
  /** Shown only in downloads (e.g. codes, raw limits). */
  downloadOnly?: boolean;
  /** Shown only on the page. */
  pageOnly?: boolean;
}

export interface TableModel {
  id: string;
  caption: string;
  columns: TableColumn[];
  /** Key of the column whose cells are row headings. */
  rowHeader: string;
  rows: Record<string, TableCell>[];
}

/** A text cell. */
export function cell(raw: CellValue, display?: string, html?: string): TableCell {
  return { raw, text: display ?? (raw === null ? "" : String(raw)), html };
}

/** A cell that links to `href`. */
export function linkCell(text: string, href: string, raw: CellValue = text): TableCell {
  return { raw, text, html: `<a class="govuk-link" href="${esc(href)}">${esc(text)}</a>` };
}

/**
 * The leading columns every per-area table of one measure shares: area code (download only), area, value, the 95%
 * interval as text (page only) and its limits (download only).
 */
export function areaValueColumns(t: Translate, decimals: number): TableColumn[] {
  return [
    { key: "areaCode", header: t("downloads.columns.areaCode"), kind: "text", downloadOnly: true },
    { key: "area", header: t("stats.area"), kind: "text" },
    { key: "value", header: t("stats.value"), kind: "number", decimals, numeric: true },
    { key: "ci", header: t("stats.ci95"), kind: "text", pageOnly: true },
    { key: "lower", header: t("stats.lower"), kind: "number", decimals, downloadOnly: true },
    { key: "upper", header: t("stats.upper"), kind: "number", decimals, downloadOnly: true },
  ];
}

/** Columns shown on the page. */
export function pageColumns(model: TableModel): TableColumn[] {
  return model.columns.filter((c) => !c.downloadOnly);
}

/** The table as a download (raw values, download columns), with its metadata and citation. */
export function toDownload(
  model: TableModel,
  extra: Omit<DownloadTable, "columns" | "rows" | "title"> & { title?: string },
): DownloadTable {
  return { ...extra, title: extra.title ?? model.caption, ...downloadCells(model) };
}

/** The download columns and raw cells of a table (for a CSV without metadata, such as an analyst's working file). */
export function downloadCells(model: TableModel): Pick<DownloadTable, "columns" | "rows"> {
  const columns = model.columns.filter((c) => !c.pageOnly);
  return {
    columns: columns.map(({ key, header, kind, decimals }) => ({ key, header, kind, decimals })),
    rows: model.rows.map((r) => Object.fromEntries(columns.map((c) => [c.key, r[c.key]?.raw ?? null]))),
  };
}
