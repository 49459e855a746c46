/**
 * Errors and guards (issue 12): one error vocabulary mapped once to pages and once to problem details; a public page
 * or response never shows an exception's text; /health does not leak the database error; guards as preHandlers;
 * request ids on every response; configuration read in one place with LOG_LEVEL honoured.
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { problemOf } from "../../src/api/problem.ts";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from "../../src/domain/errors.ts";
import { createLogger } from "../../src/logger.ts";
import { buildApp } from "../../src/web/app.ts";
import { errorPage } from "../../src/web/error-pages.ts";
import { requireArea, requireRole } from "../../src/web/guards.ts";
import { seededApp, signInAs, type TestApp } from "../support/test-app.ts";
import { freshDatabase } from "../support/test-database.ts";

const SECRET = "connection string postgres://omf:hunter2@db/omf at /srv/omf/secret.ts:12";

describe("the error mapping", () => {
  it("gives each kind its page, and never an exception's own text", () => {
    expect(errorPage(new Error(SECRET))).toMatchObject({ status: 500, titleKey: "errors.serverTitle", fault: true });
    expect(errorPage(new Error(SECRET)).message).toBeUndefined();
    expect(errorPage(new NotFoundError(SECRET))).toMatchObject({ status: 404, titleKey: "errors.notFoundTitle" });
    expect(errorPage(new ForbiddenError(SECRET))).toMatchObject({ status: 403, titleKey: "errors.forbiddenTitle" });
    expect(errorPage(new ConflictError(SECRET))).toMatchObject({ status: 409, titleKey: "errors.conflictTitle" });
    expect(errorPage(new InvalidError(SECRET))).toMatchObject({ status: 400, bodyKey: "errors.invalidBody" });
    for (const e of [new NotFoundError(SECRET), new InvalidError(SECRET), new ConflictError(SECRET)]) {
      expect(errorPage(e).message).toBeUndefined();
    }
    // only text written for the reader is shown
    expect(errorPage(new InvalidError(SECRET, { publicMessage: "There is no area X" })).message).toBe(
      "There is no area X",
    );
    // a refused CSRF check is a forbidden request
    expect(
      errorPage(Object.assign(new Error(SECRET), { statusCode: 400, code: "FST_CSRF_INVALID_TOKEN" })).status,
    ).toBe(403);
  });

  it("gives API clients problem details, with the API's error code and message, and hides faults", () => {
    const bad = problemOf(new InvalidError("query parameter area: unknown", { code: "bad_request" }));
    expect(bad).toEqual({
      fault: false,
      problem: {
        type: "about:blank",
        title: "Bad request",
        status: 400,
        detail: "query parameter area: unknown",
        error: "bad_request",
        message: "query parameter area: unknown",
      },
    });
    const fault = problemOf(new Error(SECRET));
    expect(fault.fault).toBe(true);
    expect(fault.problem.status).toBe(500);
    expect(JSON.stringify(fault.problem)).not.toContain("hunter2");
    expect(problemOf(new ForbiddenError("no")).problem.status).toBe(403);
    expect(problemOf(new ConflictError("no")).problem).toMatchObject({ status: 409, error: "conflict" });
  });
});

describe("configuration", () => {
  it("honours LOG_LEVEL as given (info stays info)", () => {
    expect(loadConfig({ LOG_LEVEL: "info" }).logLevel).toBe("info");
    expect(createLogger({ level: loadConfig({ LOG_LEVEL: "info" }).logLevel }).level).toBe("info");
    expect(createLogger({ level: loadConfig({ LOG_LEVEL: "debug" }).logLevel }).level).toBe("debug");
  });

  it("reads the upload, user, debug and progress settings, with their defaults", () => {
    const d = loadConfig({});
    expect(d).toMatchObject({
      maxUploadBytes: 1024 * 1024 * 1024,
      uploadDir: undefined,
      cliUser: undefined,
      debug: false,
    });
    expect(d.progressSeconds).toBe(2);
    const c = loadConfig({
      OMF_MAX_UPLOAD_MB: "5",
      OMF_UPLOAD_DIR: "/tmp/up",
      OMF_USER: "ann@example.org",
      OMF_DEBUG: "1",
      OMF_PROGRESS_SECONDS: "0.5",
      OMF_BOUNDARIES_GEOJSON: "las.geojson",
    });
    expect(c).toMatchObject({
      maxUploadBytes: 5 * 1024 * 1024,
      uploadDir: "/tmp/up",
      cliUser: "ann@example.org",
      debug: true,
      progressSeconds: 0.5,
      boundariesGeojson: "las.geojson",
    });
    expect(() => loadConfig({ OMF_MAX_UPLOAD_MB: "lots" })).toThrow(ConfigError);
    expect(() => loadConfig({ OMF_MAX_UPLOAD_MB: "lots" })).toThrow(/^OMF_MAX_UPLOAD_MB /);
  });
});

describe("the app's errors, guards and request ids", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await seededApp();
    const app = t.app;
    app.get("/en/test-boom", async () => {
      throw new Error(SECRET);
    });
    app.get("/cy/test-boom", async () => {
      throw new Error(SECRET);
    });
    app.get("/test-boom", async () => {
      throw new Error(SECRET);
    });
    app.get("/en/test-admin", { preHandler: requireRole(["national_admin"]) }, async () => "admin page");
    app.get<{ Params: { area: string } }>(
      "/en/test-area/:area",
      { preHandler: requireArea((request) => (request.params as { area: string }).area) },
      async () => "area page",
    );
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it("shows a fault as the service's error page in the page language, without its text", async () => {
    const en = await t.app.inject("/en/test-boom");
    expect(en.statusCode).toBe(500);
    expect(en.body).toContain("Sorry, there is a problem with the service");
    expect(en.body).not.toContain("hunter2");
    const cy = await t.app.inject("/cy/test-boom");
    expect(cy.statusCode).toBe(500);
    expect(cy.body).toContain("problem gyda&#39;r gwasanaeth");
    expect(cy.body).not.toContain("hunter2");
    const json = await t.app.inject("/test-boom");
    expect(json.statusCode).toBe(500);
    expect(json.json()).toMatchObject({ status: 500, error: "server_error" });
    expect(json.body).not.toContain("hunter2");
  });

  it("sends anonymous visitors to sign in and refuses other roles with the forbidden page", async () => {
    const anonymous = await t.app.inject("/en/test-admin");
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe("/en/sign-in");
    const analyst = await signInAs(t, "national_analyst");
    const refused = await t.app.inject({ url: "/en/test-admin", headers: { cookie: analyst.cookie } });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain("You cannot do that");
    const admin = await signInAs(t, "national_admin");
    const ok = await t.app.inject({ url: "/en/test-admin", headers: { cookie: admin.cookie } });
    expect(ok.statusCode).toBe(200);
  }, 120_000);

  it("lets partnership editors into their own areas only", async () => {
    const editor = await signInAs(t, "partnership_editor");
    const own = await t.app.inject({ url: "/en/test-area/W06000015", headers: { cookie: editor.cookie } });
    expect(own.statusCode).toBe(200);
    const other = await t.app.inject({ url: "/en/test-area/W06000022", headers: { cookie: editor.cookie } });
    expect(other.statusCode).toBe(403);
  }, 120_000);

  it("gives every response a request id, keeping a sane one from the client", async () => {
    const a = await t.app.inject("/health");
    expect(a.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const b = await t.app.inject({ url: "/health", headers: { "x-request-id": "trace-123" } });
    expect(b.headers["x-request-id"]).toBe("trace-123");
    const c = await t.app.inject({ url: "/health", headers: { "x-request-id": "<script>" } });
    expect(c.headers["x-request-id"]).not.toBe("<script>");
  });
});

describe("/health", () => {
  it("answers 503 when the database is gone, without the error's text", async () => {
    const database = await freshDatabase();
    const app: FastifyInstance = await buildApp({
      database,
      sessionSecret: "a-test-secret-that-is-at-least-32-characters",
    });
    try {
      expect((await app.inject("/health")).statusCode).toBe(200);
      await database.close();
      const r = await app.inject("/health");
      expect(r.statusCode).toBe(503);
      expect(r.json()).toEqual({ status: "unavailable", database: { status: "unavailable", kind: database.kind } });
    } finally {
      await app.close();
    }
  }, 120_000);
});
