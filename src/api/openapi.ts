/**
 * The OpenAPI 3.1 description of the API, served at /api/v1/openapi.json, generated from the zod schemas the routes
 * use: each endpoint's query schema (in its route file) becomes its parameters, and its response schema
 * (responses.ts) its 200 response, with `z.toJSONSchema`. Schemas with an id (`.meta({ id })`) become components.
 * A test calls every endpoint and validates what it answers against this document.
 */
import { z } from "zod";
import * as agreements from "./agreements.ts";
import * as analysis from "./analysis.ts";
import * as areas from "./areas.ts";
import * as coreAims from "./core-aims.ts";
import * as data from "./data.ts";
import * as frameworkVersions from "./framework-versions.ts";
import * as frameworks from "./frameworks.ts";
import { importQuery } from "./imports.ts";
import * as measures from "./measures.ts";
import * as periods from "./periods.ts";
import * as plans from "./plans.ts";
import * as r from "./responses.ts";

type Json = Record<string, unknown>;

/** The bodies of JSON responses, as zod schemas. */
type Body = z.ZodType;

interface Endpoint {
  method: "get" | "post";
  path: string;
  summary: string;
  description?: string;
  tag: string;
  query: z.ZodObject;
  /** Path parameters: their schema (as zod) and an example. */
  params?: Record<string, { schema: z.ZodType; example?: string }>;
  /** The 200 response: a JSON body, or CSV. */
  response: { description: string; body: Body } | "csv";
  /** More responses by status (beyond 200 and the 304/400/404 every GET may answer). */
  more?: Record<string, { description: string; body: Body }>;
  extra?: Json;
}

const code = (example: string, schema: z.ZodType = z.string()) => ({ code: { schema, example } });

/** Every endpoint of /api/v1 (the route files register them; the test checks that both lists agree). */
/** A plan's address in the API. */
const PLAN_PARAMS = {
  area: { schema: z.string(), example: "W06000015" },
  period: { schema: z.string(), example: "2024-25-to-2026-27" },
};

