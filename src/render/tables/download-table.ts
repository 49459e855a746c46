/**
 * The one shape every downloadable table takes, whatever page or API endpoint it comes from: localised column
 * headings, typed cells, and the metadata and citation that go on the XLSX metadata sheet.
 */

export type CellValue = string | number | null;

export interface DownloadColumn {
  /** Key into each row. */
  key: string;
  /** Heading in the page language (from the locale files). */
  header: string;
  /** `number` cells keep `decimals` places in XLSX; `text` cells are written as text. */
  kind: "text" | "number";
  decimals?: number;
}

export interface DownloadTable {
  /** Title of the table in the page language. */
  title: string;
  /** File name without extension (ASCII; made safe again when sent). */
  fileName: string;
  columns: DownloadColumn[];
  rows: Record<string, CellValue>[];
  /** Label/value pairs for the metadata sheet (source, period, disclosure rule, licence …). */
  metadata: { label: string; value: string }[];
  /** How to cite these figures, in the page language. */
  citation: string;
  /** Localised sheet names and the citation label. */
  sheetNames: { data: string; metadata: string };
  citationLabel: string;
}

/** A file name safe in headers and on every file system: lower-case ASCII letters, digits and hyphens. */
export function safeFileName(name: string): string {
  const s = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80);
  return s || "download";
}

/** `Content-Disposition` value for an attachment, with an RFC 5987 UTF-8 name as well as the ASCII one. */
export function attachment(fileName: string, extension: string): string {
  const safe = `${safeFileName(fileName)}.${extension}`;
  return `attachment; filename="${safe}"; filename*=UTF-8''${encodeURIComponent(safe)}`;
}
