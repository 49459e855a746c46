/**
 * The OpenAPI 3.1 description of the open data API, served at /api/v1/openapi.json. Written by hand next to the
 * routes (src/api/*.ts); a test checks every route is described and every described path answers. When the imports
 * API's own description exists (src/api/imports-openapi.ts) its paths and schemas are merged in.
 */
import { existsSync } from "node:fs";

type Json = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const param = (name: string) => ({ $ref: `#/components/parameters/${name}` });
const nullable = (type: string, extra: Json = {}) => ({ type: [type, "null"], ...extra });

function jsonResponse(description: string, schema: Json): Json {
  return {
    description,
    headers: {
      ETag: { $ref: "#/components/headers/ETag" },
      "Cache-Control": { $ref: "#/components/headers/CacheControl" },
    },
    content: { "application/json": { schema } },
  };
}

const errors = {
  "400": { $ref: "#/components/responses/BadRequest" },
  "404": { $ref: "#/components/responses/NotFound" },
  "304": { description: "Not modified: the client's copy (If-None-Match) is current" },
};

function page(item: Json): Json {
  return {
    type: "object",
    required: ["data", "meta", "links"],
    properties: { data: { type: "array", items: item }, meta: ref("PageMeta"), links: ref("PageLinks") },
  };
}

const one = (item: Json): Json => ({ type: "object", required: ["data"], properties: { data: item } });

function get(summary: string, tag: string, parameters: Json[], response: Json, extra: Json = {}): Json {
  return { get: { summary, tags: [tag], parameters, responses: { "200": response, ...errors }, ...extra } };
}

