/**
 * XLSX downloads with exceljs: a metadata sheet first (title, the metadata pairs and the citation, as GSS
 * spreadsheet guidance puts a cover sheet first), then the data sheet with a bold, frozen heading row, number
 * formats per column and an auto-filter.
 */
import ExcelJS from "exceljs";
import type { DownloadTable } from "./download-table.ts";

/** Excel forbids : \ / ? * [ ] in sheet names and limits them to 31 characters. */
function sheetName(name: string): string {
  return (
    name
      .replace(/[:\\/?*[\]]/g, " ")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, 31) || "Sheet"
  );
}

/** The table as an XLSX workbook (a Buffer). */
export async function toXlsx(table: DownloadTable): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "OMF";
  wb.title = table.title;
  wb.created = new Date(0);
  wb.modified = new Date(0);

  const meta = wb.addWorksheet(sheetName(table.sheetNames.metadata));
  meta.columns = [
    { key: "label", width: 32 },
    { key: "value", width: 100 },
  ];
  const titleRow = meta.addRow([table.title]);
  titleRow.font = { bold: true, size: 14 };
  meta.addRow([]);
  for (const m of table.metadata) {
    const r = meta.addRow([m.label, m.value]);
    r.getCell(1).font = { bold: true };
    r.getCell(2).alignment = { wrapText: true, vertical: "top" };
  }
  meta.addRow([]);
  const c = meta.addRow([table.citationLabel, table.citation]);
  c.getCell(1).font = { bold: true };
  c.getCell(2).alignment = { wrapText: true, vertical: "top" };

  const data = wb.addWorksheet(sheetName(table.sheetNames.data), { views: [{ state: "frozen", ySplit: 1 }] });
  data.columns = table.columns.map((col) => ({
    key: col.key,
    header: col.header,
    width: Math.min(60, Math.max(12, col.header.length + 2)),
    style: col.kind === "number" ? { numFmt: col.decimals ? `#,##0.${"0".repeat(col.decimals)}` : "#,##0" } : undefined,
  }));
  data.getRow(1).font = { bold: true };
  for (const row of table.rows) {
    data.addRow(
      Object.fromEntries(
        table.columns.map((col) => {
          const v = row[col.key] ?? null;
          return [col.key, col.kind === "number" && typeof v === "number" ? v : v === null ? null : String(v)];
        }),
      ),
    );
  }
  if (table.columns.length > 0) {
    data.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
