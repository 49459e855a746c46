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
import { londonTime } from "../../domain/london-time.ts";
import type { Language } from "../../domain/enums.ts";
import { ForbiddenError, InvalidError, NotFoundError } from "../../domain/errors.ts";
import { DATA_MANAGERS } from "../../domain/permissions.ts";
import { MappingError, readMappingFile } from "../../ingest/observations/mapping.ts";
import { BatchError } from "../../services/import/batches.ts";
import { groupIssues } from "../../services/import/issue-groups.ts";
import { IMPORT_FORMATS, type ImportFormat } from "../../services/import/run-import.ts";
import type { ImportSummary } from "../../services/import/summary.ts";
import type { UploadSettings } from "../../services/import/uploads.ts";
import { requireRole } from "../guards.ts";
import { translator } from "../i18n.ts";
import { splitLanguage } from "../render.ts";

const PREVIEW_ROWS = 200;

function langOf(request: FastifyRequest): Language {
  return splitLanguage(request.url).lang ?? "en";
}

/** The guard of every data-management page (upload, batches, value history): national administrators and analysts. */
export const manageData = requireRole(DATA_MANAGERS);

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

/** A batch number from the path: anything but a whole number a batch could have is no batch (never a server error). */
function batchId(text: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new NotFoundError(`no batch ${text}`);
  return Number(text);
}

/** A summary with its issues grouped (summaries saved before grouping existed are grouped from their issues). */
function withGroups(summary: ImportSummary): ImportSummary {
  return {
    ...summary,
    errorGroups: summary.errorGroups ?? groupIssues(summary.errors),
    warningGroups: summary.warningGroups ?? groupIssues(summary.warnings),
  };
}

async function formOptions(app: FastifyInstance) {
  return { ...(await app.services.imports.formOptions()), formats: IMPORT_FORMATS };
}

function actorOf(request: FastifyRequest) {
  return { userId: request.user!.id, name: `web:${request.user!.email}` };
}

