/**
 * Scoring schemes and separately judged parts (issue 16), under /en and /cy: national administrators see every scheme
 * with its versions (GET /agreements/schemes) and save a new version of one (…/schemes/:code; validated by the
 * scheme's zod schema, with the reason; agreements keep the version they were made under); national roles judge the
 * separately judged parts of an agreed agreement's grant for a year (…/:area/:period/judge).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Scheme } from "../../domain/agreements/scheme.ts";
import { InvalidError, NotFoundError } from "../../domain/errors.ts";
import type { Translate } from "../../render/wording/translate.ts";
import { requireRole } from "../guards.ts";
import { pageLanguage } from "../pages/page-kit.ts";
import { inLanguage } from "../pages/plan-view.ts";
import { actorOf, type Body, type FormError, type FormField, formKit, many, one } from "./agreement-forms.ts";

const codeParam = z.object({ code: z.string().regex(/^[a-z0-9][a-z0-9-]*$/) });

/** A whole number from a form field; blank is null where the scheme allows "none", otherwise NaN (refused by zod). */
const whole = (v: string, blank: null | number = Number.NaN) => (v.trim() === "" ? blank : Number(v.trim()));

/** The scheme's fields as the form shows them. */
function schemeBody(s: Scheme): Body {
  return {
    code: s.code,
    nameEn: s.name.en,
    nameCy: s.name.cy,
    outcomes: String(s.outcomes),
    fully: String(s.points.fully),
    partially: String(s.points.partially),
    unsuccessful: String(s.points.unsuccessful),
    pointsStated: s.pointsStated ? "yes" : "no",
    successful: [...s.successful],
    fullGrantScore: s.fullGrantScore === null ? "" : String(s.fullGrantScore),
    minimumSuccessful: s.minimumSuccessful === null ? "" : String(s.minimumSuccessful),
    collaborationRequired: s.collaborationRequired ? "yes" : "no",
    parts: s.parts.map((p) => `${p.key}, ${p.percent}, ${p.name.en}, ${p.name.cy}`).join("\n"),
    belowThreshold: s.belowThreshold,
    notesEn: s.notes?.en ?? "",
    notesCy: s.notes?.cy ?? "",
  };
}

/** The form's fields as a scheme definition (checked by the service against the scheme's zod schema). */
function schemeFrom(body: Body): unknown {
  const notes = { en: one(body.notesEn).trim(), cy: one(body.notesCy).trim() };
  return {
    code: one(body.code).trim(),
    name: { en: one(body.nameEn).trim(), cy: one(body.nameCy).trim() },
    outcomes: whole(one(body.outcomes)),
    points: {
      fully: whole(one(body.fully)),
      partially: whole(one(body.partially)),
      unsuccessful: whole(one(body.unsuccessful)),
    },
    pointsStated: one(body.pointsStated) === "yes",
    successful: many(body.successful),
    fullGrantScore: whole(one(body.fullGrantScore), null),
    minimumSuccessful: whole(one(body.minimumSuccessful), null),
    collaborationRequired: one(body.collaborationRequired) === "yes",
    parts: one(body.parts)
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .map((line) => {
        const [key = "", percent = "", en = "", ...cy] = line.split(",").map((x) => x.trim());
        return { key, percent: whole(percent), name: { en, cy: cy.join(", ") } };
      }),
    belowThreshold: one(body.belowThreshold),
    ...(notes.en && notes.cy ? { notes } : {}),
  };
}

/** The form field a scheme problem ("points.fully: must be …") is about. */
function problemField(problem: string): string {
  const path = problem.split(":")[0] ?? "";
  const [first, second] = path.split(".");
  if (first === "points" && second) return second;
  if (first === "name") return second === "cy" ? "nameCy" : "nameEn";
  if (first === "notes") return "notesEn";
  return first && first !== "scheme" ? first : "code";
}

