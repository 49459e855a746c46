import { z } from "zod";
import {
  ACCOUNTABILITY_TYPES,
  AREA_TYPES,
  FRAMEWORK_STATUSES,
  FREQUENCIES,
  MAPPING_CONFIDENCES,
  MEASURE_STATUSES,
  POLARITIES,
  TIERS,
  UNITS,
  VALUE_TYPES,
} from "../../domain/enums.ts";
import { OTHER_FRAMEWORKS } from "../../domain/measure.ts";
import { PERIOD_TYPES, type PeriodType } from "../../domain/period-type.ts";
import { isWebUrl } from "../../domain/web-url.ts";

const periodTypes = PERIOD_TYPES as unknown as [PeriodType, ...PeriodType[]];

/**
 * The shape of a framework content file (YAML or JSON). One file may hold any of the sections; the shipped
 * framework in `content/framework/` is several files of this shape merged, and `omf framework import` takes one
 * file to add or update measures and groups. Documented in docs/framework-format.md.
 */

const text = z.string().trim().min(1);
/** English is required; Welsh may be missing and is then shown as "not yet translated". */
export const bilingual = z.object({ en: text, cy: text.optional() }).strict();
const optionalBilingual = bilingual.optional();
const code = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be lower-case letters, digits and hyphens, like low-birth-weight");
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date like 2026-03-31");

export const frameworkSection = z
  .object({
    code,
    title: bilingual,
    description: optionalBilingual,
    version: z.string().regex(/^\d+(\.\d+)*$/, "must be a version number like 1 or 1.2"),
    status: z.enum(FRAMEWORK_STATUSES),
    publishedDate: isoDate.optional(),
  })
  .strict();

export const coreAimEntry = z
  .object({
    code: z.string().regex(/^CA[1-9]$/, "must be CA1 to CA9"),
    order: z.number().int().min(1),
    title: bilingual,
    description: optionalBilingual,
    articles: z.array(z.object({ article: z.number().int().min(1).max(54), confidence: z.enum(MAPPING_CONFIDENCES) })),
  })
  .strict();

export const articleEntry = z
  .object({ number: z.number().int().min(1).max(54), title: bilingual, summary: optionalBilingual })
  .strict();

export const groupEntry = z
  .object({ code, coreAim: z.string().regex(/^CA[1-9]$/), title: bilingual, description: optionalBilingual })
  .strict();

export const sourceEntry = z
  .object({
    code,
    name: bilingual,
    publisher: text,
    url: z.string().refine(isWebUrl, "must be a web address starting with http:// or https://").optional(),
    licence: text.optional(),
    kind: z.enum(["survey", "administrative", "census", "modelled"]),
  })
  .strict();

export const dimensionEntry = z
  .object({
    code: z.string().regex(/^[a-z][a-z0-9_]*$/, "must be snake_case like age_band"),
    title: bilingual,
    values: z.array(z.object({ code: z.string().min(1), label: bilingual }).strict()).min(1),
  })
  .strict();

export const measureEntry = z
  .object({
    code,
    title: bilingual,
    shortTitle: optionalBilingual,
    layDefinition: bilingual,
    technicalDefinition: bilingual,
    rationale: optionalBilingual,
    numerator: optionalBilingual,
    denominator: optionalBilingual,
    caveats: optionalBilingual,
    unit: z.enum(UNITS),
    multiplier: z.number().positive().default(1),
    decimals: z.number().int().min(0).max(4).default(1),
    valueType: z.enum(VALUE_TYPES),
    polarity: z.enum(POLARITIES),
    accountability: z.enum(ACCOUNTABILITY_TYPES),
    tier: z.enum(TIERS),
    group: code.optional(),
    coreAims: z.array(z.string().regex(/^CA[1-9]$/)).min(1),
    articles: z.array(z.number().int().min(1).max(54)).default([]),
    source: code.optional(),
    frequency: z.enum(FREQUENCIES),
    periodType: z.enum(periodTypes),
    geographies: z.array(z.enum(AREA_TYPES)).min(1),
    breakdowns: z.array(z.string()).default([]),
    disclosure: z
      .object({ suppressBelow: z.number().int().min(1).optional(), roundTo: z.number().int().min(1).optional() })
      .strict()
      .default({}),
    target: z.object({ value: z.number(), note: optionalBilingual }).strict().optional(),
    status: z.enum(MEASURE_STATUSES),
    lineage: z.object({ replaces: code.optional(), breakInSeries: z.string().optional() }).strict().optional(),
    owner: text.optional(),
    nextReview: isoDate.optional(),
    /** Codes of the measure in other national frameworks (only those confirmed by a source). */
    crossReferences: z
      .array(z.object({ framework: z.enum(OTHER_FRAMEWORKS), code: z.string().trim().min(1).max(40) }).strict())
      .default([]),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.tier === "additional" && !m.group) {
      ctx.addIssue({ code: "custom", path: ["group"], message: "an additional measure must name its measure group" });
    }
    if (m.tier === "high_level" && m.group) {
      ctx.addIssue({ code: "custom", path: ["group"], message: "a high-level measure is not in a measure group" });
    }
    if (m.valueType === "proportion" && m.unit !== "percentage" && m.unit !== "ratio") {
      ctx.addIssue({ code: "custom", path: ["unit"], message: "a proportion is shown as a percentage or ratio" });
    }
  });

/** A framework content file: any subset of the sections. */
export const frameworkFile = z
  .object({
    framework: frameworkSection.optional(),
    coreAims: z.array(coreAimEntry).optional(),
    articles: z.array(articleEntry).optional(),
    sources: z.array(sourceEntry).optional(),
    dimensions: z.array(dimensionEntry).optional(),
    groups: z.array(groupEntry).optional(),
    measures: z.array(measureEntry).optional(),
  })
  .strict();

export type FrameworkFile = z.infer<typeof frameworkFile>;
export type MeasureEntry = z.infer<typeof measureEntry>;
export type CoreAimEntry = z.infer<typeof coreAimEntry>;
export type GroupEntry = z.infer<typeof groupEntry>;
export type SourceEntry = z.infer<typeof sourceEntry>;
export type DimensionEntry = z.infer<typeof dimensionEntry>;
export type ArticleEntry = z.infer<typeof articleEntry>;
export type FrameworkSection = z.infer<typeof frameworkSection>;
