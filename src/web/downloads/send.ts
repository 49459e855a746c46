/**
 * Sends a download from a route: the right content type, an attachment file name, and caching suited to public,
 * published figures.
 */
import type { FastifyReply } from "fastify";
import { toCsv } from "../../render/tables/csv.ts";
import { attachment, type DownloadTable } from "../../render/tables/download-table.ts";
import { svgFile } from "../../render/tables/svg-file.ts";

export const TABLE_FORMATS = ["csv", "xlsx"] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

const CACHE = "public, max-age=300";

/** A built download: its body, content type and Content-Disposition (cacheable as a whole). */
export interface DownloadFile {
  body: string | Buffer;
  type: string;
  disposition: string;
}

/** The table as a CSV or XLSX file. */
export async function tableDownload(table: DownloadTable, format: TableFormat): Promise<DownloadFile> {
  const disposition = attachment(table.fileName, format);
  if (format === "csv") return { body: toCsv(table), type: "text/csv; charset=utf-8", disposition };
  const { toXlsx } = await import("../../render/tables/xlsx.ts"); // large (exceljs): loaded for the first spreadsheet
  const body = await toXlsx(table);
  return { body, type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", disposition };
}

/** A chart as an SVG file. */
export function svgDownload(svg: string, fileName: string): DownloadFile {
  return { body: svgFile(svg), type: "image/svg+xml; charset=utf-8", disposition: attachment(fileName, "svg") };
}

/** Replies with a built download. */
export function sendFile(reply: FastifyReply, file: DownloadFile): FastifyReply {
  return reply
    .header("cache-control", CACHE)
    .header("content-disposition", file.disposition)
    .type(file.type)
    .send(file.body);
}
