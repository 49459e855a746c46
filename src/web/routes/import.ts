/**
 * Data upload for national analysts: upload a file (streamed to disk, with visible progress in the browser), see a
 * preview (new / revised old → new / unchanged, every error and warning, a downloadable CSV of the problems), then
 * confirm; and the list of batches with publish (now or under embargo) and roll back. Only national administrators
 * and analysts may use these pages; anonymous visitors are sent to sign in.
 */
import { createReadStream } from "node:fs";
import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { listBatches } from "../../db/queries/batches.ts";
import { findCurrentFramework, listMeasures, listSources } from "../../db/queries/framework.ts";
import { MappingError, readMappingFile } from "../../ingest/observations/mapping.ts";
import { permissions } from "../../services/accounts.ts";
import { translator } from "../i18n.ts";
import { BatchError, publishBatch, rollbackBatch } from "../../services/import/batches.ts";
import { IMPORT_FORMATS, type ImportFormat, runImport } from "../../services/import/run-import.ts";
import type { ImportSummary } from "../../services/import/summary.ts";
import {
  createUpload,
  issueCsvWriter,
  issuesPath,
  isUploadId,
  mappingPath,
  readSettings,
  readSummary,
  removeUpload,
  saveUploadStream,
  type UploadSettings,
  uploadFilePath,
  writeSettings,
  writeSummary,
} from "../../services/import/uploads.ts";
import { splitLanguage } from "../render.ts";

/** Largest upload accepted (bytes); `OMF_MAX_UPLOAD_MB` overrides. */
export const MAX_UPLOAD_BYTES = Number(process.env.OMF_MAX_UPLOAD_MB ?? 1024) * 1024 * 1024;
const PREVIEW_ROWS = 200;

class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

function langOf(request: FastifyRequest): "en" | "cy" {
  return splitLanguage(request.url).lang ?? "en";
}

/**
 * Sends anonymous visitors to sign in; refuses users who may not manage data. Returns false when handled. Shared by
 * every data-management page (upload, batches, value history).
 */
export function allowed(request: FastifyRequest, reply: FastifyReply): boolean {
  if (!request.user) {
    void reply.redirect(`/${langOf(request)}/sign-in`, 303);
    return false;
  }
  if (!permissions.canManageData(request.user)) throw new HttpError(403, "forbidden");
  return true;
}

/**
 * The CSRF check for a multipart form, whose token is its first field (the body is streamed, so the usual preHandler
 * cannot see it). Uses the plugin's own check with a stand-in reply that captures its refusal.
 */
function checkCsrf(app: FastifyInstance, request: FastifyRequest, token: string): Promise<boolean> {
  (request as { body: unknown }).body = { _csrf: token };
  return new Promise((resolve) => {
    const refuse = { send: () => resolve(false) } as unknown as FastifyReply;
    app.csrfProtection.call(app, request, refuse, () => resolve(true));
  });
}

/** "Europe/London" wall-clock time → UTC. */
export function londonTime(year: number, month: number, day: number, hour: number, minute: number): Date | null {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  if (Number.isNaN(guess)) return null;
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/London",
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(new Date(guess));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const shown = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"));
  const result = new Date(guess - (shown - guess));
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return result;
}

async function formOptions(app: FastifyInstance) {
  const db = app.services.db;
  const framework = await findCurrentFramework(db);
  const measures = framework ? await listMeasures(db, framework.id) : [];
  return { measures, sources: await listSources(db), formats: IMPORT_FORMATS };
}

function actorOf(request: FastifyRequest) {
  return { userId: request.user!.id, name: `web:${request.user!.email}` };
}

async function ownUpload(request: FastifyRequest, id: string): Promise<UploadSettings> {
  if (!isUploadId(id)) throw new HttpError(404, "not found");
  const settings = await readSettings(id);
  if (!settings || settings.userId !== request.user!.id) throw new HttpError(404, "not found");
  return settings;
}

const confirmBody = z.object({
  publish: z.enum(["draft", "now", "embargo"]).default("draft"),
  "embargo-day": z.string().trim().default(""),
  "embargo-month": z.string().trim().default(""),
  "embargo-year": z.string().trim().default(""),
  "embargo-time": z.string().trim().default(""),
});

