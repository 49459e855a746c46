/**
 * The JSON responses of the open data API as zod schemas, next to the query schemas of the routes. The OpenAPI
 * document (openapi.ts) is generated from them with `z.toJSONSchema`, and a test validates real responses of every
 * endpoint against that document. The serialisers (serialise.ts, analysis.ts) build these shapes; where a field is
 * added there it must be added here, or the test fails.
 */
import { z } from "zod";
import {
  AREA_TYPES,
  FRAMEWORK_STATUSES,
  MEASURE_STATUSES,
  NOTE_CODES,
  POLARITIES,
  TIERS,
  UNITS,
} from "../domain/enums.ts";
import { OTHER_FRAMEWORKS } from "../domain/measure.ts";
import {
  SIGNIFICANCES,
  TREND_REASONS as STATS_TREND_REASONS,
  TREND_DIRECTIONS,
  TREND_JUDGEMENTS,
} from "../stats/types.ts";

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable();
const date = z.iso.date();
const integer = z.int();

export const Text = z
  .object({ en: z.string(), cy: z.string().nullable() })
  .meta({ id: "Text", description: "Text in English and Welsh; cy is null where no Welsh translation exists yet." });

/** Labels computed by the platform, always in both languages. */
const Label = z.object({ en: z.string(), cy: z.string() });
const PageLink = z.object({ en: z.string(), cy: z.string() });

export const ApiErrorBody = z
  .object({
    type: z.string().meta({ examples: ["about:blank"] }),
    title: z.string().meta({ examples: ["Bad request", "Not found"] }),
    status: integer.min(400).max(599),
    detail: z.string(),
    error: z.string().meta({ description: "A stable code", examples: ["bad_request", "not_found"] }),
    message: z.string().meta({
      description: "The same as detail",
      examples: ['Unknown measure code "low-birth-wieght"; see /api/v1/measures for the codes'],
    }),
    details: z.unknown().optional(),
  })
  .meta({
    id: "Error",
    description:
      "Problem details (RFC 9457) that also keep the API's error code and message: a problem with the request, naming the bad input.",
  });

const PageMeta = z
  .object({
    page: integer.min(1),
    pageSize: integer.min(1).max(1000),
    total: integer.min(0),
    totalPages: integer.min(1),
  })
  .meta({ id: "PageMeta" });

const PageLinks = z
  .object({
    self: z.string(),
    first: z.string(),
    last: z.string(),
    prev: z.string().nullable(),
    next: z.string().nullable(),
  })
  .meta({ id: "PageLinks" });

/** A page of a collection: the items, the page's place and links to its neighbours. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), meta: PageMeta, links: PageLinks });
}

/** One resource. */
export function one<T extends z.ZodType>(item: T) {
  return z.object({ data: item });
}

export const Framework = z
  .object({
    code: z.string(),
    version: z.string(),
    title: Text,
    description: nullable(Text),
    status: z
      .enum([...FRAMEWORK_STATUSES, "submitted", "returned", "approved", "superseded"])
      .meta({ description: "Its state in the workflow: the current version is published, earlier ones superseded" }),
    publishedDate: nullable(date),
  })
  .meta({ id: "Framework" });

const CoreAimLinks = z.object({ self: z.string(), measures: z.string(), page: PageLink });

export const CoreAim = z
  .object({
    code: z.string().meta({ examples: ["CA1"] }),
    number: integer,
    title: Text,
    description: nullable(Text),
    uncrcArticles: z.array(
      z.object({ number: integer, title: Text, confidence: z.enum(["confirmed", "unconfirmed"]) }),
    ),
    links: CoreAimLinks,
  })
  .meta({ id: "CoreAim" });

export const CoreAimDetail = CoreAim.extend({
  highLevelMeasures: z.array(z.string()),
  groups: z.array(
    z.object({ code: z.string(), title: Text, description: nullable(Text), measures: z.array(z.string()) }),
  ),
  dataDevelopmentAgenda: z.array(z.string()),
}).meta({ id: "CoreAimDetail" });

export const FrameworkDetail = Framework.extend({
  versions: z.array(
    z.object({ version: z.string(), status: z.enum(FRAMEWORK_STATUSES), publishedDate: nullable(date) }),
  ),
  coreAims: z.array(CoreAim),
  measureCount: nullable(integer),
}).meta({ id: "FrameworkDetail" });

