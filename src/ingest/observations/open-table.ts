/**
 * Opens an observation file of any supported format as a table and validates it in the calling thread. Readers of
 * other formats than CSV are loaded when needed (the spreadsheet library is large).
 */
import type { TableFormat } from "../../domain/file-formats.ts";
import { parsePeriod } from "../../domain/period-parse.ts";
import type { Mapping } from "./mapping.ts";
import { readCsv } from "./read-csv.ts";
import { FileFormatError, type TableSource } from "./types.ts";
import { validateChunks } from "./validate-chunks.ts";
import { type ReferenceData, RowValidator } from "./validate-rows.ts";
import type { ValidatedTable } from "./validated-table.ts";

export { TABLE_FORMATS, type TableFormat } from "../../domain/file-formats.ts";

/** What to read and how (plain data, so that it can be sent to the validation worker). */
export interface TableRequest {
  format: TableFormat;
  mapping?: Mapping | undefined;
  /** The measure of every row (--measure). */
  measure?: string | undefined;
  chunkSize?: number | undefined;
  /** Bytes per segment when workers share a CSV file (default SEGMENT_BYTES; smaller in tests). */
  segmentBytes?: number | undefined;
}

export async function openTable(path: string, request: TableRequest, reference: ReferenceData): Promise<TableSource> {
  const { mapping, chunkSize } = request;
  switch (request.format) {
    case "csv":
      return readCsv(path, { chunkSize });
    case "xlsx": {
      const { readXlsx } = await import("./read-xlsx.ts");
      return readXlsx(path, { sheet: mapping?.sheet, chunkSize });
    }
    case "jsonstat": {
      const { readJsonStat } = await import("./read-jsonstat.ts");
      return readJsonStat(path, {
        mapping,
        measure: request.measure,
        chunkSize,
        keepDimensions: reference.dimensions.map((d) => d.code),
      });
    }
    case "wide": {
      const { readWide } = await import("./read-wide.ts");
      const measureCode = request.measure ?? mapping?.wide?.measure ?? mapping?.measure;
      const measure = reference.measures.find((m) => m.code === measureCode);
      if (measureCode && !measure) throw new FileFormatError(`unknown measure ${measureCode}: not in the framework`);
      return readWide(path, {
        measure: measureCode,
        areaColumn: mapping?.wide?.areaColumn,
        sheet: mapping?.sheet,
        chunkSize,
        ignore: mapping?.ignore,
        isPeriodHeading: (h) => (measure ? parsePeriod(h, measure.periodType).ok : false),
      });
    }
  }
}

/** Opens and validates the file in this thread. */
export async function validateHere(
  path: string,
  request: TableRequest,
  reference: ReferenceData,
): Promise<ValidatedTable> {
  const source = await openTable(path, request, reference);
  const validator = new RowValidator(reference, source.columns, { mapping: request.mapping, measure: request.measure });
  const chunks = validateChunks(source, validator);
  return {
    issues: [...source.issues, ...validator.fileIssues],
    totalBytes: source.totalBytes,
    chunks,
    bytesRead: () => source.bytesRead(),
    close: async () => {
      await chunks.return(undefined);
    },
  };
}
