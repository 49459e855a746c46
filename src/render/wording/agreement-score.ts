/**
 * The grant payable of an outcome agreement written out in words (issue 16): the arithmetic ("6 fully (18) + 3
 * partially (6) + 1 unsuccessful (1) = 25 of 30; 9 of 10 successful; collaboration evidenced: full grant
 * £1,254,000"), which rule applied and why, and each part of the grant. The same sentences serve the page, the
 * exports and `omf agreement score`; the strings are the `agreements.score.*` keys of the locale files.
 */
import type { Scheme } from "../../domain/agreements/scheme.ts";
import type { GrantComputation, ShortfallReason } from "../../domain/agreements/score.ts";
import type { Language } from "../../domain/enums.ts";
import type { Translate } from "./translate.ts";

/** Pounds from pence, with pence shown only when there are some: £1,254,000 or £877,800.50. */
export function formatPounds(pence: number, lang: Language): string {
  const whole = pence % 100 === 0;
  return `£${new Intl.NumberFormat(lang === "cy" ? "cy-GB" : "en-GB", {
    minimumFractionDigits: whole ? 0 : 2,
    maximumFractionDigits: whole ? 0 : 2,
  }).format(pence / 100)}`;
}

export interface GrantExplanation {
  /** The arithmetic in one line. */
  summary: string;
  /** Which rule applied to the outcomes part, and why. */
  rule: string;
  /** One sentence per part of the grant (more than one part only). */
  parts: string[];
  /** Said when the sources do not state the points per category. */
  pointsNote: string | null;
}

function reasonText(r: ShortfallReason, t: Translate): string {
  switch (r.kind) {
    case "score":
      return t("agreements.score.reason.score", { points: r.points, needed: r.needed });
    case "successful":
      return t("agreements.score.reason.successful", { successful: r.successful, needed: r.needed });
    case "collaboration":
      return t("agreements.score.reason.collaboration");
    case "no_threshold":
      return t("agreements.score.reason.noThreshold");
  }
}

export function explainGrant(scheme: Scheme, c: GrantComputation, t: Translate, lang: Language): GrantExplanation {
  const money = (pence: number) => formatPounds(pence, lang);
  const terms = (["fully", "partially", "unsuccessful"] as const).map((k) =>
    t(`agreements.score.term.${k}`, { count: c.counts[k], points: c.categoryPoints[k] }),
  );
  const outcomes = c.parts.find((p) => p.key === "outcomes");
  const outcomesPayable = outcomes?.payablePence ?? 0;
  const result =
    c.rule === "full_grant"
      ? t("agreements.score.result.full", { amount: money(outcomesPayable) })
      : c.rule === "pro_rata"
        ? t("agreements.score.result.proRata", { amount: money(outcomesPayable) })
        : t("agreements.score.result.nothing");
  // The collaboration clause only where the scheme asks for collaboration evidence.
  const clauses = [
    `${terms.join(" + ")} = ${t("agreements.score.of", { points: c.points, maximum: c.maximum })}`,
    t("agreements.score.successfulOf", { successful: c.successful, outcomes: c.outcomes }),
    ...(scheme.collaborationRequired
      ? [t(c.collaboration ? "agreements.score.collaborationYes" : "agreements.score.collaborationNo")]
      : []),
  ];
  const summary = `${clauses.join("; ")}: ${result}`;

  const why = c.reasons.map((r) => reasonText(r, t)).join("; ");
  const rule =
    c.rule === "full_grant"
      ? t("agreements.score.rule.full", { points: c.points, needed: scheme.fullGrantScore ?? c.maximum })
      : c.rule === "pro_rata"
        ? t("agreements.score.rule.proRata", {
            why,
            points: c.points,
            maximum: c.maximum,
            grant: money(outcomes?.grantPence ?? 0),
            amount: money(outcomesPayable),
          })
        : t("agreements.score.rule.nothing", { why });

  const parts =
    c.parts.length < 2
      ? []
      : c.parts.map((p) => {
          const name = lang === "cy" ? p.name.cy : p.name.en;
          const share = { name, percent: p.percent, grant: money(p.grantPence) };
          if (p.key === "outcomes")
            return t("agreements.score.part.outcomes", { ...share, amount: money(p.payablePence ?? 0) });
          return p.payablePence === null
            ? t("agreements.score.part.notJudged", share)
            : t("agreements.score.part.judged", {
                ...share,
                awarded: String(p.awardedPercent ?? 0),
                amount: money(p.payablePence),
              });
        });
  if (parts.length > 0)
    parts.push(
      c.payablePence === null
        ? t("agreements.score.total.pending")
        : t("agreements.score.total.payable", { amount: money(c.payablePence), grant: money(c.grantPence) }),
    );
  return { summary, rule, parts, pointsNote: scheme.pointsStated ? null : t("agreements.score.pointsNote") };
}
