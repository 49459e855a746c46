/**
 * What a plan says, gathered once for the plan's turn-the-curve page and for the whole plan as a document (DOCX):
 * each selected measure's baseline, verdict, target status, chart with its table, narratives and actions; and the
 * plan as the document model (src/render/document), by core aim, that renderDocx writes as a Word document.
 */
import type { Language } from "../../domain/enums.ts";
import { NARRATIVE_SECTIONS } from "../../domain/plans/model.ts";
import type { Block, RenderedDocument, TableModel } from "../../render/document/index.ts";
import { markdownBlocks } from "../../render/document/markdown.ts";
import { cell } from "../../render/document/table.ts";
import type { Translate } from "../../render/wording/translate.ts";
import type { Services } from "../../services/index.ts";
import type { PlanBaseline } from "../../services/plans/baseline.ts";
import type { PlanActor, PlanDetail } from "../../services/plans/index.ts";
import { displayValue } from "./labels.ts";
import {
  type CurveModel,
  curveModel,
  inLanguage,
  type NarrativeModel,
  narrativeModel,
  targetText,
  verdictText,
} from "./plan-view.ts";

type PlanServices = Pick<Services, "plans" | "publicViews" | "framework">;
type SelectedMeasure = PlanDetail["measures"][number];
type PlanVersionRow = PlanDetail["narratives"][number];

export interface MeasureReport {
  selected: SelectedMeasure;
  code: string;
  title: string;
  kind: string;
  local: boolean;
  priority: string;
  reason: string;
  baseline: string;
  latest: string;
  verdict: string;
  target: string;
  chartTitle: string;
  curve: CurveModel;
  /** Each section's narrative: every version newest first (only the current one where `history` is "current"). */
  narratives: { section: string; heading: string; model: NarrativeModel | null; versions: PlanVersionRow[] }[];
  actions: {
    title: string;
    owner: string;
    start: string;
    due: string;
    status: string;
    statusCode: string;
    updates: { date: string; text: string; status: string }[];
  }[];
}

/**
 * Which versions of each narrative a report holds: "all" (the page shows each section's history, read per section) or
 * "current" (a document says only what each section says now: the plan's current narratives, read with the plan).
 */
export type NarrativeHistory = "all" | "current";

/** The turn-the-curve report of one selected measure of a plan (null when the measure is not in the plan). */
export async function measureReport(
  services: PlanServices,
  actor: PlanActor | null,
  d: PlanDetail,
  code: string,
  context: { lang: Language; t: Translate; area: string; history?: NarrativeHistory; baseline?: PlanBaseline },
): Promise<MeasureReport | null> {
  const { lang, t, area } = context;
  const s = d.measures.find((x) => x.measureCode === code);
  if (!s?.measure) return null;
  const m = s.measure;
  const b = context.baseline ?? (await services.plans.baseline(actor, d.plan, code));
  const pv = services.publicViews;
  const walesArea = (await pv.areas()).wales;
  const walesRows = walesArea
    ? (await pv.data.rows(code)).filter((r) => r.areaCode === walesArea.code && r.breakdown === "total")
    : [];
  const wales = new Map(walesRows.map((r) => [r.period, r.value] as const));
  const targets = new Map(s.targets.map((x) => [x.period, x.value] as const));
  const chartTitle = t("plans.page.curveTitle", { measure: inLanguage(m.title, lang), area });
  const subject = { subjectKind: "measure" as const, subjectCode: code };
  const narratives =
    context.history === "current"
      ? currentNarratives(d, subject, t)
      : await reportNarratives(services, actor, d, subject, t);
  const priority = d.priorities.find((p) => p.id === s.priorityId);
  return {
    selected: s,
    code,
    title: inLanguage(m.title, lang),
    kind: t(`plans.kind.${s.kind}`),
    local: s.kind === "local" || Boolean(m.localAreaCode),
    priority: priority ? inLanguage(priority.text, lang) : "",
    reason: inLanguage(s.reason, lang),
    baseline: b.baseline ? `${displayValue(lang, m, b.baseline.value)} (${b.baseline.period})` : "",
    latest: b.latest ? `${displayValue(lang, m, b.latest.value)} (${b.latest.period})` : "",
    verdict: verdictText(t, lang, m, b),
    target: targetText(t, b),
    chartTitle,
    curve: curveModel(t, lang, m, b, wales, targets, chartTitle),
    narratives,
    actions: reportActions(d, subject, lang, t),
  };
}

