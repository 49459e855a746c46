/**
 * The authorisation matrix (issue 19): every route of the running app, collected as Fastify registers it, is requested
 * as each role (public, viewer, editor of area A, editor of area B acting on A's resources, national analyst, national
 * administrator) and answers as test/support/route-matrix.ts declares. A route without a declaration fails. Pages are
 * requested in English and Welsh with the role's session (and a valid CSRF token on state-changing routes), the API
 * with the role's token; paths are filled with area A's resources: its draft plan (with a programme, a performance
 * measure and an action), its agreement, an upload of the role's own and a draft batch.
 *
 * And CSRF on every state-changing page route: without a token, or with another session's token, each is refused
 * (403) before anything is changed, for a user who may otherwise use it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, importBatches } from "../../src/db/schema.ts";
import { DEMO_AGREEMENT, seedDemoAgreements } from "../../src/services/agreements/demo.ts";
import { createApiToken } from "../../src/services/api-tokens.ts";
import { DEMO_PLAN_ACTOR, demoPlanPeriod } from "../../src/services/plans/demo.ts";
import { demoAppWithPlans } from "../support/demo-app.ts";
import { importCsv } from "../support/import-fixtures.ts";
import {
  type MatrixRole,
  type Outcome,
  ROLES,
  ROUTE_EXPECTATIONS,
  routeKey,
  STATE_CHANGING,
} from "../support/route-matrix.ts";
import { cookiesFrom, csrfTokenFrom, signInAs, type TestApp } from "../support/test-app.ts";

/** Every route as the app registers it (Fastify's onRoute hook, through the app's `onRoute` option). */
const registered: { method: string; url: string }[] = [];

const AREA_A = "W06000011"; // Swansea: a draft plan in the demo
const AREA_B = "W06000015"; // Cardiff: a published plan
const PERIOD = demoPlanPeriod();
const PROGRAMME = "matrix-programme";
const PM = "matrix-measure";

interface Session {
  email: string;
  cookie: string;
  csrf: string | null;
  token: string | null;
}
let t: TestApp;
const sessions = {} as Record<MatrixRole, Session>;
/** Values the path parameters are filled with, by the segment before them. */
const fixture = {
  measure: "",
  chosen: "",
  agreementYear: "",
  priority: 0,
  action: 0,
  batch: 0,
  framework: "",
  /** An upload of the analyst's and the administrator's own, one per language (confirming one uses it up). */
  uploads: {} as Record<string, string>,
};

function multipart(fields: [string, string | { name: string; content: string }][]) {
  const boundary = "----omf-matrix-boundary";
  const parts = fields.map(([name, value]) =>
    typeof value === "string"
      ? `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
      : `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${value.name}"\r\nContent-Type: text/csv\r\n\r\n${value.content}\r\n`,
  );
  return { payload: `${parts.join("")}--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}` };
}
const CSV = `measure_code,area_code,period,value,numerator,denominator\nlow-birth-weight,${AREA_B},2022,7.1,300,4225\n`;

const PASSWORD = "a long passphrase here";

/** A session's CSRF token, from the sign-out form every signed-in page has. */
async function csrfOf(cookie: string): Promise<string> {
  return csrfTokenFrom((await t.app.inject({ url: "/en/", headers: { cookie } })).body);
}

