/**
 * Outcome agreement schemes as data (issue 16; DOMAIN.md §4): how many outcomes an agreement has, the points each
 * assessment category earns, the score and number of successful outcomes needed for the full grant, whether
 * collaboration must be evidenced, how the grant is split between parts (outcomes, and parts judged separately such
 * as corporate governance) and what is paid below the threshold. A scheme is validated here and never hard-coded:
 * the shipped presets are content/agreements/schemes.yaml.
 */
import { z } from "zod";

/** The categories of an annual self-assessment of one outcome. */
export const ASSESSMENT_CATEGORIES = ["fully", "partially", "unsuccessful"] as const;
export type AssessmentCategory = (typeof ASSESSMENT_CATEGORIES)[number];

/** What is paid of a scored part when the full-grant conditions are not met. */
export const BELOW_THRESHOLD_RULES = ["pro_rata", "nothing"] as const;
export type BelowThresholdRule = (typeof BELOW_THRESHOLD_RULES)[number];

const bilingual = z.object({ en: z.string().min(1), cy: z.string().min(1) }).strict();
const points = z.number().int().min(0).max(100);

const partSchema = z
  .object({
    /** `outcomes` is scored from the assessments; any other part is judged separately (a share of it awarded). */
    key: z.string().regex(/^[a-z][a-z0-9_]*$/, "a lower-case key such as outcomes or corporate_governance"),
    name: bilingual,
    /** Whole per cent of the grant. */
    percent: z.number().int().min(1).max(100),
  })
  .strict();

export const schemeSchema = z
  .object({
    code: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "a short code such as 2010-13"),
    name: bilingual,
    outcomes: z.number().int().min(1).max(50),
    points: z.object({ fully: points, partially: points, unsuccessful: points }).strict(),
    /** Whether the sources state the points per category (false: they are an assumption, said on screen). */
    pointsStated: z.boolean(),
    /** Categories that count as a successful outcome. */
    successful: z.array(z.enum(ASSESSMENT_CATEGORIES)).min(1),
    /** The score at or above which the outcomes part is paid in full (null: no threshold; the rule always applies). */
    fullGrantScore: z.number().int().min(0).nullable(),
    /** The fewest successful outcomes for the full grant (null: no minimum). */
    minimumSuccessful: z.number().int().min(0).nullable(),
    collaborationRequired: z.boolean(),
    parts: z.array(partSchema).min(1),
    belowThreshold: z.enum(BELOW_THRESHOLD_RULES),
    notes: bilingual.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const total = s.parts.reduce((sum, p) => sum + p.percent, 0);
    if (total !== 100)
      ctx.addIssue({ code: "custom", path: ["parts"], message: `the parts add up to ${total}%, not 100%` });
    if (!s.parts.some((p) => p.key === "outcomes"))
      ctx.addIssue({ code: "custom", path: ["parts"], message: "one part must be the outcomes part (key: outcomes)" });
    const keys = new Set(s.parts.map((p) => p.key));
    if (keys.size !== s.parts.length) ctx.addIssue({ code: "custom", path: ["parts"], message: "part keys repeat" });
    const { fully, partially, unsuccessful } = s.points;
    if (!(fully >= partially && partially >= unsuccessful))
      ctx.addIssue({
        code: "custom",
        path: ["points"],
        message: "points must not rise from fully to partially to unsuccessful",
      });
    if (fully === 0) ctx.addIssue({ code: "custom", path: ["points", "fully"], message: "must be more than 0" });
    const maximum = s.outcomes * fully;
    if (s.fullGrantScore !== null && s.fullGrantScore > maximum)
      ctx.addIssue({
        code: "custom",
        path: ["fullGrantScore"],
        message: `${s.fullGrantScore} is more than the maximum score ${maximum}`,
      });
    if (s.minimumSuccessful !== null && s.minimumSuccessful > s.outcomes)
      ctx.addIssue({
        code: "custom",
        path: ["minimumSuccessful"],
        message: `${s.minimumSuccessful} is more than the ${s.outcomes} outcomes`,
      });
  });

export type Scheme = z.infer<typeof schemeSchema>;

/** The schemes file: a list of schemes with unique codes. */
export const schemesFileSchema = z
  .object({ schemes: z.array(schemeSchema).min(1) })
  .strict()
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    f.schemes.forEach((s, i) => {
      if (seen.has(s.code))
        ctx.addIssue({ code: "custom", path: ["schemes", i, "code"], message: `${s.code} appears twice` });
      seen.add(s.code);
    });
  });

/** A scheme's problems as lines naming the field, or the scheme. */
export function parseScheme(input: unknown): { ok: true; scheme: Scheme } | { ok: false; problems: string[] } {
  const r = schemeSchema.safeParse(input);
  if (r.success) return { ok: true, scheme: r.data };
  return { ok: false, problems: r.error.issues.map((i) => `${i.path.join(".") || "scheme"}: ${i.message}`) };
}

export function maximumScore(scheme: Scheme): number {
  return scheme.outcomes * scheme.points.fully;
}
