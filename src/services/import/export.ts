/**
 * Exports of published data (disclosure control applied) as tidy CSV, XLSX or JSON-stat 2.0. Every export is in a
 * format `omf import` reads back to the same data: the columns are the tidy columns, breakdowns are in a `breakdown`
 * column, note codes are long codes separated by ";". Every row says whether it is illustrative (generated demonstration
 * data): the `illustrative` column (true/false) in CSV and XLSX, which `omf import` reads and refuses when true, so
 * demo values never come back as real data; in JSON-stat a note and `extension.illustrative` (the measures concerned).
 */
import { once } from "node:events";
import type { Writable } from "node:stream";
import { stringify } from "csv-stringify";
import type { Database } from "../../db/database.ts";
import { iterateVisibleObservations, type VisibleObservation } from "../../db/queries/visible-observations.ts";
import type { ExportFormat } from "../../domain/file-formats.ts";
import { formulaSafeText } from "../../domain/formula-safe.ts";

export { EXPORT_FORMATS, type ExportFormat } from "../../domain/file-formats.ts";

export const EXPORT_COLUMNS = [
  "measure_code",
  "area_code",
  "period",
  "breakdown",
  "value",
  "numerator",
  "denominator",
  "lower_ci",
  "upper_ci",
  "note_code",
  "illustrative",
] as const;

export interface ExportOptions {
  format: ExportFormat;
  measureCodes?: string[] | undefined;
  areaCodes?: string[] | undefined;
  /** What was public at this time (default now). */
  asAt?: Date | undefined;
}

const text = (x: number | null): string => (x === null ? "" : String(x));

/** One CSV record; the text columns (codes, which never start a formula in practice) are formula-safe anyway. */
function record(o: VisibleObservation): string[] {
  return [
    formulaSafeText(o.measureCode),
    formulaSafeText(o.areaCode),
    formulaSafeText(o.period),
    formulaSafeText(o.breakdown),
    text(o.value),
    text(o.numerator),
    text(o.denominator),
    text(o.lower95),
    text(o.upper95),
    formulaSafeText(o.noteCodes.join(";")),
    String(o.illustrative),
  ];
}

async function write(out: Writable, chunk: string | Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, "drain");
}

/** Writes the export to `out` (not ended for CSV/JSON callers that own the stream; XLSX ends it). Returns the row count. */
export async function exportObservations(
  database: Database,
  out: Writable,
  options: ExportOptions,
): Promise<{ rows: number }> {
  const rows = iterateVisibleObservations(database.db, {
    measureCodes: options.measureCodes,
    areaCodes: options.areaCodes,
    asAt: options.asAt,
  });
  let n = 0;
  if (options.format === "csv") {
    const csv = stringify({ bom: true, header: true, columns: [...EXPORT_COLUMNS] });
    const done = new Promise<void>((resolve, reject) => {
      csv.on("error", reject);
      csv.on("end", resolve);
    });
    csv.on("data", (d: Buffer) => {
      if (!out.write(d)) {
        csv.pause();
        out.once("drain", () => csv.resume());
      }
    });
    for await (const chunk of rows) {
      for (const o of chunk) {
        n++;
        if (!csv.write(record(o))) await once(csv, "drain");
      }
    }
    csv.end();
    await done;
    return { rows: n };
  }
  if (options.format === "xlsx") {
    const { default: ExcelJS } = await import("exceljs"); // large: loaded only for spreadsheet exports
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    const ws = wb.addWorksheet("Data");
    ws.columns = EXPORT_COLUMNS.map((c) => ({ header: c, key: c, width: c === "measure_code" ? 36 : 14 }));
    for await (const chunk of rows) {
      for (const o of chunk) {
        n++;
        ws.addRow([
          o.measureCode,
          o.areaCode,
          o.period,
          o.breakdown,
          o.value,
          o.numerator,
          o.denominator,
          o.lower95,
          o.upper95,
          o.noteCodes.join(";"),
          String(o.illustrative),
        ]).commit();
      }
    }
    ws.commit();
    await wb.commit();
    return { rows: n };
  }
  // JSON-stat 2.0: one dataset, dimensions measure × area × period × breakdown × statistic, sparse values.
  const all: VisibleObservation[] = [];
  for await (const chunk of rows) all.push(...chunk);
  n = all.length;
  const cats = (f: (o: VisibleObservation) => string) => [...new Set(all.map(f))].sort();
  const measure = cats((o) => o.measureCode);
  const area = cats((o) => o.areaCode);
  const period = cats((o) => o.period);
  const breakdown = cats((o) => o.breakdown);
  const statistic = ["value", "numerator", "denominator", "lower_ci", "upper_ci"];
  const index = (list: string[]) => new Map(list.map((c, i) => [c, i]));
  const [mi, ai, pi, bi] = [index(measure), index(area), index(period), index(breakdown)];
  const size = [measure.length, area.length, period.length, breakdown.length, statistic.length];
  const value: Record<string, number> = {};
  const status: Record<string, string> = {};
  for (const o of all) {
    const base = ((((mi.get(o.measureCode)! * size[1]! + ai.get(o.areaCode)!) * size[2]! + pi.get(o.period)!) *
      size[3]! +
      bi.get(o.breakdown)!) *
      size[4]!) as number;
    const stats = [o.value, o.numerator, o.denominator, o.lower95, o.upper95];
    stats.forEach((s, i) => {
      if (s !== null) value[String(base + i)] = s;
    });
    if (o.noteCodes.length > 0) status[String(base)] = o.noteCodes.join(";");
  }
  const illustrative = cats((o) => (o.illustrative ? o.measureCode : "")).filter(Boolean);
  const dim = (list: string[]) => ({ category: { index: list } });
  const doc = {
    version: "2.0",
    class: "dataset",
    label: "Outcomes Measures Framework: published values",
    updated: new Date().toISOString(),
    note: [
      "Published values of the Outcomes Measures Framework, with disclosure control applied.",
      ...(options.asAt ? [`As published at ${options.asAt.toISOString()}.`] : []),
      ...(illustrative.length > 0
        ? [
            `The values of ${illustrative.join(", ")} are illustrative: generated demonstration data, not real published statistics.`,
          ]
        : []),
    ],
    ...(illustrative.length > 0 ? { extension: { illustrative: { measures: illustrative } } } : {}),
    id: ["measure", "area", "period", "breakdown", "statistic"],
    size,
    role: { geo: ["area"], time: ["period"], metric: ["statistic"] },
    dimension: {
      measure: dim(measure),
      area: dim(area),
      period: dim(period),
      breakdown: dim(breakdown),
      statistic: dim(statistic),
    },
    value,
    status,
  };
  await write(out, JSON.stringify(doc));
  return { rows: n };
}
