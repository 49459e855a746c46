/**
 * The children's rights report (issue 15): for each core aim and each UNCRC article of the framework, the measures
 * linked to it with the Wales value and recent trend at each measure's latest period (from the stored analysis),
 * how many local authorities are significantly better or worse than Wales, the widest gap between areas and the
 * Wales gaps between groups, and what the partnerships' plans the reader may see (the public: published ones) say
 * about those measures (priorities and actions, counted and quoted); plus a coverage summary (which aims and
 * articles have a measure at local level, only national, or none). Nothing here computes statistics: it reads the
 * stored analysis and counts its labels.
 */
import type { AsAt } from "../../domain/as-at.ts";
import type { BilingualText } from "../../domain/enums.ts";
import { type ActionStatus, shownActionStatus } from "../../domain/plans/actions.ts";
import type { AnalysisGap, AnalysisResult } from "../analysis/types.ts";
import type { MeasureView } from "../framework-service.ts";
import type { Services } from "../index.ts";
import type { PlanActor, PlanDetail, PlanSummary } from "../plans/index.ts";
import type { ReportAnalysis } from "./as-at.ts";

type ReportServices = Pick<Services, "framework" | "publicViews" | "plans" | "reports">;

/**
 * Local: a live population measure is published for local authorities; national: live population measures for Wales
 * only; none: no live population measure (performance measures do not count).
 */
export type Coverage = "local" | "national" | "none";

export interface PlanQuote {
  areaCode: string;
  period: string;
  text: BilingualText;
  /** Actions only: the status shown (not_started, in_progress, done, overdue …). */
  status?: string | undefined;
}

export interface AreaValue {
  areaCode: string;
  value: number;
}

export interface RightsMeasure {
  measure: MeasureView;
  /** Published for local authorities (by the framework's definition): only then are areas compared. */
  local: boolean;
  /** A population indicator (what coverage counts), not a performance measure. */
  population: boolean;
  /** The Wales row at the measure's latest period, or null when the measure has no analysis yet. */
  wales: AnalysisResult | null;
  /** Latest period of the analysis (null: no data yet). */
  period: string | null;
  /** Any value at the latest period is illustrative (demo data). */
  illustrative: boolean;
  /** Local authorities compared with Wales at the latest period. */
  areas: { better: number; worse: number; higher: number; lower: number; similar: number; notCompared: number };
  /**
   * The highest and lowest local authority values at the latest period (null for a measure not published for local
   * authorities, for counts, and with fewer than two values).
   */
  widestGap: { highest: AreaValue; lowest: AreaValue; difference: number } | null;
  /** Wales's gaps between the groups of each breakdown dimension at the latest period, with their trend. */
  groupGaps: AnalysisGap[];
  /** Plan priorities this measure serves, one per plan and priority. */
  priorities: PlanQuote[];
  /** Plan actions on this measure. */
  actions: PlanQuote[];
}

export interface RightsSection {
  coverage: Coverage;
  measures: RightsMeasure[];
  /** Measures of the framework still in development for this aim or article. */
  inDevelopment: MeasureView[];
  /** Distinct plan priorities and actions over the section's measures, and the partnerships they come from. */
  plans: { priorities: number; actions: number; partnerships: number };
}

export interface RightsAim extends RightsSection {
  code: string;
  number: number;
  title: BilingualText;
  /** The UNCRC articles the core aim serves, with the mapping's confidence from the content (confirmed …). */
  articles: { number: number; title: BilingualText; confidence: string }[];
}

export interface RightsArticle extends RightsSection {
  number: number;
  title: BilingualText;
  summary: BilingualText | null;
  /** The core aims that serve the article, with the mapping's confidence. */
  aims: { code: string; number: number; confidence: string }[];
}

export interface RightsReport {
  frameworkVersion: string;
  /** The report as at the end of this day (only data and plans published by then), or null: as published now. */
  asAt: string | null;
  aims: RightsAim[];
  articles: RightsArticle[];
  /** How many aims and articles have a measure at local level, only national, none. */
  coverage: { aims: Record<Coverage, number>; articles: Record<Coverage, number> };
  /** The plan period quoted (the latest with a plan the reader may see), and how many partnerships' plans. */
  plans: { period: string | null; count: number };
}

/** The coverage of live measures, by the framework's definitions (population indicators only). */
export function coverageOf(measures: readonly MeasureView[]): Coverage {
  const population = measures.filter((m) => m.accountability === "population_indicator");
  if (population.some((m) => m.geographies.includes("local_authority"))) return "local";
  return population.length > 0 ? "national" : "none";
}

const isLive = (m: MeasureView) => m.status === "live" && !m.localAreaCode;
const isDeveloping = (m: MeasureView) => m.status === "in_development" && !m.localAreaCode;