const MeasureLinks = z.object({
  self: z.string(),
  data: z.string(),
  dataCsv: z.string(),
  periods: z.string(),
  analysis: z.string(),
  analysisCsv: z.string(),
  page: PageLink,
});

const measureFields = {
  code: z.string().meta({ examples: ["low-birth-weight"] }),
  title: Text,
  shortTitle: nullable(Text),
  tier: z.enum(TIERS),
  status: z.enum(MEASURE_STATUSES),
  accountability: z.string(),
  coreAims: z.array(z.string()),
  uncrcArticles: z.array(integer),
  unit: z.enum(UNITS),
  multiplier: z.number(),
  polarity: z.enum(POLARITIES),
  periodType: z.string(),
  localArea: z
    .string()
    .nullable()
    .meta({ description: "a local measure: the partnership (GSS code) that defined it for its plan; null otherwise" }),
  crossReferences: z
    .array(
      z.object({
        framework: z.enum(OTHER_FRAMEWORKS).meta({
          description:
            "nsi: National Strategic Indicators; child_poverty_2006: the 2006 child poverty indicators (numbered); social_services: social services performance measures",
        }),
        code: z.string().meta({ examples: ["EDU/002i"] }),
      }),
    )
    .meta({ description: "the measure's codes in other national frameworks" }),
  links: MeasureLinks,
};

export const MeasureSummary = z
  .object({ ...measureFields, group: z.string().nullable() })
  .meta({ id: "MeasureSummary" });

export const Measure = z
  .object({
    ...measureFields,
    group: nullable(z.object({ code: z.string(), coreAim: z.string(), title: Text })),
    layDefinition: Text,
    technicalDefinition: Text,
    rationale: nullable(Text),
    numeratorDefinition: nullable(Text),
    denominatorDefinition: nullable(Text),
    caveats: nullable(Text),
    decimals: integer,
    valueType: z.string(),
    frequency: z.string(),
    geographies: z.array(z.string()),
    breakdowns: z.array(z.string()),
    source: nullable(
      z.object({
        code: z.string(),
        name: Text,
        publisher: z.string(),
        url: z.string().nullable(),
        licence: z.string().nullable(),
        kind: z.string(),
      }),
    ),
    disclosure: z.object({ suppressBelow: nullable(integer), roundTo: nullable(integer) }),
    target: nullable(z.object({ value: z.number(), note: nullable(Text) })),
    replaces: z.string().nullable(),
    breakInSeries: z.string().nullable(),
    nextReview: nullable(date),
  })
  .meta({ id: "Measure" });

export const Area = z
  .object({
    code: z.string().meta({ examples: ["W06000015"] }),
    name: Text,
    type: z.enum(AREA_TYPES),
    parent: z.string().nullable(),
    validFrom: nullable(date),
    validTo: nullable(date),
    links: z.object({ self: z.string(), data: z.string(), page: PageLink.optional() }),
  })
  .meta({ id: "Area" });

export const AreaDetail = Area.extend({
  asAt: date,
  groupings: z.array(z.object({ code: z.string(), type: z.enum(AREA_TYPES), name: Text })),
  members: z.array(z.string()),
}).meta({ id: "AreaDetail" });

export const Period = z
  .object({
    code: z.string().meta({ examples: ["2022-23"] }),
    type: z.string(),
    start: z.string(),
    end: z.string(),
    label: Label,
    longLabel: Label,
    measures: z.array(z.string()),
  })
  .meta({ id: "Period" });

/** A value with its numerator, denominator and 95% and 99.8% limits (all null when suppressed). */
const valueFields = {
  value: z.number().nullable(),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  lower95: z.number().nullable(),
  upper95: z.number().nullable(),
  lower998: z.number().nullable(),
  upper998: z.number().nullable(),
};

export const Observation = z
  .object({
    measure: z.string(),
    area: z.string(),
    period: z.string(),
    periodType: z.string(),
    periodEnd: date,
    breakdown: z.string().meta({ examples: ["total", "sex=female"] }),
    ...valueFields,
    notes: z.array(z.enum(NOTE_CODES)),
    suppressed: z.boolean(),
    illustrative: z.boolean(),
    revision: integer.min(1),
  })
  .meta({
    id: "Observation",
    description: "A published value after disclosure control (suppressed values are null and flagged).",
  });