export const ENDPOINTS: Endpoint[] = [
  {
    method: "get",
    path: "/api/v1/",
    summary: "The API's index: its endpoints and where this document is",
    tag: "framework",
    query: z.strictObject({}),
    response: { description: "The index", body: r.ApiIndex },
  },
  {
    method: "get",
    path: "/api/v1/openapi.json",
    summary: "This document",
    tag: "framework",
    query: z.strictObject({}),
    response: { description: "OpenAPI 3.1", body: z.object({ openapi: z.literal("3.1.0") }).loose() },
  },
  {
    method: "get",
    path: "/api/v1/frameworks",
    summary: "Framework versions",
    tag: "framework",
    query: frameworks.listQuery,
    response: { description: "Framework versions", body: r.pageOf(r.Framework) },
  },
  {
    method: "get",
    path: "/api/v1/frameworks/{code}",
    summary: "A framework with its versions and current core aims",
    tag: "framework",
    query: frameworks.noQuery,
    params: code("wales-omf"),
    response: { description: "The framework", body: r.one(r.FrameworkDetail) },
  },
  {
    method: "get",
    path: "/api/v1/frameworks/{code}/versions/{version}/diff",
    summary: "What changed in a framework version",
    description:
      "Measures added, retired and redefined (field by field), breaks in series and groups changed, from the version before (or `from`). Published and superseded versions only.",
    tag: "framework",
    query: frameworkVersions.diffQuery,
    params: { ...code("wales-omf"), version: { schema: z.string(), example: "1" } },
    response: { description: "The differences", body: r.one(frameworkVersions.FrameworkDiffBody) },
  },
  {
    method: "get",
    path: "/api/v1/core-aims",
    summary: "The seven core aims",
    tag: "framework",
    query: coreAims.listQuery,
    response: { description: "Core aims", body: r.pageOf(r.CoreAim) },
  },
  {
    method: "get",
    path: "/api/v1/core-aims/{code}",
    summary: "One core aim with its UNCRC articles, high-level measures, groups and data development agenda",
    tag: "framework",
    query: coreAims.noQuery,
    params: code("CA1", z.string().regex(/^[Cc][Aa][1-7]$/)),
    response: { description: "The core aim", body: r.one(r.CoreAimDetail) },
  },
  {
    method: "get",
    path: "/api/v1/measures",
    summary: "Measures, filtered and searched",
    tag: "framework",
    query: measures.listQuery,
    response: { description: "Measures", body: r.pageOf(r.MeasureSummary) },
  },
  {
    method: "get",
    path: "/api/v1/measures/{code}",
    summary: "A measure's full metadata: definitions, source, polarity, method, caveats, disclosure rule",
    tag: "framework",
    query: measures.noQuery,
    params: code("low-birth-weight"),
    response: { description: "The measure", body: r.one(r.Measure) },
  },
  {
    method: "get",
    path: "/api/v1/areas",
    summary: "Areas",
    tag: "areas",
    query: areas.listQuery,
    response: { description: "Areas", body: r.pageOf(r.Area) },
  },
  {
    method: "get",
    path: "/api/v1/areas/{code}",
    summary: "An area with its groupings (or a grouping with its members) on a date",
    tag: "areas",
    query: areas.detailQuery,
    params: code("W06000015"),
    response: { description: "The area", body: r.one(r.AreaDetail) },
  },
  {
    method: "get",
    path: "/api/v1/periods",
    summary: "Periods with published data",
    tag: "data",
    query: periods.query,
    response: { description: "Periods", body: r.pageOf(r.Period) },
  },
  {
    method: "get",
    path: "/api/v1/data",
    summary: "Published observations",
    tag: "data",
    query: data.jsonQuery,
    response: { description: "Observations", body: r.pageOf(r.Observation) },
  },
  {
    method: "get",
    path: "/api/v1/data.csv",
    summary: "Published observations as CSV (UTF-8 with BOM), the whole selection: a stable URL per dataset",
    tag: "data",
    query: data.csvQuery,
    response: "csv",
  },
  {
    method: "get",
    path: "/api/v1/analysis",
    summary:
      "Analysis results: limits, comparison with Wales and the parent grouping, quintile, rank, recent trend, summary",
    tag: "analysis",
    query: analysis.listQuery,
    response: { description: "Analysis results", body: r.pageOf(r.AnalysisResult) },
  },
  {
    method: "get",
    path: "/api/v1/analysis.csv",
    summary: "Analysis results as CSV",
    tag: "analysis",
    query: analysis.csvQuery,
    response: "csv",
  },
  {
    method: "get",
    path: "/api/v1/analysis/gaps",
    summary: "Inequality gaps between breakdown groups",
    tag: "analysis",
    query: analysis.gapsQuery,
    response: { description: "Gaps", body: r.pageOf(r.Gap) },
  },
  {
    method: "get",
    path: "/api/v1/analysis/compare",
    summary: "Areas compared with a comparator group (a grouping code, or a list of areas)",
    tag: "analysis",
    query: analysis.compareQuery,
    response: { description: "Comparison", body: r.one(r.GroupComparison) },
  },
  {
    method: "get",
    path: "/api/v1/analysis/summary",
    summary:
      "National picture per core aim: measures improving or worsening in Wales; areas better or worse than Wales",
    tag: "analysis",
    query: analysis.noQuery,
    response: { description: "Summary", body: z.object({ data: z.array(r.AimSummary) }) },
  },
  {
    method: "post",
    path: "/api/v1/imports",
    summary: "Import observations (all or nothing), or check a file with dryRun=true",
    description:
      "Machine clients load data with an API token created by `omf token create --email … --name …`; the token's user must be a national administrator or analyst. Send the file as the request body (Content-Type text/csv, text/tab-separated-values, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, or application/json for JSON-stat 2.0) or as multipart/form-data with a `file` part and an optional `mapping` part (YAML or JSON, see docs/data-format.md). The whole file is validated; any error means nothing is imported (422, every error listed). A changed value becomes a new revision; the batch is a draft unless publish=true or publishAt is given. The response is the same summary as `omf import --json`.",
    tag: "imports",
    query: importQuery,
    response: { description: "Valid: a dry run, or nothing to import (every value unchanged)", body: r.ImportSummary },
    more: {
      "201": { description: "Imported as a new batch", body: r.ImportSummary },
      "401": { description: "No or invalid API token", body: r.ApiErrorBody },
      "403": { description: "The token's user may not import data", body: r.ApiErrorBody },
      "413": { description: "The file is too large", body: r.ApiErrorBody },
      "415": { description: "Unsupported Content-Type", body: r.ApiErrorBody },
      "422": { description: "The file has errors; nothing was imported", body: r.ImportSummary },
    },
    extra: {
      security: [{ apiToken: [] }],
      requestBody: {
        required: true,
        content: {
          "text/csv": { schema: { type: "string" } },
          "text/tab-separated-values": { schema: { type: "string" } },
          "application/json": { schema: { type: "object", description: "A JSON-stat 2.0 dataset" } },
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
            schema: { type: "string", contentMediaType: "application/octet-stream" },
          },
          "multipart/form-data": {
            schema: {
              type: "object",
              required: ["file"],
              properties: {
                file: { type: "string", contentMediaType: "application/octet-stream" },
                mapping: { type: "string", contentMediaType: "application/octet-stream" },
              },
            },
          },
        },
      },
    },
  },
  {
    method: "get",
    path: "/api/v1/plans",
    summary: "Published partnership plans",
    tag: "plans",
    query: plans.listQuery,
    response: { description: "Plans", body: r.PlanList },
  },
  {
    method: "get",
    path: "/api/v1/plans/{area}/{period}",
    summary:
      "A published partnership plan: priorities, selected measures with targets, baseline, forecast and the latest judgement, and narratives",
    tag: "plans",
    query: plans.detailQuery,
    params: PLAN_PARAMS,
    response: { description: "The plan", body: r.PlanDetail },
  },
  {
    method: "get",
    path: "/api/v1/plans/{area}/{period}/versions",
    summary: "The public versions of a partnership plan (published and superseded), oldest first",
    tag: "plans",
    query: plans.versionsQuery,
    params: PLAN_PARAMS,
    response: { description: "The versions", body: r.PlanVersions },
  },
  {
    method: "get",
    path: "/api/v1/plans/{area}/{period}/versions/{version}",
    summary: "One public version of a partnership plan (published or superseded), as /api/v1/plans/{area}/{period}",
    tag: "plans",
    query: plans.detailQuery,
    params: { ...PLAN_PARAMS, version: { schema: z.string().regex(/^[1-9]\d*$/), example: "1" } },
    response: { description: "The version of the plan", body: r.PlanDetail },
  },
  {
    method: "get",
    path: "/api/v1/agreements",
    summary: "Outcome agreements whose summaries are published: the latest year's score and grant payable",
    tag: "agreements",
    query: agreements.listQuery,
    response: { description: "Agreements", body: r.AgreementList },
  },
  {
    method: "get",
    path: "/api/v1/agreements/{area}/{period}",
    summary:
      "A published outcome agreement: outcomes, measures, targets, assessments (the authority's and moderated), each year's score and grant payable in words, and variations",
    tag: "agreements",
    query: agreements.detailQuery,
    params: {
      area: { schema: z.string(), example: "W06000014" },
      period: { schema: z.string(), example: "2013-16" },
    },
    response: { description: "The agreement", body: r.AgreementDetail },
  },
];

