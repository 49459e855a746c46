/**
 * One illustrative outcome agreement for `omf demo`: the Vale of Glamorgan under the 2013–16 preset, with five
 * outcomes in the spirit of its real ones (DOMAIN.md §4) linked to framework measures and targets, agreed, its first
 * year self-assessed, one assessment moderated with a reason, and corporate governance judged. Everything is flagged
 * illustrative and its text says so. Idempotent: an existing agreement for the Vale in 2013-16 is left alone.
 */
import type { BilingualText } from "../../domain/enums.ts";
import type { FrameworkService } from "../framework-service.ts";
import type { AgreementActor, AgreementsService } from "./index.ts";

export const DEMO_AGREEMENT_ACTOR: AgreementActor = {
  id: null,
  email: "omf-demo",
  role: "national_admin",
  areaCodes: [],
  channel: "demo",
};
export const DEMO_AGREEMENT = { areaCode: "W06000014", period: "2013-16" };

const NOTE = { en: " (Illustrative text for the demo.)", cy: " (Testun enghreifftiol ar gyfer y demo.)" };
const text = (en: string, cy: string): BilingualText => ({ en: en + NOTE.en, cy: cy + NOTE.cy });

const OUTCOMES: { title: BilingualText; theme: string; category: "fully" | "partially" | "unsuccessful" }[] = [
  { title: text("Supporting the local economy", "Cefnogi'r economi leol"), theme: "economy", category: "fully" },
  {
    title: text("Increasing school attainment", "Cynyddu cyrhaeddiad ysgolion"),
    theme: "education",
    category: "fully",
  },
  {
    title: text("Improving older people's lives", "Gwella bywydau pobl hŷn"),
    theme: "social care",
    category: "partially",
  },
  { title: text("Improving social housing", "Gwella tai cymdeithasol"), theme: "housing", category: "fully" },
  { title: text("Reducing landfill", "Lleihau tirlenwi"), theme: "environment", category: "unsuccessful" },
];

export async function seedDemoAgreements(
  agreements: AgreementsService,
  framework: FrameworkService,
): Promise<{ created: number }> {
  if (
    (await agreements.list(DEMO_AGREEMENT_ACTOR)).some(
      (a) => a.areaCode === DEMO_AGREEMENT.areaCode && a.period === DEMO_AGREEMENT.period,
    )
  )
    return { created: 0 };
  const live = ((await framework.current())?.measures ?? []).filter(
    (m) => m.tier === "high_level" && m.status === "live",
  );
  await agreements.create(DEMO_AGREEMENT_ACTOR, {
    ...DEMO_AGREEMENT,
    scheme: "2013-16",
    grant: 1_254_000,
    illustrative: true,
  });
  // the first outcomes are linked to the priorities of the Vale's (illustrative) plan, where there is one
  const priorities = (await agreements.planChoices(DEMO_AGREEMENT_ACTOR, DEMO_AGREEMENT)).filter(
    (c) => c.link.kind === "priority",
  );
  for (const [i, o] of OUTCOMES.entries()) {
    const measures = live.slice(i * 2, i * 2 + 2);
    await agreements.addOutcome(DEMO_AGREEMENT_ACTOR, DEMO_AGREEMENT, {
      title: o.title,
      theme: o.theme,
      measureCodes: measures.map((m) => m.code),
      planLinks: priorities[i] ? [priorities[i].key] : [],
    });
  }
  await agreements.agree(DEMO_AGREEMENT_ACTOR, DEMO_AGREEMENT, {
    government: "Illustrative: the Minister for Local Government",
    governmentOn: "2013-04-01",
    authority: "Illustrative: the Leader of the council",
    authorityOn: "2013-04-01",
  });
  await agreements.publishSummary(DEMO_AGREEMENT_ACTOR, DEMO_AGREEMENT, true);
  const editor: AgreementActor = {
    ...DEMO_AGREEMENT_ACTOR,
    role: "partnership_editor",
    areaCodes: [DEMO_AGREEMENT.areaCode],
  };
  for (const [i, o] of OUTCOMES.entries())
    await agreements.selfAssess(editor, DEMO_AGREEMENT, {
      outcome: i + 1,
      year: "2013-14",
      category: i === 4 ? "partially" : o.category,
      evidence: `Illustrative evidence for outcome ${i + 1}: the measures moved as planned in most schools and services. (Illustrative text for the demo.)`,
      collaboration: i === 0 ? "Illustrative: a shared regional service with two neighbouring authorities." : null,
    });
  await agreements.moderate(DEMO_AGREEMENT_ACTOR, DEMO_AGREEMENT, {
    outcome: 5,
    year: "2013-14",
    category: "unsuccessful",
    reason:
      "Illustrative: the landfill figures show no reduction in the year, so the outcome was not partially achieved.",
  });
  await agreements.judgePart(DEMO_AGREEMENT_ACTOR, DEMO_AGREEMENT, {
    year: "2013-14",
    part: "corporate_governance",
    percent: 100,
    reason: "Illustrative: the Auditor General for Wales' improvement assessment raised no proposals for improvement.",
  });
  return { created: 1 };
}
