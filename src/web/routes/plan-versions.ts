/**
 * Versions of a partnership plan (issue 14), under /en and /cy:
 * - GET/POST /plans/:area/:period/new-version: an editor of the partnership starts a new version of an approved or
 *   published plan, with a reason (a draft copy; the plan's edit page follows). Others 403, the public signs in.
 * - GET /plans/:area/:period/compare?from=1&to=2: two versions side by side, section by section (priorities, measures
 *   chosen, targets, turn-the-curve reports, action plans), each thing marked added, removed or changed in words, and
 *   changed text marked word by word with <ins>/<del> and hidden "added"/"removed" labels. Anyone who may read both
 *   versions (the public: published and superseded ones).
 * One version's pages (`…/versions/{n}`) are the plan's own pages (routes/plans.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Language } from "../../domain/enums.ts";
import { InvalidError, isOmfError, NotFoundError } from "../../domain/errors.ts";
import { COMPARE_SECTIONS, type CompareWords, type ItemDiff } from "../../domain/plans/compare.ts";
import { diffHtml, diffWords } from "../../render/document/text-diff.ts";
import type { PlanDetail, PlanRef } from "../../services/plans/index.ts";
import { NEW_VERSION_FROM } from "../../services/plans/versions.ts";
import { requireArea } from "../guards.ts";
import type { Translate } from "../i18n.ts";
import { pageLanguage, renderPage } from "../pages/page-kit.ts";
import { inLanguage, planAddress } from "../pages/plan-view.ts";
import { one } from "../pages/query-schemas.ts";
import { PUBLIC_PAGE } from "../public-page.ts";
import { planActor, planParams } from "./plans.ts";

const newVersionBody = z.object({
  rowVersion: z.string().default(""),
  reason: z.string().max(60_000).default(""),
});
const compareQuery = z.object({ from: one.optional(), to: one.optional() });

function refOf(request: FastifyRequest): PlanRef {
  const p = planParams.safeParse(request.params);
  if (!p.success) throw new NotFoundError("no such plan");
  return { areaCode: p.data.area.toUpperCase(), period: p.data.period };
}

/** How the comparison reads values in the page's language. */
function compareWords(t: Translate, lang: Language, aims: ReadonlyMap<string, string>): CompareWords {
  const numbers = new Intl.NumberFormat(lang === "cy" ? "cy-GB" : "en-GB", { maximumFractionDigits: 6 });
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  return {
    text: (v) => inLanguage(v ?? null, lang),
    code: (kind, value) =>
      kind === "core_aim"
        ? (aims.get(value) ?? value)
        : t(
            {
              selection: `plans.kind.${value}`,
              action_status: `plans.action.${value}`,
              quadrant: `plans.quadrant.${value}`,
              unit: `enums.unit.${value}`,
              polarity: `enums.polarity.${value}`,
            }[kind],
          ),
    number: (n) => numbers.format(n),
    item(section, item) {
      const o = (item ?? {}) as Record<string, unknown>;
      if (section === "story") return `${t(`plans.factor.${str(o.kind) || "contributing"}`)}: ${str(o.text)}`;
      if (section === "what_works")
        return `${t(`plans.idea.${str(o.kind) || "evidence"}`)}: ${str(o.text)}${o.source ? ` (${str(o.source)})` : ""}`;
      return [str(o.name), str(o.organisationType), str(o.role), str(o.text)].filter(Boolean).join(" — ");
    },
  };
}

