/**
 * Editing partnership plans (issue 13) on the plan's own addresses plus `/edit`: create a plan; add and change
 * priorities; choose additional measures; define local measures; set targets; write the turn-the-curve narratives;
 * add actions and progress updates; add programmes, performance measures and their values. Only signed-in editors of
 * the plan's partnership and national administrators (guards.ts; others get 403, the public is sent to sign in).
 * Every form carries the plan's row version (a stale save is refused, nothing written); a narrative form carries the
 * version of its text instead, and a stale narrative save shows both texts and their differences to merge by hand.
 * Routes stay thin: guard, parse, call the plans service, render; errors come back from the service with a code and
 * the field, shown in a govuk error summary and beside the field, in English or Welsh.
 */

import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { BilingualText, Language } from "../../domain/enums.ts";
import { POLARITIES, UNITS, VALUE_TYPES } from "../../domain/enums.ts";
import { ConflictError, InvalidError, NotFoundError } from "../../domain/errors.ts";
import { ACTION_STATUSES } from "../../domain/plans/actions.ts";
import { NARRATIVE_SECTIONS, type NarrativeSection, QUADRANTS, type Quadrant } from "../../domain/plans/model.ts";
import { parsePlanPeriod, planTargetYears } from "../../domain/plans/plan-period.ts";
import { type PerformanceCsvProblem, readPerformanceCsv } from "../../ingest/performance-values.ts";
import { diffHtml, diffWords } from "../../render/document/text-diff.ts";
import {
  EDITABLE,
  LOCAL_PERIOD_TYPES,
  type PlanActor,
  type PlanDetail,
  type PlanRef,
  performanceSubject,
} from "../../services/plans/index.ts";
import { NEW_VERSION_FROM } from "../../services/plans/versions.ts";
import { requireArea, requireRole } from "../guards.ts";
import type { Translate } from "../i18n.ts";
import { pageLanguage } from "../pages/page-kit.ts";
import { planChangeRows } from "../pages/plan-changes.ts";
import { inLanguage, minuteUtc, planAddress } from "../pages/plan-view.ts";

/** A form field's problem, as the error summary and the field show it. */
interface FieldError {
  field: string;
  key: string;
  params: Record<string, string | number>;
  /** Refused by the current state (409) rather than by the input (400). */
  conflict?: boolean;
}

/** Which form of a page a posted body (and its errors) belong to. */
interface Posted {
  form: string;
  values: Record<string, string | string[]>;
  errors: FieldError[];
  /** Extra page state for the form (e.g. the merge view of a stale narrative). */
  extra?: Record<string, unknown>;
}

const planParams = z.object({
  area: z.string().regex(/^[A-Za-z]\d{8}$/),
  period: z.string().regex(/^[0-9a-z-]{4,40}$/),
});
const text = z.string().max(60_000).default("");
const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

const bodies = {
  create: z.object({ areaCode: text, period: text }),
  priority: z.object({
    rowVersion: text,
    "text-en": text,
    "text-cy": text,
    "rationale-en": text,
    "rationale-cy": text,
    coreAims: list,
  }),
  choose: z.object({ rowVersion: text, measureCode: text, priorityId: text, "reason-en": text, "reason-cy": text }),
  selection: z.object({ rowVersion: text, priorityId: text, "reason-en": text, "reason-cy": text }),
  /** A form that only carries the plan's row version (removing something). */
  lock: z.object({ rowVersion: text }),
  local: z.object({
    rowVersion: text,
    shortCode: text,
    "title-en": text,
    "title-cy": text,
    "definition-en": text,
    "definition-cy": text,
    unit: text,
    polarity: text,
    valueType: text,
    periodType: text,
    decimals: text,
    multiplier: text,
    coreAim: text,
    priorityId: text,
    "reason-en": text,
    "reason-cy": text,
  }),
  programme: z.object({
    rowVersion: text,
    code: text,
    "name-en": text,
    "name-cy": text,
    "description-en": text,
    "description-cy": text,
    priorityId: text,
  }),
  /** Forms with fields named by period or row (targets, narratives with their items): text values by name. */
  fields: z.record(
    z.string(),
    z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v.join(" ") : v)),
  ),
  action: z.object({
    rowVersion: text,
    "title-en": text,
    "title-cy": text,
    owner: text,
    startDate: text,
    dueDate: text,
    status: text,
  }),
  update: z.object({ rowVersion: text, date: text, "text-en": text, "text-cy": text, status: text }),
  performanceMeasure: z.object({
    rowVersion: text,
    code: text,
    "title-en": text,
    "title-cy": text,
    quadrant: text,
    unit: text,
    polarity: text,
    decimals: text,
  }),
  value: z.object({
    rowVersion: text,
    measureCode: text,
    period: text,
    value: text,
    numerator: text,
    denominator: text,
    reason: text,
  }),
};

/** Plan editors: partnership editors (of their own areas) and national administrators. */
const PLAN_EDITORS = ["partnership_editor", "national_admin"] as const;

function bilingual(en: string, cy: string): BilingualText {
  return cy.trim() ? { en: en.trim(), cy: cy.trim() } : { en: en.trim() };
}

/** A typed number, NaN when it is not one (the service names the field), null when empty. */
function num(value: string): number | null {
  const v = value.trim().replace(/,/g, "");
  if (v === "") return null;
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v) ? Number(v) : Number.NaN;
}

