/**
 * The outcome agreement forms of national roles (issue 16), under /en and /cy: create an agreement
 * (GET/POST /agreements/new), add its outcomes with their framework and local measures, targets and links to the
 * authority's plan (…/outcomes), put it forward, return it or record both sides' agreement through the shared
 * workflow (…/agree), vary an agreed agreement with a reason (…/vary), publish its summary (…/publish) and judge a
 * separately judged part of the grant (…/judge). The service checks every rule; a refusal is shown on the form, in
 * English or Welsh, naming the field, and nothing is written.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Language } from "../../domain/enums.ts";
import { ConflictError, InvalidError, NotFoundError } from "../../domain/errors.ts";
import { DATA_MANAGERS } from "../../domain/permissions.ts";
import { formatPounds } from "../../render/wording/agreement-score.ts";
import type { Translate } from "../../render/wording/translate.ts";
import type { AgreementActor, AgreementRef, NewOutcome } from "../../services/agreements/index.ts";
import { requireRole } from "../guards.ts";
import { pageLanguage } from "../pages/page-kit.ts";
import { inLanguage } from "../pages/plan-view.ts";

const params = z.object({ area: z.string().regex(/^[A-Za-z]\d{8}$/), period: z.string().regex(/^\d{4}-\d{2}$/) });
export type Body = Record<string, string | string[] | undefined>;

export interface FormField {
  type: "text" | "textarea" | "radios" | "checkboxes" | "select" | "hidden";
  name: string;
  label?: string;
  hint?: string;
  value?: string;
  values?: string[];
  items?: { value: string; text: string; hint?: { text: string } }[];
  classes?: string;
  prefix?: string;
  rows?: number;
  empty?: string;
}

export interface FormSpec {
  id: string;
  action: string;
  heading?: string;
  intro?: string;
  button: string;
  buttonClasses?: string;
  fields: FormField[];
}

/** A refusal to show on the form: which form and field, and the message in the page's language. */
export interface FormError {
  form: string;
  field: string;
  text: string;
}

export function actorOf(request: FastifyRequest): AgreementActor | null {
  const u = request.user;
  return u ? { id: u.id, email: u.email, role: u.role, areaCodes: u.areaCodes, channel: "web" } : null;
}

export const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? "") : (v ?? ""));
export const many = (v: string | string[] | undefined): string[] => (Array.isArray(v) ? v : v ? [v] : []);
const lines = (v: string): string[] =>
  v
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** "£1,254,000" or "1254000.50" as pounds; NaN when it is not an amount. */
function pounds(text: string): number {
  const v = text.replace(/[£,\s]/g, "");
  return /^\d+(\.\d{1,2})?$/.test(v) ? Number(v) : Number.NaN;
}

/** The service's refusal as a form error in the page's language (by its code or field), or null if it is not one. */
export function refusal(error: unknown, t: Translate, form: string, fallbackField: string): FormError | null {
  if (!(error instanceof InvalidError) && !(error instanceof ConflictError)) return null;
  const details = (error as { details?: Record<string, unknown> & { field?: string } }).details ?? {};
  const field = details.field ?? fallbackField;
  const code = (error as { code?: string }).code;
  let text: string;
  try {
    text = t(`agreements.errors.${code ?? field}`, details as Record<string, string | number>);
  } catch {
    try {
      text = t(`agreements.errors.${field}`, details as Record<string, string | number>);
    } catch {
      text = error.message;
    }
  }
  return { form, field, text };
}

/** A field left empty or not understood, with its message. */
function fieldError(t: Translate, form: string, field: string): FormError {
  return { form, field, text: t(`agreements.errors.${field}`) };
}

/** Targets written one a line as "measure code, period, value"; a bad line is refused naming it. */
function parseTargets(text: string): NewOutcome["targets"] {
  return lines(text).map((line, i) => {
    const [code, period, value, ...rest] = line.split(",").map((p) => p.trim());
    const n = Number(value);
    if (!code || !period || value === undefined || value === "" || rest.length > 0 || !Number.isFinite(n))
      throw new InvalidError(`targets line ${i + 1}: ${line}`, {
        code: "target_line",
        details: { field: "targets", line: i + 1 },
      });
    return { measureCode: code, period, value: n };
  });
}