function schemeFields(body: Body, t: Translate): FormField[] {
  const yesNo = [
    { value: "yes", text: t("agreements.schemes.yes") },
    { value: "no", text: t("agreements.schemes.no") },
  ];
  const num = (name: string, label: string, hint?: string): FormField => ({
    type: "text",
    name,
    label,
    hint,
    value: one(body[name]),
    classes: "govuk-input--width-4",
  });
  return [
    {
      type: "text",
      name: "code",
      label: t("agreements.schemes.code"),
      hint: t("agreements.schemes.codeHint"),
      value: one(body.code),
      classes: "govuk-input--width-10",
    },
    { type: "text", name: "nameEn", label: t("agreements.schemes.nameEn"), value: one(body.nameEn) },
    { type: "text", name: "nameCy", label: t("agreements.schemes.nameCy"), value: one(body.nameCy) },
    num("outcomes", t("agreements.schemes.outcomes")),
    num("fully", t("agreements.schemes.pointsFor", { category: t("agreements.category.fully") })),
    num("partially", t("agreements.schemes.pointsFor", { category: t("agreements.category.partially") })),
    num("unsuccessful", t("agreements.schemes.pointsFor", { category: t("agreements.category.unsuccessful") })),
    {
      type: "radios",
      name: "pointsStated",
      label: t("agreements.schemes.pointsStated"),
      hint: t("agreements.schemes.pointsStatedHint"),
      value: one(body.pointsStated),
      items: yesNo,
    },
    {
      type: "checkboxes",
      name: "successful",
      label: t("agreements.schemes.successful"),
      values: many(body.successful),
      items: (["fully", "partially", "unsuccessful"] as const).map((c) => ({
        value: c,
        text: t(`agreements.category.${c}`),
      })),
    },
    num("fullGrantScore", t("agreements.schemes.fullGrantScore"), t("agreements.schemes.blankNone")),
    num("minimumSuccessful", t("agreements.schemes.minimumSuccessful"), t("agreements.schemes.blankNone")),
    {
      type: "radios",
      name: "collaborationRequired",
      label: t("agreements.schemes.collaborationRequired"),
      value: one(body.collaborationRequired),
      items: yesNo,
    },
    {
      type: "textarea",
      name: "parts",
      label: t("agreements.schemes.parts"),
      hint: t("agreements.schemes.partsHint"),
      value: one(body.parts),
      rows: 3,
    },
    {
      type: "radios",
      name: "belowThreshold",
      label: t("agreements.schemes.belowThreshold"),
      value: one(body.belowThreshold),
      items: [
        { value: "pro_rata", text: t("agreements.schemes.proRata") },
        { value: "nothing", text: t("agreements.schemes.nothing") },
      ],
    },
    { type: "textarea", name: "notesEn", label: t("agreements.schemes.notesEn"), value: one(body.notesEn) },
    { type: "textarea", name: "notesCy", label: t("agreements.schemes.notesCy"), value: one(body.notesCy) },
    {
      type: "textarea",
      name: "reason",
      label: t("agreements.schemes.reason"),
      hint: t("agreements.schemes.reasonHint"),
      value: one(body.reason),
    },
  ];
}

