/**
 * OpenAPI 3.1 description of POST /api/v1/imports (src/api/imports.ts), merged into /api/v1/openapi.json by
 * src/api/openapi.ts. The bearer scheme is in `components.securitySchemes`.
 */
type Json = Record<string, unknown>;

const nullableNumber = { type: ["number", "null"] };

const issue: Json = {
  type: "object",
  required: ["severity", "row", "column", "value", "code", "message"],
  properties: {
    severity: { type: "string", enum: ["error", "warning"] },
    row: { type: "integer", description: "Row number in the file (header = 1); 0 for a problem with the whole file" },
    column: { type: "string", description: "Column name as in the file" },
    value: { type: "string", description: "The offending text" },
    code: {
      type: "string",
      examples: ["unknown_area", "wrong_period_type", "not_a_number", "value_inconsistent", "duplicate_row"],
    },
    message: {
      type: "string",
      examples: ['unknown area "Atlantis": give a GSS code (e.g. W06000015) or an area name'],
    },
  },
};

const snapshot: Json = {
  type: "object",
  properties: {
    value: nullableNumber,
    numerator: nullableNumber,
    denominator: nullableNumber,
    lowerCi: nullableNumber,
    upperCi: nullableNumber,
    noteCodes: { type: "array", items: { type: "string" } },
  },
};

export const importsOpenApi = {
  paths: {
    "/api/v1/imports": {
      post: {
        summary: "Import observations (all or nothing), or check a file with dryRun=true",
        description:
          "Machine clients load data with an API token created by `omf token create --email … --name …`; the token's user must be a national administrator or analyst. Send the file as the request body (Content-Type text/csv, text/tab-separated-values, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, or application/json for JSON-stat 2.0) or as multipart/form-data with a `file` part and an optional `mapping` part (YAML or JSON, see docs/data-format.md). The whole file is validated; any error means nothing is imported (422, every error listed). A changed value becomes a new revision; the batch is a draft unless publish=true or publishAt is given. The response is the same summary as `omf import --json`.",
        tags: ["imports"],
        security: [{ apiToken: [] }],
        parameters: [
          {
            name: "format",
            in: "query",
            schema: { type: "string", enum: ["csv", "xlsx", "wide", "jsonstat"] },
            description: "Default: from the file name / Content-Type",
          },
          {
            name: "measure",
            in: "query",
            schema: { type: "string" },
            description: "Measure of every row (wide tables)",
          },
          { name: "source", in: "query", schema: { type: "string" }, description: "Source code recorded on the batch" },
          { name: "reason", in: "query", schema: { type: "string" }, description: "Recorded on every new revision" },
          { name: "dryRun", in: "query", schema: { type: "boolean" }, description: "Validate and diff only" },
          { name: "publish", in: "query", schema: { type: "boolean" }, description: "Publish the batch now" },
          {
            name: "publishAt",
            in: "query",
            schema: { type: "string", format: "date-time" },
            description: "Publish under embargo at this time (ISO 8601 with offset)",
          },
          { name: "fileName", in: "query", schema: { type: "string" }, description: "Name recorded for the file" },
        ],
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
        responses: {
          "200": {
            description: "Valid: a dry run, or nothing to import (every value unchanged)",
            content: { "application/json": { schema: { $ref: "#/components/schemas/ImportSummary" } } },
          },
          "201": {
            description: "Imported as a new batch",
            content: { "application/json": { schema: { $ref: "#/components/schemas/ImportSummary" } } },
          },
          "400": { $ref: "#/components/responses/BadRequest" },
          "401": {
            description: "No or invalid API token",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
          },
          "403": {
            description: "The token's user may not import data",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
          },
          "413": {
            description: "The file is too large",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
          },
          "415": {
            description: "Unsupported Content-Type",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
          },
          "422": {
            description: "The file has errors; nothing was imported",
            content: { "application/json": { schema: { $ref: "#/components/schemas/ImportSummary" } } },
          },
        },
      },
    },
  },
  components: {
    securitySchemes: {
      apiToken: {
        type: "http",
        scheme: "bearer",
        description: "An API token from `omf token create` (shown once; only its SHA-256 hash is stored)",
      },
    },
    schemas: {
      ImportIssue: issue,
      ImportSummary: {
        type: "object",
        required: ["ok", "dryRun", "format", "batch", "counts", "errors", "warnings", "message"],
        properties: {
          ok: { type: "boolean", description: "The file is valid (and, unless a dry run, was written)" },
          dryRun: { type: "boolean" },
          file: { type: ["string", "null"] },
          format: { type: "string" },
          batch: {
            type: ["object", "null"],
            properties: {
              id: { type: "integer" },
              status: { type: "string", enum: ["draft", "published"] },
              publishAt: { type: ["string", "null"], format: "date-time" },
            },
          },
          counts: {
            type: "object",
            properties: Object.fromEntries(
              ["rows", "valid", "new", "revised", "unchanged", "errors", "errorRows", "warnings"].map((k) => [
                k,
                { type: "integer" },
              ]),
            ),
          },
          measures: {
            type: "array",
            items: { type: "object", properties: { code: { type: "string" }, rows: { type: "integer" } } },
          },
          revised: {
            type: "array",
            description: "Revised values, old and new (the first 1,000)",
            items: {
              type: "object",
              properties: {
                row: { type: "integer" },
                measureCode: { type: "string" },
                areaCode: { type: "string" },
                period: { type: "string" },
                breakdown: { type: "string" },
                old: snapshot,
                new: snapshot,
              },
            },
          },
          revisedTruncated: { type: "boolean" },
          errors: { type: "array", items: { $ref: "#/components/schemas/ImportIssue" } },
          warnings: { type: "array", items: { $ref: "#/components/schemas/ImportIssue" } },
          errorsTruncated: { type: "boolean" },
          warningsTruncated: { type: "boolean" },
          message: { type: "string" },
          seconds: { type: "number" },
          rowsPerSecond: { type: "number" },
        },
      },
    },
  },
} satisfies Json;