const Significance = z.enum(SIGNIFICANCES).meta({ id: "Significance" });
const TrendDirection = z.enum(TREND_DIRECTIONS);
/** The trend test's reasons plus the platform's own refusals (AnalysisTrendReason in services/analysis/types.ts). */
const TREND_REASONS = [...STATS_TREND_REASONS, "overlapping_periods", "period_type_not_annual"] as const;
const TrendReason = z.enum(TREND_REASONS);
const Comparison = z.object({
  area: z.string().nullable(),
  value: z.number().nullable(),
  significance: Significance,
  level: z.number().nullable(),
});

export const AnalysisResult = z
  .object({
    measure: z.string(),
    area: z.string(),
    areaType: z.string(),
    period: z.string(),
    periodEnd: date,
    breakdown: z.string(),
    suppressed: z.boolean(),
    illustrative: z.boolean(),
    ...valueFields,
    ciMethod: z.string().nullable(),
    comparisonMethod: z.string().nullable(),
    wales: Comparison,
    parent: Comparison,
    quintile: nullable(integer.min(1).max(5)),
    rank: nullable(integer),
    rankOutOf: nullable(integer),
    trend: z.object({
      direction: TrendDirection,
      judgement: z.enum(TREND_JUDGEMENTS).nullable(),
      reason: TrendReason,
    }),
    worseAndWorsening: z.boolean(),
    target: z.object({ value: z.number().nullable(), met: z.boolean().nullable(), distance: z.number().nullable() }),
    summary: Text,
    dataVersion: z.string(),
  })
  .meta({ id: "AnalysisResult" });

export const Gap = z
  .object({
    measureCode: z.string(),
    areaCode: z.string(),
    period: z.string(),
    periodSort: z.number(),
    dimension: z.string(),
    groupA: z.string(),
    groupB: z.string(),
    valueA: z.number(),
    valueB: z.number(),
    absolute: z.number(),
    absoluteLower: z.number(),
    absoluteUpper: z.number(),
    relative: z.number().nullable(),
    relativeLower: z.number().nullable(),
    relativeUpper: z.number().nullable(),
    significant: z.boolean(),
    trendDirection: TrendDirection,
    trendReason: TrendReason,
    gapTrend: z.enum(["widening", "narrowing", "no_significant_change", "cannot_be_calculated"]),
    dataVersion: z.string(),
  })
  .meta({ id: "Gap", description: "Gap between two breakdown groups (A − B) with its 95% interval and trend." });

export const GroupComparison = z
  .object({
    measure: z.string(),
    period: z.string(),
    breakdown: z.string(),
    group: z.object({ code: z.string(), name: Text }).nullable(),
    members: z.array(z.string()),
    groupValue: z.number().nullable(),
    groupMethod: z.enum(["pooled", "mean"]).nullable(),
    membersWithValue: integer,
    membersWithoutValue: integer,
    areas: z.array(
      z.object({
        areaCode: z.string(),
        significance: Significance,
        level: z.number().nullable(),
        rank: nullable(integer),
        rankOutOf: nullable(integer),
        member: z.boolean(),
        value: z.number().nullable(),
        lower95: z.number().nullable(),
        upper95: z.number().nullable(),
        suppressed: z.boolean(),
      }),
    ),
  })
  .meta({ id: "GroupComparison" });

const counts = <K extends string>(keys: readonly K[]) =>
  z.object(Object.fromEntries(keys.map((k) => [k, integer.min(0)])) as Record<K, typeof integer>);

export const AimSummary = z
  .object({
    coreAimCode: z.string(),
    title: Text,
    measures: integer.min(0),
    walesTrend: counts([
      "improving",
      "worsening",
      "increasing",
      "decreasing",
      "noSignificantChange",
      "cannotBeCalculated",
    ]),
    areasComparedWithWales: counts(["better", "worse", "higher", "lower", "similar", "notCompared"]),
    worseAndWorsening: integer.min(0),
  })
  .meta({ id: "AimSummary" });

export const ApiIndex = z.object({
  title: z.string(),
  openapi: z.string(),
  documentation: PageLink,
  endpoints: z.array(z.string()),
});