const schemas: Record<string, Json> = {
  Text: {
    type: "object",
    description: "Text in English and Welsh; cy is null where no Welsh translation exists yet.",
    required: ["en", "cy"],
    properties: { en: { type: "string" }, cy: nullable("string") },
  },
  Error: {
    type: "object",
    required: ["error", "message"],
    properties: {
      error: { type: "string", examples: ["bad_request", "not_found"] },
      message: {
        type: "string",
        examples: ['Unknown measure code "low-birth-wieght"; see /api/v1/measures for the codes'],
      },
      details: {},
    },
  },
  PageMeta: {
    type: "object",
    required: ["page", "pageSize", "total", "totalPages"],
    properties: {
      page: { type: "integer", minimum: 1 },
      pageSize: { type: "integer", minimum: 1, maximum: 1000 },
      total: { type: "integer" },
      totalPages: { type: "integer" },
    },
  },
  PageLinks: {
    type: "object",
    properties: {
      self: { type: "string" },
      first: { type: "string" },
      last: { type: "string" },
      prev: nullable("string"),
      next: nullable("string"),
    },
  },
  Framework: {
    type: "object",
    properties: {
      code: { type: "string" },
      version: { type: "string" },
      title: ref("Text"),
      description: { oneOf: [ref("Text"), { type: "null" }] },
      status: { type: "string", enum: ["draft", "published", "retired"] },
      publishedDate: nullable("string", { format: "date" }),
    },
  },
  CoreAim: {
    type: "object",
    properties: {
      code: { type: "string", examples: ["CA1"] },
      number: { type: "integer" },
      title: ref("Text"),
      description: { oneOf: [ref("Text"), { type: "null" }] },
      uncrcArticles: {
        type: "array",
        items: {
          type: "object",
          properties: {
            number: { type: "integer" },
            title: ref("Text"),
            confidence: { type: "string", enum: ["confirmed", "unconfirmed"] },
          },
        },
      },
      highLevelMeasures: { type: "array", items: { type: "string" } },
      groups: { type: "array", items: { type: "object" } },
      dataDevelopmentAgenda: { type: "array", items: { type: "string" } },
      links: { type: "object" },
    },
  },
  MeasureSummary: {
    type: "object",
    properties: {
      code: { type: "string", examples: ["low-birth-weight"] },
      title: ref("Text"),
      shortTitle: { oneOf: [ref("Text"), { type: "null" }] },
      tier: { type: "string", enum: ["high_level", "additional"] },
      status: { type: "string", enum: ["live", "in_development", "retired"] },
      accountability: { type: "string" },
      coreAims: { type: "array", items: { type: "string" } },
      group: nullable("string"),
      uncrcArticles: { type: "array", items: { type: "integer" } },
      unit: { type: "string", enum: ["percentage", "rate", "count", "mean", "ratio", "score"] },
      multiplier: { type: "number" },
      polarity: { type: "string", enum: ["higher_is_better", "lower_is_better", "no_judgement"] },
      periodType: { type: "string" },
      links: { type: "object" },
    },
  },
  Measure: {
    allOf: [
      ref("MeasureSummary"),
      {
        type: "object",
        properties: {
          layDefinition: ref("Text"),
          technicalDefinition: ref("Text"),
          rationale: { oneOf: [ref("Text"), { type: "null" }] },
          numeratorDefinition: { oneOf: [ref("Text"), { type: "null" }] },
          denominatorDefinition: { oneOf: [ref("Text"), { type: "null" }] },
          caveats: { oneOf: [ref("Text"), { type: "null" }] },
          decimals: { type: "integer" },
          valueType: { type: "string" },
          frequency: { type: "string" },
          geographies: { type: "array", items: { type: "string" } },
          breakdowns: { type: "array", items: { type: "string" } },
          source: { type: ["object", "null"] },
          disclosure: {
            type: "object",
            properties: { suppressBelow: nullable("integer"), roundTo: nullable("integer") },
          },
          target: { type: ["object", "null"] },
          replaces: nullable("string"),
          breakInSeries: nullable("string"),
          nextReview: nullable("string"),
        },
      },
    ],
  },
  Area: {
    type: "object",
    properties: {
      code: { type: "string", examples: ["W06000015"] },
      name: ref("Text"),
      type: { type: "string" },
      parent: nullable("string"),
      validFrom: nullable("string", { format: "date" }),
      validTo: nullable("string", { format: "date" }),
      groupings: { type: "array", items: { type: "object" } },
      members: { type: "array", items: { type: "string" } },
      links: { type: "object" },
    },
  },
  Period: {
    type: "object",
    properties: {
      code: { type: "string", examples: ["2022-23"] },
      type: { type: "string" },
      start: { type: "string", format: "date" },
      end: { type: "string", format: "date" },
      label: { type: "object", properties: { en: { type: "string" }, cy: { type: "string" } } },
      longLabel: { type: "object", properties: { en: { type: "string" }, cy: { type: "string" } } },
      measures: { type: "array", items: { type: "string" } },
    },
  },
  Observation: {
    type: "object",
    description: "A published value after disclosure control (suppressed values are null and flagged).",
    properties: {
      measure: { type: "string" },
      area: { type: "string" },
      period: { type: "string" },
      periodType: { type: "string" },
      periodEnd: { type: "string", format: "date" },
      breakdown: { type: "string", examples: ["total", "sex=female"] },
      value: nullable("number"),
      numerator: nullable("number"),
      denominator: nullable("number"),
      lower95: nullable("number"),
      upper95: nullable("number"),
      lower998: nullable("number"),
      upper998: nullable("number"),
      notes: { type: "array", items: { type: "string" } },
      suppressed: { type: "boolean" },
      illustrative: { type: "boolean" },
      revision: { type: "integer" },
    },
  },
  Significance: { type: "string", enum: ["better", "similar", "worse", "higher", "lower", "not_compared"] },
  AnalysisResult: {
    type: "object",
    properties: {
      measure: { type: "string" },
      area: { type: "string" },
      areaType: { type: "string" },
      period: { type: "string" },
      periodEnd: { type: "string", format: "date" },
      breakdown: { type: "string" },
      suppressed: { type: "boolean" },
      illustrative: { type: "boolean" },
      value: nullable("number"),
      numerator: nullable("number"),
      denominator: nullable("number"),
      lower95: nullable("number"),
      upper95: nullable("number"),
      lower998: nullable("number"),
      upper998: nullable("number"),
      ciMethod: nullable("string"),
      comparisonMethod: nullable("string"),
      wales: {
        type: "object",
        properties: {
          area: nullable("string"),
          value: nullable("number"),
          significance: ref("Significance"),
          level: nullable("number"),
        },
      },
      parent: { type: "object" },
      quintile: nullable("integer", { minimum: 1, maximum: 5 }),
      rank: nullable("integer"),
      rankOutOf: nullable("integer"),
      trend: {
        type: "object",
        properties: {
          direction: {
            type: "string",
            enum: ["increasing", "decreasing", "no_significant_change", "cannot_be_calculated"],
          },
          judgement: { type: ["string", "null"], enum: ["getting_better", "getting_worse", null] },
          reason: { type: "string" },
        },
      },
      worseAndWorsening: { type: "boolean" },
      target: { type: "object" },
      summary: ref("Text"),
      dataVersion: { type: "string" },
    },
  },
  Gap: { type: "object", description: "Gap between two breakdown groups (A − B) with its 95% interval and trend." },
  GroupComparison: { type: "object" },
  AimSummary: { type: "object" },
};

