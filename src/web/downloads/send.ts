/**
 * Sends a download from a route: the right content type, an attachment file name, and caching suited to public,
 * published figures.
 */
import type { FastifyReply } from "fastify";
import { toCsv } from "../../render/tables/csv.ts";
import { attachment, type DownloadTable } from "../../render/tables/download-table.ts";
import { svgFile } from "../../render/tables/svg-file.ts";
import { toXlsx } from "../../render/tables/xlsx.ts";

export const TABLE_FORMATS = ["csv", "xlsx"] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

const CACHE = "public, max-age=300";

/** Replies with the table as CSV or XLSX. */
export async function sendTable(reply: FastifyReply, table: DownloadTable, format: TableFormat): Promise<FastifyReply> {
  reply.header("cache-control", CACHE).header("content-disposition", attachment(table.fileName, format));
  if (format === "csv") return reply.type("text/csv; charset=utf-8").send(toCsv(table));
  const body = await toXlsx(table);
  return reply.type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").send(body);
}

/** Replies with a chart as an SVG file. */
export function sendSvg(reply: FastifyReply, svg: string, fileName: string): FastifyReply {
  return reply
    .header("cache-control", CACHE)
    .header("content-disposition", attachment(fileName, "svg"))
    .type("image/svg+xml; charset=utf-8")
    .send(svgFile(svg));
}