/** The pieces every agreement form shares: its page, its GET and POST, and the agreement it is about. */
export function formKit(app: FastifyInstance) {
  const pv = app.services.publicViews;
  const national = requireRole(DATA_MANAGERS);

  function refOf(request: FastifyRequest): AgreementRef {
    const p = params.safeParse(request.params);
    if (!p.success) throw new NotFoundError("no such agreement");
    return { areaCode: p.data.area.toUpperCase(), period: p.data.period };
  }

  type Render = (request: FastifyRequest, reply: FastifyReply, body: Body, error: FormError | null) => unknown;

  /**
   * A form's GET (rendered empty) and POST (CSRF and the guard first): `save` returns where to go next, or the
   * field to show an error on; a refusal of the service is shown on the form in the page's language.
   */
  function formRoute(
    path: string,
    render: Render,
    save: (request: FastifyRequest, body: Body, t: Translate) => Promise<string | FormError>,
    fallback: (body: Body) => { form: string; field: string },
    guard = national,
  ) {
    app.get(path, { preHandler: guard }, (request, reply) => render(request, reply, {}, null));
    app.post(path, { preHandler: [app.csrfProtection, guard] }, async (request, reply) => {
      const { t } = pageLanguage(request);
      const body = (request.body ?? {}) as Body;
      try {
        const next = await save(request, body, t);
        return typeof next === "string" ? reply.redirect(next, 303) : render(request, reply, body, next);
      } catch (error) {
        const { form, field } = fallback(body);
        const e = refusal(error, t, form, field);
        if (!e) throw error;
        return render(request, reply, body, e.field === "title" ? { ...e, field: "titleEn" } : e);
      }
    });
  }

  /** The authority's name and the agreement's address, for a form about one agreement. */
  async function agreementOf(request: FastifyRequest, ref: AgreementRef) {
    const { lang } = pageLanguage(request);
    const area = (await pv.areas()).byCode.get(ref.areaCode);
    return {
      name: area ? inLanguage(area.name, lang) : ref.areaCode,
      address: `/${lang}/agreements/${ref.areaCode}/${ref.period}`,
      period: ref.period,
    };
  }

  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    view: {
      heading: string;
      intro?: string;
      note?: string | null;
      forms: FormSpec[];
      /** The agreement the form is about (null: the list of agreements). */
      of: { name: string; address: string; period: string } | null;
    },
    error: FormError | null,
  ) {
    const { lang, t } = pageLanguage(request);
    const { of, ...rest } = view;
    return reply.code(error ? 400 : 200).render("agreements/form.njk", {
      ...rest,
      error,
      back: of
        ? { href: of.address, text: t("agreements.form.back") }
        : { href: `/${lang}/agreements`, text: t("agreements.create.back") },
      crumbs: [
        { text: t("nav.home"), href: `/${lang}/` },
        { text: t("agreements.title"), href: `/${lang}/agreements` },
        ...(of ? [{ text: `${of.name}: ${of.period}`, href: of.address }] : []),
        { text: view.heading },
      ],
    });
  }

  return { refOf, formRoute, agreementOf, page };
}