const parameters: Record<string, Json> = {
  page: { name: "page", in: "query", schema: { type: "integer", minimum: 1, default: 1 } },
  pageSize: { name: "pageSize", in: "query", schema: { type: "integer", minimum: 1, maximum: 1000, default: 100 } },
  measureList: {
    name: "measure",
    in: "query",
    description: "Measure codes, comma-separated or repeated",
    schema: { type: "string" },
    example: "low-birth-weight",
  },
  areaList: {
    name: "area",
    in: "query",
    description: "GSS area codes, comma-separated or repeated",
    schema: { type: "string" },
    example: "W06000015,W92000004",
  },
  breakdown: {
    name: "breakdown",
    in: "query",
    description: '"total" (default), a breakdown such as "sex=female"',
    schema: { type: "string" },
  },
};

const api: Json = {
  openapi: "3.1.0",
  info: {
    title: "OMF open data API",
    version: "1.0.0",
    summary:
      "Published, disclosure-controlled figures of the Outcomes Measures Framework for children and young people in Wales",
    description:
      "Everything here is public: published figures only, after disclosure control (small numbers suppressed, counts rounded where a measure's rule says so). No account or key is needed. Codes are human-readable (measure codes, GSS area codes, CA1…CA7, period codes such as 2022-23). A bad code is a loud 400 (query) or 404 (path), never an empty result. Responses carry ETags (send If-None-Match for a 304) and Cache-Control. Every dataset also has a stable CSV URL, e.g. /api/v1/data.csv?measure=low-birth-weight.",
    license: {
      name: "Open Government Licence v3.0",
      url: "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    },
  },
  servers: [{ url: "/" }],
  tags: [
    { name: "framework", description: "Frameworks, core aims and measures (metadata)" },
    { name: "areas", description: "Wales, the 22 local authorities and their groupings" },
    { name: "data", description: "Published observations" },
    { name: "analysis", description: "Comparisons, ranks, quintiles and trends computed from the published data" },
  ],
  paths: {
    "/api/v1/frameworks": get(
      "Framework versions",
      "framework",
      [param("page"), param("pageSize")],
      jsonResponse("Framework versions", page(ref("Framework"))),
    ),
    "/api/v1/frameworks/{code}": get(
      "A framework with its versions and current core aims",
      "framework",
      [{ name: "code", in: "path", required: true, schema: { type: "string" } }],
      jsonResponse("The framework", one(ref("Framework"))),
    ),
    "/api/v1/core-aims": get(
      "The seven core aims",
      "framework",
      [param("page"), param("pageSize")],
      jsonResponse("Core aims", page(ref("CoreAim"))),
    ),
    "/api/v1/core-aims/{code}": get(
      "One core aim with its UNCRC articles, high-level measures, groups and data development agenda",
      "framework",
      [{ name: "code", in: "path", required: true, schema: { type: "string", pattern: "^CA[1-7]$" } }],
      jsonResponse("The core aim", one(ref("CoreAim"))),
    ),
    "/api/v1/measures": get(
      "Measures, filtered and searched",
      "framework",
      [
        { name: "coreAim", in: "query", schema: { type: "string" }, example: "CA1" },
        { name: "group", in: "query", schema: { type: "string" } },
        { name: "tier", in: "query", schema: { type: "string", enum: ["high_level", "additional"] } },
        { name: "article", in: "query", description: "UNCRC article number", schema: { type: "integer" } },
        {
          name: "status",
          in: "query",
          description: "live, in_development, retired (comma-separated)",
          schema: { type: "string" },
        },
        {
          name: "q",
          in: "query",
          description: "Words in the code or title (English or Welsh)",
          schema: { type: "string" },
        },
        param("page"),
        param("pageSize"),
      ],
      jsonResponse("Measures", page(ref("MeasureSummary"))),
    ),
    "/api/v1/measures/{code}": get(
      "A measure's full metadata: definitions, source, polarity, method, caveats, disclosure rule",
      "framework",
      [{ name: "code", in: "path", required: true, schema: { type: "string" }, example: "low-birth-weight" }],
      jsonResponse("The measure", one(ref("Measure"))),
    ),
    "/api/v1/areas": get(
      "Areas",
      "areas",
      [
        {
          name: "type",
          in: "query",
          schema: {
            type: "string",
            enum: [
              "country",
              "local_authority",
              "health_board",
              "education_consortium",
              "police_force_area",
              "fire_rescue",
              "region",
              "custom",
            ],
          },
        },
        param("page"),
        param("pageSize"),
      ],
      jsonResponse("Areas", page(ref("Area"))),
    ),
    "/api/v1/areas/{code}": get(
      "An area with its groupings (or a grouping with its members) on a date",
      "areas",
      [
        { name: "code", in: "path", required: true, schema: { type: "string" }, example: "W06000015" },
        { name: "date", in: "query", schema: { type: "string", format: "date" } },
      ],
      jsonResponse("The area", one(ref("Area"))),
    ),
    "/api/v1/periods": get(
      "Periods with published data",
      "data",
      [param("measureList"), param("page"), param("pageSize")],
      jsonResponse("Periods", page(ref("Period"))),
    ),
    "/api/v1/data": get(
      "Published observations",
      "data",
      [
        param("measureList"),
        param("areaList"),
        { name: "areaType", in: "query", schema: { type: "string" } },
        { name: "period", in: "query", description: "Period codes, comma-separated", schema: { type: "string" } },
        param("breakdown"),
        param("page"),
        param("pageSize"),
      ],
      jsonResponse("Observations", page(ref("Observation"))),
    ),
    "/api/v1/data.csv": get(
      "Published observations as CSV (UTF-8 with BOM), the whole selection: a stable URL per dataset",
      "data",
      [
        param("measureList"),
        param("areaList"),
        { name: "areaType", in: "query", schema: { type: "string" } },
        { name: "period", in: "query", schema: { type: "string" } },
        param("breakdown"),
      ],
      { description: "CSV", content: { "text/csv": { schema: { type: "string" } } } },
    ),
    "/api/v1/analysis": get(
      "Analysis results: limits, comparison with Wales and the parent grouping, quintile, rank, recent trend, summary",
      "analysis",
      [
        param("measureList"),
        param("areaList"),
        {
          name: "period",
          in: "query",
          description: '"latest" (default), "all" (with a measure) or a period code',
          schema: { type: "string" },
        },
        {
          name: "breakdown",
          in: "query",
          description: '"total" (default), a breakdown code, or "*" for all',
          schema: { type: "string" },
        },
        param("page"),
        param("pageSize"),
      ],
      jsonResponse("Analysis results", page(ref("AnalysisResult"))),
    ),
    "/api/v1/analysis.csv": get(
      "Analysis results as CSV",
      "analysis",
      [
        param("measureList"),
        param("areaList"),
        { name: "period", in: "query", schema: { type: "string" } },
        param("breakdown"),
      ],
      { description: "CSV", content: { "text/csv": { schema: { type: "string" } } } },
    ),
    "/api/v1/analysis/gaps": get(
      "Inequality gaps between breakdown groups",
      "analysis",
      [
        { name: "measure", in: "query", required: true, schema: { type: "string" } },
        param("areaList"),
        { name: "period", in: "query", schema: { type: "string" } },
        { name: "dimension", in: "query", schema: { type: "string" } },
        param("page"),
        param("pageSize"),
      ],
      jsonResponse("Gaps", page(ref("Gap"))),
    ),
    "/api/v1/analysis/compare": get(
      "Areas compared with a comparator group (a grouping code, or a list of areas)",
      "analysis",
      [
        { name: "measure", in: "query", required: true, schema: { type: "string" } },
        { name: "group", in: "query", schema: { type: "string" }, example: "W11000029" },
        { name: "areas", in: "query", schema: { type: "string" } },
        { name: "period", in: "query", schema: { type: "string" } },
        param("breakdown"),
      ],
      jsonResponse("Comparison", one(ref("GroupComparison"))),
    ),
    "/api/v1/analysis/summary": get(
      "National picture per core aim: measures improving or worsening in Wales; areas better or worse than Wales",
      "analysis",
      [],
      jsonResponse("Summary", { type: "object", properties: { data: { type: "array", items: ref("AimSummary") } } }),
    ),
    "/api/v1/openapi.json": {
      get: { summary: "This document", tags: ["framework"], responses: { "200": { description: "OpenAPI 3.1" } } },
    },
  },
  components: {
    schemas,
    parameters,
    headers: {
      ETag: { description: "Strong validator of the body; send it back in If-None-Match", schema: { type: "string" } },
      CacheControl: { schema: { type: "string", examples: ["public, max-age=300"] } },
    },
    responses: {
      BadRequest: {
        description: "Invalid query or unknown code",
        content: { "application/json": { schema: ref("Error") } },
      },
      NotFound: { description: "No such resource", content: { "application/json": { schema: ref("Error") } } },
    },
  },
};

/**
 * Paths, components and tags from the imports API description (src/api/imports-openapi.ts), when that file exists:
 * any exported object with `paths` (or path keys) and `components` is merged in.
 */
async function importsDescription(): Promise<{ paths: Json; components: Record<string, Json>; tags: Json[] }> {
  const out = { paths: {} as Json, components: {} as Record<string, Json>, tags: [] as Json[] };
  for (const ext of ["ts", "js"]) {
    const url = new URL(`./imports-openapi.${ext}`, import.meta.url);
    if (!existsSync(url)) continue;
    const mod = (await import(url.href)) as Record<string, unknown>;
    for (const value of Object.values(mod)) {
      const v = (typeof value === "function" ? (value as () => unknown)() : value) as Json | undefined;
      if (!v || typeof v !== "object" || Array.isArray(v)) continue;
      const candidatePaths = (v.paths as Json | undefined) ?? v;
      for (const [k, item] of Object.entries(candidatePaths)) if (k.startsWith("/")) out.paths[k] = item;
      for (const [section, entries] of Object.entries((v.components as Record<string, Json> | undefined) ?? {})) {
        out.components[section] = { ...(out.components[section] ?? {}), ...entries };
      }
      if (Array.isArray(v.tags)) out.tags.push(...(v.tags as Json[]));
    }
    break;
  }
  return out;
}

let cached: Promise<Json> | null = null;

/** The OpenAPI document (built once per process). */
export function openApiDocument(): Promise<Json> {
  cached ??= importsDescription().then((extra) => {
    const components = { ...(api.components as Record<string, Json>) };
    for (const [section, entries] of Object.entries(extra.components)) {
      components[section] = { ...(components[section] ?? {}), ...entries };
    }
    const tags = [...(api.tags as Json[])];
    for (const tag of extra.tags) if (!tags.some((x) => x.name === tag.name)) tags.push(tag);
    if (Object.keys(extra.paths).length > 0 && !tags.some((x) => x.name === "imports")) {
      tags.push({ name: "imports", description: "Loading data (API token required)" });
    }
    return { ...api, tags, paths: { ...(api.paths as Json), ...extra.paths }, components };
  });
  return cached;
}
