/**
 * Illustrative partnership plans for `omf demo` (and the demo test database): Cardiff's plan is published, with a
 * priority, an additional measure and its reason, targets, the story behind the baseline, an action and a progress
 * update; Swansea's is a draft; Gwynedd's is published with a programme and its performance measures. Every one is
 * flagged illustrative and its text says so. There is no publishing workflow for plans yet (issue 14): the demo sets
 * the status with `setStatusForDemo`, the one place that may. Idempotent: a partnership that already has a plan for
 * the demo period is left alone.
 */
import type { BilingualText } from "../../domain/enums.ts";
import type { PlanActor, PlanRef, PlansService } from "./index.ts";

export const DEMO_PLAN_ACTOR: PlanActor = {
  id: null,
  email: "omf-demo",
  role: "national_admin",
  areaCodes: [],
  channel: "demo",
};

const NOTE = { en: " (Illustrative text for the demo.)", cy: " (Testun enghreifftiol ar gyfer y demo.)" };
const text = (en: string, cy: string): BilingualText => ({ en: en + NOTE.en, cy: cy + NOTE.cy });

/** The demo plan period: three financial years starting two years ago, e.g. "2024-25-to-2026-27" in 2026. */
export function demoPlanPeriod(today = new Date()): string {
  const y = today.getUTCFullYear() - 2;
  const fy = (s: number) => `${s}-${String((s + 1) % 100).padStart(2, "0")}`;
  return `${fy(y)}-to-${fy(y + 2)}`;
}

