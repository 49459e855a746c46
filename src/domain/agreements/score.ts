/**
 * The grant payable for one year of an outcome agreement, from its scheme, the year's assessments and the grant
 * amount, with why each rule applied. Money is computed in whole pence with integer arithmetic (the one rounding is
 * to the nearest penny, halves up), so the same inputs always give the same pounds.
 */
import { ASSESSMENT_CATEGORIES, type AssessmentCategory, maximumScore, type Scheme } from "./scheme.ts";

export type CategoryCounts = Record<AssessmentCategory, number>;

export interface ScoreInput {
  /** How many outcomes were assessed in each category (they must add up to the scheme's number of outcomes). */
  counts: CategoryCounts;
  /** Whether collaboration was evidenced. */
  collaboration: boolean;
  /** The grant for the year, in pounds (at most two decimals). */
  grant: number;
  /** For each part judged separately (not `outcomes`): the per cent of it awarded, or null when not yet judged. */
  judged?: Readonly<Record<string, number | null>> | undefined;
}

/** Why the outcomes part was not paid in full. */
export type ShortfallReason =
  | { kind: "score"; points: number; needed: number }
  | { kind: "successful"; successful: number; needed: number }
  | { kind: "collaboration" }
  | { kind: "no_threshold" };

export type OutcomesRule = "full_grant" | "pro_rata" | "nothing";

export interface PartPayable {
  key: string;
  name: { en: string; cy: string };
  percent: number;
  /** This part's share of the grant, in pence. */
  grantPence: number;
  /** What is payable of it in pence (null: a separately judged part not yet judged). */
  payablePence: number | null;
  /** For a separately judged part: the per cent of it awarded (null: not yet judged). */
  awardedPercent: number | null;
}

export interface GrantComputation {
  scheme: string;
  counts: CategoryCounts;
  /** Points earned in each category (count × points per category). */
  categoryPoints: CategoryCounts;
  points: number;
  maximum: number;
  outcomes: number;
  successful: number;
  collaboration: boolean;
  /** The rule applied to the outcomes part. */
  rule: OutcomesRule;
  /** Why the full grant was not earned (empty when it was). */
  reasons: ShortfallReason[];
  parts: PartPayable[];
  grantPence: number;
  /** Null while a separately judged part is not judged yet. */
  payablePence: number | null;
  /** The same in pounds, for the JSON output. */
  grant: number;
  grantPayable: number | null;
}

export class ScoreInputError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = "ScoreInputError";
  }
}

/** Integer division rounded to the nearest whole, halves up (both arguments non-negative integers). */
function roundDiv(numerator: bigint, denominator: bigint): number {
  return Number((numerator * 2n + denominator) / (denominator * 2n));
}

export function toPence(pounds: number): number {
  return Math.round(pounds * 100);
}

function checkInput(scheme: Scheme, input: ScoreInput): void {
  for (const c of ASSESSMENT_CATEGORIES) {
    const n = input.counts[c];
    if (!Number.isInteger(n) || n < 0) throw new ScoreInputError(`${c}: ${n} is not a whole number of outcomes`, c);
  }
  const total = ASSESSMENT_CATEGORIES.reduce((s, c) => s + input.counts[c], 0);
  if (total !== scheme.outcomes)
    throw new ScoreInputError(
      `the assessments add up to ${total} outcomes; scheme ${scheme.code} has ${scheme.outcomes}`,
      "counts",
    );
  if (!Number.isFinite(input.grant) || input.grant < 0 || Math.abs(input.grant * 100 - toPence(input.grant)) > 1e-6)
    throw new ScoreInputError(`grant: ${input.grant} is not an amount in pounds and pence`, "grant");
  for (const [key, v] of Object.entries(input.judged ?? {})) {
    const part = scheme.parts.find((p) => p.key === key);
    if (!part || part.key === "outcomes")
      throw new ScoreInputError(`${key}: scheme ${scheme.code} has no separately judged part ${key}`, key);
    if (v !== null && (!Number.isFinite(v) || v < 0 || v > 100))
      throw new ScoreInputError(`${key}: ${v} is not a per cent from 0 to 100`, key);
  }
}

/** Counts the categories of a list of assessments. */
export function countCategories(categories: readonly AssessmentCategory[]): CategoryCounts {
  const counts: CategoryCounts = { fully: 0, partially: 0, unsuccessful: 0 };
  for (const c of categories) counts[c] += 1;
  return counts;
}

/** The grant payable and why; throws {@link ScoreInputError} naming the field for inconsistent input. */
export function computeGrant(scheme: Scheme, input: ScoreInput): GrantComputation {
  checkInput(scheme, input);
  const categoryPoints: CategoryCounts = {
    fully: input.counts.fully * scheme.points.fully,
    partially: input.counts.partially * scheme.points.partially,
    unsuccessful: input.counts.unsuccessful * scheme.points.unsuccessful,
  };
  const points = categoryPoints.fully + categoryPoints.partially + categoryPoints.unsuccessful;
  const maximum = maximumScore(scheme);
  const successful = scheme.successful.reduce((s, c) => s + input.counts[c], 0);

  const reasons: ShortfallReason[] = [];
  if (scheme.fullGrantScore === null) reasons.push({ kind: "no_threshold" });
  else if (points < scheme.fullGrantScore) reasons.push({ kind: "score", points, needed: scheme.fullGrantScore });
  if (scheme.minimumSuccessful !== null && successful < scheme.minimumSuccessful)
    reasons.push({ kind: "successful", successful, needed: scheme.minimumSuccessful });
  if (scheme.collaborationRequired && !input.collaboration) reasons.push({ kind: "collaboration" });
  const rule: OutcomesRule = reasons.length === 0 ? "full_grant" : scheme.belowThreshold;

  const grantPence = toPence(input.grant);
  let allotted = 0;
  const parts: PartPayable[] = scheme.parts.map((p, i) => {
    // Each part's share rounded to the penny; the last part takes what is left so the parts add up to the grant.
    const partPence =
      i === scheme.parts.length - 1 ? grantPence - allotted : roundDiv(BigInt(grantPence) * BigInt(p.percent), 100n);
    allotted += partPence;
    const base = { key: p.key, name: p.name, percent: p.percent, grantPence: partPence };
    if (p.key === "outcomes") {
      const payable =
        rule === "full_grant"
          ? partPence
          : rule === "pro_rata"
            ? roundDiv(BigInt(partPence) * BigInt(points), BigInt(maximum))
            : 0;
      return { ...base, payablePence: payable, awardedPercent: null };
    }
    const awarded = input.judged?.[p.key] ?? null;
    const payable = awarded === null ? null : roundDiv(BigInt(partPence) * BigInt(Math.round(awarded * 100)), 10000n);
    return { ...base, payablePence: payable, awardedPercent: awarded };
  });
  const payablePence = parts.some((p) => p.payablePence === null)
    ? null
    : parts.reduce((s, p) => s + (p.payablePence ?? 0), 0);
  return {
    scheme: scheme.code,
    counts: { ...input.counts },
    categoryPoints,
    points,
    maximum,
    outcomes: scheme.outcomes,
    successful,
    collaboration: input.collaboration,
    rule,
    reasons,
    parts,
    grantPence,
    payablePence,
    grant: grantPence / 100,
    grantPayable: payablePence === null ? null : payablePence / 100,
  };
}
