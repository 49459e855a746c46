import { parse as parseCsvSync } from "csv-parse/sync";
import ExcelJS from "exceljs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvRecordParser } from "../../src/ingest/observations/csv-records.ts";
import { MappingError, parseMapping } from "../../src/ingest/observations/mapping.ts";
import { readCsv } from "../../src/ingest/observations/read-csv.ts";
import { readJsonStat } from "../../src/ingest/observations/read-jsonstat.ts";
import { readWide } from "../../src/ingest/observations/read-wide.ts";
import { readXlsx } from "../../src/ingest/observations/read-xlsx.ts";
import { FileFormatError, type RawRow, type TableSource } from "../../src/ingest/observations/types.ts";
import { tempFile } from "../support/import-fixtures.ts";

async function rows(source: TableSource): Promise<RawRow[]> {
  const out: RawRow[] = [];
  for await (const chunk of source.chunks) out.push(...chunk);
  return out;
}

async function xlsxFile(sheets: Record<string, unknown[][]>): Promise<string> {
  const wb = new ExcelJS.Workbook();
  for (const [name, data] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of data) ws.addRow(r);
  }
  return tempFile(Buffer.from(await wb.xlsx.writeBuffer()), ".xlsx");
}

describe("CSV reader", () => {
  it("reads UTF-8 with a byte-order mark, quoted commas and numbers rows as a spreadsheet does", async () => {
    const path = tempFile(
      '\uFEFFmeasure_code,area_code,period,value\n"low, birth",Ynys Môn,2019,"1,234"\n\nm,W1,2020,2\n',
    );
    const source = await readCsv(path);
    expect(source.columns).toEqual(["measure_code", "area_code", "period", "value"]);
    expect(await rows(source)).toEqual([
      { row: 2, cells: ["low, birth", "Ynys Môn", "2019", "1,234"] },
      { row: 4, cells: ["m", "W1", "2020", "2"] },
    ]);
  });

  it("detects tab-separated files", async () => {
    const source = await readCsv(tempFile("measure_code\tarea_code\tperiod\tvalue\nm\tW1\t2019\t1,5\n", ".tsv"));
    expect(source.columns).toHaveLength(4);
    expect((await rows(source))[0]!.cells).toEqual(["m", "W1", "2019", "1,5"]);
  });

  it("reports broken quoting as a file error with the line", async () => {
    const source = await readCsv(tempFile('a,b\n1,"2\n3,4\n'));
    await expect(rows(source)).rejects.toThrow(FileFormatError);
  });

  it("streams in chunks", async () => {
    const body = Array.from({ length: 2500 }, (_, i) => `m,W1,${i},1`).join("\n");
    const source = await readCsv(tempFile(`measure_code,area_code,period,value\n${body}\n`), { chunkSize: 1000 });
    const sizes: number[] = [];
    for await (const c of source.chunks) sizes.push(c.length);
    expect(sizes).toEqual([1000, 1000, 500]);
  });
});