function int(value: string): number {
  const n = num(value);
  return n === null ? Number.NaN : n;
}

function actorOf(request: FastifyRequest): PlanActor {
  const u = request.user!;
  return { id: u.id, email: u.email, role: u.role, areaCodes: u.areaCodes, channel: "web" };
}

function codeOf(request: FastifyRequest): string {
  return (request.params as { code: string }).code;
}

/** Which report a form is about: a selected measure (`:code`) or a programme's performance measure (`:code/:pm`). */
function subjectOf(request: FastifyRequest): { subjectKind: "measure" | "programme_measure"; subjectCode: string } {
  const { code, pm } = request.params as { code: string; pm?: string };
  return pm
    ? { subjectKind: "programme_measure", subjectCode: performanceSubject(code, pm) }
    : { subjectKind: "measure", subjectCode: code };
}

function sectionOf(request: FastifyRequest): NarrativeSection {
  const section = (request.params as { section: string }).section;
  if (!(NARRATIVE_SECTIONS as readonly string[]).includes(section)) throw new NotFoundError(`no section ${section}`);
  return section as NarrativeSection;
}

function priorityInput(body: z.infer<typeof bodies.priority>) {
  return {
    text: bilingual(body["text-en"], body["text-cy"]),
    rationale: bilingual(body["rationale-en"], body["rationale-cy"]),
    coreAims: body.coreAims,
  };
}

function refOf(request: FastifyRequest): PlanRef {
  const p = planParams.safeParse(request.params);
  if (!p.success) throw new NotFoundError("no such plan");
  return { areaCode: p.data.area.toUpperCase(), period: p.data.period };
}

/**
 * The field errors of a refused save: the service's InvalidError or ConflictError names its field and code; a stale
 * plan is a page-level error. Other errors are not form errors and go to the app's error pages.
 */
export function formErrors(error: unknown, idOf: (field: string) => string): FieldError[] | null {
  if (!(error instanceof InvalidError || error instanceof ConflictError)) return null;
  const details = (error.details ?? {}) as Record<string, unknown>;
  const code = error.code ?? error.kind;
  const conflict = error instanceof ConflictError;
  if (code === "stale_plan") return [{ field: "stale", key: "plans.errors.stale_plan", params: {}, conflict }];
  const field = typeof details.field === "string" ? details.field : code === "stale_narrative" ? "body" : null;
  return [
    {
      field: field ? idOf(field) : "main-content",
      key: `plans.errors.${code}`,
      params: { ...textParams(details), detail: error.message },
      conflict,
    },
  ];
}

/** The largest CSV of performance values accepted (a programme's values are a few hundred rows at most). */
const MAX_PERFORMANCE_CSV_BYTES = 1024 * 1024;

/** The problems of an imported file as form errors, each naming its row and column (at most 50, then a count). */
function rowErrors(t: Translate, problems: readonly PerformanceCsvProblem[]): FieldError[] {
  const shown = problems.slice(0, 50).map((p) => ({
    field: "import-file",
    key: "plans.errors.import_row",
    params: {
      row: p.row,
      column: p.field,
      problem: t(`plans.errors.${p.code}`, { ...(p.params ?? {}), detail: "" }),
    },
  }));
  if (problems.length > 50)
    shown.push({
      field: "import-file",
      key: "plans.errors.import_more",
      params: { row: 0, column: "", problem: String(problems.length - 50) },
    });
  return shown;
}

function textParams(details: Record<string, unknown>): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(details).filter(
      (e): e is [string, string | number] => typeof e[1] === "string" || typeof e[1] === "number",
    ),
  );
}