const ImportIssue = z
  .object({
    severity: z.enum(["error", "warning"]),
    row: integer
      .min(0)
      .meta({ description: "Row number in the file (header = 1); 0 for a problem with the whole file" }),
    column: z.string().meta({ description: "Column name as in the file" }),
    value: z.string().meta({ description: "The offending text" }),
    code: z.string().meta({
      examples: ["unknown_area", "wrong_period_type", "not_a_number", "value_inconsistent", "duplicate_row"],
    }),
    message: z
      .string()
      .meta({ examples: ['unknown area "Atlantis": give a GSS code (e.g. W06000015) or an area name'] }),
  })
  .meta({ id: "ImportIssue" });

const ImportIssueGroup = z
  .object({
    severity: z.enum(["error", "warning"]),
    code: z.string(),
    column: z.string(),
    value: z.string(),
    message: z.string(),
    count: integer.meta({ description: "How many rows have this problem" }),
    ranges: z.array(z.tuple([integer, integer])).meta({
      description: "The rows as [first, last] ranges, in row order",
      examples: [
        [
          [2, 24],
          [30, 30],
        ],
      ],
    }),
    nearestMeasures: z
      .array(z.string())
      .optional()
      .meta({ description: "For an unknown measure: the measure codes nearest by name, best first" }),
  })
  .meta({ id: "ImportIssueGroup" });

const ValueSnapshot = z.object({
  value: z.number().nullable(),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  lowerCi: z.number().nullable(),
  upperCi: z.number().nullable(),
  noteCodes: z.array(z.string()),
});

export const ImportSummary = z
  .object({
    ok: z.boolean().meta({ description: "The file is valid (and, unless a dry run, was written)" }),
    dryRun: z.boolean(),
    file: z.string().nullable(),
    format: z.string(),
    batch: z
      .object({ id: integer, status: z.enum(["draft", "published"]), publishAt: z.iso.datetime().nullable() })
      .nullable(),
    counts: counts(["rows", "valid", "new", "revised", "unchanged", "errors", "errorRows", "warnings"]),
    measures: z.array(z.object({ code: z.string(), rows: integer })),
    revised: z
      .array(
        z.object({
          row: integer,
          measureCode: z.string(),
          areaCode: z.string(),
          period: z.string(),
          breakdown: z.string(),
          old: ValueSnapshot,
          new: ValueSnapshot,
        }),
      )
      .meta({ description: "Revised values, old and new (the first 1,000)" }),
    revisedTruncated: z.boolean(),
    errors: z.array(ImportIssue),
    warnings: z.array(ImportIssue),
    errorsTruncated: z.boolean(),
    warningsTruncated: z.boolean(),
    errorGroups: z
      .array(ImportIssueGroup)
      .meta({ description: "Every error grouped: the same problem once, with its rows" }),
    warningGroups: z.array(ImportIssueGroup),
    message: z.string(),
    seconds: z.number(),
    rowsPerSecond: z.number(),
  })
  .meta({ id: "ImportSummary" });

const PlanSummary = z
  .object({
    partnership: z.string().meta({ examples: ["W06000015"] }),
    period: z.string().meta({ examples: ["2024-25-to-2026-27"] }),
    version: integer,
    frameworkVersion: z.string().nullable().meta({
      description:
        "The framework version the plan was made under (or moved to); its measures are as that version defines them",
    }),
    status: z.enum(["published", "superseded"]),
    illustrative: z.boolean(),
    publishedAt: z.string().nullable(),
    pages: PageLink,
    api: z.string().meta({ description: "The plan's current published version" }),
    versionApi: z.string().meta({ description: "This version of the plan, for ever" }),
  })
  .meta({ id: "PlanSummary", description: "A published partnership plan" });

const PlanTarget = z.object({ period: z.string(), value: z.number(), stretch: z.number().nullable() });
const PlanForecastPoint = z.object({ period: z.string(), value: z.number(), lower: z.number(), upper: z.number() });
const PlanValue = z.object({
  period: z.string(),
  value: z.number(),
  lower95: z.number().nullable(),
  upper95: z.number().nullable(),
});

export const PlanList = pageOf(PlanSummary);

export const PlanVersions = z.object({ data: z.array(PlanSummary) }).meta({
  id: "PlanVersions",
  description: "The public versions of a plan (published and superseded), oldest first",
});