export async function agreementSchemeRoutes(app: FastifyInstance): Promise<void> {
  const service = app.services.agreements;
  const admins = requireRole(["national_admin"]);
  const { refOf, formRoute, agreementOf, page } = formKit(app);

  app.get("/agreements/schemes", { preHandler: admins }, async (request, reply) => {
    const { lang, t } = pageLanguage(request);
    const schemes = [];
    for (const s of await service.schemes.list()) {
      const versions = await service.schemes.versions(s.code);
      schemes.push({
        code: s.code,
        name: inLanguage(s.definition.name, lang),
        notes: s.definition.notes ? inLanguage(s.definition.notes, lang) : null,
        pointsNote: s.definition.pointsStated ? null : t("agreements.score.pointsNote"),
        edit: `/${lang}/agreements/schemes/${s.code}`,
        versions: versions.map((v) => ({
          version: v.version,
          date: v.createdAt.toISOString().slice(0, 10),
          author: v.author.replace(/^[a-z]+:/, ""),
          reason: v.reason ?? "",
        })),
      });
    }
    return reply.render("agreements/schemes.njk", { schemes });
  });

  async function schemePage(request: FastifyRequest, reply: FastifyReply, body: Body, error: FormError | null) {
    const { lang, t } = pageLanguage(request);
    const p = codeParam.safeParse(request.params);
    if (!p.success) throw new NotFoundError("no such scheme");
    const [latest] = await service.schemes.versions(p.data.code);
    if (!latest) throw new NotFoundError(`no scheme ${p.data.code}`);
    const filled = Object.keys(body).length ? body : schemeBody(latest.definition);
    return page(
      request,
      reply,
      {
        heading: t("agreements.schemes.editTitle", {
          name: inLanguage(latest.definition.name, lang),
          version: latest.version,
        }),
        intro: t("agreements.schemes.editIntro"),
        note: latest.definition.pointsStated ? null : t("agreements.score.pointsNote"),
        of: null,
        forms: [
          {
            id: "scheme",
            action: `/${lang}/agreements/schemes/${p.data.code}`,
            button: t("agreements.schemes.save"),
            fields: schemeFields(filled, t),
          },
        ],
      },
      error,
    );
  }

  formRoute(
    "/agreements/schemes/:code",
    schemePage,
    async (request, body, t) => {
      if (!one(body.reason).trim()) return { form: "scheme", field: "reason", text: t("agreements.errors.reason") };
      try {
        const row = await service.schemes.save(actorOf(request)!, schemeFrom(body), one(body.reason));
        return `/${pageLanguage(request).lang}/agreements/schemes#scheme-${row.code}`;
      } catch (error) {
        const problems = (error as { details?: { problems?: string[] } }).details?.problems;
        if (error instanceof InvalidError && problems?.length)
          return {
            form: "scheme",
            field: problemField(problems[0]!),
            text: t("agreements.schemes.invalid", { problem: problems.join("; ") }),
          };
        throw error;
      }
    },
    () => ({ form: "scheme", field: "code" }),
    admins,
  );

  // ---- judging the separately judged parts of a year ------------------------------------------------------------
  formRoute(
    "/agreements/:area/:period/judge",
    async (request, reply, body, error) => {
      const { lang, t } = pageLanguage(request);
      const ref = refOf(request);
      const d = await service.get(actorOf(request), ref);
      if (d.agreement.status !== "agreed") throw new NotFoundError("the agreement is not agreed yet");
      const of = await agreementOf(request, ref);
      const year = one(body.year) || (request.query as { year?: string }).year || d.period.years[0]!;
      if (!d.period.years.includes(year)) throw new NotFoundError(`no year ${year}`);
      const judged = d.years.find((y) => y.year === year)?.judged ?? {};
      const parts = d.scheme.parts.filter((p) => p.key !== "outcomes");
      if (parts.length === 0) throw new NotFoundError("the scheme has no separately judged part");
      const heading = t("agreements.judge.title", { area: of.name, period: ref.period, year });
      return page(
        request,
        reply,
        {
          heading,
          intro: t("agreements.judge.intro"),
          of,
          forms: parts.map((p) => ({
            id: `part-${p.key}`,
            action: `${of.address}/judge`,
            heading: `${inLanguage(p.name, lang)} (${p.percent}%)`,
            intro:
              judged[p.key] == null
                ? t("agreements.judge.notJudged")
                : t("agreements.judge.judged", { percent: judged[p.key] as number }),
            button: t("agreements.judge.save", { part: inLanguage(p.name, lang) }),
            fields: [
              { type: "hidden", name: "year", value: year },
              { type: "hidden", name: "part", value: p.key },
              {
                type: "text",
                name: "percent",
                label: t("agreements.judge.percent"),
                hint: t("agreements.judge.percentHint"),
                value: one(body.part) === p.key ? one(body.percent) : "",
                classes: "govuk-input--width-4",
              },
              {
                type: "textarea",
                name: "reason",
                label: t("agreements.judge.reason"),
                value: one(body.part) === p.key ? one(body.reason) : "",
              },
            ],
          })),
        },
        error,
      );
    },
    async (request, body, t) => {
      const ref = refOf(request);
      const form = `part-${one(body.part)}`;
      const percent = Number(one(body.percent).replace("%", "").trim());
      if (one(body.percent).trim() === "" || !Number.isFinite(percent) || percent < 0 || percent > 100)
        return { form, field: "percent", text: t("agreements.errors.percent") };
      if (!one(body.reason).trim()) return { form, field: "reason", text: t("agreements.errors.reason") };
      await service.judgePart(actorOf(request)!, ref, {
        year: one(body.year),
        part: one(body.part),
        percent,
        reason: one(body.reason),
      });
      return `${(await agreementOf(request, ref)).address}#score`;
    },
    (body) => ({ form: `part-${one(body.part)}`, field: "percent" }),
  );
}