export async function planVersionRoutes(app: FastifyInstance): Promise<void> {
  const editArea = requireArea((request) => (request.params as { area?: string }).area?.toUpperCase());

  async function areaName(code: string, lang: Language): Promise<string> {
    const a = (await app.services.publicViews.areas()).byCode.get(code);
    return a ? inLanguage(a.name, lang) : code;
  }

  async function newVersionPage(
    request: FastifyRequest,
    reply: FastifyReply,
    posted?: { reason: string; error: { field: string; text: string } },
    status = 200,
  ) {
    const { lang, t } = pageLanguage(request);
    const ref = refOf(request);
    const d = await app.services.plans.get(planActor(request), ref);
    const address = planAddress(lang, d.plan.areaCode, d.plan.period);
    const statusText = t(`plans.status.${d.plan.status}`);
    const errors = posted ? [{ text: posted.error.text, href: `#${posted.error.field}` }] : [];
    return reply
      .code(status)
      .header("cache-control", "no-store")
      .render("plans/new-version.njk", {
        title: t("planversions.newTitle"),
        plan: {
          area: await areaName(d.plan.areaCode, lang),
          areaCode: d.plan.areaCode,
          period: d.plan.period,
          version: d.plan.version,
          status: statusText,
          isPublic: d.plan.status === "published" || d.plan.status === "superseded",
          illustrative: d.plan.illustrative,
        },
        address,
        rowVersion: d.plan.rowVersion,
        canStart: (NEW_VERSION_FROM as readonly string[]).includes(d.plan.status),
        intro: t("planversions.newIntro", { version: d.plan.version, status: statusText }),
        cannot: t("planversions.cannotStart", { version: d.plan.version, status: statusText }),
        next: d.plan.version + 1,
        reason: posted?.reason ?? "",
        errors,
        fe: posted ? { [posted.error.field]: posted.error.text } : {},
      });
  }

  app.get("/plans/:area/:period/new-version", { preHandler: editArea }, (request, reply) =>
    newVersionPage(request, reply),
  );

  app.post(
    "/plans/:area/:period/new-version",
    { preHandler: [editArea, app.csrfProtection] },
    async (request, reply) => {
      const { lang, t } = pageLanguage(request);
      const ref = refOf(request);
      const b = newVersionBody.parse(request.body ?? {});
      try {
        await app.services.planVersions.startNew(planActor(request)!, ref, {
          reason: b.reason,
          rowVersion: Number(b.rowVersion),
        });
      } catch (error) {
        if (!isOmfError(error) || !["invalid", "conflict"].includes(error.kind)) throw error;
        const details = (error.details ?? {}) as { status?: string; version?: number };
        const text = t(`planversions.errors.${error.code}`, {
          version: details.version ?? "",
          status: details.status ? t(`plans.status.${details.status}`) : "",
        });
        const field = error.code?.startsWith("version_reason") ? "reason" : "main-content";
        return newVersionPage(request, reply, { reason: b.reason, error: { field, text } }, error.status);
      }
      return reply.redirect(`${planAddress(lang, ref.areaCode, ref.period)}/edit`, 303);
    },
  );

  /** A field of a thing that differs, as two cells: the older text with removed words marked, the newer with added. */
  function sideBySide(t: Translate, before: string, after: string) {
    const parts = diffWords(before, after);
    const labels = { added: t("plans.page.added"), removed: t("plans.page.removed") };
    return {
      before: diffHtml(
        parts.filter((p) => p.kind !== "added"),
        labels,
      ),
      after: diffHtml(
        parts.filter((p) => p.kind !== "removed"),
        labels,
      ),
    };
  }

  app.get("/plans/:area/:period/compare", PUBLIC_PAGE, async (request, reply) => {
    const { lang, t } = pageLanguage(request);
    const ref = refOf(request);
    const actor = planActor(request);
    const versions = await app.services.planVersions.list(actor, ref);
    const q = compareQuery.safeParse(request.query);
    const bad = () => new InvalidError(t("planversions.badVersions"), { publicMessage: t("planversions.badVersions") });
    if (!q.success) throw bad();
    const known = new Set(versions.map((v) => v.version));
    const pick = (v: string | undefined, fallback: number) => {
      if (v === undefined) return fallback;
      if (!/^\d{1,6}$/.test(v) || !known.has(Number(v))) throw bad();
      return Number(v);
    };
    const newest = versions.at(-1)!.version;
    const to = pick(q.data.to, newest);
    const from = pick(q.data.from, versions.filter((v) => v.version < to).at(-1)?.version ?? to);
    const view = (await app.services.framework.current())!;
    const aims = new Map(view.aims.map((a) => [a.code, `${a.number}. ${inLanguage(a.title, lang)}`] as const));
    const result = await app.services.planVersions.compare(actor, ref, from, to, compareWords(t, lang, aims));
    const area = await areaName(result.to.plan.areaCode, lang);
    const home = planAddress(lang, result.to.plan.areaCode, result.to.plan.period);
    const address = `${home}/compare?from=${from}&to=${to}`;
    const measureTitle = (code: string, d: PlanDetail[]) => {
      for (const x of d) {
        const m = x.measures.find((s) => s.measureCode === code)?.measure;
        if (m) return inLanguage(m.title, lang);
      }
      return view.measuresByCode.get(code) ? inLanguage(view.measuresByCode.get(code)!.title, lang) : code;
    };
    const both = [result.to, result.from];
    const subjectTitle = (subject: string) => {
      const [kind, code] = [subject.slice(0, subject.indexOf(":")), subject.slice(subject.indexOf(":") + 1)];
      if (kind === "measure") return measureTitle(code, both);
      const [programme, pm] = code.split("/");
      for (const d of both) {
        const p = d.programmes.find((x) => x.code === programme);
        const m = p?.measures.find((x) => x.code === pm);
        if (p && m) return `${inLanguage(m.title, lang)} (${inLanguage(p.name, lang)})`;
      }
      return code;
    };
    const label = (section: string, d: ItemDiff) => {
      if (section === "measures") return measureTitle(d.about.measureCode!, both);
      if (section === "targets") return `${measureTitle(d.about.measureCode!, both)}: ${d.about.period}`;
      if (section === "narratives")
        return `${subjectTitle(d.about.subject!)}: ${t(`plans.section.${d.about.section}`)}`;
      if (section === "actions") return `${d.label} (${subjectTitle(d.about.subject!)})`;
      if (section === "performance") return subjectTitle(d.about.subject!);
      return d.label;
    };
    const sections = COMPARE_SECTIONS.map((section) => {
      const items = result.comparison[section];
      const differing = items.filter((d) => d.change !== "unchanged");
      return {
        id: `compare-${section}`,
        heading: t(`planversions.sections.${section}`),
        unchanged: items.length - differing.length,
        items: differing.map((d, i) => ({
          id: `compare-${section}-${i + 1}`,
          label: label(section, d),
          change: d.change,
          changeText: t(`planversions.changes.${d.change}`),
          fields: d.fields
            .filter((f) => f.changed)
            .map((f) => ({ name: t(`planversions.fields.${f.field}`), ...sideBySide(t, f.before, f.after) })),
        })),
      };
    });
    return renderPage(
      app,
      request,
      reply,
      "plans/compare.njk",
      address,
      () => ({
        title: t("planversions.compareTitle", { area, period: result.to.plan.period, from, to }),
        plan: { area, areaCode: result.to.plan.areaCode, period: result.to.plan.period },
        home,
        address,
        from,
        to,
        versions: versions.map((v) => ({
          value: String(v.version),
          text: `${v.version} (${t(`plans.status.${v.status}`)})`,
        })),
        fromHref: from === newest ? home : `${home}/versions/${from}`,
        toHref: to === newest ? home : `${home}/versions/${to}`,
        intro: t("planversions.compareIntro", { from, to }),
        differences: result.comparison.differences,
        sections,
      }),
      { cache: false },
    );
  });
}