export async function importRoutes(app: FastifyInstance): Promise<void> {
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 2, fields: 20, fieldSize: 64 * 1024 } });

  app.setErrorHandler(async (error: Error & { statusCode?: number; code?: string }, _request, reply) => {
    if (error instanceof HttpError && error.statusCode === 404) {
      return reply.code(404).render("error.njk", { titleKey: "errors.notFoundTitle", bodyKey: "errors.notFoundBody" });
    }
    if (error.code === "FST_REQ_FILE_TOO_LARGE") {
      return reply.code(413).render("import/upload.njk", {
        ...(await formOptions(app)),
        errors: [
          { field: "file", key: "import.errors.tooLarge", params: { mb: Math.round(MAX_UPLOAD_BYTES / 1048576) } },
        ],
      });
    }
    throw error;
  });

  app.get("/data/import", async (request, reply) => {
    if (!allowed(request, reply)) return reply;
    return reply.header("cache-control", "no-store").render("import/upload.njk", { ...(await formOptions(app)) });
  });

  app.post("/data/import", async (request, reply) => {
    if (!allowed(request, reply)) return reply;
    if (!request.isMultipart()) throw new HttpError(400, "expected a multipart form");
    const lang = langOf(request);
    const fields: Record<string, string> = {};
    let id: string | null = null;
    let fileName = "";
    let size = 0;
    let hasMapping = false;
    let csrfChecked = false;
    try {
      for await (const part of request.parts()) {
        if (!csrfChecked) {
          if (part.type !== "field" || part.fieldname !== "_csrf") {
            if (part.type === "file") part.file.resume();
            throw new HttpError(403, "forbidden");
          }
          if (!(await checkCsrf(app, request, String(part.value)))) throw new HttpError(403, "forbidden");
          csrfChecked = true;
          continue;
        }
        if (part.type === "field") {
          fields[part.fieldname] = String(part.value ?? "").trim();
          continue;
        }
        if (part.fieldname === "file" && part.filename) {
          id ??= await createUpload();
          fileName = part.filename;
          size = await saveUploadStream(uploadFilePath(id, fileName), part.file);
        } else if (part.fieldname === "mapping" && part.filename) {
          id ??= await createUpload();
          const bytes = await saveUploadStream(mappingPath(id), part.file);
          hasMapping = bytes > 0;
        } else part.file.resume();
      }
    } catch (error) {
      if (id) await removeUpload(id);
      throw error;
    }
    if (!csrfChecked) throw new HttpError(403, "forbidden");
    const errors: { field: string; key: string }[] = [];
    if (!id || !fileName || size === 0) errors.push({ field: "file", key: "import.errors.noFile" });
    const format = fields.format && fields.format !== "auto" ? fields.format : undefined;
    if (format && !(IMPORT_FORMATS as readonly string[]).includes(format)) {
      errors.push({ field: "format", key: "import.errors.format" });
    }
    if (format === "wide" && !fields.measure && !hasMapping) {
      errors.push({ field: "measure", key: "import.errors.wideMeasure" });
    }
    if (errors.length > 0) {
      if (id) await removeUpload(id);
      return reply.code(400).render("import/upload.njk", { ...(await formOptions(app)), errors, values: fields });
    }
    const settings: UploadSettings = {
      userId: request.user!.id,
      fileName,
      format: format as ImportFormat | undefined,
      measure: fields.measure || undefined,
      source: fields.source || undefined,
      reason: fields.reason || undefined,
      hasMapping,
      createdAt: new Date().toISOString(),
    };
    await writeSettings(id!, settings);
    await check(id!, settings, true, request);
    return reply.redirect(`/${lang}/data/import/${id}`, 303);
  });

  /** Runs the import for an upload (a dry run for the preview), recording every problem in problems.csv. */
  async function check(
    id: string,
    settings: UploadSettings,
    dryRun: boolean,
    request: FastifyRequest,
    publish?: { publish: boolean; at?: Date | undefined },
  ): Promise<ImportSummary> {
    const problems = issueCsvWriter(id);
    let summary: ImportSummary;
    try {
      let mapping: Awaited<ReturnType<typeof readMappingFile>> | undefined;
      try {
        mapping = settings.hasMapping ? await readMappingFile(mappingPath(id)) : undefined;
      } catch (error) {
        if (!(error instanceof MappingError)) throw error;
        const issue = {
          severity: "error" as const,
          row: 0,
          column: "",
          value: "",
          code: "mapping",
          message: error.message.replace(mappingPath(id), "mapping file"),
        };
        problems.add(issue);
        summary = {
          ok: false,
          dryRun,
          file: settings.fileName,
          format: settings.format ?? "csv",
          batch: null,
          counts: { rows: 0, valid: 0, new: 0, revised: 0, unchanged: 0, errors: 1, errorRows: 0, warnings: 0 },
          measures: [],
          revised: [],
          revisedTruncated: false,
          errors: [issue],
          warnings: [],
          errorsTruncated: false,
          warningsTruncated: false,
          message: issue.message,
          seconds: 0,
          rowsPerSecond: 0,
        };
        await writeSummary(id, summary);
        return summary;
      }
      summary = await runImport(app.services.database, uploadFilePath(id, settings.fileName), {
        format: settings.format,
        measure: settings.measure,
        source: settings.source,
        reason: settings.reason,
        mapping,
        dryRun,
        publish: publish?.publish,
        publishAt: publish?.at,
        actor: actorOf(request),
        fileName: settings.fileName,
        issueLimit: PREVIEW_ROWS,
        revisedLimit: PREVIEW_ROWS,
        onIssue: (issue) => problems.add(issue),
      });
    } finally {
      await problems.close();
    }
    await writeSummary(id, summary);
    return summary;
  }

  app.get<{ Params: { id: string } }>("/data/import/:id", async (request, reply) => {
    if (!allowed(request, reply)) return reply;
    const settings = await ownUpload(request, request.params.id);
    const summary = await readSummary(request.params.id);
    if (!summary) throw new HttpError(404, "not found");
    return reply
      .header("cache-control", "no-store")
      .render("import/preview.njk", { id: request.params.id, settings, summary, previewRows: PREVIEW_ROWS });
  });

  app.get<{ Params: { id: string } }>("/data/import/:id/problems.csv", async (request, reply) => {
    if (!allowed(request, reply)) return reply;
    const settings = await ownUpload(request, request.params.id);
    const name = `${settings.fileName.replace(/\.[^.]*$/, "").replace(/[^\w.-]+/g, "_")}-problems.csv`;
    return reply
      .header("cache-control", "no-store")
      .header("content-disposition", `attachment; filename="${name}"`)
      .type("text/csv; charset=utf-8")
      .send(createReadStream(issuesPath(request.params.id)));
  });

  app.post<{ Params: { id: string } }>(
    "/data/import/:id/confirm",
    { preHandler: app.csrfProtection },
    async (request, reply) => {
      if (!allowed(request, reply)) return reply;
      const id = request.params.id;
      const settings = await ownUpload(request, id);
      const body = confirmBody.parse(request.body ?? {});
      let at: Date | undefined;
      if (body.publish === "embargo") {
        const time = /^(\d{1,2}):(\d{2})$/.exec(body["embargo-time"]);
        const parsed =
          time &&
          londonTime(
            Number(body["embargo-year"]),
            Number(body["embargo-month"]),
            Number(body["embargo-day"]),
            Number(time[1]),
            Number(time[2]),
          );
        if (!parsed || Number(time?.[1]) > 23 || Number(time?.[2]) > 59 || parsed.getTime() <= Date.now()) {
          const summary = await readSummary(id);
          return reply.code(400).render("import/preview.njk", {
            id,
            settings,
            summary,
            previewRows: PREVIEW_ROWS,
            errors: [{ field: "embargo-day", key: "import.errors.embargo" }],
            values: body,
          });
        }
        at = parsed;
      }
      const summary = await check(id, settings, false, request, { publish: body.publish !== "draft", at });
      if (!summary.ok) {
        return reply.code(422).render("import/preview.njk", {
          id,
          settings,
          summary,
          previewRows: PREVIEW_ROWS,
          changedSincePreview: true,
        });
      }
      await removeUpload(id);
      const embargoText =
        at && at.getTime() > Date.now()
          ? new Intl.DateTimeFormat(langOf(request) === "cy" ? "cy-GB" : "en-GB", {
              timeZone: "Europe/London",
              dateStyle: "long",
              timeStyle: "short",
            }).format(at)
          : null;
      return reply.render("import/done.njk", { summary, embargoText });
    },
  );

  app.get("/data/batches", async (request, reply) => {
    if (!allowed(request, reply)) return reply;
    const query = request.query as Record<string, string | undefined>;
    const batches = await listBatches(app.services.db, 100);
    return reply.header("cache-control", "no-store").render("import/batches.njk", {
      batches,
      now: new Date(),
      done: query.done,
      doneId: query.id,
      rollbackId: query.rollback,
    });
  });

  app.post<{ Params: { id: string } }>(
    "/data/batches/:id/publish",
    { preHandler: app.csrfProtection },
    async (request, reply) => {
      if (!allowed(request, reply)) return reply;
      const id = Number(request.params.id);
      try {
        await publishBatch(app.services.database, id, { actor: actorOf(request) });
      } catch (error) {
        if (!(error instanceof BatchError)) throw error;
        return renderBatchError(request, reply, error.message);
      }
      return reply.redirect(`/${langOf(request)}/data/batches?done=published&id=${id}`, 303);
    },
  );

  app.post<{ Params: { id: string } }>(
    "/data/batches/:id/rollback",
    { preHandler: app.csrfProtection },
    async (request, reply) => {
      if (!allowed(request, reply)) return reply;
      const id = Number(request.params.id);
      let rollbackId: number;
      try {
        rollbackId = (await rollbackBatch(app.services.database, id, { actor: actorOf(request) })).rollbackBatchId;
      } catch (error) {
        if (!(error instanceof BatchError)) throw error;
        const message =
          error.code === "illustrative"
            ? translator(langOf(request))("import.batches.illustrativeRollback", { id })
            : error.message;
        return renderBatchError(request, reply, message);
      }
      return reply.redirect(`/${langOf(request)}/data/batches?done=rolledBack&id=${id}&rollback=${rollbackId}`, 303);
    },
  );

  async function renderBatchError(request: FastifyRequest, reply: FastifyReply, message: string) {
    const batches = await listBatches(app.services.db, 100);
    return reply
      .code(409)
      .header("cache-control", "no-store")
      .render("import/batches.njk", { batches, now: new Date(), refused: message, request: request.url });
  }
}