/** Signs `role` in again (after a check signed it out). */
async function signInAgain(role: MatrixRole): Promise<void> {
  const s = sessions[role];
  if (!s.email) return;
  const page = await t.app.inject({ url: "/en/sign-in" });
  const r = await t.app.inject({
    method: "POST",
    url: "/en/sign-in",
    headers: { cookie: cookiesFrom(page), "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({ _csrf: csrfTokenFrom(page.body), email: s.email, password: PASSWORD }).toString(),
  });
  s.cookie = cookiesFrom(r);
  s.csrf = await csrfOf(s.cookie);
}

beforeAll(async () => {
  t = await demoAppWithPlans({
    onRoute: (route) => {
      for (const method of [route.method].flat()) registered.push({ method, url: route.url });
    },
  });
  await t.app.ready();
  await seedDemoAgreements(t.app.services.agreements, t.app.services.framework);
  const plans = t.app.services.plans;
  const ref = { areaCode: AREA_A, period: PERIOD };
  const rv = async () => (await plans.get(DEMO_PLAN_ACTOR, ref)).plan.rowVersion;
  const draft = await plans.get(DEMO_PLAN_ACTOR, ref);
  fixture.measure = draft.measures[0]!.measureCode;
  fixture.priority = draft.priorities[0]!.id;
  await plans.addProgramme(DEMO_PLAN_ACTOR, ref, await rv(), {
    code: PROGRAMME,
    name: { en: "Matrix programme" },
    priorityId: fixture.priority,
  });
  await plans.addPerformanceMeasure(DEMO_PLAN_ACTOR, ref, await rv(), PROGRAMME, {
    code: PM,
    title: { en: "Matrix measure" },
    quadrant: "how_much",
    unit: "count",
    polarity: "higher_is_better",
    decimals: 0,
  });
  const action = await plans.addAction(DEMO_PLAN_ACTOR, ref, {
    subjectKind: "measure",
    subjectCode: fixture.measure,
    title: { en: "Matrix action" },
    owner: null,
    startDate: null,
    dueDate: null,
    status: "on_track",
  });
  fixture.action = action.id;
  await plans.saveNarrative(DEMO_PLAN_ACTOR, ref, {
    subjectKind: "measure",
    subjectCode: fixture.measure,
    section: "story",
    body: "Matrix story",
    baseVersion: 0,
  });
  await plans.saveNarrative(DEMO_PLAN_ACTOR, ref, {
    subjectKind: "programme_measure",
    subjectCode: `${PROGRAMME}/${PM}`,
    section: "story",
    body: "Matrix story",
    baseVersion: 0,
  });
  const cardiff = await plans.get(DEMO_PLAN_ACTOR, { areaCode: AREA_B, period: PERIOD });
  fixture.chosen = cardiff.measures.find((m) => m.measure?.tier !== "high_level")!.measureCode;
  const agreement = await t.app.services.agreements.get(null, DEMO_AGREEMENT);
  fixture.agreementYear = agreement.period.years[0]!;
  fixture.batch = (await importCsv(t.database, CSV)).batch!.id;
  fixture.framework = (await t.app.services.publicViews.frameworks())[0]!.code;

  const users: Record<Exclude<MatrixRole, "public">, [string, string[]]> = {
    viewer: ["viewer", []],
    editorA: ["partnership_editor", [AREA_A, DEMO_AGREEMENT.areaCode]],
    editorB: ["partnership_editor", [AREA_B]],
    analyst: ["national_analyst", []],
    admin: ["national_admin", []],
  };
  sessions.public = { email: "", cookie: "", csrf: null, token: null };
  for (const [role, [dbRole, areas]] of Object.entries(users)) {
    const email = `matrix-${role}@example.org`;
    const { cookie } = await signInAs(t, dbRole, email, PASSWORD, areas);
    const { token } = await createApiToken(t.database.db, { email, name: "matrix" });
    sessions[role as MatrixRole] = { email, cookie, csrf: await csrfOf(cookie), token };
  }
  for (const [role, lang] of ["analyst", "admin"].flatMap((r) => ["en", "cy"].map((l) => [r, l] as const))) {
    const s = sessions[role as MatrixRole];
    const body = multipart([
      ["_csrf", s.csrf!],
      ["file", { name: "matrix.csv", content: CSV }],
    ]);
    const r = await t.app.inject({
      method: "POST",
      url: "/en/data/import",
      headers: { cookie: s.cookie, "content-type": body.contentType },
      payload: body.payload,
    });
    expect(r.statusCode).toBe(303);
    fixture.uploads[`${role} ${lang}`] = /\/data\/import\/([^/]+)$/.exec(String(r.headers.location))![1]!;
  }
}, 600_000);
afterAll(async () => {
  await t?.close();
});

/** The routes the app registered (HEAD routes run their GET's handler and are covered by it). */
function appRoutes(): { method: string; url: string }[] {
  const seen = new Set<string>();
  return registered.filter((r) => {
    const key = `${r.method} ${r.url}`;
    if (r.method === "HEAD" || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const WILDCARD_SAMPLES: Record<string, string> = {
  "/assets/*": "/assets/images/favicon.ico",
  "/govuk/*": "/govuk/govuk-frontend.min.js",
  "/static/*": "/static/app.css",
  "/api/v1/*": "/api/v1/data",
};

/**
 * The route's path with its parameters filled from area A's resources (and `role`'s own upload); `hostile` puts a
 * value of its own in the parameter at that segment instead.
 */
function samplePath(url: string, role: MatrixRole, hostile?: { at: number; value: string }): string {
  if (WILDCARD_SAMPLES[url]) return WILDCARD_SAMPLES[url];
  const lang = url.startsWith("/cy") ? "cy" : "en";
  const segments = url.split("/");
  const [area, period] = url.includes("/agreements/")
    ? [DEMO_AGREEMENT.areaCode, DEMO_AGREEMENT.period]
    : url.startsWith("/api/")
      ? [AREA_B, PERIOD] // the API shows published plans only: area B's
      : [AREA_A, PERIOD];
  return segments
    .map((segment, i) => {
      if (!segment.startsWith(":")) return segment;
      if (hostile?.at === i) return hostile.value;
      const before = segments[i - 1];
      switch (`${before}/${segment}`) {
        case "aims/:code":
        case "core-aims/:code":
          return "CA1";
        case "areas/:code":
          return AREA_A;
        case "measures/:code":
          return fixture.measure;
        case "choices/:code":
          return fixture.chosen;
        case "frameworks/:code":
          return fixture.framework;
        case "programmes/:code":
          return PROGRAMME;
        case "measures/:pm":
          return PM;
        case "examples/:name":
          return "observations.csv";
        case "import/:id":
          return fixture.uploads[`${role} ${lang}`] ?? fixture.uploads[`admin ${lang}`]!;
        case "batches/:id":
          return String(fixture.batch);
        case "priorities/:id":
          return String(fixture.priority);
        case "actions/:id":
          return String(fixture.action);
        case "narratives/:section":
          return "story";
        case "schemes/:code":
          return "2013-16";
        case "versions/:version":
          return "1"; // area A's plan has one version, a draft
      }
      if (segment === ":area") return area;
      if (segment === ":period") return period;
      throw new Error(`no sample value for ${segment} in ${url}: add one to samplePath`);
    })
    .join("/");
}

/**
 * Form fields some routes need before they look at the rest (without them they answer 404, as for a missing thing):
 * what to restore, which year and outcome of an agreement.
 */
function sampleBody(route: string): Record<string, string> {
  if (route.endsWith("/restore")) return { version: "1", baseVersion: "1" };
  if (route.includes("/agreements/")) return { year: fixture.agreementYear, outcome: "1" };
  return {};
}

interface Check {
  route: string;
  method: string;
  path: string;
  role: MatrixRole;
  expected: Outcome;
}

function outcomeOf(status: number, location: string | undefined): Outcome | "ok?" {
  if (status === 303 && /^\/(en|cy)\/sign-in$/.test(location ?? "")) return "signin";
  if (status === 401) return "unauthorised";
  if (status === 403) return "forbidden";
  if (status === 404) return "hidden";
  if (status < 400 || [400, 409, 413, 415].includes(status)) return "ok";
  return "ok?";
}

/** Requests `path` as `role`: pages with the role's session (and a CSRF token when state-changing), the API with its token. */
async function request(method: string, path: string, role: MatrixRole, csrf = true) {
  const s = sessions[role];
  const headers: Record<string, string> = {};
  if (path.startsWith("/api/")) {
    if (s.token) headers.authorization = `Bearer ${s.token}`;
    return t.app.inject({ method: method as "GET", url: path, headers });
  }
  if (s.cookie) headers.cookie = s.cookie;
  if (!STATE_CHANGING.has(method)) return t.app.inject({ method: method as "GET", url: path, headers });
  const form: Record<string, string> = { ...sampleBody(path) };
  if (csrf && path.endsWith("/sign-in")) {
    // the sign-in form's token is bound to a cookie of its own, not to a session
    const page = await t.app.inject({ url: path, headers });
    headers.cookie = [s.cookie, cookiesFrom(page)].filter(Boolean).join("; ");
    form._csrf = csrfTokenFrom(page.body);
  } else if (csrf && s.csrf) form._csrf = s.csrf;
  headers["content-type"] = "application/x-www-form-urlencoded";
  return t.app.inject({ method: method as "POST", url: path, headers, payload: new URLSearchParams(form).toString() });
}

describe("authorisation matrix", () => {
  it("declares an expectation for every route of the app, and none for a route that does not exist", () => {
    const keys = appRoutes().map((r) => routeKey(r.method, r.url));
    expect(keys.length).toBeGreaterThan(50);
    expect(keys.filter((k) => !ROUTE_EXPECTATIONS[k])).toEqual([]);
    expect(Object.keys(ROUTE_EXPECTATIONS).filter((k) => !keys.includes(k))).toEqual([]);
  });

  it("refuses every state-changing page route without a valid CSRF token, changing nothing", async () => {
    const changes = async () => [await t.database.db.$count(auditLog), await t.database.db.$count(importBatches)];
    const before = await changes();
    const stateChanging = appRoutes().filter((r) => STATE_CHANGING.has(r.method) && !r.url.startsWith("/api/"));
    expect(stateChanging.length).toBeGreaterThan(20);
    const wrong: string[] = [];
    let checked = 0;
    for (const r of stateChanging) {
      const profile = ROUTE_EXPECTATIONS[routeKey(r.method, r.url)]!;
      // as someone the route would otherwise let through (the sign-in form: anyone signed out)
      const role = (["admin", "editorA", "analyst", "viewer"] as const).find((x) => profile[x] === "ok") ?? "public";
      const path = samplePath(r.url, role);
      const s = sessions[role];
      const other = sessions[role === "admin" ? "analyst" : "admin"].csrf!;
      for (const token of [null, other, "forged"]) {
        const fields: [string, string][] = token ? [["_csrf", token]] : [];
        const body = path.endsWith("/data/import")
          ? multipart([...fields, ["file", { name: "x.csv", content: CSV }]])
          : {
              payload: new URLSearchParams([...fields, ...Object.entries(sampleBody(path))]).toString(),
              contentType: "application/x-www-form-urlencoded",
            };
        const res = await t.app.inject({
          method: r.method as "POST",
          url: path,
          headers: { ...(s.cookie ? { cookie: s.cookie } : {}), "content-type": body.contentType },
          payload: body.payload,
        });
        checked++;
        if (res.statusCode !== 403) wrong.push(`${r.method} ${path} as ${role} with token ${token}: ${res.statusCode}`);
      }
    }
    console.log(`CSRF: ${checked} state-changing requests without a valid token, over ${stateChanging.length} routes`);
    expect(wrong).toEqual([]);
    expect(await changes()).toEqual(before);
    // the API takes no session: a signed-in browser's cookie alone does not import
    const api = await t.app.inject({
      method: "POST",
      url: "/api/v1/imports",
      headers: { cookie: sessions.admin.cookie, "content-type": "text/csv" },
      payload: CSV,
    });
    expect(api.statusCode).toBe(401);
  }, 120_000);

  it("answers hostile path parameters with a page or a refusal, never a server error", async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const r of appRoutes()) {
      if (r.url.startsWith("/cy") || r.url.endsWith("/sign-out")) continue;
      for (const [at, segment] of r.url.split("/").entries()) {
        if (!segment.startsWith(":") || segment === ":lang") continue;
        for (const value of ["x%00%3Cy", "99999999999", "-1"]) {
          const path = samplePath(r.url, "admin", { at, value });
          const res = await request(r.method, path, "admin");
          checked++;
          if (res.statusCode >= 500) failures.push(`${r.method} ${path}: ${res.statusCode}`);
        }
      }
    }
    console.log(`hostile path parameters: ${checked} requests`);
    expect(failures).toEqual([]);
  }, 300_000);

  it("answers every route as each role is declared to get", async () => {
    const checks: Check[] = [];
    for (const r of appRoutes()) {
      const route = routeKey(r.method, r.url);
      const profile = ROUTE_EXPECTATIONS[route];
      if (!profile) continue; // reported by the test above
      // Welsh routes are the same plugin under /cy: those open to everyone are checked signed out only, to keep the
      // run short; every guarded one as every role (its refusals and sign-in redirects are in Welsh)
      const open = ROLES.every((role) => profile[role] === "ok");
      for (const role of open && r.url.startsWith("/cy") ? (["public"] as const) : ROLES) {
        checks.push({ route, method: r.method, path: samplePath(r.url, role), role, expected: profile[role] });
      }
    }
    // reads first, then changes; signing out last, so every session lasts the run
    const order = (c: Check) => (c.route.endsWith("/sign-out") ? 2 : STATE_CHANGING.has(c.method) ? 1 : 0);
    checks.sort((a, b) => order(a) - order(b));
    const wrong: string[] = [];
    const started = Date.now();
    const slow = new Map<string, number>();
    for (const c of checks) {
      if (c.route.endsWith("/sign-out")) await signInAgain(c.role);
      const t0 = Date.now();
      const res = await request(c.method, c.path, c.role);
      slow.set(c.route, (slow.get(c.route) ?? 0) + Date.now() - t0);
      const got = outcomeOf(res.statusCode, res.headers.location as string | undefined);
      if (got !== c.expected) {
        wrong.push(
          `${c.method} ${c.path} as ${c.role}: expected ${c.expected}, got ${res.statusCode} ${res.headers.location ?? ""}`,
        );
      }
    }
    console.log(
      `authorisation matrix: ${checks.length} route × role checks over ${new Set(checks.map((c) => c.route)).size} routes and ${ROLES.length} roles in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    console.log([...slow].sort((a, b) => b[1] - a[1]).slice(0, 12));
    expect(wrong).toEqual([]);
    // about a minute on a quiet machine; several times that when the machine is shared, which must not fail the run
  }, 900_000);
});