export async function planEditRoutes(app: FastifyInstance): Promise<void> {
  const plans = app.services.plans;
  const editArea = requireArea((request) => (request.params as { area?: string }).area?.toUpperCase());
  const editor = requireRole(PLAN_EDITORS);
  const areaGuard = { preHandler: editArea };
  const areaPost = { preHandler: [editArea, app.csrfProtection, editableNow] };

  /**
   * Refuses any change to a plan whose newest version is not a draft or returned (approved and published versions are
   * immutable: a change starts a new version), before the form is read, with a page saying so in the page's language
   * (409, nothing written). The plans service refuses the same again inside each change.
   */
  async function editableNow(request: FastifyRequest): Promise<void> {
    const plan = await plans.summary(actorOf(request), refOf(request));
    if ((EDITABLE as readonly string[]).includes(plan.status)) return;
    const { t } = pageLanguage(request);
    const message = t("planversions.notEditable", { version: plan.version, status: t(`plans.status.${plan.status}`) });
    throw new ConflictError(`the plan is ${plan.status}: only a draft or returned plan can be changed`, {
      code: "plan_not_editable",
      publicMessage: message,
    });
  }

  async function areaName(code: string, lang: Language): Promise<string> {
    const a = (await app.services.publicViews.areas()).byCode.get(code);
    return a ? inLanguage(a.name, lang) : code;
  }

  /** Texts of field errors for the template: the summary list and a map from input id to message. */
  function shown(t: Translate, errors: FieldError[]) {
    const list = errors.map((e) => {
      let key = e.key;
      try {
        t(key);
      } catch {
        key = "plans.errors.invalid"; // a refusal without its own sentence: the generic one, with the English detail
      }
      return { field: e.field, key, params: e.params, text: t(key, e.params) };
    });
    return { errors: list, fe: Object.fromEntries(list.map((e) => [e.field, e.text])) };
  }

  function send(
    reply: FastifyReply,
    t: Translate,
    template: string,
    context: Record<string, unknown>,
    posted?: Posted,
  ): FastifyReply {
    const errs = shown(t, posted?.errors ?? []);
    const status = posted?.errors.some((e) => e.conflict) ? 409 : posted?.errors.length ? 400 : 200;
    return reply
      .code(status)
      .header("cache-control", "no-store")
      .render(template, {
        ...context,
        errors: errs.errors,
        fe: errs.fe,
        form: posted?.form ?? null,
        values: posted?.values ?? {},
        ...(posted?.extra ?? {}),
      });
  }

  /** Runs a save; on a form error re-renders `page` with the errors and the typed values kept, else redirects. */
  async function save(
    request: FastifyRequest,
    reply: FastifyReply,
    form: string,
    values: Record<string, string | string[]>,
    idOf: (field: string) => string,
    run: () => Promise<string>,
    page: (posted: Posted) => Promise<FastifyReply>,
  ): Promise<FastifyReply> {
    let next: string;
    try {
      next = await run();
    } catch (error) {
      const errors = formErrors(error, idOf);
      if (!errors) throw error;
      const extra =
        error instanceof ConflictError && error.code === "stale_narrative"
          ? {
              merge: mergeModel(
                request,
                typeof values.body === "string" ? values.body : "", // a form posted without its text
                error.details as Record<string, unknown>,
              ),
            }
          : undefined;
      return page({ form, values, errors, ...(extra ? { extra } : {}) });
    }
    return reply.redirect(next, 303);
  }

  function mergeModel(request: FastifyRequest, yours: string, details: Record<string, unknown>) {
    const { t } = pageLanguage(request);
    const theirs = String(details.theirs ?? "");
    return {
      theirs,
      yours,
      author: String(details.author ?? ""),
      at: String(details.at ?? "")
        .slice(0, 16)
        .replace("T", " "),
      current: Number(details.current ?? 0),
      diff: diffHtml(diffWords(theirs, yours), { added: t("plans.page.added"), removed: t("plans.page.removed") }),
    };
  }

  /** The id of a form's input for a service field: `{form}-{field}`, bilingual fields by their English input. */
  const ids =
    (form: string, bilingualFields: readonly string[] = []) =>
    (field: string) =>
      bilingualFields.includes(field) ? `${form}-${field}-en` : `${form}-${field}`;

  type Page = (request: FastifyRequest, reply: FastifyReply, posted?: Posted) => Promise<FastifyReply>;

  /**
   * A form of a plan's edit pages: guarded (the partnership's editors and national administrators, then CSRF), the
   * body parsed, `run` saves through the service and names the page to go to next; a refusal re-renders `page` with
   * the errors and the typed values.
   */
  function postForm<S extends z.ZodType<Record<string, string | string[]>>>(
    path: string,
    spec: {
      form: string | ((request: FastifyRequest) => string);
      schema: S;
      bilingual?: readonly string[];
      page: Page;
      run: (request: FastifyRequest, body: z.infer<S>, ref: PlanRef) => Promise<string>;
    },
  ): void {
    app.post(path, areaPost, async (request, reply) => {
      const ref = refOf(request);
      const form = typeof spec.form === "string" ? spec.form : spec.form(request);
      const body = spec.schema.parse(request.body ?? {});
      return save(
        request,
        reply,
        form,
        body,
        ids(form, spec.bilingual),
        () => spec.run(request, body, ref),
        (posted) => spec.page(request, reply, posted),
      );
    });
  }

  function editAddress(request: FastifyRequest, ref: PlanRef): string {
    return planAddress(pageLanguage(request).lang, ref.areaCode, ref.period);
  }

  /** The edit page a report's form returns to: a selected measure's, or a programme's performance measure's. */
  function measureBack(request: FastifyRequest, ref: PlanRef, anchor: string): string {
    const { pm } = request.params as { pm?: string };
    const page = pm ? `programmes/${codeOf(request)}/measures/${pm}` : `measures/${codeOf(request)}`;
    return `${editAddress(request, ref)}/${page}/edit#${anchor}`;
  }

  // --- a new plan ---------------------------------------------------------------------------------------------

  async function newPlanPage(request: FastifyRequest, reply: FastifyReply, posted?: Posted) {
    const { lang, t } = pageLanguage(request);
    const user = request.user!;
    const choices = (await app.services.publicViews.areas()).localAuthorities
      .filter((a) => user.role === "national_admin" || user.areaCodes.includes(a.code))
      .map((a) => ({ value: a.code, text: `${inLanguage(a.name, lang)} (${a.code})` }));
    return send(reply, t, "plans/edit-new.njk", { areas: choices }, posted);
  }

  app.get("/plans/new", { preHandler: editor }, async (request, reply) => newPlanPage(request, reply));

  app.post("/plans/new", { preHandler: [editor, app.csrfProtection] }, async (request, reply) => {
    const { lang } = pageLanguage(request);
    const body = bodies.create.parse(request.body ?? {});
    return save(
      request,
      reply,
      "create",
      body,
      ids("create"),
      async () => {
        if (!body.areaCode)
          throw new InvalidError("choose a partnership", { code: "area_required", details: { field: "areaCode" } });
        const plan = await plans.create(actorOf(request), { areaCode: body.areaCode, period: body.period });
        return `${planAddress(lang, plan.areaCode, plan.period)}/edit`;
      },
      (posted) => newPlanPage(request, reply, posted),
    );
  });

  // --- the plan: priorities, measures, local measures, programmes -------------------------------------------------

  async function planPage(request: FastifyRequest, reply: FastifyReply, posted?: Posted) {
    const ref = refOf(request);
    const { lang, t } = pageLanguage(request);
    const actor = actorOf(request);
    const d = await plans.get(actor, ref);
    const view = (await app.services.framework.current())!;
    const address = planAddress(lang, d.plan.areaCode, d.plan.period);
    const choices = await plans.additionalChoices(actor, ref);
    const groups = new Map<string, { label: string; options: { value: string; text: string }[] }>();
    for (const m of choices) {
      const label = m.localAreaCode
        ? t("plans.local")
        : m.group
          ? inLanguage(m.group.title, lang)
          : t("plans.edit.ungrouped");
      const g = groups.get(label) ?? { label, options: [] };
      g.options.push({ value: m.code, text: inLanguage(m.title, lang) });
      groups.set(label, g);
    }
    const aimTitle = new Map(view.aims.map((a) => [a.code, `${a.number}. ${inLanguage(a.title, lang)}`] as const));
    return send(
      reply,
      t,
      "plans/edit-plan.njk",
      {
        plan: await header(d, lang, t),
        address,
        rowVersion: d.plan.rowVersion,
        editable: d.plan.status === "draft" || d.plan.status === "returned",
        aims: view.aims.map((a) => ({ value: a.code, text: aimTitle.get(a.code) })),
        priorities: d.priorities.map((p) => ({
          id: p.id,
          text: inLanguage(p.text, lang),
          rationale: inLanguage(p.rationale, lang),
          aims: p.coreAims.map((c) => aimTitle.get(c) ?? c),
          href: `${address}/edit/priorities/${p.id}`,
        })),
        measures: d.measures.map((s) => ({
          code: s.measureCode,
          title: s.measure ? inLanguage(s.measure.title, lang) : s.measureCode,
          kind: t(`plans.kind.${s.kind}`),
          local: s.kind === "local",
          priority: inLanguage(d.priorities.find((p) => p.id === s.priorityId)?.text, lang),
          reason: inLanguage(s.reason, lang),
          href: `${address}/measures/${s.measureCode}/edit`,
        })),
        groups: [...groups.values()],
        programmes: d.programmes.map((p) => ({
          name: inLanguage(p.name, lang),
          href: `${address}/programmes/${p.code}/edit`,
        })),
      },
      posted,
    );
  }

  async function header(d: PlanDetail, lang: Language, t: Translate) {
    return {
      area: await areaName(d.plan.areaCode, lang),
      areaCode: d.plan.areaCode,
      period: d.plan.period,
      version: d.plan.version,
      canStartVersion: (NEW_VERSION_FROM as readonly string[]).includes(d.plan.status),
      status: t(`plans.status.${d.plan.status}`),
      isPublic: d.plan.status === "published" || d.plan.status === "superseded",
      illustrative: d.plan.illustrative,
    };
  }

  app.get("/plans/:area/:period/edit", areaGuard, async (request, reply) => planPage(request, reply));

  app.get("/plans/:area/:period/edit/history", areaGuard, async (request, reply) => {
    const ref = refOf(request);
    const { lang, t } = pageLanguage(request);
    const actor = actorOf(request);
    const d = await plans.get(actor, ref);
    const view = (await app.services.framework.current())!;
    const rows = planChangeRows(t, lang, await plans.changes(actor, ref), {
      priorities: new Map(d.priorities.map((p) => [p.id, inLanguage(p.text, lang)] as const)),
      measures: new Map([...view.measuresByCode].map(([code, m]) => [code, inLanguage(m.title, lang)] as const)),
    });
    return send(reply, t, "plans/edit-history.njk", {
      plan: await header(d, lang, t),
      address: planAddress(lang, d.plan.areaCode, d.plan.period),
      rows,
    });
  });

  postForm("/plans/:area/:period/edit/priorities", {
    form: "priority",
    schema: bodies.priority,
    bilingual: ["text", "rationale"],
    page: planPage,
    run: async (request, body, ref) => {
      await plans.addPriority(actorOf(request), ref, int(body.rowVersion), priorityInput(body));
      return `${editAddress(request, ref)}/edit#priorities`;
    },
  });

  async function priorityPage(request: FastifyRequest, reply: FastifyReply, posted?: Posted) {
    const ref = refOf(request);
    const { lang, t } = pageLanguage(request);
    const d = await plans.get(actorOf(request), ref);
    const id = Number((request.params as { id: string }).id);
    const p = d.priorities.find((x) => x.id === id);
    if (!p) throw new NotFoundError(`no priority ${id} in this plan`);
    const view = (await app.services.framework.current())!;
    const values = (posted?.form === "priority" ? posted.values : null) ?? {
      "text-en": p.text.en,
      "text-cy": p.text.cy ?? "",
      "rationale-en": p.rationale?.en ?? "",
      "rationale-cy": p.rationale?.cy ?? "",
      coreAims: p.coreAims,
    };
    return send(
      reply,
      t,
      "plans/edit-priority.njk",
      {
        plan: await header(d, lang, t),
        address: planAddress(lang, d.plan.areaCode, d.plan.period),
        rowVersion: d.plan.rowVersion,
        priorityId: id,
        aims: view.aims.map((a) => ({ value: a.code, text: `${a.number}. ${inLanguage(a.title, lang)}` })),
      },
      { form: "priority", errors: posted?.errors ?? [], values },
    );
  }

  app.get("/plans/:area/:period/edit/priorities/:id", areaGuard, async (request, reply) =>
    priorityPage(request, reply),
  );

  postForm("/plans/:area/:period/edit/priorities/:id", {
    form: "priority",
    schema: bodies.priority,
    bilingual: ["text", "rationale"],
    page: priorityPage,
    run: async (request, body, ref) => {
      const id = Number((request.params as { id: string }).id);
      await plans.updatePriority(actorOf(request), ref, int(body.rowVersion), id, priorityInput(body));
      return `${editAddress(request, ref)}/edit#priorities`;
    },
  });

  postForm("/plans/:area/:period/edit/priorities/:id/remove", {
    form: "priorityRemove",
    schema: bodies.lock,
    page: priorityPage,
    run: async (request, body, ref) => {
      const id = Number((request.params as { id: string }).id);
      await plans.removePriority(actorOf(request), ref, int(body.rowVersion), id);
      return `${editAddress(request, ref)}/edit#priorities`;
    },
  });

  postForm("/plans/:area/:period/edit/measures", {
    form: "choose",
    schema: bodies.choose,
    bilingual: ["reason"],
    page: planPage,
    run: async (request, body, ref) => {
      await plans.selectMeasure(actorOf(request), ref, int(body.rowVersion), {
        measureCode: body.measureCode,
        priorityId: body.priorityId ? Number(body.priorityId) : Number.NaN,
        reason: bilingual(body["reason-en"], body["reason-cy"]),
      });
      return `${editAddress(request, ref)}/edit#measures`;
    },
  });

  async function localPage(request: FastifyRequest, reply: FastifyReply, posted?: Posted) {
    const ref = refOf(request);
    const { lang, t } = pageLanguage(request);
    const d = await plans.get(actorOf(request), ref);
    const view = (await app.services.framework.current())!;
    return send(
      reply,
      t,
      "plans/edit-local.njk",
      {
        plan: await header(d, lang, t),
        address: planAddress(lang, d.plan.areaCode, d.plan.period),
        rowVersion: d.plan.rowVersion,
        aims: view.aims.map((a) => ({ value: a.code, text: `${a.number}. ${inLanguage(a.title, lang)}` })),
        priorities: d.priorities.map((p) => ({ value: String(p.id), text: inLanguage(p.text, lang) })),
        units: UNITS,
        polarities: POLARITIES,
        valueTypes: VALUE_TYPES,
        periodTypes: LOCAL_PERIOD_TYPES,
      },
      posted,
    );
  }

  app.get("/plans/:area/:period/edit/local-measure", areaGuard, async (request, reply) => localPage(request, reply));

  postForm("/plans/:area/:period/edit/local-measure", {
    form: "local",
    schema: bodies.local,
    bilingual: ["title", "definition", "reason"],
    page: localPage,
    run: async (request, body, ref) => {
      const r = await plans.addLocalMeasure(actorOf(request), ref, int(body.rowVersion), {
        shortCode: body.shortCode,
        title: bilingual(body["title-en"], body["title-cy"]),
        definition: bilingual(body["definition-en"], body["definition-cy"]),
        unit: body.unit,
        polarity: body.polarity,
        valueType: body.valueType,
        periodType: body.periodType,
        decimals: body.decimals.trim() === "" ? 1 : int(body.decimals),
        multiplier: num(body.multiplier),
        coreAim: body.coreAim,
        priorityId: body.priorityId ? Number(body.priorityId) : null,
        reason: bilingual(body["reason-en"], body["reason-cy"]),
      });
      return `${editAddress(request, ref)}/measures/${r.code}/edit`;
    },
  });

  postForm("/plans/:area/:period/edit/programmes", {
    form: "programme",
    schema: bodies.programme,
    bilingual: ["name", "description"],
    page: planPage,
    run: async (request, body, ref) => {
      const p = await plans.addProgramme(actorOf(request), ref, int(body.rowVersion), {
        code: body.code,
        name: bilingual(body["name-en"], body["name-cy"]),
        description: bilingual(body["description-en"], body["description-cy"]),
        priorityId: body.priorityId ? Number(body.priorityId) : null,
      });
      return `${editAddress(request, ref)}/programmes/${p.code}/edit`;
    },
  });

  // --- a selected measure: targets, narratives, actions ----------------------------------------------------------

  /** The narratives (with their versions) and actions of one turn-the-curve report, for its edit page. */
  async function reportParts(
    actor: PlanActor,
    ref: PlanRef,
    d: PlanDetail,
    subject: { subjectKind: "measure" | "programme_measure"; subjectCode: string },
    lang: Language,
    t: Translate,
  ) {
    const narratives = [];
    const labels = { added: t("plans.page.added"), removed: t("plans.page.removed") };
    for (const section of NARRATIVE_SECTIONS) {
      const versions = await plans.narrativeHistory(actor, ref, { ...subject, section });
      const current = versions[0];
      const items = Array.isArray(current?.items) ? (current.items as Record<string, string>[]) : [];
      narratives.push({
        section,
        heading: t(`plans.section.${section}`),
        version: current?.version ?? 0,
        body: current?.body ?? "",
        saved: current
          ? { author: current.author, at: minuteUtc(current.createdAt), restoredFrom: current.restoredFrom }
          : null,
        // earlier versions, each with what restoring it would change in the current text
        earlier: versions.slice(1).map((v) => ({
          version: v.version,
          author: v.author,
          at: minuteUtc(v.createdAt),
          restoredFrom: v.restoredFrom,
          body: v.body,
          diff: diffHtml(diffWords(current?.body ?? "", v.body), labels),
        })),
        // the items saved, and two empty rows to add more
        items: section === "data_development" ? [] : [...items, {}, {}],
      });
    }
    const actions = d.actions
      .filter((a) => a.subjectKind === subject.subjectKind && a.subjectCode === subject.subjectCode)
      .map((a) => ({
        id: a.id,
        title: inLanguage(a.title, lang),
        owner: a.owner ?? "",
        due: a.dueDate ?? "",
        values: {
          "title-en": a.title.en,
          "title-cy": a.title.cy ?? "",
          owner: a.owner ?? "",
          startDate: a.startDate ?? "",
          dueDate: a.dueDate ?? "",
        },
        status: t(`plans.action.${a.shownStatus}`),
        statusCode: a.status,
        updates: a.updates.map((u) => ({ date: u.date, text: inLanguage(u.text, lang) })),
      }));
    return { narratives, actions, statuses: ACTION_STATUSES };
  }

  /**
   * The edit page of a turn-the-curve report: a selected measure's (with its priority and reason, and its targets) or
   * a programme's performance measure's (`:pm`); both with the narratives and the action plan.
   */
  async function measurePage(request: FastifyRequest, reply: FastifyReply, posted?: Posted) {
    const ref = refOf(request);
    const { lang, t } = pageLanguage(request);
    const actor = actorOf(request);
    const code = codeOf(request);
    const { pm } = request.params as { pm?: string };
    const d = await plans.get(actor, ref);
    const address = planAddress(lang, d.plan.areaCode, d.plan.period);
    const page = pm
      ? performanceParts(d, address, code, pm, t, lang)
      : await selectedParts(actor, ref, d, address, code, t, lang);
    return send(
      reply,
      t,
      "plans/edit-measure.njk",
      {
        plan: await header(d, lang, t),
        address,
        rowVersion: d.plan.rowVersion,
        ...page,
        ...(await reportParts(actor, ref, d, subjectOf(request), lang, t)),
      },
      posted,
    );
  }

  function performanceParts(d: PlanDetail, address: string, code: string, pm: string, t: Translate, lang: Language) {
    const m = d.programmes.find((p) => p.code === code)?.measures.find((x) => x.code === pm);
    if (!m) throw new NotFoundError(`no performance measure ${code}/${pm} in this plan`);
    return {
      measure: {
        code: pm,
        performance: true,
        title: inLanguage(m.title as BilingualText, lang),
        kind: t(`plans.quadrant.${m.quadrant}`),
        local: false,
        href: `${address}/programmes/${code}/measures/${pm}`,
        editAddress: `${address}/programmes/${code}/measures/${pm}/edit`,
        programmeHref: `${address}/programmes/${code}/edit`,
      },
    };
  }

  async function selectedParts(
    actor: PlanActor,
    ref: PlanRef,
    d: PlanDetail,
    address: string,
    code: string,
    t: Translate,
    lang: Language,
  ) {
    const s = d.measures.find((x) => x.measureCode === code);
    if (!s?.measure) throw new NotFoundError(`${code} is not in this plan`);
    const b = await plans.baseline(actor, ref, code);
    const targets = new Map(s.targets.map((x) => [x.period, x] as const));
    const forecast = new Map(b.forecast.map((f) => [f.period, f] as const));
    const fmt = (v: number) => String(Math.round(v * 10 ** s.measure!.decimals) / 10 ** s.measure!.decimals);
    return {
      measure: {
        code,
        title: inLanguage(s.measure.title, lang),
        kind: t(`plans.kind.${s.kind}`),
        local: s.kind === "local",
        href: `${address}/measures/${code}`,
        editAddress: `${address}/measures/${code}/edit`,
      },
      baseline: b.baseline ? `${fmt(b.baseline.value)} (${b.baseline.period})` : "",
      targetRows: b.planPeriods.map((p) => ({
        period: p,
        target: targets.get(p)?.value ?? null,
        stretch: targets.get(p)?.stretch ?? null,
        forecast: forecast.get(p) ? fmt(forecast.get(p)!.value) : "",
      })),
      selection: {
        removable: s.kind !== "high_level",
        priorities: d.priorities.map((p) => ({ value: String(p.id), text: inLanguage(p.text, lang) })),
        values: {
          priorityId: s.priorityId === null ? "" : String(s.priorityId),
          "reason-en": s.reason?.en ?? "",
          "reason-cy": s.reason?.cy ?? "",
        },
      },
    };
  }

  const measureRoute = "/plans/:area/:period/measures/:code/edit";
  app.get(measureRoute, areaGuard, async (request, reply) => measurePage(request, reply));

  postForm(`${measureRoute}/selection`, {
    form: "selection",
    schema: bodies.selection,
    bilingual: ["reason"],
    page: measurePage,
    run: async (request, body, ref) => {
      await plans.updateSelection(actorOf(request), ref, int(body.rowVersion), codeOf(request), {
        priorityId: body.priorityId ? Number(body.priorityId) : null,
        reason: bilingual(body["reason-en"], body["reason-cy"]),
      });
      return measureBack(request, ref, "selection");
    },
  });

  postForm(`${measureRoute}/remove`, {
    form: "remove",
    schema: bodies.lock,
    page: measurePage,
    run: async (request, body, ref) => {
      await plans.deselectMeasure(actorOf(request), ref, int(body.rowVersion), codeOf(request));
      return `${editAddress(request, ref)}/edit#measures`;
    },
  });

  postForm(`${measureRoute}/targets`, {
    form: "targets",
    schema: bodies.fields,
    page: measurePage,
    run: async (request, values, ref) => {
      const periods = Object.keys(values)
        .filter((k) => k.startsWith("target-"))
        .map((k) => k.slice("target-".length));
      await plans.setTargets(
        actorOf(request),
        ref,
        int(values.rowVersion ?? ""),
        codeOf(request),
        periods.map((p) => ({
          period: p,
          value: num(values[`target-${p}`] ?? ""),
          stretch: num(values[`stretch-${p}`] ?? ""),
        })),
      );
      return measureBack(request, ref, "targets");
    },
  });

  // the forms of a turn-the-curve report, for a selected measure and for a programme's performance measure
  const performanceRoute = "/plans/:area/:period/programmes/:code/measures/:pm/edit";
  app.get(performanceRoute, areaGuard, async (request, reply) => measurePage(request, reply));
  for (const base of [measureRoute, performanceRoute]) {
    postForm(`${base}/narratives/:section`, {
      form: (request) => sectionOf(request),
      schema: bodies.fields,
      page: measurePage,
      run: async (request, values, ref) => {
        const section = sectionOf(request);
        await plans.saveNarrative(actorOf(request), ref, {
          ...subjectOf(request),
          section,
          body: values.body ?? "",
          items: itemsOf(section, values),
          baseVersion: int(values.baseVersion ?? ""),
        });
        return measureBack(request, ref, section);
      },
    });

    postForm(`${base}/narratives/:section/restore`, {
      form: (request) => sectionOf(request),
      schema: bodies.fields,
      page: measurePage,
      run: async (request, values, ref) => {
        const section = sectionOf(request);
        try {
          await plans.restoreNarrative(actorOf(request), ref, {
            ...subjectOf(request),
            section,
            version: int(values.version ?? ""),
            baseVersion: int(values.baseVersion ?? ""),
          });
        } catch (error) {
          // a newer version was saved since the page was opened: show it before anything is restored over it
          if (error instanceof ConflictError && error.code === "stale_narrative")
            throw new ConflictError(error.message, { code: "stale_restore", details: { field: "body" } });
          throw error;
        }
        return measureBack(request, ref, section);
      },
    });

    postForm(`${base}/actions`, {
      form: "action",
      schema: bodies.action,
      bilingual: ["title"],
      page: measurePage,
      run: async (request, body, ref) => {
        await plans.addAction(actorOf(request), ref, {
          ...subjectOf(request),
          title: bilingual(body["title-en"], body["title-cy"]),
          owner: body.owner,
          startDate: body.startDate.trim() || null,
          dueDate: body.dueDate.trim() || null,
          status: body.status,
          rowVersion: int(body.rowVersion),
        });
        return measureBack(request, ref, "actions");
      },
    });

    postForm(`${base}/actions/:id`, {
      form: (request) => `action-${Number((request.params as { id: string }).id)}`,
      schema: bodies.action,
      bilingual: ["title"],
      page: measurePage,
      run: async (request, body, ref) => {
        await plans.updateAction(actorOf(request), ref, Number((request.params as { id: string }).id), {
          title: bilingual(body["title-en"], body["title-cy"]),
          owner: body.owner,
          startDate: body.startDate.trim() || null,
          dueDate: body.dueDate.trim() || null,
          rowVersion: int(body.rowVersion),
        });
        return measureBack(request, ref, "actions");
      },
    });

    postForm(`${base}/actions/:id/updates`, {
      form: (request) => `update-${Number((request.params as { id: string }).id)}`,
      schema: bodies.update,
      bilingual: ["text"],
      page: measurePage,
      run: async (request, body, ref) => {
        await plans.addActionUpdate(actorOf(request), ref, Number((request.params as { id: string }).id), {
          date: body.date.trim(),
          text: bilingual(body["text-en"], body["text-cy"]),
          status: body.status,
          rowVersion: int(body.rowVersion),
        });
        return measureBack(request, ref, "actions");
      },
    });
  }

  // --- a programme: performance measures and their values --------------------------------------------------------

  async function programmePage(request: FastifyRequest, reply: FastifyReply, posted?: Posted) {
    const ref = refOf(request);
    const { lang, t } = pageLanguage(request);
    const code = (request.params as { code: string }).code;
    const d = await plans.get(actorOf(request), ref);
    const p = d.programmes.find((x) => x.code === code);
    if (!p) throw new NotFoundError(`no programme ${code} in this plan`);
    const address = planAddress(lang, d.plan.areaCode, d.plan.period);
    return send(
      reply,
      t,
      "plans/edit-programme.njk",
      {
        plan: await header(d, lang, t),
        address,
        rowVersion: d.plan.rowVersion,
        programme: { code, name: inLanguage(p.name, lang), href: `${address}/programmes/${code}` },
        measures: p.measures.map((m) => ({
          code: m.code,
          title: inLanguage(m.title as BilingualText, lang),
          quadrant: t(`plans.quadrant.${m.quadrant}`),
          values: m.values.map((v) => ({
            period: v.period,
            value: v.value,
            revision: v.revision,
            reason: v.reason ?? "",
            author: v.author,
          })),
        })),
        quadrants: QUADRANTS,
        units: UNITS,
        polarities: POLARITIES,
        periodHint: planTargetYears(parsePlanPeriod(d.plan.period))[0],
      },
      posted,
    );
  }

  const programmeRoute = "/plans/:area/:period/programmes/:code/edit";
  app.get(programmeRoute, areaGuard, async (request, reply) => programmePage(request, reply));

  // performance values from a CSV file: the form is multipart, its fields (and the file) parsed into the body so the
  // area guard and the CSRF check run as on every other form
  await app.register(multipart, {
    attachFieldsToBody: "keyValues",
    limits: { fileSize: MAX_PERFORMANCE_CSV_BYTES, files: 1, fields: 5 },
  });
  app.post(`${programmeRoute}/values/import`, areaPost, async (request, reply) => {
    const ref = refOf(request);
    const { t } = pageLanguage(request);
    const body = (request.body ?? {}) as { rowVersion?: unknown; file?: unknown };
    const rowVersion = int(typeof body.rowVersion === "string" ? body.rowVersion : "");
    const file = Buffer.isBuffer(body.file) && body.file.length > 0 ? body.file : null;
    try {
      if (!file) throw new InvalidError("choose a CSV file", { code: "file_required", details: { field: "file" } });
      await plans.importPerformanceValues(
        actorOf(request),
        ref,
        rowVersion,
        codeOf(request),
        readPerformanceCsv(file.toString("utf8")),
      );
    } catch (error) {
      const rows = error instanceof InvalidError && error.code === "performance_rows_invalid";
      const errors = rows
        ? rowErrors(t, (error.details as { problems: PerformanceCsvProblem[] }).problems)
        : formErrors(error, ids("import"));
      if (!errors) throw error;
      return programmePage(request, reply, { form: "import", values: {}, errors });
    }
    return reply.redirect(`${editAddress(request, ref)}/programmes/${codeOf(request)}/edit#values`, 303);
  });

  postForm(`${programmeRoute}/measures`, {
    form: "pm",
    schema: bodies.performanceMeasure,
    bilingual: ["title"],
    page: programmePage,
    run: async (request, body, ref) => {
      await plans.addPerformanceMeasure(actorOf(request), ref, int(body.rowVersion), codeOf(request), {
        code: body.code,
        title: bilingual(body["title-en"], body["title-cy"]),
        quadrant: body.quadrant as Quadrant,
        unit: body.unit,
        polarity: body.polarity,
        decimals: body.decimals.trim() === "" ? 0 : int(body.decimals),
      });
      return `${editAddress(request, ref)}/programmes/${codeOf(request)}/edit#measures`;
    },
  });

  postForm(`${programmeRoute}/values`, {
    form: "value",
    schema: bodies.value,
    page: programmePage,
    run: async (request, body, ref) => {
      if (!body.measureCode)
        throw new InvalidError("choose a measure", { code: "measure_required", details: { field: "measureCode" } });
      await plans.recordPerformanceValue(actorOf(request), ref, {
        programmeCode: codeOf(request),
        measureCode: body.measureCode,
        period: body.period.trim(),
        value: num(body.value) ?? Number.NaN,
        numerator: num(body.numerator),
        denominator: num(body.denominator),
        reason: body.reason,
        rowVersion: int(body.rowVersion),
      });
      return `${editAddress(request, ref)}/programmes/${codeOf(request)}/edit#values`;
    },
  });
}

/** The structured items of a narrative form: rows `items-{n}-{field}`, empty rows left out. */
function itemsOf(section: NarrativeSection, values: Record<string, string>): unknown[] | null {
  if (section === "data_development") return null;
  const fields =
    section === "story"
      ? ["text", "kind"]
      : section === "partners"
        ? ["name", "organisationType", "role"]
        : ["text", "kind", "source"];
  const main = section === "partners" ? "name" : "text";
  const rows = new Map<number, Record<string, string>>();
  for (const [k, v] of Object.entries(values)) {
    const m = /^items-(\d{1,3})-(\w+)$/.exec(k);
    if (!m || !fields.includes(m[2]!)) continue;
    const row = rows.get(Number(m[1])) ?? {};
    row[m[2]!] = v.trim();
    rows.set(Number(m[1]), row);
  }
  return [...rows.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, r]) => r)
    .filter((r) => (r[main] ?? "") !== "" || fields.some((f) => f !== "kind" && (r[f] ?? "") !== ""))
    .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== "")));
}