export const PlanDetail = one(
  PlanSummary.extend({
    priorities: z.array(
      z.object({ id: integer, text: Text, rationale: nullable(Text), coreAims: z.array(z.string()) }),
    ),
    measures: z.array(
      z.object({
        code: z.string(),
        title: nullable(Text),
        kind: z.enum(["high_level", "additional", "local"]),
        local: z
          .boolean()
          .meta({ description: "A local measure of this partnership (en: Local measure, cy: Mesur lleol)" }),
        priorityId: integer.nullable(),
        reason: nullable(Text),
        targets: z.array(PlanTarget),
        baseline: PlanValue.nullable(),
        actuals: z.array(PlanValue),
        forecast: z.array(PlanForecastPoint),
        noForecast: z.string().nullable(),
        latest: PlanValue.extend({
          verdict: z.string().nullable(),
          significant: z.boolean().nullable(),
          target: z.string().nullable(),
        }).nullable(),
      }),
    ),
    narratives: z.array(
      z.object({
        subjectKind: z.string(),
        subjectCode: z.string(),
        section: z.string(),
        version: integer,
        body: z.string().meta({ description: "Markdown source" }),
        items: z.array(z.unknown()).nullable(),
        createdAt: z.string(),
      }),
    ),
  }).meta({ id: "PlanDetail" }),
);

const AgreementYear = z
  .object({
    year: z.string().meta({ examples: ["2013-14"] }),
    assessed: integer.meta({ description: "How many outcomes have an assessment that counts" }),
    points: integer.nullable().meta({ description: "Score after moderation (null until every outcome is assessed)" }),
    maximum: integer,
    successful: integer.nullable(),
    collaboration: z.boolean(),
    rule: z.enum(["full_grant", "pro_rata", "nothing"]).nullable(),
    grantPayable: z.number().nullable().meta({ description: "Pounds; null until every outcome and part is judged" }),
    authorityPoints: integer.nullable().meta({ description: "Score on the authority's own assessments" }),
    judged: z.record(z.string(), z.number().nullable()).meta({ description: "Per cent awarded of each judged part" }),
    explanation: z.object({ en: z.string(), cy: z.string() }).nullable().meta({
      description: "The arithmetic in words, as on the page",
    }),
  })
  .meta({ id: "AgreementYear" });

const AgreementSummary = z
  .object({
    authority: z.string().meta({ examples: ["W06000014"] }),
    period: z.string().meta({ examples: ["2013-16"] }),
    scheme: z.string().meta({ examples: ["2013-16"] }),
    schemeVersion: integer,
    status: z.enum(["agreed"]),
    illustrative: z.boolean(),
    grant: z.number().meta({ description: "The grant for each year, in pounds" }),
    latest: AgreementYear.nullable().meta({ description: "The latest year with every outcome assessed" }),
    themes: z.array(z.object({ theme: z.string().nullable(), outcomes: integer })),
    pages: PageLink,
    api: z.string(),
  })
  .meta({ id: "AgreementSummary", description: "An agreed outcome agreement whose summary is published" });

export const AgreementList = pageOf(AgreementSummary);

const Category = z.enum(["fully", "partially", "unsuccessful"]);

export const AgreementDetail = one(
  AgreementSummary.extend({
    agreedBy: z.object({
      government: z.string().nullable(),
      governmentOn: z.string().nullable(),
      authority: z.string().nullable(),
      authorityOn: z.string().nullable(),
    }),
    years: z.array(AgreementYear),
    outcomes: z.array(
      z.object({
        position: integer,
        title: Text,
        theme: z.string().nullable(),
        measures: z.array(z.string()),
        localMeasures: z.array(z.string()),
        planLinks: z.array(z.object({ kind: z.enum(["priority", "action"]), plan: z.string(), title: Text })),
        targets: z.array(z.object({ measure: z.string(), period: z.string(), value: z.number() })),
        assessments: z.array(
          z.object({
            year: z.string(),
            self: Category.nullable(),
            moderated: Category.nullable(),
            moderationReason: z.string().nullable(),
          }),
        ),
      }),
    ),
    variations: z.array(
      z.object({
        number: integer,
        kind: z.enum(["grant", "outcome"]),
        outcome: integer.nullable(),
        reason: z.string(),
        before: z.record(z.string(), z.unknown()),
        after: z.record(z.string(), z.unknown()),
        createdAt: z.string(),
      }),
    ),
  }).meta({ id: "AgreementDetail" }),
);
