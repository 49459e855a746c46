/**
 * The national roll-up of partnerships' choices (issue 14): for the plans a reader may see (the public: published
 * ones), which additional measures each partnership chose, for which priority and why; the most chosen; priorities
 * by core aim; the local measures partnerships added; and where each of the 22 partnerships' plans stands.
 */
import type { BilingualText } from "../../domain/enums.ts";
import type { PlanActor, PlanDetail, PlanSummary, PlansService } from "./index.ts";

export interface PlanChoice {
  areaCode: string;
  period: string;
  priority: BilingualText | null;
  reason: BilingualText | null;
}

export interface ChosenMeasure {
  measureCode: string;
  title: BilingualText | null;
  coreAim: string | null;
  /** Partnerships that chose it (one entry per plan), by area code. */
  chosenBy: PlanChoice[];
}

export interface PlanRollup {
  /** The newest readable plan of each partnership (for the period asked, or the latest period). */
  plans: PlanSummary[];
  /** Additional measures chosen by at least one partnership, most chosen first (then by code). */
  additional: ChosenMeasure[];
  /** Local measures (defined by one partnership for its own plan). */
  local: ChosenMeasure[];
  /** Priorities by core aim (a priority serving several aims counts under each). */
  prioritiesByAim: { coreAim: string; priorities: { areaCode: string; period: string; text: BilingualText }[] }[];
  /** Every period that has a readable plan, newest first (for the period filter). */
  periods: string[];
}

/** The roll-up of the plans `actor` may read (null: the public), for one plan period or, by default, the latest. */
export async function planRollup(
  plans: PlansService,
  actor: PlanActor | null,
  filter: { period?: string | undefined } = {},
): Promise<PlanRollup> {
  const all = await plans.list(actor);
  const periods = [...new Set(all.map((p) => p.period))].sort().reverse();
  const period = filter.period ?? periods[0];
  const chosen = all.filter((p) => p.period === period).sort((a, b) => a.areaCode.localeCompare(b.areaCode));
  const details: PlanDetail[] = [];
  for (const p of chosen) details.push(await plans.get(actor, p));

  const additional = new Map<string, ChosenMeasure>();
  const local = new Map<string, ChosenMeasure>();
  const byAim = new Map<string, PlanRollup["prioritiesByAim"][number]["priorities"]>();
  for (const d of details) {
    const { areaCode, period: p } = d.plan;
    for (const s of d.measures) {
      const isLocal = s.kind === "local" || Boolean(s.measure?.localAreaCode);
      if (s.kind !== "additional" && !isLocal) continue;
      const into = isLocal ? local : additional;
      const entry = into.get(s.measureCode) ?? {
        measureCode: s.measureCode,
        title: s.measure?.title ?? null,
        coreAim: s.measure?.coreAims[0] ?? null,
        chosenBy: [],
      };
      const priority = d.priorities.find((x) => x.id === s.priorityId);
      entry.chosenBy.push({ areaCode, period: p, priority: priority?.text ?? null, reason: s.reason ?? null });
      into.set(s.measureCode, entry);
    }
    for (const pr of d.priorities) {
      for (const aim of pr.coreAims) {
        const list = byAim.get(aim) ?? [];
        list.push({ areaCode, period: p, text: pr.text });
        byAim.set(aim, list);
      }
    }
  }
  const mostChosen = (a: ChosenMeasure, b: ChosenMeasure) =>
    b.chosenBy.length - a.chosenBy.length || a.measureCode.localeCompare(b.measureCode);
  return {
    plans: chosen,
    additional: [...additional.values()].sort(mostChosen),
    local: [...local.values()].sort(mostChosen),
    prioritiesByAim: [...byAim.entries()]
      .sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))
      .map(([coreAim, priorities]) => ({ coreAim, priorities })),
    periods,
  };
}
