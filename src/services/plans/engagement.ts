/**
 * The engagement score of plans (issue 14): per selected measure and per plan (src/domain/plans/engagement.ts), from
 * the plan's narratives, targets, actions and the published data; and the plans of one period side by side, for the
 * plans the reader may see (the public: published ones; national roles: all 22).
 */
import type { BilingualText } from "../../domain/enums.ts";
import {
  type Engagement,
  type EngagementAction,
  measureEngagement,
  planEngagement,
} from "../../domain/plans/engagement.ts";
import type { PublishedData } from "../public/published-data.ts";
import type { PlanActor, PlanRef, PlanSummary, PlansService } from "./index.ts";

export interface MeasureEngagementView {
  measureCode: string;
  title: BilingualText | null;
  kind: string;
  engagement: Engagement;
}

export interface PlanEngagementView {
  plan: PlanSummary;
  /** Null when the plan has no measures. */
  score: number | null;
  /** How many measures meet each component. */
  met: Record<string, number> | null;
  measures: MeasureEngagementView[];
}

const iso = (t: Date | string | null | undefined): string | null =>
  t === null || t === undefined ? null : new Date(t).toISOString();

/** The engagement of one plan on `today` (`YYYY-MM-DD`). */
export async function engagementOfPlan(
  plans: PlansService,
  data: Pick<PublishedData, "rows">,
  actor: PlanActor | null,
  ref: PlanRef,
  today: string,
): Promise<PlanEngagementView> {
  const detail = await plans.get(actor, ref);
  const measures: MeasureEngagementView[] = [];
  const baselines = await plans.baselines(
    actor,
    ref,
    detail.measures.map((m) => m.measureCode),
  );
  for (const m of detail.measures) {
    const story = detail.narratives.find(
      (n) =>
        n.subjectKind === "measure" &&
        n.subjectCode === m.measureCode &&
        n.section === "story" &&
        (n.body.trim() !== "" || (n.items?.length ?? 0) > 0),
    );
    const baseline = baselines.get(m.measureCode)!;
    const rows = (await data.rows(m.measureCode)).filter((r) => r.breakdown === "total" && r.value !== null);
    const latestEnd = (list: typeof rows) =>
      list.reduce<string | null>((x, r) => (x === null || r.periodEnd > x ? r.periodEnd : x), null);
    const area = rows.filter((r) => r.areaCode === detail.plan.areaCode);
    const areaLatestPeriodEnd = latestEnd(area);
    const latestDataAt = area
      .filter((r) => r.periodEnd === areaLatestPeriodEnd)
      .reduce<string | null>((x, r) => {
        const t = iso(r.publishAt);
        return t !== null && (x === null || t > x) ? t : x;
      }, null);
    const actions: EngagementAction[] = detail.actions
      .filter((a) => a.subjectKind === "measure" && a.subjectCode === m.measureCode)
      .map((a) => ({
        status: a.status,
        dueDate: a.dueDate,
        lastUpdate: a.updates.reduce<string | null>((x, u) => (x === null || u.date > x ? u.date : x), null),
      }));
    measures.push({
      measureCode: m.measureCode,
      title: m.measure?.title ?? null,
      kind: m.kind,
      engagement: measureEngagement(
        {
          storyAt: iso(story?.createdAt),
          latestDataAt,
          hasForecast: baseline.forecast.length > 0,
          hasTargets: m.targets.length > 0,
          actions,
          areaLatestPeriodEnd,
          measureLatestPeriodEnd: latestEnd(rows),
        },
        today,
      ),
    });
  }
  const plan = planEngagement(measures.map((m) => m.engagement));
  return { plan: detail.plan, score: plan?.score ?? null, met: plan?.met ?? null, measures };
}

/** The engagement of every plan of one period (the newest by default) the reader may see, by area code. */
export async function engagementAcrossWales(
  plans: PlansService,
  data: Pick<PublishedData, "rows">,
  actor: PlanActor | null,
  filter: { period?: string | undefined },
  today: string,
): Promise<{ periods: string[]; period: string | undefined; plans: PlanEngagementView[] }> {
  const all = await plans.list(actor);
  const periods = [...new Set(all.map((p) => p.period))].sort().reverse();
  const period = filter.period ?? periods[0];
  const chosen = all.filter((p) => p.period === period).sort((a, b) => a.areaCode.localeCompare(b.areaCode));
  const out: PlanEngagementView[] = [];
  for (const p of chosen) out.push(await engagementOfPlan(plans, data, actor, p, today));
  return { periods, period, plans: out };
}
