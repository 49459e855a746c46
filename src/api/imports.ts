/**
 * POST /api/v1/imports: the import for machine clients. Authenticated with an API token (`omf token create`) as
 * `Authorization: Bearer omf_…`; the token's user must be a national administrator or analyst. The body is the file
 * itself (Content-Type text/csv, text/tab-separated-values, the XLSX type, or application/json for JSON-stat), or a
 * multipart form with a `file` part and optionally a `mapping` part. Options are query parameters. The file is
 * streamed to disk (bounded memory) and imported all or nothing; the response is the same summary as
 * `omf import --json` (200 when valid, 422 when the file has errors).
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { ForbiddenError, InvalidError, UnauthenticatedError } from "../domain/errors.ts";
import { permissions } from "../domain/permissions.ts";
import { type Mapping, MappingError, readMappingFile } from "../ingest/observations/mapping.ts";
import { IMPORT_FORMATS } from "../services/import/run-import.ts";
import { badRequest } from "./errors.ts";

const RAW_TYPES: Record<string, string> = {
  "text/csv": ".csv",
  "text/plain": ".csv",
  "text/tab-separated-values": ".tsv",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
  "application/json": ".json",
  "application/octet-stream": "",
};

const flag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

export const importQuery = z
  .object({
    format: z.enum(IMPORT_FORMATS).optional(),
    measure: z.string().trim().min(1).optional(),
    source: z.string().trim().min(1).optional(),
    reason: z.string().trim().min(1).max(2000).optional(),
    dryRun: flag,
    publish: flag,
    publishAt: z.iso.datetime({ offset: true }).optional(),
    fileName: z.string().trim().min(1).max(255).optional(),
  })
  .strict();

function unauthorized(message: string): UnauthenticatedError {
  return new UnauthenticatedError(message, { code: "unauthorized" });
}

async function tokenUser(app: FastifyInstance, request: FastifyRequest) {
  const header = request.headers.authorization ?? "";
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m) throw unauthorized("send an API token as Authorization: Bearer <token> (create one with omf token create)");
  const user = await app.services.tokens.authenticate(m[1]!);
  if (!user) throw unauthorized("the API token is not valid (unknown, revoked, or its user is disabled)");
  if (!permissions.canManageData(user)) {
    throw new ForbiddenError("the token's user may not import data (national administrators and analysts only)", {
      code: "forbidden",
    });
  }
  return user;
}

/** Streams into a file, refusing more than the limit. */
async function saveLimited(stream: Readable, path: string, limit: number): Promise<number> {
  let bytes = 0;
  const out = createWriteStream(path, { mode: 0o600 });
  stream.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > limit) {
      stream.destroy(new InvalidError(`the file is larger than ${limit} bytes`, { code: "too_large", status: 413 }));
    }
  });
  await pipeline(stream, out);
  return bytes;
}

export async function importApi(app: FastifyInstance): Promise<void> {
  /** Largest upload accepted (bytes; `OMF_MAX_UPLOAD_MB`). */
  const API_MAX_UPLOAD_BYTES = app.services.uploads.maxBytes;
  await app.register(multipart, { limits: { fileSize: API_MAX_UPLOAD_BYTES, files: 2, fields: 10 } });
  // Raw bodies are passed through as streams (this plugin scope only), so files of any size stay out of memory.
  app.removeContentTypeParser(["application/json", "text/plain"]);
  app.addContentTypeParser(Object.keys(RAW_TYPES), (_request, payload, done) => done(null, payload));

  app.post("/imports", { bodyLimit: API_MAX_UPLOAD_BYTES }, async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header("cache-control", "no-store");
    const user = await tokenUser(app, request);
    const parsed = importQuery.safeParse(request.query ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw badRequest(`query parameter ${issue.path.join(".") || "?"}: ${issue.message}`);
    }
    const q = parsed.data;
    const dir = await mkdtemp(join(tmpdir(), "omf-api-import-"));
    try {
      let path: string | null = null;
      let fileName = q.fileName ?? "upload";
      let mapping: Mapping | undefined;
      if (request.isMultipart()) {
        for await (const part of request.parts()) {
          if (part.type !== "file") continue;
          if (part.fieldname === "file") {
            fileName = q.fileName ?? part.filename ?? "upload";
            const ext = /\.[a-z0-9]+$/i.exec(fileName)?.[0]?.toLowerCase() ?? ".csv";
            path = join(dir, `data${ext}`);
            await saveLimited(part.file, path, API_MAX_UPLOAD_BYTES);
          } else if (part.fieldname === "mapping") {
            const mappingFile = join(dir, "mapping.yaml");
            await saveLimited(part.file, mappingFile, API_MAX_UPLOAD_BYTES);
            try {
              mapping = await readMappingFile(mappingFile);
            } catch (error) {
              if (error instanceof MappingError) throw badRequest(error.message.replace(mappingFile, "mapping"));
              throw error;
            }
          } else {
            part.file.resume();
            await once(part.file, "end");
          }
        }
      } else {
        const type = (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
        if (!(type in RAW_TYPES)) {
          throw new InvalidError(
            `send the file as text/csv, text/tab-separated-values, application/json (JSON-stat), the XLSX type or multipart/form-data; got "${type}"`,
            { code: "unsupported_media_type", status: 415 },
          );
        }
        const ext = /\.[a-z0-9]+$/i.exec(q.fileName ?? "")?.[0]?.toLowerCase() || RAW_TYPES[type] || ".csv";
        path = join(dir, `data${ext}`);
        const size = await saveLimited(request.body as Readable, path, API_MAX_UPLOAD_BYTES);
        if (size === 0) path = null;
      }
      if (!path) throw badRequest("the request has no file: send it as the body or as the multipart part 'file'");
      const summary = await app.services.imports.run(path, {
        format: q.format,
        measure: q.measure,
        source: q.source,
        reason: q.reason,
        mapping,
        dryRun: q.dryRun,
        publish: q.publish || q.publishAt !== undefined,
        publishAt: q.publishAt ? new Date(q.publishAt) : undefined,
        actor: { userId: user.id, name: `api:${user.email}` },
        fileName,
      });
      return reply.code(summary.ok ? (summary.batch ? 201 : 200) : 422).send(summary);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
