/**
 * The OpenAPI document is generated from the zod schemas of the routes (src/api/openapi.ts); here every endpoint of
 * the demo app is called — successes and error responses — and each JSON answer is validated against the response
 * schema the document gives for that path, method and status (JSON Schema 2020-12, with ajv).
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENDPOINTS } from "../../src/api/openapi.ts";
import { createUser } from "../../src/services/accounts.ts";
import { seedDemoAgreements } from "../../src/services/agreements/demo.ts";
import { createApiToken } from "../../src/services/api-tokens.ts";
import { demoPlanPeriod, seedDemoPlans } from "../../src/services/plans/demo.ts";
import { demoApp } from "../support/demo-app.ts";
import type { TestApp } from "../support/test-app.ts";

// biome-ignore lint/suspicious/noExplicitAny: a JSON document read by path
type Json = Record<string, any>;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv2020,
) => Ajv2020;

let t: TestApp;
let doc: Json;
let ajv: Ajv2020;
beforeAll(async () => {
  t = await demoApp();
  await seedDemoPlans(t.app.services.plans);
  await seedDemoAgreements(t.app.services.agreements, t.app.services.framework);
  doc = (await t.app.inject({ url: "/api/v1/openapi.json" })).json();
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, "openapi.json");
});
afterAll(async () => {
  await t?.close();
});

/** Path, method and status answered: every endpoint must have been seen answering 200 (or 201). */
const seen = new Set<string>();

