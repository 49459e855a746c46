/** The CSV reader of a programme's performance values: columns, numbers and row numbers as the file has them. */
import { describe, expect, it } from "vitest";
import { readPerformanceCsv } from "../../src/ingest/performance-values.ts";

describe("readPerformanceCsv", () => {
  it("reads rows with a BOM, CRLF, upper-case headers and thousands commas, numbering rows as in the file", () => {
    const r = readPerformanceCsv(
      '\uFEFFMeasure,Period,Value,Numerator,Denominator,Reason\r\nChildren-Reached,2024-25,"1,250",,,\r\n\r\nchildren-reached,2025-26,1300,12,40,Late returns\r\n',
    );
    expect(r.problems).toEqual([]);
    expect(r.rows).toEqual([
      {
        row: 2,
        measure: "children-reached",
        period: "2024-25",
        value: 1250,
        numerator: null,
        denominator: null,
        reason: "",
      },
      {
        row: 4,
        measure: "children-reached",
        period: "2025-26",
        value: 1300,
        numerator: 12,
        denominator: 40,
        reason: "Late returns",
      },
    ]);
  });

  it("names unknown and missing columns on row 1, and values that are not numbers by row and column", () => {
    expect(readPerformanceCsv("measure,period,amount\nx,2024-25,1\n").problems).toEqual([
      { row: 1, field: "amount", code: "csv_unknown_column", params: { column: "amount" } },
      { row: 1, field: "value", code: "csv_missing_column", params: { column: "value" } },
    ]);
    expect(readPerformanceCsv("measure,period,value,numerator\nx,2024-25,1e3,a few\n").problems).toEqual([
      { row: 2, field: "numerator", code: "value_not_number" },
    ]);
    expect(readPerformanceCsv("").problems).toEqual([{ row: 1, field: "file", code: "csv_empty" }]);
    expect(readPerformanceCsv("measure,period,value\n").problems).toEqual([
      { row: 1, field: "file", code: "csv_no_rows" },
    ]);
  });
});