describe("CSV record parser", () => {
  const field = fc.oneof(
    fc.string({ unit: fc.constantFrom("a", "b", " ", "1", ".", "ŵ") }),
    fc.string({ unit: fc.constantFrom("a", ",", '"', "\n", "\r\n", "\t", "ô") }),
  );
  const quote = (f: string, d: string) => (/[",\t\n\r]/.test(f) || f.includes(d) ? `"${f.replace(/"/g, '""')}"` : f);

  it("agrees with csv-parse on random quoted data, however the text is split into chunks", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom(",", "\t"),
        fc.constantFrom("\n", "\r\n"),
        fc.array(fc.nat(), { maxLength: 5 }),
        fc.boolean(),
        (records, d, eol, cuts, trailing) => {
          const text = records.map((r) => r.map((f) => quote(f, d)).join(d)).join(eol) + (trailing ? eol : "");
          const expected = parseCsvSync(text, { delimiter: d, relax_column_count: true }) as string[][];
          const parser = new CsvRecordParser(d);
          const got: string[][] = [];
          const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          let at = 0;
          for (const p of [...points, text.length]) {
            got.push(...parser.push(text.slice(at, p)));
            at = p;
          }
          got.push(...parser.end());
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("names the line of an unclosed quote and of text after a closing quote", () => {
    const p = new CsvRecordParser(",");
    p.push('a,b\n1,"open\n');
    expect(() => p.end()).toThrow(/line 2 is never closed/);
    expect(() => new CsvRecordParser(",").push('a,b\n"x"y,2\n')).toThrow(
      /line 2: unexpected text after a closing quote/,
    );
  });
});

describe("XLSX reader", () => {
  it("reads the first sheet, or a named one, with dates as ISO dates and formulas as their results", async () => {
    const path = await xlsxFile({
      Notes: [["This sheet is notes"]],
      Data: [
        ["Measure_Code", "Area_Code", "Period", "Value"],
        ["m", "W06000015", new Date(Date.UTC(2019, 2, 31)), 12.5],
        ["m", "W06000001", 2019, { formula: "1+1", result: 2 }],
      ],
    });
    const first = await readXlsx(path);
    expect(first.columns).toEqual(["This sheet is notes"]);
    const named = await readXlsx(path, { sheet: "data" });
    expect(named.columns).toEqual(["Measure_Code", "Area_Code", "Period", "Value"]);
    expect(await rows(named)).toEqual([
      { row: 2, cells: ["m", "W06000015", "2019-03-31", "12.5"] },
      { row: 3, cells: ["m", "W06000001", "2019", "2"] },
    ]);
  });

  it("names the sheets when the named sheet is missing", async () => {
    const path = await xlsxFile({ One: [["a"]], Two: [["b"]] });
    await expect(readXlsx(path, { sheet: "Three" })).rejects.toThrow(/no sheet named "Three" \(sheets: One, Two\)/);
  });
});

describe("wide tables", () => {
  const isPeriod = (h: string) => /^\d{4}-\d{2}$/.test(h) || /^FYE\d{4}$/.test(h);

  it("turns areas × periods into one row per non-empty cell, naming the period column", async () => {
    const path = tempFile("Area,Notes,2019-20,FYE2021\nCardiff,x,12.1,[c]\nCaerdydd,,,13\n");
    const source = await readWide(path, { measure: "m", isPeriodHeading: isPeriod });
    expect(source.issues[0]).toMatchObject({ code: "ignored_columns", column: "Notes" });
    expect(await rows(source)).toEqual([
      { row: 2, cells: ["m", "Cardiff", "2019-20", "12.1"], labels: ["measure", "Area", "2019-20", "2019-20"] },
      { row: 2, cells: ["m", "Cardiff", "FYE2021", "[c]"], labels: ["measure", "Area", "FYE2021", "FYE2021"] },
      { row: 3, cells: ["m", "Caerdydd", "FYE2021", "13"], labels: ["measure", "Area", "FYE2021", "FYE2021"] },
    ]);
  });

  it("reads a wide XLSX sheet and needs a measure", async () => {
    const path = await xlsxFile({
      Sheet1: [
        ["Local authority", "2019-20"],
        ["Powys", 3],
      ],
    });
    await expect(readWide(path, { measure: undefined, isPeriodHeading: isPeriod })).rejects.toThrow(/--measure/);
    const source = await readWide(path, { measure: "m", isPeriodHeading: isPeriod });
    expect((await rows(source))[0]!.cells).toEqual(["m", "Powys", "2019-20", "3"]);
  });
});

describe("JSON-stat reader", () => {
  const dataset = {
    version: "2.0",
    class: "dataset",
    id: ["indicator", "geography", "year", "gender", "stat"],
    size: [1, 2, 2, 1, 2],
    role: { geo: ["geography"], time: ["year"] },
    dimension: {
      indicator: { category: { index: ["low-birth-weight"] } },
      geography: {
        category: { index: { W06000015: 0, W06000001: 1 }, label: { W06000015: "Cardiff", W06000001: "Anglesey" } },
      },
      year: { category: { index: ["2019", "2020"] } },
      gender: { category: { index: ["T"] } },
      stat: { category: { index: ["rate", "births"] } },
    },
    value: [7.1, 300, 7.2, 310, null, null, 6, 30],
    status: { "4": "c" },
  };

  it("reads a dataset with a dimension mapping, statistic categories and cell status", async () => {
    const path = tempFile(JSON.stringify(dataset), ".json");
    const mapping = parseMapping(`
jsonstat:
  measure: indicator
  statistic: { dimension: stat, categories: { rate: value, births: numerator } }
`);
    const source = await readJsonStat(path, { mapping });
    expect(source.columns).toEqual([
      "measure_code",
      "area_code",
      "period",
      "value",
      "numerator",
      "denominator",
      "lower_ci",
      "upper_ci",
      "note_code",
    ]);
    const out = await rows(source);
    expect(out.map((r) => r.cells)).toEqual([
      ["low-birth-weight", "W06000015", "2019", "7.1", "300", "", "", "", ""],
      ["low-birth-weight", "W06000015", "2020", "7.2", "310", "", "", "", ""],
      ["low-birth-weight", "W06000001", "2019", "", "", "", "", "", "c"],
      ["low-birth-weight", "W06000001", "2020", "6", "30", "", "", "", ""],
    ]);
    expect(out[2]!.row).toBe(5);
  });

  it("takes the first dataset of a collection and a fixed measure", async () => {
    const single = { ...dataset, id: ["geography", "year"], size: [2, 2], value: [1, 2, 3, 4], status: undefined };
    const collection = { version: "2.0", class: "collection", link: { item: [single] } };
    const source = await readJsonStat(tempFile(JSON.stringify(collection), ".json"), { measure: "m" });
    expect((await rows(source)).map((r) => r.cells.slice(0, 4))).toEqual([
      ["m", "W06000015", "2019", "1"],
      ["m", "W06000015", "2020", "2"],
      ["m", "W06000001", "2019", "3"],
      ["m", "W06000001", "2020", "4"],
    ]);
  });

  it("explains what is missing", async () => {
    await expect(readJsonStat(tempFile("{}", ".json"), {})).rejects.toThrow(/not a JSON-stat dataset/);
    await expect(readJsonStat(tempFile("{", ".json"), {})).rejects.toThrow(/not valid JSON/);
    const noMeasure = { ...dataset, id: ["geography", "year"], size: [2, 2], value: [1, 2, 3, 4] };
    await expect(readJsonStat(tempFile(JSON.stringify(noMeasure), ".json"), {})).rejects.toThrow(/no measure/);
  });
});

describe("mapping files", () => {
  it("parses YAML and JSON and names the bad key", () => {
    expect(parseMapping('{"measure": "m", "ignore": ["unit"]}')).toEqual({ measure: "m", ignore: ["unit"] });
    expect(() => parseMapping("colums: {}")).toThrow(MappingError);
    expect(() => parseMapping("columns: []")).toThrow(/columns/);
  });
});
