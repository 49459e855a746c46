import { describe, expect, it } from "vitest";
import { documentTables, documentText, type RenderedDocument } from "../../src/render/document/index.ts";
import { cell, downloadCells, type TableModel } from "../../src/render/document/table.ts";

const table: TableModel = {
  id: "t1",
  caption: "Low birth weight by area",
  rowHeader: "area",
  columns: [
    { key: "areaCode", header: "Area code", kind: "text", downloadOnly: true },
    { key: "area", header: "Area", kind: "text" },
    { key: "value", header: "Value", kind: "number", decimals: 1, numeric: true },
    { key: "ci", header: "95% interval", kind: "text", pageOnly: true },
  ],
  rows: [{ areaCode: cell("W06000015"), area: cell("Cardiff"), value: cell(5.5, "5.5"), ci: cell(null, "5.1 to 5.9") }],
};

describe("the document model", () => {
  const doc: RenderedDocument = {
    lang: "en",
    title: "Cardiff",
    blocks: [
      { kind: "heading", level: 2, text: "Health" },
      { kind: "paragraph", text: "Cardiff is similar to Wales." },
      { kind: "chart", title: "Trend", description: "A line chart", svg: "<svg/>", table },
      { kind: "table", table },
    ],
  };

  it("lists every table, including those that stand in for charts", () => {
    expect(documentTables(doc)).toEqual([table, table]);
  });

  it("gives its text in reading order", () => {
    expect(documentText(doc).split("\n")).toEqual([
      "Cardiff",
      "Health",
      "Cardiff is similar to Wales.",
      "Trend",
      "A line chart",
      "Low birth weight by area",
    ]);
  });

  it("gives a table's download (raw values, download columns only) from the same model as the page", () => {
    expect(downloadCells(table)).toEqual({
      columns: [
        { key: "areaCode", header: "Area code", kind: "text", decimals: undefined },
        { key: "area", header: "Area", kind: "text", decimals: undefined },
        { key: "value", header: "Value", kind: "number", decimals: 1 },
      ],
      rows: [{ areaCode: "W06000015", area: "Cardiff", value: 5.5 }],
    });
  });
});