export async function seedDemoPlans(plans: PlansService, today = new Date()): Promise<{ created: number }> {
  const period = demoPlanPeriod(today);
  const existing = new Set((await plans.list(DEMO_PLAN_ACTOR, { period })).map((p) => p.areaCode));
  let created = 0;
  const rv = async (ref: PlanRef) => (await plans.get(DEMO_PLAN_ACTOR, ref)).plan.rowVersion;

  async function start(areaCode: string, priority: BilingualText, aims: string[]) {
    const ref = { areaCode, period };
    await plans.create(DEMO_PLAN_ACTOR, { areaCode, period, illustrative: true });
    created++;
    const p = await plans.addPriority(DEMO_PLAN_ACTOR, ref, await rv(ref), {
      text: priority,
      rationale: text(
        "The partnership chose this because the baseline has not improved for several years.",
        "Dewisodd y bartneriaeth hyn am nad yw'r llinell sylfaen wedi gwella ers sawl blwyddyn.",
      ),
      coreAims: aims,
    });
    return { ref, priorityId: p.id };
  }

  const CARDIFF = "W06000015";
  if (!existing.has(CARDIFF)) {
    const { ref, priorityId } = await start(
      CARDIFF,
      text("Give every baby a healthy start", "Rhoi dechrau iach i bob babi"),
      ["CA1"],
    );
    const detail = await plans.get(DEMO_PLAN_ACTOR, ref);
    const first = detail.measures[0]!;
    const additional = await firstAdditional(plans, ref, aimsOf(detail));
    if (additional)
      await plans.selectMeasure(DEMO_PLAN_ACTOR, ref, await rv(ref), {
        measureCode: additional,
        priorityId,
        reason: text(
          "It shows early whether support in pregnancy is working.",
          "Mae'n dangos yn gynnar a yw cymorth yn ystod beichiogrwydd yn gweithio.",
        ),
      });
    const b = await plans.baseline(DEMO_PLAN_ACTOR, ref, first.measureCode);
    if (b.baseline) {
      const better = first.measure?.polarity === "lower_is_better" ? -1 : 1;
      const base = b.baseline.value;
      await plans.setTargets(
        DEMO_PLAN_ACTOR,
        ref,
        await rv(ref),
        first.measureCode,
        b.planPeriods.map((p, i) => ({
          period: p,
          value: Math.round((base + better * Math.abs(base) * 0.01 * (i + 1)) * 100) / 100,
          stretch: null,
        })),
      );
    }
    await plans.saveNarrative(DEMO_PLAN_ACTOR, ref, {
      subjectKind: "measure",
      subjectCode: first.measureCode,
      section: "story",
      body:
        "Fewer families took up **early support** after local services were reorganised; demand rose at the same time." +
        NOTE.en,
      items: [
        { text: "Reorganised early support services", kind: "restricting" },
        { text: "Strong community midwifery teams", kind: "contributing" },
      ],
      baseVersion: 0,
    });
    const action = await plans.addAction(DEMO_PLAN_ACTOR, ref, {
      subjectKind: "measure",
      subjectCode: first.measureCode,
      title: text("Offer every family a visit in the first month", "Cynnig ymweliad i bob teulu yn y mis cyntaf"),
      owner: "Health visiting service",
      startDate: `${today.getUTCFullYear() - 2}-04-01`,
      dueDate: `${today.getUTCFullYear() + 1}-03-31`,
      status: "on_track",
    });
    await plans.addActionUpdate(DEMO_PLAN_ACTOR, ref, action.id, {
      date: `${today.getUTCFullYear() - 1}-10-01`,
      text: text(
        "Visits now reach four in five families.",
        "Mae ymweliadau bellach yn cyrraedd pedwar o bob pum teulu.",
      ),
      status: "on_track",
    });
    await plans.setStatusForDemo(DEMO_PLAN_ACTOR, ref, "published");
  }

  const SWANSEA = "W06000011";
  if (!existing.has(SWANSEA))
    await start(SWANSEA, text("Keep young people in learning", "Cadw pobl ifanc mewn dysgu"), ["CA2"]);

  const GWYNEDD = "W06000002";
  if (!existing.has(GWYNEDD)) {
    const { ref, priorityId } = await start(GWYNEDD, text("Support young carers", "Cefnogi gofalwyr ifanc"), ["CA4"]);
    await plans.addProgramme(DEMO_PLAN_ACTOR, ref, await rv(ref), {
      code: "young-carers",
      name: text("Young carers' service", "Gwasanaeth gofalwyr ifanc"),
      description: text(
        "Breaks, advice and a named worker for young carers.",
        "Seibiannau, cyngor a gweithiwr penodol i ofalwyr ifanc.",
      ),
      priorityId,
    });
    const measures = [
      {
        code: "carers-supported",
        title: text("Young carers supported", "Gofalwyr ifanc a gefnogwyd"),
        quadrant: "how_much",
        unit: "count",
        values: [120, 146],
      },
      {
        code: "seen-in-two-weeks",
        title: text("Referrals seen within two weeks", "Atgyfeiriadau a welwyd o fewn pythefnos"),
        quadrant: "how_well",
        unit: "percentage",
        values: [71, 78],
      },
      {
        code: "feel-supported",
        title: text("Young carers who feel supported", "Gofalwyr ifanc sy'n teimlo eu bod yn cael eu cefnogi"),
        quadrant: "better_off_percent",
        unit: "percentage",
        values: [64, 69],
      },
    ] as const;
    const y = today.getUTCFullYear() - 2;
    for (const m of measures) {
      await plans.addPerformanceMeasure(DEMO_PLAN_ACTOR, ref, await rv(ref), "young-carers", {
        code: m.code,
        title: m.title,
        quadrant: m.quadrant,
        unit: m.unit,
        polarity: "higher_is_better",
        decimals: 0,
      });
      for (const [i, value] of m.values.entries())
        await plans.recordPerformanceValue(DEMO_PLAN_ACTOR, ref, {
          programmeCode: "young-carers",
          measureCode: m.code,
          period: `${y + i}-${String((y + i + 1) % 100).padStart(2, "0")}`,
          value,
          reason: "Illustrative demo value",
        });
    }
    await plans.setStatusForDemo(DEMO_PLAN_ACTOR, ref, "published");
  }
  return { created };
}

function aimsOf(detail: Awaited<ReturnType<PlansService["get"]>>): string[] {
  return detail.priorities.flatMap((p) => p.coreAims);
}

/** The first live additional measure of the framework under one of `aims`, not yet in the plan. */
async function firstAdditional(plans: PlansService, ref: PlanRef, aims: string[]): Promise<string | null> {
  const choices = await plans.additionalChoices(DEMO_PLAN_ACTOR, ref);
  return choices.find((m) => m.coreAims.some((a) => aims.includes(a)))?.code ?? choices[0]?.code ?? null;
}
