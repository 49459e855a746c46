/**
 * Managing the data development agenda (issue 15), for national administrators and analysts, under /en and /cy:
 * GET /reports/data-development/manage (every measure in development with its stage, owner and notes, and the tasks
 * for further action, each with its form); POST …/measures/:code/stage (a move through the shared workflow),
 * POST …/measures/:code (owner and notes) and POST …/tasks (create a task, or edit or complete one named by `id`).
 * A refused change shows the page again with the problem named beside the field and what was typed kept.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { isAgendaAction } from "../../domain/agenda.ts";
import { DATA_MANAGERS } from "../../domain/permissions.ts";
import { InvalidError, isOmfError } from "../../domain/errors.ts";
import { requireRole } from "../guards.ts";
import { pageLanguage } from "../pages/page-kit.ts";
import { inLanguage } from "../pages/plan-view.ts";
import { planActor } from "./plans.ts";

const text = z.preprocess((v) => (Array.isArray(v) ? v.at(-1) : v), z.string().max(20_000).optional().default(""));
const detailsBody = z.object({ owner: text, "notes-en": text, "notes-cy": text, rowVersion: text });
const stageBody = z.object({ action: text, reason: text });
const taskBody = z.object({
  id: text,
  rowVersion: text,
  "title-en": text,
  "title-cy": text,
  owner: text,
  dueDate: text,
  status: text,
  measureCode: text,
});

/** What a refused form had typed and what was wrong with it, to show the page again. */
interface Posted {
  /** Which form: "task-new", "task-{id}", "details-{code}", "stage-{code}". */
  form: string;
  values: Record<string, string>;
  field: string;
  code: string;
}

export async function agendaRoutes(app: FastifyInstance): Promise<void> {
  const guard = requireRole(DATA_MANAGERS);
  const base = (lang: string) => `/${lang}/reports/data-development`;

  async function managePage(request: FastifyRequest, reply: FastifyReply, posted?: Posted, status = 200) {
    const { lang, t } = pageLanguage(request);
    const view = await app.services.reports.agenda.view();
    const errors: { text: string; href: string }[] = [];
    const fe: Record<string, string> = {};
    if (posted) {
      let field = "";
      try {
        field = t(`agenda.errors.field.${posted.field}`);
      } catch {
        field = posted.field;
      }
      const message = t(`agenda.errors.${posted.code}`, { field });
      const input = { title: "title-en", notes: "notes-en", form: "main-content" }[posted.field] ?? posted.field;
      const id = input === "main-content" ? input : `${posted.form}-${input}`;
      fe[id] = message;
      errors.push({ text: message, href: `#${id}` });
    }
    const entries = (view?.entries ?? []).map((e) => ({
      code: e.measure.code,
      title: inLanguage(e.measure.title, lang),
      stage: t(`agenda.stage.${e.stage}`),
      since: e.stageDates[e.stage] ?? null,
      entering: e.framework ? t(`agenda.entering.${e.framework}`, { version: view!.frameworkVersion }) : null,
      actions: e.actions.map((a) => ({ value: a, text: t(`agenda.actionLabel.${a}`) })),
      owner: e.owner ?? "",
      notesEn: e.notes?.en ?? "",
      notesCy: e.notes?.cy ?? "",
      rowVersion: e.rowVersion,
    }));
    const measures = (view?.entries ?? []).map((e) => ({
      value: e.measure.code,
      text: inLanguage(e.measure.title, lang),
    }));
    const tasks = (view?.tasks ?? []).map((task) => ({
      id: task.id,
      rowVersion: task.rowVersion,
      titleEn: task.title.en,
      titleCy: task.title.cy ?? "",
      owner: task.owner,
      dueDate: task.dueDate ?? "",
      status: task.status,
      shownStatus: task.overdue ? t("agenda.taskStatus.overdue") : t(`agenda.taskStatus.${task.status}`),
      measureCode: task.measureCode ?? "",
    }));
    return reply.code(status).render("reports/agenda-manage.njk", {
      title: t("agenda.manage.title"),
      base: base(lang),
      entries,
      tasks,
      measures,
      statuses: ["open", "in_progress", "done"].map((s) => ({ value: s, text: t(`agenda.taskStatus.${s}`) })),
      errors,
      fe,
      posted: posted ?? null,
      saved: (request.query as Record<string, unknown>)?.saved === "1",
    });
  }

  /** Runs a change; a refusal of its content or of the thing's state shows the page again with the problem named. */
  async function change(
    request: FastifyRequest,
    reply: FastifyReply,
    form: string,
    values: Record<string, string>,
    run: () => Promise<unknown>,
    anchor: string,
  ) {
    try {
      await run();
    } catch (error) {
      if (!isOmfError(error) || !["invalid", "conflict"].includes(error.kind)) throw error;
      const field = ((error.details ?? {}) as { field?: string }).field ?? "form";
      return managePage(
        request,
        reply,
        { form, values, field, code: error.code ?? "unknown" },
        error.kind === "conflict" ? 409 : 400,
      );
    }
    return reply.redirect(`${base(pageLanguage(request).lang)}/manage?saved=1#${anchor}`, 303);
  }

  app.get("/reports/data-development/manage", { preHandler: guard }, (request, reply) => managePage(request, reply));

  app.post<{ Params: { code: string } }>(
    "/reports/data-development/measures/:code/stage",
    { preHandler: [app.csrfProtection, guard] },
    async (request, reply) => {
      const { code } = request.params;
      const b = stageBody.parse(request.body ?? {});
      return change(
        request,
        reply,
        `stage-${code}`,
        b,
        async () => {
          if (!isAgendaAction(b.action))
            throw new InvalidError("action: choose a move", { code: "unknown", details: { field: "action" } });
          await app.services.reports.agenda.move(planActor(request), code, b.action, b.reason);
        },
        `measure-${code}`,
      );
    },
  );

  app.post<{ Params: { code: string } }>(
    "/reports/data-development/measures/:code",
    { preHandler: [app.csrfProtection, guard] },
    async (request, reply) => {
      const { code } = request.params;
      const b = detailsBody.parse(request.body ?? {});
      return change(
        request,
        reply,
        `details-${code}`,
        b,
        () =>
          app.services.reports.agenda.edit(planActor(request), code, {
            owner: b.owner,
            notes:
              b["notes-en"].trim() || b["notes-cy"].trim()
                ? { en: b["notes-en"].trim(), cy: b["notes-cy"].trim() }
                : null,
            rowVersion: b.rowVersion === "" ? undefined : Number(b.rowVersion),
          }),
        `measure-${code}`,
      );
    },
  );

  app.post("/reports/data-development/tasks", { preHandler: [app.csrfProtection, guard] }, async (request, reply) => {
    const b = taskBody.parse(request.body ?? {});
    const id = /^\d{1,9}$/.test(b.id) ? Number(b.id) : null;
    const form = id === null ? "task-new" : `task-${id}`;
    return change(
      request,
      reply,
      form,
      b,
      () =>
        app.services.reports.agenda.saveTask(planActor(request), id, {
          title: { en: b["title-en"], cy: b["title-cy"] },
          owner: b.owner,
          dueDate: b.dueDate.trim() || null,
          status: b.status || "open",
          measureCode: b.measureCode || null,
          rowVersion: b.rowVersion === "" ? undefined : Number(b.rowVersion),
        }),
      "tasks",
    );
  });
}