type ReportSubject = { subjectKind: "measure" | "programme_measure"; subjectCode: string };

/** The narrative sections of a turn-the-curve report (a selected measure's or a performance measure's). */
export async function reportNarratives(
  services: PlanServices,
  actor: PlanActor | null,
  d: PlanDetail,
  subject: ReportSubject,
  t: Translate,
): Promise<MeasureReport["narratives"]> {
  const narratives: MeasureReport["narratives"] = [];
  for (const section of NARRATIVE_SECTIONS) {
    const versions = await services.plans.narrativeHistory(actor, d.plan, { ...subject, section });
    narratives.push({
      section,
      heading: t(`plans.section.${section}`),
      model: narrativeModel(t, section, versions),
      versions: [...versions],
    });
  }
  return narratives;
}

/**
 * The narrative sections of a turn-the-curve report with their current versions only, from the plan as loaded (no
 * query): what `reportNarratives` gives as each section's first version, with the model of that version alone.
 */
function currentNarratives(d: PlanDetail, subject: ReportSubject, t: Translate): MeasureReport["narratives"] {
  return NARRATIVE_SECTIONS.map((section) => {
    const current = d.narratives.find(
      (n) => n.subjectKind === subject.subjectKind && n.subjectCode === subject.subjectCode && n.section === section,
    );
    const versions = current ? [current] : [];
    return { section, heading: t(`plans.section.${section}`), model: narrativeModel(t, section, versions), versions };
  });
}

/** The action plan of a turn-the-curve report, each action with its status in words and its progress updates. */
export function reportActions(
  d: PlanDetail,
  subject: ReportSubject,
  lang: Language,
  t: Translate,
): MeasureReport["actions"] {
  return d.actions
    .filter((a) => a.subjectKind === subject.subjectKind && a.subjectCode === subject.subjectCode)
    .map((a) => ({
      title: inLanguage(a.title, lang),
      owner: a.owner ?? "",
      start: a.startDate ?? "",
      due: a.dueDate ?? "",
      status: t(`plans.action.${a.shownStatus}`),
      statusCode: a.shownStatus,
      updates: a.updates.map((u) => ({
        date: u.date,
        text: inLanguage(u.text, lang),
        status: u.statusAfter ? t(`plans.action.${u.statusAfter}`) : "",
      })),
    }));
}

function textTable(id: string, caption: string, headers: string[], rows: string[][]): TableModel {
  const columns = headers.map((header, i) => ({ key: `c${i}`, header, kind: "text" as const }));
  return {
    id,
    caption,
    columns,
    rowHeader: "c0",
    rows: rows.map((r) => Object.fromEntries(r.map((text, i) => [`c${i}`, cell(text)]))),
  };
}

/** The curve's numbers as a table model (the chart's alternative). */
function curveTable(r: MeasureReport, t: Translate): TableModel {
  return textTable(
    `curve-${r.code}`,
    t("plans.page.curveTable", { title: r.chartTitle }),
    r.curve.headers,
    r.curve.rows.map((row) => [row.period, ...row.cells]),
  );
}

/**
 * The whole plan as a document: priorities, the scorecard, then each core aim's measures with their reports. A document
 * shows each narrative's current version only, so it reads the plan's current narratives (`history` "current", the
 * default) rather than every section's history (eight queries a measure, and a diff of every version); "all" gives the
 * same document the long way (tests compare the two).
 */
