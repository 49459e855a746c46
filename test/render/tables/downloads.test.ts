import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { neutraliseCell, toCsv, UTF8_BOM } from "../../../src/render/tables/csv.ts";
import { attachment, type DownloadTable, safeFileName } from "../../../src/render/tables/download-table.ts";
import { svgFile } from "../../../src/render/tables/svg-file.ts";
import { toXlsx } from "../../../src/render/tables/xlsx.ts";

const table: DownloadTable = {
  title: "Pwysau geni isel: pob ardal",
  fileName: "pwysau-geni-isel",
  columns: [
    { key: "area", header: "Ardal", kind: "text" },
    { key: "value", header: "Gwerth", kind: "number", decimals: 1 },
    { key: "note", header: "Nodyn", kind: "text" },
  ],
  rows: [
    { area: "Ynys Môn", value: 7.25, note: '=HYPERLINK("http://evil")' },
    { area: 'Bro Morgannwg, "De"', value: -1.5, note: "+1" },
    { area: "Caerdydd", value: null, note: "-2" },
    { area: "@SUM(A1)", value: 0.1 + 0.2, note: "\tx" },
  ],
  metadata: [
    { label: "Ffynhonnell", value: "StatsCymru" },
    { label: "Rheol datgelu", value: "Atal gwerthoedd o dan 5" },
  ],
  citation:
    "Llywodraeth Cymru, Fframwaith Mesur Canlyniadau: Pwysau geni isel. https://example/cy/measures/low-birth-weight",
  sheetNames: { data: "Data", metadata: "Metadata: [gwybodaeth]" },
  citationLabel: "Sut i ddyfynnu",
};

describe("formula-injection neutralising", () => {
  it("prefixes text that starts with = + - @ tab or CR, and leaves other text and numbers alone", () => {
    expect(neutraliseCell("=1+1")).toBe("'=1+1");
    expect(neutraliseCell("+44")).toBe("'+44");
    expect(neutraliseCell("-2")).toBe("'-2");
    expect(neutraliseCell("@cmd")).toBe("'@cmd");
    expect(neutraliseCell("\tA")).toBe("'\tA");
    expect(neutraliseCell("Caerdydd")).toBe("Caerdydd");
    expect(neutraliseCell("a=b")).toBe("a=b");
    expect(neutraliseCell(-2)).toBe(-2);
    expect(neutraliseCell(null)).toBeNull();
  });
});

describe("CSV", () => {
  const csv = toCsv(table);
  it("starts with a UTF-8 byte-order mark and uses CRLF rows", () => {
    expect(csv.startsWith(UTF8_BOM)).toBe(true);
    expect(Buffer.from(csv, "utf8").subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv).toContain("\r\n");
  });
  it("round-trips Welsh text, quotes and commas, with neutralised formulas and plain numbers", () => {
    const rows = parse(csv.slice(1)) as string[][];
    expect(rows[0]).toEqual(["Ardal", "Gwerth", "Nodyn"]);
    expect(rows[1]).toEqual(["Ynys Môn", "7.25", '\'=HYPERLINK("http://evil")']);
    expect(rows[2]).toEqual(['Bro Morgannwg, "De"', "-1.5", "'+1"]);
    expect(rows[3]).toEqual(["Caerdydd", "", "'-2"]);
    expect(rows[4]).toEqual(["'@SUM(A1)", "0.3", "'\tx"]);
  });
});

describe("XLSX", () => {
  it("has a metadata sheet with the title, metadata and citation, then the data sheet", async () => {
    const buf = await toXlsx(table);
    expect(buf.subarray(0, 2).toString()).toBe("PK");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Metadata gwybodaeth", "Data"]);
    const meta = wb.worksheets[0]!;
    const cells = meta.getSheetValues().flat().filter(Boolean);
    expect(cells).toContain("Pwysau geni isel: pob ardal");
    expect(cells).toContain("Rheol datgelu");
    expect(cells).toContain(table.citation);
    const data = wb.worksheets[1]!;
    expect(data.getRow(1).values).toEqual([undefined, "Ardal", "Gwerth", "Nodyn"]);
    expect(data.getRow(2).getCell(1).value).toBe("Ynys Môn");
    expect(data.getRow(2).getCell(2).value).toBe(7.25);
    expect(data.getRow(2).getCell(2).numFmt).toBe("#,##0.0");
    expect(data.getRow(4).getCell(2).value).toBeNull();
    // text that looks like a formula is stored as text, never as a formula
    expect(data.getRow(2).getCell(3).type).toBe(ExcelJS.ValueType.String);
  });
});

describe("file names and SVG files", () => {
  it("makes ASCII file names from Welsh titles", () => {
    expect(safeFileName("Pwysau geni isel: Ynys Môn 2023")).toBe("pwysau-geni-isel-ynys-mon-2023");
    expect(safeFileName("!!!")).toBe("download");
    expect(attachment("Ŵyr", "csv")).toBe("attachment; filename=\"wyr.csv\"; filename*=UTF-8''wyr.csv");
  });
  it("wraps a chart as a standalone SVG document", () => {
    expect(svgFile('<svg xmlns="http://www.w3.org/2000/svg"></svg>')).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg /,
    );
  });
});