async function ownUpload(app: FastifyInstance, request: FastifyRequest, id: string): Promise<UploadSettings> {
  if (!app.services.uploads.isId(id)) throw new NotFoundError("no such upload");
  const settings = await app.services.uploads.readSettings(id);
  if (!settings || settings.userId !== request.user!.id) throw new NotFoundError("no such upload");
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
  const uploads = app.services.uploads;
  const MAX_UPLOAD_BYTES = uploads.maxBytes;
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 2, fields: 20, fieldSize: 64 * 1024 } });

  // An upload that is too large is shown on the form; every other error goes to the app's error pages.
  app.setErrorHandler(async (error: Error & { code?: string }, _request, reply) => {
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

  app.get("/data/import", { preHandler: manageData }, async (_request, reply) => {
    return reply.header("cache-control", "no-store").render("import/upload.njk", { ...(await formOptions(app)) });
  });

  app.post("/data/import", { preHandler: manageData }, async (request, reply) => {
    if (!request.isMultipart()) throw new InvalidError("expected a multipart form");
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
            throw new ForbiddenError("the form has no CSRF token first");
          }
          if (!(await checkCsrf(app, request, String(part.value)))) throw new ForbiddenError("bad CSRF token");
          csrfChecked = true;
          continue;
        }
        if (part.type === "field") {
          fields[part.fieldname] = String(part.value ?? "").trim();
          continue;
        }
        if (part.fieldname === "file" && part.filename) {
          id ??= await uploads.create();
          fileName = part.filename;
          size = await uploads.saveStream(uploads.filePath(id, fileName), part.file);
        } else if (part.fieldname === "mapping" && part.filename) {
          id ??= await uploads.create();
          const bytes = await uploads.saveStream(uploads.mappingPath(id), part.file);
          hasMapping = bytes > 0;
        } else part.file.resume();
      }
    } catch (error) {
      if (id) await uploads.remove(id);
      throw error;
    }
    if (!csrfChecked) throw new ForbiddenError("the form has no CSRF token");
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
      if (id) await uploads.remove(id);
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
    await uploads.writeSettings(id!, settings);
    try {
      const summary = await check(id!, settings, true, request);
      // a file that cannot be imported is not kept: only its summary and problems stay for the preview
      if (!summary.ok) await uploads.removeFiles(id!, settings);
    } catch (error) {
      await uploads.remove(id!);
      throw error;
    }
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
    const problems = uploads.issueWriter(id);
    let summary: ImportSummary;
    try {
      let mapping: Awaited<ReturnType<typeof readMappingFile>> | undefined;
      try {
        mapping = settings.hasMapping ? await readMappingFile(uploads.mappingPath(id)) : undefined;
      } catch (error) {
        if (!(error instanceof MappingError)) throw error;
        const issue = {
          severity: "error" as const,
          row: 0,
          column: "",
          value: "",
          code: "mapping",
          message: error.message.replace(uploads.mappingPath(id), "mapping file"),
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
          errorGroups: groupIssues([issue]),
          warningGroups: [],
          message: issue.message,
          seconds: 0,
          rowsPerSecond: 0,
        };
        await uploads.writeSummary(id, summary);
        return summary;
      }
      summary = await app.services.imports.run(uploads.filePath(id, settings.fileName), {
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
    await uploads.writeSummary(id, summary);
    return summary;
  }

  app.get<{ Params: { id: string } }>("/data/import/:id", { preHandler: manageData }, async (request, reply) => {
    const settings = await ownUpload(app, request, request.params.id);
    const summary = await uploads.readSummary(request.params.id);
    if (!summary) throw new NotFoundError("the upload has no summary");
    return reply.header("cache-control", "no-store").render("import/preview.njk", {
      id: request.params.id,
      settings,
      summary: withGroups(summary),
      previewRows: PREVIEW_ROWS,
    });
  });

  app.get<{ Params: { id: string } }>(
    "/data/import/:id/problems.csv",
    { preHandler: manageData },
    async (request, reply) => {
      const settings = await ownUpload(app, request, request.params.id);
      const name = `${settings.fileName.replace(/\.[^.]*$/, "").replace(/[^\w.-]+/g, "_")}-problems.csv`;
      return reply
        .header("cache-control", "no-store")
        .header("content-disposition", `attachment; filename="${name}"`)
        .type("text/csv; charset=utf-8")
        .send(createReadStream(uploads.issuesPath(request.params.id)));
    },
  );

  app.post<{ Params: { id: string } }>(
    "/data/import/:id/confirm",
    { preHandler: [app.csrfProtection, manageData] },
    async (request, reply) => {
      const id = request.params.id;
      const settings = await ownUpload(app, request, id);
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
          const summary = await uploads.readSummary(id);
          return reply.code(400).render("import/preview.njk", {
            id,
            settings,
            summary: summary && withGroups(summary),
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
      await uploads.remove(id);
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

  app.get("/data/batches", { preHandler: manageData }, async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const batches = await app.services.batches.list(100);
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
    { preHandler: [app.csrfProtection, manageData] },
    async (request, reply) => {
      const id = batchId(request.params.id);
      try {
        await app.services.batches.publish(id, { actor: actorOf(request) });
      } catch (error) {
        if (!(error instanceof BatchError)) throw error;
        return renderBatchError(request, reply, error.message);
      }
      return reply.redirect(`/${langOf(request)}/data/batches?done=published&id=${id}`, 303);
    },
  );

  app.post<{ Params: { id: string } }>(
    "/data/batches/:id/rollback",
    { preHandler: [app.csrfProtection, manageData] },
    async (request, reply) => {
      const id = batchId(request.params.id);
      let rollbackId: number;
      try {
        rollbackId = (await app.services.batches.rollback(id, { actor: actorOf(request) })).rollbackBatchId;
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
    const batches = await app.services.batches.list(100);
    return reply
      .code(409)
      .header("cache-control", "no-store")
      .render("import/batches.njk", { batches, now: new Date(), refused: message, request: request.url });
  }
}