export async function planDocument(
  services: PlanServices,
  actor: PlanActor | null,
  d: PlanDetail,
  context: { lang: Language; t: Translate; area: string; address: string; history?: NarrativeHistory },
): Promise<RenderedDocument> {
  const { lang, t, area } = context;
  const view = await services.framework.current();
  const aims = view?.aims ?? [];
  const aimTitle = new Map(aims.map((a) => [a.code, `${a.number}. ${inLanguage(a.title, lang)}`] as const));
  const blocks: Block[] = [];
  const status = t(`plans.status.${d.plan.status}`);
  blocks.push({
    kind: "paragraph",
    text: t("plandoc.statusLine", { status, version: d.plan.version, period: d.plan.period }),
  });
  if (d.plan.illustrative)
    blocks.push({ kind: "paragraph", text: `${t("plans.page.warning")}: ${t("plans.page.illustrativeBody")}` });

  blocks.push({ kind: "heading", level: 1, text: t("plans.page.priorities") });
  if (d.priorities.length === 0) blocks.push({ kind: "paragraph", text: t("plans.page.noPriorities") });
  for (const p of d.priorities) {
    blocks.push({ kind: "heading", level: 2, text: inLanguage(p.text, lang) });
    if (p.rationale) blocks.push({ kind: "paragraph", text: inLanguage(p.rationale, lang) });
    blocks.push({
      kind: "paragraph",
      text: `${t("plans.page.coreAims")}: ${p.coreAims.map((c) => aimTitle.get(c) ?? c).join("; ")}`,
    });
  }

  const reports: MeasureReport[] = [];
  const baselines = await services.plans.baselines(
    actor,
    d.plan,
    d.measures.filter((s) => s.measure).map((s) => s.measureCode),
  );
  for (const s of d.measures) {
    const r = await measureReport(services, actor, d, s.measureCode, {
      lang,
      t,
      area,
      history: context.history ?? "current",
      ...(s.measure ? { baseline: baselines.get(s.measureCode)! } : {}),
    });
    if (r) reports.push(r);
  }
  blocks.push({ kind: "heading", level: 1, text: t("plans.page.scorecard") });
  blocks.push({
    kind: "table",
    table: textTable(
      "scorecard",
      t("plans.page.scorecardCaption"),
      [
        t("plans.page.measure"),
        t("plans.page.kind"),
        t("plans.page.baseline"),
        t("plans.page.latest"),
        t("plans.page.verdict"),
        t("plans.page.targetStatus"),
      ],
      reports.map((r) => [r.title, r.kind, r.baseline, r.latest, r.verdict, r.target]),
    ),
  });

  for (const aim of aims) {
    const inAim = reports.filter((r) => (r.selected.measure?.coreAims[0] ?? "") === aim.code);
    if (inAim.length === 0) continue;
    blocks.push({ kind: "heading", level: 1, text: aimTitle.get(aim.code)! });
    for (const r of inAim) {
      blocks.push({ kind: "heading", level: 2, text: r.title });
      const facts = [`${t("plans.page.kind")}: ${r.kind}`];
      if (r.priority) facts.push(`${t("plans.page.serves")}: ${r.priority}`);
      if (r.reason) facts.push(`${t("plans.page.reason")}: ${r.reason}`);
      if (r.baseline) facts.push(`${t("plans.page.baseline")}: ${r.baseline}`);
      facts.push(`${t("plans.page.targetStatus")}: ${r.target}`);
      blocks.push({ kind: "list", items: facts });
      blocks.push({ kind: "paragraph", text: r.verdict });
      blocks.push({
        kind: "chart",
        title: r.chartTitle,
        description: t("plans.page.chartDesc"),
        svg: r.curve.svg,
        table: curveTable(r, t),
      });
      for (const n of r.narratives) {
        blocks.push({ kind: "heading", level: 3, text: n.heading });
        const current = n.versions[0];
        if (!current) {
          blocks.push({ kind: "paragraph", text: t("plans.page.notWritten") });
          continue;
        }
        blocks.push(...markdownBlocks(current.body));
        const items = n.model?.items ?? [];
        if (items.length > 0) {
          blocks.push({
            kind: "list",
            items: items.map((i) => [i.tag, i.text, i.detail].filter(Boolean).join(": ")),
          });
        }
      }
      blocks.push({ kind: "heading", level: 3, text: t("plandoc.actions") });
      if (r.actions.length === 0) blocks.push({ kind: "paragraph", text: t("plans.page.noActions") });
      else
        blocks.push({
          kind: "table",
          table: textTable(
            `actions-${r.code}`,
            t("plandoc.actionsCaption", { measure: r.title }),
            [
              t("plans.page.action"),
              t("plans.page.owner"),
              t("plans.page.start"),
              t("plans.page.due"),
              t("plans.page.status"),
              t("plandoc.updates"),
            ],
            r.actions.map((a) => [
              a.title,
              a.owner,
              a.start,
              a.due,
              a.status,
              a.updates.map((u) => `${u.date}: ${u.text}${u.status ? ` (${u.status})` : ""}`).join("; "),
            ]),
          ),
        });
    }
  }
  return {
    lang,
    title: t("plans.page.planTitle", { area, period: d.plan.period }),
    blocks,
    citation: t("plandoc.citation", { area, period: d.plan.period, version: d.plan.version, address: context.address }),
  };
}