export interface CoverageGap {
  kind: "aim" | "article";
  /** The core aim's code or the article's number. */
  code: string;
  number: number;
  title: BilingualText;
  coverage: Exclude<Coverage, "local">;
  inDevelopment: MeasureView[];
}

/**
 * The data development agenda from the framework alone (no statistics): the measures in development, and the core
 * aims and UNCRC articles with no live population measure at local authority level (coverage gaps).
 */
export async function dataDevelopmentAgenda(
  services: Pick<Services, "framework">,
): Promise<{ frameworkVersion: string; inDevelopment: MeasureView[]; gaps: CoverageGap[] } | null> {
  const view = await services.framework.current();
  if (!view) return null;
  const live = view.measures.filter(isLive);
  const developing = view.measures.filter(isDeveloping);
  const gaps: CoverageGap[] = [];
  const add = (
    kind: CoverageGap["kind"],
    code: string,
    number: number,
    title: BilingualText,
    linked: (m: MeasureView) => boolean,
  ) => {
    const coverage = coverageOf(live.filter(linked));
    if (coverage !== "local")
      gaps.push({ kind, code, number, title, coverage, inDevelopment: developing.filter(linked) });
  };
  for (const a of view.aims) add("aim", a.code, a.number, a.title, (m) => m.coreAims.includes(a.code));
  for (const a of view.articles)
    add("article", String(a.number), a.number, a.title, (m) => m.articles.includes(a.number));
  return { frameworkVersion: view.framework.version, inDevelopment: developing, gaps };
}

/** The latest plans (one per partnership) of the latest plan period among `all`. */
async function latestPlans(
  services: ReportServices,
  actor: PlanActor | null,
  all: PlanSummary[],
): Promise<PlanDetail[]> {
  const period = [...new Set(all.map((p) => p.period))].sort().reverse()[0];
  const chosen = all.filter((p) => p.period === period).sort((a, b) => a.areaCode.localeCompare(b.areaCode));
  const details: PlanDetail[] = [];
  for (const p of chosen) details.push(await services.plans.get(actor, p));
  return details;
}

/**
 * An action's status as at the end of `asAt`: the status after its last progress update made by then (overdue when
 * its due date had passed). Before its first update an action has the status it was written with, which is its
 * status now when it has no update since; an action whose every update came later is shown as not started.
 */
function actionStatusAsAt(a: PlanDetail["actions"][number], asAt: AsAt): string {
  const until = asAt.until.getTime();
  const by = a.updates.filter((u) => new Date(u.createdAt).getTime() <= until);
  const last = by
    .sort((x, y) => new Date(x.createdAt).getTime() - new Date(y.createdAt).getTime() || x.id - y.id)
    .at(-1);
  const status = last ? last.statusAfter : a.updates.length > 0 ? "not_started" : a.status;
  return shownActionStatus({ status: status as ActionStatus, dueDate: a.dueDate }, asAt.date);
}

interface PlanLinks {
  priorities: (PlanQuote & { key: string })[];
  actions: (PlanQuote & { key: string })[];
}

/** What the plans say about each measure: the priorities it serves and the actions on it. */
function planLinks(details: PlanDetail[], asAt: AsAt | null): Map<string, PlanLinks> {
  const out = new Map<string, PlanLinks>();
  const entry = (code: string) => {
    const e = out.get(code) ?? { priorities: [], actions: [] };
    out.set(code, e);
    return e;
  };
  for (const d of details) {
    const { areaCode, period, id } = d.plan;
    for (const s of d.measures) {
      const p = d.priorities.find((x) => x.id === s.priorityId);
      if (p) entry(s.measureCode).priorities.push({ key: `${id}:${p.id}`, areaCode, period, text: p.text });
    }
    for (const a of d.actions) {
      if (a.subjectKind !== "measure") continue;
      entry(a.subjectCode).actions.push({
        key: `${id}:${a.id}`,
        areaCode,
        period,
        text: a.title,
        status: asAt ? actionStatusAsAt(a, asAt) : a.shownStatus,
      });
    }
  }
  return out;
}

