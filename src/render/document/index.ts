/**
 * The format-neutral document model: what a page, a download or (next) a DOCX export says, as blocks, before any
 * format is chosen. HTML pages render its tables with the govuk table macro (src/web/views/stats/macros.njk) and its
 * charts as inline SVG; downloads write its tables as CSV/XLSX (src/render/tables); a DOCX writer will walk the same
 * blocks. Text is already in the document's language (see src/render/wording).
 */
import type { Language } from "../../domain/enums.ts";
import type { TableModel } from "./table.ts";

export type { TableCell, TableColumn, TableModel } from "./table.ts";

export type Block =
  | { kind: "heading"; level: 1 | 2 | 3; text: string }
  | { kind: "paragraph"; text: string }
  | { kind: "list"; items: string[] }
  | { kind: "table"; table: TableModel }
  /** A chart: its SVG (from src/render/charts), its title and description, and the table that is its alternative. */
  | { kind: "chart"; title: string; description: string; svg: string; table?: TableModel | undefined };

export interface RenderedDocument {
  lang: Language;
  title: string;
  blocks: Block[];
  /** How to cite it, in the document's language. */
  citation?: string | undefined;
}

/** Every table of a document, in order, including the tables that stand in for its charts. */
export function documentTables(doc: RenderedDocument): TableModel[] {
  const tables: TableModel[] = [];
  for (const b of doc.blocks) {
    if (b.kind === "table") tables.push(b.table);
    else if (b.kind === "chart" && b.table) tables.push(b.table);
  }
  return tables;
}

/** The plain text of a document (headings, paragraphs, list items, captions): for search, checks and DOCX alt text. */
export function documentText(doc: RenderedDocument): string {
  const lines: string[] = [doc.title];
  for (const b of doc.blocks) {
    if (b.kind === "heading" || b.kind === "paragraph") lines.push(b.text);
    else if (b.kind === "list") lines.push(...b.items);
    else if (b.kind === "table") lines.push(b.table.caption);
    else lines.push(b.title, b.description);
  }
  return lines.join("\n");
}