function template(url: string): string {
  const path = url.split("?")[0]!;
  const paths = Object.keys(doc.paths);
  if (paths.includes(path)) return path;
  const match = paths.find((p) => new RegExp(`^${p.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(path));
  expect(match, `${path} is in the OpenAPI document`).toBeDefined();
  return match!;
}

const pointer = (...parts: string[]) =>
  `openapi.json#/${parts.map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1")).join("/")}`;

/** Calls the app and validates the answer against the document's schema for it. */
async function check(
  url: string,
  status: number,
  options: { method?: "GET" | "POST"; headers?: Record<string, string>; payload?: string } = {},
) {
  const method = options.method ?? "GET";
  const r = await t.app.inject({ method, url, headers: options.headers ?? {}, payload: options.payload });
  expect(r.statusCode, `${method} ${url}: ${r.body.slice(0, 300)}`).toBe(status);
  const path = template(url);
  const m = method.toLowerCase();
  const response = doc.paths[path]?.[m]?.responses?.[String(status)];
  expect(response, `${method} ${path} documents status ${status}`).toBeDefined();
  seen.add(`${m} ${path} ${status}`);
  if (r.headers["content-type"]?.toString().startsWith("text/csv")) {
    expect(response.content["text/csv"], `${path} documents CSV`).toBeDefined();
    return r;
  }
  const content = response.content?.["application/json"];
  expect(content, `${method} ${path} ${status} documents a JSON body`).toBeDefined();
  const validate = ajv.getSchema(
    pointer("paths", path, m, "responses", String(status), "content", "application/json", "schema"),
  );
  expect(validate).toBeDefined();
  const body = r.json();
  const valid = validate!(body);
  expect(valid ? [] : validate!.errors, `${method} ${url} (${status}) matches the document`).toEqual([]);
  return r;
}

describe("the generated OpenAPI document", () => {
  it("is OpenAPI 3.1 with a component for every shared shape, and every $ref resolves", () => {
    expect(doc.openapi).toBe("3.1.0");
    for (const name of ["Text", "Error", "Measure", "MeasureSummary", "Area", "Observation", "AnalysisResult"]) {
      expect(doc.components.schemas[name], name).toBeDefined();
    }
    for (const ref of JSON.stringify(doc).match(/"#\/components\/[^"]+"/g) ?? []) {
      expect(ajv.getSchema(`openapi.json${ref.slice(1, -1)}`) ?? null, ref).not.toBeNull();
    }
  });

  it("describes each endpoint's query parameters from its query schema", () => {
    const measures = doc.paths["/api/v1/measures"].get.parameters as Json[];
    const byName = Object.fromEntries(measures.map((p) => [p.name, p]));
    expect(byName.tier.schema.enum).toEqual(["high_level", "additional"]);
    expect(byName.status.schema).toMatchObject({
      type: "array",
      items: { enum: ["live", "in_development", "retired"] },
    });
    expect(byName.article.schema).toMatchObject({ type: "integer", minimum: 1, maximum: 54 });
    const gaps = Object.fromEntries(
      (doc.paths["/api/v1/analysis/gaps"].get.parameters as Json[]).map((p) => [p.name, p]),
    );
    expect(gaps.measure.required).toBe(true);
    expect(doc.paths["/api/v1/imports"].post.parameters.map((p: Json) => p.name)).toContain("dryRun");
  });

  it("matches what every endpoint answers, successes and errors alike", async () => {
    await check("/api/v1/", 200);
    await check("/api/v1/openapi.json", 200);
    const frameworks = (await check("/api/v1/frameworks", 200)).json().data as { code: string }[];
    await check(`/api/v1/frameworks/${frameworks[0]!.code}`, 200);
    await check("/api/v1/frameworks/no-such-framework", 404);
    await check(`/api/v1/frameworks/${frameworks[0]!.code}/versions/1/diff?from=1`, 200);
    await check(`/api/v1/frameworks/${frameworks[0]!.code}/versions/1/diff`, 200);
    await check(`/api/v1/frameworks/${frameworks[0]!.code}/versions/9/diff`, 404);
    await check(`/api/v1/frameworks/${frameworks[0]!.code}/versions/1/diff?colour=blue`, 400);
    await check("/api/v1/frameworks?colour=blue", 400);
    await check("/api/v1/core-aims", 200);
    await check("/api/v1/core-aims/CA3", 200);
    await check("/api/v1/core-aims/CA9", 404);
    await check("/api/v1/measures?pageSize=5", 200);
    await check("/api/v1/measures?coreAim=CA1&tier=high_level&status=live", 200);
    await check("/api/v1/measures?q=weight", 200);
    await check("/api/v1/measures?page=999", 400);
    await check("/api/v1/measures?tier=middle", 400);
    const measures = (await check("/api/v1/measures?pageSize=1000", 200)).json().data as { code: string }[];
    for (const m of measures) await check(`/api/v1/measures/${m.code}`, 200);
    await check("/api/v1/measures/low-birth-wieght", 404);
    await check("/api/v1/areas", 200);
    await check("/api/v1/areas?type=health_board", 200);
    await check("/api/v1/areas/W06000015", 200);
    await check("/api/v1/areas/W11000029?date=2024-01-01", 200);
    await check("/api/v1/areas/W99999999", 404);
    await check("/api/v1/areas?type=planet", 400);
    await check("/api/v1/periods", 200);
    await check("/api/v1/periods?measure=low-birth-weight", 200);
    await check("/api/v1/periods?measure=nope", 400);
    await check("/api/v1/data?measure=low-birth-weight&pageSize=1000", 200);
    await check("/api/v1/data?area=W06000015&breakdown=total", 200);
    await check("/api/v1/data?measure=low-birth-weight&period=1066", 400);
    await check("/api/v1/data.csv?measure=low-birth-weight", 200);
    await check("/api/v1/data.csv?measure=nope", 400);
    await check("/api/v1/analysis?measure=low-birth-weight", 200);
    await check("/api/v1/analysis?measure=low-birth-weight&period=all&breakdown=*", 200);
    await check("/api/v1/analysis?area=W06000015", 200);
    await check("/api/v1/analysis", 400);
    await check("/api/v1/analysis.csv?measure=low-birth-weight", 200);
    await check("/api/v1/analysis.csv", 400);
    await check("/api/v1/analysis/gaps?measure=low-birth-weight", 200);
    await check("/api/v1/analysis/gaps", 400);
    await check("/api/v1/analysis/compare?measure=low-birth-weight&group=W11000029", 200);
    await check("/api/v1/analysis/compare?measure=low-birth-weight&areas=W06000015,W06000014", 200);
    await check("/api/v1/analysis/compare?measure=low-birth-weight", 400);
    await check("/api/v1/analysis/summary", 200);
    await check("/api/v1/analysis/summary?x=1", 400);

    // the imports API: no token, a token of a user who may not import, a bad query, a dry run, errors, an import
    const csv =
      "measure_code,area_code,period,value,numerator,denominator\nlow-birth-weight,W06000015,2030,7.1,300,4225\n";
    const headers = { "content-type": "text/csv" };
    await check("/api/v1/imports", 401, { method: "POST", headers, payload: csv });
    await createUser(t.database.db, {
      email: "viewer@example.org",
      password: "a long passphrase here",
      role: "viewer",
    });
    await createUser(t.database.db, {
      email: "loader@example.org",
      password: "a long passphrase here",
      role: "national_analyst",
    });
    const bearer = async (email: string) =>
      `Bearer ${(await createApiToken(t.database.db, { email, name: "openapi test" })).token}`;
    const viewer = { ...headers, authorization: await bearer("viewer@example.org") };
    const loader = { ...headers, authorization: await bearer("loader@example.org") };
    await check("/api/v1/imports", 403, { method: "POST", headers: viewer, payload: csv });
    await check("/api/v1/imports?colour=blue", 400, { method: "POST", headers: loader, payload: csv });
    await check("/api/v1/imports", 415, {
      method: "POST",
      headers: { ...loader, "content-type": "image/png" },
      payload: "not a picture",
    });
    await check("/api/v1/imports?dryRun=true", 200, { method: "POST", headers: loader, payload: csv });
    await check("/api/v1/imports", 422, {
      method: "POST",
      headers: loader,
      payload: csv.replace("W06000015", "Atlantis"),
    });
    await check("/api/v1/imports", 201, { method: "POST", headers: loader, payload: csv });

    // partnership plans: the demo's published plans, a draft (not found), a bad query
    const plans = (await check("/api/v1/plans", 200)).json().data as { api: string; partnership: string }[];
    expect(plans.map((p) => p.partnership).sort()).toEqual(["W06000002", "W06000015"]);
    for (const p of plans) await check(p.api, 200);
    await check(`/api/v1/plans/W06000011/${demoPlanPeriod()}`, 404);
    // its versions: the list, each version, a draft's and a missing version not found
    const cardiff = `/api/v1/plans/W06000015/${demoPlanPeriod()}`;
    const versions = (await check(`${cardiff}/versions`, 200)).json().data as { version: number; versionApi: string }[];
    expect(versions.map((v) => v.version)).toEqual([1]);
    const v1 = (await check(versions[0]!.versionApi, 200)).json().data;
    expect(v1).toEqual((await check(cardiff, 200)).json().data);
    await check(`${cardiff}/versions/2`, 404);
    await check(`${cardiff}/versions/0`, 404);
    await check(`/api/v1/plans/W06000011/${demoPlanPeriod()}/versions`, 404);
    await check("/api/v1/plans?colour=blue", 400);

    // outcome agreements: the demo's published one, one not there, a bad query
    const agreements = (await check("/api/v1/agreements", 200)).json().data as { api: string; latest: unknown }[];
    expect(agreements).toHaveLength(1);
    expect(agreements[0]!.latest).toMatchObject({ year: "2013-14", points: 7, maximum: 10, grantPayable: 990_660 });
    const agreement = (await check(agreements[0]!.api, 200)).json().data;
    expect(agreement.years[0].explanation.cy).toContain("Grant i'w dalu: £990,660 o £1,254,000.");
    await check("/api/v1/agreements/W06000015/2013-16", 404);
    await check("/api/v1/agreements?colour=blue", 400);

    // every endpoint of the document was seen answering
    for (const e of ENDPOINTS) {
      const ok = e.method === "post" ? 201 : 200;
      expect(seen.has(`${e.method} ${e.path} ${ok}`), `${e.method.toUpperCase()} ${e.path} answered ${ok}`).toBe(true);
    }
  });

  it("fails a response that does not match (the check is not vacuous)", () => {
    const validate = ajv.getSchema(
      pointer("paths", "/api/v1/measures/{code}", "get", "responses", "200", "content", "application/json", "schema"),
    )!;
    expect(validate({ data: { code: "x" } })).toBe(false);
    const error = ajv.getSchema(pointer("components", "schemas", "Error"))!;
    const problem = {
      type: "about:blank",
      title: "Not found",
      status: 404,
      detail: "No such thing",
      error: "not_found",
      message: "No such thing",
    };
    expect(error(problem)).toBe(true);
    expect(error({ ...problem, stack: "at …" })).toBe(false);
  });
});