async function measureFacts(
  analysis: ReportAnalysis,
  m: MeasureView,
  walesCode: string | null,
  links: PlanLinks | undefined,
): Promise<RightsMeasure> {
  const rows = await analysis.measureResults(m.code);
  const wales = rows.find((r) => r.areaCode === walesCode) ?? null;
  const period = rows[0]?.period ?? null;
  const local = m.geographies.includes("local_authority");
  const areas = { better: 0, worse: 0, higher: 0, lower: 0, similar: 0, notCompared: 0 };
  const values: AreaValue[] = [];
  for (const r of rows) {
    if (r.areaType !== "local_authority" || !local) continue;
    const s = r.benchmarkSignificance;
    if (s === "not_compared") areas.notCompared++;
    else areas[s]++;
    if (!r.suppressed && r.value !== null && m.valueType !== "count")
      values.push({ areaCode: r.areaCode, value: r.value });
  }
  values.sort((a, b) => b.value - a.value || a.areaCode.localeCompare(b.areaCode));
  const highest = values[0];
  const lowest = values[values.length - 1];
  const groupGaps =
    period && walesCode ? await analysis.gaps(m.code, { areaCode: walesCode, period }) : ([] as AnalysisGap[]);
  return {
    measure: m,
    local,
    population: m.accountability === "population_indicator",
    wales,
    period,
    illustrative: rows.some((r) => r.illustrative),
    areas,
    widestGap:
      highest && lowest && values.length >= 2 ? { highest, lowest, difference: highest.value - lowest.value } : null,
    groupGaps,
    priorities: links?.priorities.map(({ key: _k, ...q }) => q) ?? [],
    actions: links?.actions.map(({ key: _k, ...q }) => q) ?? [],
  };
}

function section(
  measures: RightsMeasure[],
  inDevelopment: MeasureView[],
  links: Map<string, PlanLinks>,
): RightsSection {
  const priorities = new Set<string>();
  const actions = new Set<string>();
  const partnerships = new Set<string>();
  for (const m of measures) {
    const l = links.get(m.measure.code);
    for (const p of l?.priorities ?? []) {
      priorities.add(p.key);
      partnerships.add(p.areaCode);
    }
    for (const a of l?.actions ?? []) {
      actions.add(a.key);
      partnerships.add(a.areaCode);
    }
  }
  return {
    coverage: coverageOf(measures.map((m) => m.measure)),
    measures,
    inDevelopment,
    plans: { priorities: priorities.size, actions: actions.size, partnerships: partnerships.size },
  };
}

function count(items: { coverage: Coverage }[]): Record<Coverage, number> {
  const c: Record<Coverage, number> = { local: 0, national: 0, none: 0 };
  for (const i of items) c[i.coverage]++;
  return c;
}

/**
 * The children's rights report from the current framework, the stored analysis and the plans `actor` may read; or,
 * with `asAt`, from the data and plans published by the end of that day (the public's view then, whoever asks).
 */
export async function rightsReport(
  services: ReportServices,
  actor: PlanActor | null,
  options: { asAt?: AsAt | null | undefined } = {},
): Promise<RightsReport | null> {
  const view = await services.framework.current();
  if (!view) return null;
  const asAt = options.asAt ?? null;
  const walesCode = (await services.publicViews.areas()).wales?.code ?? null;
  const analysis: ReportAnalysis = asAt ? services.reports.analysisAsAt(asAt.until) : services.publicViews.analysis;
  const plans = asAt ? await services.reports.plansPublishedBy(asAt.until) : await services.plans.list(actor);
  const details = await latestPlans(services, asAt ? null : actor, plans);
  const links = planLinks(details, asAt);

  const live = view.measures.filter(isLive);
  const developing = view.measures.filter(isDeveloping);
  const facts = new Map<string, RightsMeasure>();
  for (const m of live) facts.set(m.code, await measureFacts(analysis, m, walesCode, links.get(m.code)));
  const factsOf = (ms: MeasureView[]) => ms.map((m) => facts.get(m.code)!);

  const aims: RightsAim[] = view.aims.map((aim) => ({
    code: aim.code,
    number: aim.number,
    title: aim.title,
    articles: aim.articles.map((a) => ({ number: a.article.number, title: a.article.title, confidence: a.confidence })),
    ...section(
      factsOf(live.filter((m) => m.coreAims.includes(aim.code))),
      developing.filter((m) => m.coreAims.includes(aim.code)),
      links,
    ),
  }));
  const articles: RightsArticle[] = view.articles.map((article) => ({
    number: article.number,
    title: article.title,
    summary: article.summary ?? null,
    aims: view.aims.flatMap((aim) =>
      aim.articles
        .filter((a) => a.article.number === article.number)
        .map((a) => ({ code: aim.code, number: aim.number, confidence: a.confidence })),
    ),
    ...section(
      factsOf(live.filter((m) => m.articles.includes(article.number))),
      developing.filter((m) => m.articles.includes(article.number)),
      links,
    ),
  }));
  return {
    frameworkVersion: view.framework.version,
    asAt: asAt?.date ?? null,
    aims,
    articles,
    coverage: { aims: count(aims), articles: count(articles) },
    plans: { period: details[0]?.plan.period ?? null, count: details.length },
  };
}