/** What the parameters mean (their types and allowed values come from the query schemas). */
const PARAMETER_NOTES: Record<string, string> = {
  page: "Page number, from 1",
  pageSize: "Items per page (default 100)",
  measure: "Measure codes, comma-separated or repeated",
  area: "GSS area codes, comma-separated or repeated",
  areas: "GSS area codes, comma-separated or repeated",
  period: 'Period codes; for analysis "latest" (default), "all" (with a measure) or a period code',
  breakdown: '"total" (default), a breakdown such as "sex=female" (analysis: "*" for all)',
  coreAim: "A core aim code, CA1 … CA7",
  article: "UNCRC article number",
  status: "Measure statuses, comma-separated",
  q: "Words in the code or title (English or Welsh)",
  group: "A measure group (measures) or a grouping area code (compare)",
  date: "The date for groupings and members (default today)",
  dimension: 'A breakdown dimension, e.g. "sex"',
  format: "Default: from the file name / Content-Type",
  source: "Source code recorded on the batch",
  reason: "Recorded on every new revision",
  dryRun: "Validate and diff only",
  publish: "Publish the batch now",
  publishAt: "Publish under embargo at this time (ISO 8601 with offset)",
  fileName: "Name recorded for the file",
};

const REF_PREFIX = "#/components/schemas/";
/** The JSON schema of `schema`, its schemas with an id in `$defs`, referred to as components. */
const toJson = (schema: z.ZodType, io: "input" | "output"): Json =>
  JSON.parse(
    JSON.stringify(
      z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any", reused: "inline" }),
    ).replaceAll('"#/$defs/', `"${REF_PREFIX}`),
  );

/** The components and the reference to `schema` (its id's component, or an inline schema made a component). */
function collect(components: Record<string, Json>, schema: z.ZodType, fallbackId: string): Json {
  const json = toJson(schema, "output");
  const defs = (json.$defs ?? {}) as Record<string, Json>;
  delete json.$defs;
  delete json.$schema;
  for (const [id, def] of Object.entries(defs)) components[id] = def;
  const id = (z.globalRegistry.get(schema) as { id?: string } | undefined)?.id;
  if (id) {
    // a root schema with an id comes back as a reference to its own definition
    if (json.$ref !== `${REF_PREFIX}${id}`) components[id] = json;
    return { $ref: `${REF_PREFIX}${id}` };
  }
  components[fallbackId] ??= json;
  return { $ref: `${REF_PREFIX}${fallbackId}` };
}