export async function agreementFormRoutes(app: FastifyInstance): Promise<void> {
  const service = app.services.agreements;
  const pv = app.services.publicViews;
  const admins = requireRole(["national_admin"]);
  const { refOf, formRoute, agreementOf, page } = formKit(app);

  async function authorities(lang: Language) {
    const areas = await pv.areas();
    return [...areas.byCode.values()]
      .filter((a) => a.type === "local_authority")
      .map((a) => ({ value: a.code, text: inLanguage(a.name, lang) }))
      .sort((a, b) => a.text.localeCompare(b.text, lang));
  }

  // ---- create ----------------------------------------------------------------------------------------------------
  async function createPage(request: FastifyRequest, reply: FastifyReply, body: Body, error: FormError | null) {
    const { lang, t } = pageLanguage(request);
    const schemes = await service.schemes.list();
    const la = await authorities(lang);
    return page(
      request,
      reply,
      {
        heading: t("agreements.create.title"),
        intro: t("agreements.create.intro"),
        of: null,
        forms: [
          {
            id: "create",
            action: `/${lang}/agreements/new`,
            button: t("agreements.create.save"),
            fields: [
              {
                type: "select",
                name: "areaCode",
                label: t("agreements.page.authority"),
                value: one(body.areaCode),
                items: [{ value: "", text: t("agreements.create.chooseAuthority") }, ...la],
              },
              {
                type: "text",
                name: "period",
                label: t("agreements.page.period"),
                hint: t("agreements.create.periodHint"),
                value: one(body.period),
                classes: "govuk-input--width-5",
              },
              {
                type: "radios",
                name: "scheme",
                label: t("agreements.page.scheme"),
                value: one(body.scheme),
                items: schemes.map((s) => ({
                  value: s.code,
                  text: `${inLanguage(s.definition.name, lang)} (${t("agreements.page.version", { version: s.version })})`,
                  hint: s.definition.notes ? { text: inLanguage(s.definition.notes, lang) } : undefined,
                })) as FormField["items"],
              },
              {
                type: "text",
                name: "grant",
                label: t("agreements.page.grant"),
                hint: t("agreements.create.grantHint"),
                value: one(body.grant),
                prefix: "£",
                classes: "govuk-input--width-10",
              },
            ],
          },
        ],
      },
      error,
    );
  }

  formRoute(
    "/agreements/new",
    createPage,
    async (request, body, t) => {
      const missing = ["areaCode", "period", "scheme", "grant"].find((f) => !one(body[f]).trim());
      if (missing) return fieldError(t, "create", missing);
      const grant = pounds(one(body.grant));
      if (Number.isNaN(grant)) return fieldError(t, "create", "grant");
      const row = await service.create(actorOf(request)!, {
        areaCode: one(body.areaCode),
        period: one(body.period),
        scheme: one(body.scheme),
        grant,
      });
      return `/${pageLanguage(request).lang}/agreements/${row.areaCode}/${row.period}`;
    },
    () => ({ form: "create", field: "areaCode" }),
  );

  // ---- outcomes (add to a draft, or vary an agreed one) ----------------------------------------------------------
  async function outcomeFields(
    request: FastifyRequest,
    ref: AgreementRef,
    body: Body,
  ): Promise<{ fields: FormField[]; area: string }> {
    const { lang, t } = pageLanguage(request);
    const current = (await app.services.framework.current())?.measures ?? [];
    const measures = current.filter((m) => m.status === "live" && m.geographies.includes("local_authority"));
    const choices = await service.planChoices(actorOf(request)!, ref);
    return {
      area: (await agreementOf(request, ref)).name,
      fields: [
        { type: "text", name: "titleEn", label: t("agreements.outcome.titleEn"), value: one(body.titleEn) },
        { type: "text", name: "titleCy", label: t("agreements.outcome.titleCy"), value: one(body.titleCy) },
        {
          type: "text",
          name: "theme",
          label: t("agreements.page.theme"),
          hint: t("agreements.outcome.themeHint"),
          value: one(body.theme),
          classes: "govuk-input--width-20",
        },
        {
          type: "checkboxes",
          name: "measureCodes",
          label: t("agreements.outcome.measures"),
          hint: t("agreements.outcome.measuresHint"),
          values: many(body.measureCodes),
          items: measures.map((m) => ({ value: m.code, text: `${inLanguage(m.title, lang)} (${m.code})` })),
        },
        {
          type: "textarea",
          name: "targets",
          label: t("agreements.outcome.targets"),
          hint: t("agreements.outcome.targetsHint"),
          value: one(body.targets),
          rows: 3,
        },
        {
          type: "textarea",
          name: "localMeasures",
          label: t("agreements.outcome.localMeasures"),
          hint: t("agreements.outcome.localMeasuresHint"),
          value: one(body.localMeasures),
          rows: 3,
        },
        {
          type: "checkboxes",
          name: "planLinks",
          label: t("agreements.outcome.planLinks"),
          hint: t("agreements.outcome.planLinksHint"),
          values: many(body.planLinks),
          empty: t("agreements.outcome.noPlan"),
          items: choices.map((c) => ({
            value: c.key,
            text: `${t(`agreements.outcome.link.${c.link.kind}`)}: ${inLanguage(c.link.title, lang)} (${c.link.plan})`,
          })),
        },
      ],
    };
  }

  function outcomeInput(body: Body): NewOutcome {
    return {
      title: { en: one(body.titleEn), cy: one(body.titleCy) },
      theme: one(body.theme),
      measureCodes: many(body.measureCodes),
      targets: parseTargets(one(body.targets)),
      localMeasures: lines(one(body.localMeasures)),
      planLinks: many(body.planLinks),
    };
  }

  async function outcomePage(request: FastifyRequest, reply: FastifyReply, body: Body, error: FormError | null) {
    const { t } = pageLanguage(request);
    const ref = refOf(request);
    const d = await service.get(actorOf(request), ref);
    const of = await agreementOf(request, ref);
    const { fields } = await outcomeFields(request, ref, body);
    const heading = t("agreements.outcome.title", {
      position: d.outcomes.length + 1,
      outcomes: d.scheme.outcomes,
    });
    return page(
      request,
      reply,
      {
        heading,
        intro: t("agreements.outcome.intro", { area: of.name, period: ref.period }),
        of,
        forms: [{ id: "outcome", action: `${of.address}/outcomes`, button: t("agreements.outcome.save"), fields }],
      },
      error,
    );
  }

  formRoute(
    "/agreements/:area/:period/outcomes",
    outcomePage,
    async (request, body) => {
      const ref = refOf(request);
      await service.addOutcome(actorOf(request)!, ref, outcomeInput(body));
      return `/${pageLanguage(request).lang}/agreements/${ref.areaCode}/${ref.period}#outcomes`;
    },
    () => ({ form: "outcome", field: "titleEn" }),
  );

  // ---- put forward, return, agree (the shared workflow) ---------------------------------------------------------
  async function agreePage(request: FastifyRequest, reply: FastifyReply, body: Body, error: FormError | null) {
    const { t } = pageLanguage(request);
    const ref = refOf(request);
    const d = await service.get(actorOf(request), ref);
    const of = await agreementOf(request, ref);
    const { address, name } = of;
    const status = d.agreement.status;
    const today = new Date().toISOString().slice(0, 10);
    const action = `${address}/agree`;
    const forms: FormSpec[] = [];
    if (status === "draft" || status === "returned")
      forms.push({
        id: "submit",
        action,
        heading: t("agreements.agree.submitHeading"),
        intro: t("agreements.agree.submitIntro"),
        button: t("agreements.agree.submit"),
        buttonClasses: "govuk-button--secondary",
        fields: [{ type: "hidden", name: "action", value: "submit" }],
      });
    if (status !== "agreed")
      forms.push({
        id: "agree",
        action,
        heading: t("agreements.agree.agreeHeading"),
        intro: t("agreements.agree.agreeIntro"),
        button: t("agreements.agree.agree"),
        fields: [
          { type: "hidden", name: "action", value: "agree" },
          { type: "text", name: "government", label: t("agreements.agree.government"), value: one(body.government) },
          {
            type: "text",
            name: "governmentOn",
            label: t("agreements.agree.governmentOn"),
            hint: t("agreements.agree.dateHint"),
            value: one(body.governmentOn) || today,
            classes: "govuk-input--width-10",
          },
          { type: "text", name: "authority", label: t("agreements.agree.authority"), value: one(body.authority) },
          {
            type: "text",
            name: "authorityOn",
            label: t("agreements.agree.authorityOn"),
            hint: t("agreements.agree.dateHint"),
            value: one(body.authorityOn) || today,
            classes: "govuk-input--width-10",
          },
        ],
      });
    if (status === "submitted")
      forms.push({
        id: "return",
        action,
        heading: t("agreements.agree.returnHeading"),
        button: t("agreements.agree.return"),
        buttonClasses: "govuk-button--warning",
        fields: [
          { type: "hidden", name: "action", value: "return" },
          { type: "textarea", name: "reason", label: t("agreements.agree.returnReason"), value: one(body.reason) },
        ],
      });
    const heading = t("agreements.agree.title", { area: name, period: ref.period });
    return page(
      request,
      reply,
      {
        heading,
        intro: t("agreements.agree.status", { status: t(`agreements.status.${status}`) }),
        note: status === "agreed" ? t("agreements.agree.already") : null,
        of,
        forms,
      },
      error,
    );
  }

  formRoute(
    "/agreements/:area/:period/agree",
    agreePage,
    async (request, body, t) => {
      const ref = refOf(request);
      const actor = actorOf(request)!;
      const action = one(body.action);
      if (action === "submit") await service.submit(actor, ref);
      else if (action === "return") await service.returnForChanges(actor, ref, one(body.reason));
      else if (action === "agree") {
        const missing = ["government", "authority"].find((f) => !one(body[f]).trim());
        if (missing) return fieldError(t, "agree", missing);
        await service.agree(actor, ref, {
          government: one(body.government),
          governmentOn: one(body.governmentOn),
          authority: one(body.authority),
          authorityOn: one(body.authorityOn),
        });
      } else throw new InvalidError(`no action ${action}`, { code: "action", details: { field: "action" } });
      return `/${pageLanguage(request).lang}/agreements/${ref.areaCode}/${ref.period}`;
    },
    (body) => ({
      form: one(body.action) || "agree",
      field: one(body.action) === "return" ? "reason" : "government",
    }),
  );

  // ---- variations of an agreed agreement -------------------------------------------------------------------------
  async function varyPage(request: FastifyRequest, reply: FastifyReply, body: Body, error: FormError | null) {
    const { lang, t } = pageLanguage(request);
    const ref = refOf(request);
    const d = await service.get(actorOf(request), ref);
    if (d.agreement.status !== "agreed") throw new NotFoundError("the agreement is not agreed yet");
    const of = await agreementOf(request, ref);
    const address = of.address;
    const position = Number(one(body.outcome) || (request.query as { outcome?: string }).outcome || 0);
    const outcome = d.outcomes.find((o) => o.position === position) ?? null;
    const reason: FormField = {
      type: "textarea",
      name: "reason",
      label: t("agreements.vary.reason"),
      hint: t("agreements.vary.reasonHint"),
      value: one(body.reason),
    };
    let form: FormSpec;
    if (outcome) {
      const filled: Body = Object.keys(body).length
        ? body
        : {
            titleEn: outcome.title.en,
            titleCy: outcome.title.cy ?? "",
            theme: outcome.theme ?? "",
            measureCodes: outcome.measureCodes,
            targets: outcome.measures
              .flatMap((m) => (m.target ? [`${m.code}, ${m.target.period}, ${m.target.value}`] : []))
              .join("\n"),
            localMeasures: outcome.localMeasures.join("\n"),
            planLinks: outcome.planLinks.map((l) => `${l.kind}:${l.id}`),
          };
      const { fields } = await outcomeFields(request, ref, filled);
      form = {
        id: "vary",
        action: `${address}/vary`,
        heading: t("agreements.vary.outcomeHeading", { position, title: inLanguage(outcome.title, lang) }),
        button: t("agreements.vary.save"),
        fields: [
          { type: "hidden", name: "kind", value: "outcome" },
          { type: "hidden", name: "outcome", value: String(position) },
          ...fields,
          reason,
        ],
      };
    } else
      form = {
        id: "vary",
        action: `${address}/vary`,
        heading: t("agreements.vary.grantHeading"),
        intro: t("agreements.vary.grantIntro", { grant: formatPounds(d.agreement.grantPence, lang) }),
        button: t("agreements.vary.save"),
        fields: [
          { type: "hidden", name: "kind", value: "grant" },
          {
            type: "text",
            name: "grant",
            label: t("agreements.vary.newGrant"),
            value: one(body.grant) || String(d.agreement.grantPence / 100),
            prefix: "£",
            classes: "govuk-input--width-10",
          },
          reason,
        ],
      };
    const name = of.name;
    const heading = t("agreements.vary.title", { area: name, period: ref.period });
    return page(
      request,
      reply,
      {
        heading,
        intro: t("agreements.vary.intro"),
        of,
        forms: [form],
      },
      error,
    );
  }

  formRoute(
    "/agreements/:area/:period/vary",
    varyPage,
    async (request, body, t) => {
      const ref = refOf(request);
      if (!one(body.reason).trim()) return fieldError(t, "vary", "reason");
      if (one(body.kind) === "outcome")
        await service.vary(actorOf(request)!, ref, {
          kind: "outcome",
          outcome: Number(one(body.outcome)),
          reason: one(body.reason),
          ...outcomeInput(body),
        });
      else {
        const grant = pounds(one(body.grant));
        if (Number.isNaN(grant)) return fieldError(t, "vary", "grant");
        await service.vary(actorOf(request)!, ref, { kind: "grant", grant, reason: one(body.reason) });
      }
      return `/${pageLanguage(request).lang}/agreements/${ref.areaCode}/${ref.period}#variations`;
    },
    () => ({ form: "vary", field: "reason" }),
  );

  // ---- publishing the summary ------------------------------------------------------------------------------------
  app.post(
    "/agreements/:area/:period/publish",
    { preHandler: [app.csrfProtection, admins] },
    async (request, reply) => {
      const { lang } = pageLanguage(request);
      const ref = refOf(request);
      const wanted = one(((request.body ?? {}) as Body).published);
      if (wanted !== "yes" && wanted !== "no")
        throw new InvalidError("say whether to publish the summary (yes or no)", { details: { field: "published" } });
      await service.publishSummary(actorOf(request)!, ref, wanted === "yes");
      return reply.redirect(`/${lang}/agreements/${ref.areaCode}/${ref.period}`, 303);
    },
  );
}
