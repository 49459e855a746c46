/**
 * Wide tables: areas as rows and periods as columns, the way StatsWales and many council spreadsheets look.
 *
 * ```
 * Area,2019-20,2020-21,2021-22
 * Cardiff,12.1,12.6,[c]
 * ```
 *
 * Every non-empty cell becomes one tidy row (measure from --measure or the mapping, area from the area column,
 * period from the column heading). Read from a CSV/TSV or from an XLSX worksheet; streamed.
 */
import { extname } from "node:path";
import { readDelimited } from "./read-csv.ts";
import { readSheet } from "./read-xlsx.ts";
import { DEFAULT_CHUNK, FileFormatError, type Issue, type RawRow, type TableSource } from "./types.ts";

export const WIDE_COLUMNS = ["measure_code", "area_code", "period", "value"] as const;

export interface WideOptions {
  measure: string | undefined;
  areaColumn?: string | undefined;
  sheet?: string | undefined;
  chunkSize?: number | undefined;
  /** Columns to leave out silently. */
  ignore?: readonly string[] | undefined;
  /** Says whether a column heading is a period of the measure's period type (other columns are ignored with a warning). */
  isPeriodHeading: (heading: string) => boolean;
}

export async function readWide(path: string, options: WideOptions): Promise<TableSource> {
  if (!options.measure) {
    throw new FileFormatError(
      "a wide table needs the measure: give it for the whole file (--measure CODE with omf import, the Measure field on the upload page) or as `measure:` in a mapping file",
    );
  }
  const measure = options.measure;
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
  const isXlsx = extname(path).toLowerCase() === ".xlsx";
  const table = isXlsx
    ? await readSheet(path, { sheet: options.sheet, chunkSize })
    : await readDelimited(path, chunkSize);
  const header = table.header;
  const wanted = options.areaColumn?.trim().toLowerCase();
  const areaIndex = wanted ? header.findIndex((h) => h.trim().toLowerCase() === wanted) : 0;
  if (areaIndex < 0) {
    throw new FileFormatError(`the wide table has no column "${options.areaColumn}" (columns: ${header.join(", ")})`);
  }
  const ignore = new Set((options.ignore ?? []).map((c) => c.trim().toLowerCase()));
  const periodColumns: number[] = [];
  const ignored: string[] = [];
  header.forEach((h, i) => {
    if (i === areaIndex || h === "" || ignore.has(h.trim().toLowerCase())) return;
    if (options.isPeriodHeading(h)) periodColumns.push(i);
    else ignored.push(h);
  });
  const issues: Issue[] = [];
  if (periodColumns.length === 0) {
    throw new FileFormatError(
      `no column heading of the wide table is a period of measure ${measure} (headings: ${header.join(", ")})`,
    );
  }
  if (ignored.length > 0) {
    issues.push({
      severity: "warning",
      row: 1,
      column: ignored.join(", "),
      value: "",
      code: "ignored_columns",
      message: `Columns ignored because their headings are not periods of measure ${measure}: ${ignored.join(", ")}`,
    });
  }
  const areaHeading = header[areaIndex] ?? "area";
  async function* chunks(): AsyncGenerator<RawRow[]> {
    let out: RawRow[] = [];
    for await (const rows of table.records) {
      for (const r of rows) {
        const area = r.cells[areaIndex] ?? "";
        for (const c of periodColumns) {
          const cell = (r.cells[c] ?? "").trim();
          if (cell === "") continue;
          const heading = header[c]!;
          out.push({
            row: r.row,
            cells: [measure, area, heading, cell],
            labels: ["measure", areaHeading, heading, heading],
          });
        }
        if (out.length >= chunkSize) {
          yield out;
          out = [];
        }
      }
    }
    if (out.length > 0) yield out;
  }
  return {
    format: "wide",
    columns: [...WIDE_COLUMNS],
    chunks: chunks(),
    issues,
    bytesRead: table.bytesRead,
    totalBytes: table.totalBytes,
    canonical: true,
  };
}