/** The query parameters of an endpoint, from its strict query schema (parsed value types, as clients mean them). */
function queryParameters(query: z.ZodObject): Json[] {
  const json = toJson(query, "output");
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries((json.properties ?? {}) as Record<string, Json>).map(([name, schema]) => {
    const array = schema.type === "array";
    return {
      name,
      in: "query",
      ...(required.has(name) ? { required: true } : {}),
      ...(PARAMETER_NOTES[name] ? { description: PARAMETER_NOTES[name] } : {}),
      schema,
      ...(array ? { style: "form", explode: false } : {}),
    };
  });
}

/** An id for an endpoint's inline response schema, e.g. GET /api/v1/analysis/gaps → AnalysisGapsResponse. */
function responseId(e: Endpoint, status: string): string {
  const words = e.path
    .replace("/api/v1/", "")
    .replace(/\{code\}/, "one")
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean);
  const name = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("") || "Index";
  return `${name}${e.method === "post" ? "Post" : ""}${status === "200" ? "" : status}Response`;
}

function buildDocument(): Json {
  const components: Record<string, Json> = {};
  const errorRef = collect(components, r.ApiErrorBody, "Error");
  const errorResponse = (description: string) => ({
    description,
    content: { "application/json": { schema: errorRef } },
  });
  const paths: Record<string, Json> = {};
  for (const e of ENDPOINTS) {
    const parameters = [
      ...Object.entries(e.params ?? {}).map(([name, p]) => ({
        name,
        in: "path",
        required: true,
        schema: toJson(p.schema, "input"),
        ...(p.example ? { example: p.example } : {}),
      })),
      ...queryParameters(e.query),
    ].map(({ schema, ...rest }) => {
      const { $schema: _, ...s } = schema as Json;
      return { ...rest, schema: s };
    });
    const ok =
      e.response === "csv"
        ? { description: "CSV", content: { "text/csv": { schema: { type: "string" } } } }
        : {
            description: e.response.description,
            ...(e.method === "get" ? { headers: cacheHeaders } : {}),
            content: {
              "application/json": { schema: collect(components, e.response.body, responseId(e, "200")) },
            },
          };
    const responses: Json = { "200": ok };
    for (const [status, more] of Object.entries(e.more ?? {})) {
      responses[status] = {
        description: more.description,
        content: { "application/json": { schema: collect(components, more.body, responseId(e, status)) } },
      };
    }
    if (e.method === "get") {
      responses["304"] = { description: "Not modified: the client's copy (If-None-Match) is current" };
      responses["400"] = errorResponse("Invalid query or unknown code");
      responses["404"] = errorResponse("No such resource");
    } else {
      responses["400"] = errorResponse("Invalid query");
    }
    paths[e.path] = {
      ...(paths[e.path] ?? {}),
      [e.method]: {
        summary: e.summary,
        ...(e.description ? { description: e.description } : {}),
        tags: [e.tag],
        parameters,
        responses,
        ...(e.extra ?? {}),
      },
    };
  }
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "OMF open data API",
      version: "1.0.0",
      summary:
        "Published, disclosure-controlled figures of the Outcomes Measures Framework for children and young people in Wales",
      description:
        "Everything here is public: published figures only, after disclosure control (small numbers suppressed, counts rounded where a measure's rule says so). No account or key is needed. Codes are human-readable (measure codes, GSS area codes, CA1…CA7, period codes such as 2022-23). A bad code is a loud 400 (query) or 404 (path), never an empty result. Responses carry ETags (send If-None-Match for a 304) and Cache-Control. Every dataset also has a stable CSV URL, e.g. /api/v1/data.csv?measure=low-birth-weight. Loading data (POST /api/v1/imports) needs an API token.",
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
      { name: "imports", description: "Loading data (API token required)" },
      { name: "plans", description: "Published partnership plans (outcomes-based accountability)" },
      {
        name: "agreements",
        description: "Outcome agreements whose summaries are published: assessments, scores and the grant payable",
      },
    ],
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
      headers: {
        ETag: {
          description: "Strong validator of the body; send it back in If-None-Match",
          schema: { type: "string" },
        },
        CacheControl: { schema: { type: "string", examples: ["public, max-age=300"] } },
      },
      securitySchemes: {
        apiToken: {
          type: "http",
          scheme: "bearer",
          description: "An API token from `omf token create` (shown once; only its SHA-256 hash is stored)",
        },
      },
    },
  };
}

const cacheHeaders = {
  ETag: { $ref: "#/components/headers/ETag" },
  "Cache-Control": { $ref: "#/components/headers/CacheControl" },
};

let cached: Promise<Json> | null = null;

/** The OpenAPI document (built once per process). */
export function openApiDocument(): Promise<Json> {
  cached ??= Promise.resolve().then(buildDocument);
  return cached;
}
