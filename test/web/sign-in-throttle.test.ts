/**
 * Sign-in throttling on the web (issue 11, item 11): X-Forwarded-For is ignored unless OMF_TRUST_PROXY names the
 * proxy the request comes from, so a client cannot escape the limit by inventing addresses; and the configuration
 * refuses to trust everyone.
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseTrustProxy } from "../../src/config.ts";
import { createUser, LOGIN_MAX_FAILURES, LOGIN_MAX_SOURCE_FAILURES } from "../../src/services/accounts.ts";
import { buildApp } from "../../src/web/app.ts";
import { cookiesFrom, csrfTokenFrom, seededApp, type TestApp } from "../support/test-app.ts";

let t: TestApp;
const password = "a long passphrase here";
beforeAll(async () => {
  t = await seededApp();
  for (const email of ["direct@example.org", "proxied@example.org"]) {
    await createUser(t.database.db, { email, password, role: "viewer" });
  }
});
afterAll(async () => {
  await t.close();
});

async function attempt(app: FastifyInstance, email: string, pass: string, forwardedFor: string) {
  const page = await app.inject({ url: "/en/sign-in" });
  return app.inject({
    method: "POST",
    url: "/en/sign-in",
    headers: {
      cookie: cookiesFrom(page),
      "content-type": "application/x-www-form-urlencoded",
      "x-forwarded-for": forwardedFor,
    },
    payload: new URLSearchParams({ _csrf: csrfTokenFrom(page.body), email, password: pass }).toString(),
  });
}

describe("sign-in throttling behind proxies", () => {
  it("ignores X-Forwarded-For when no proxy is trusted", async () => {
    // one client sprays many accounts, inventing a new address each time: it is still one source
    const codes: number[] = [];
    for (let i = 0; i < LOGIN_MAX_SOURCE_FAILURES + 3; i++) {
      codes.push((await attempt(t.app, `sprayed${i}@example.org`, "wrong!", `198.51.100.${i + 1}`)).statusCode);
    }
    expect(codes).toEqual([...Array(LOGIN_MAX_SOURCE_FAILURES).fill(401), ...Array(3).fill(429)]);
    const refused = await attempt(t.app, "direct@example.org", password, "192.0.2.77");
    expect(refused.statusCode).toBe(429);
    expect(refused.body).toContain("Too many failed attempts");
  }, 300_000);

  it("believes X-Forwarded-For only from a configured proxy", async () => {
    const app = await buildApp({
      database: t.database,
      sessionSecret: "a-test-secret-that-is-at-least-32-characters",
      trustProxy: ["127.0.0.1"],
    });
    try {
      // an attacker behind the proxy is throttled by its own address ...
      for (let i = 0; i < LOGIN_MAX_FAILURES; i++) {
        expect((await attempt(app, "proxied@example.org", "wrong!", "203.0.113.9")).statusCode).toBe(401);
      }
      expect((await attempt(app, "proxied@example.org", password, "203.0.113.9")).statusCode).toBe(429);
      // ... and the real user, elsewhere, still signs in
      expect((await attempt(app, "proxied@example.org", password, "198.51.100.200")).statusCode).toBe(303);
    } finally {
      await app.close();
    }
  }, 120_000);
});

describe("OMF_TRUST_PROXY and OMF_PUBLIC_URL", () => {
  it("trusts no proxy by default, and takes addresses, ranges and names", () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy("")).toBe(false);
    expect(parseTrustProxy("10.0.0.1, 10.1.0.0/16,::1,loopback")).toEqual([
      "10.0.0.1",
      "10.1.0.0/16",
      "::1",
      "loopback",
    ]);
    expect(loadConfig({}).trustProxy).toBe(false);
  });

  it("refuses to trust everyone, hop counts and nonsense", () => {
    for (const bad of ["true", "1", "10.0.0.0/33", "proxy.example", "10.0.0.1/8/2"]) {
      expect(() => parseTrustProxy(bad), bad).toThrow(ConfigError);
    }
    expect(() => parseTrustProxy("true")).toThrow(/any client could choose its own address|trusting every address/);
  });

  it("defaults the public URL to localhost in development and requires a web address", () => {
    expect(loadConfig({}).publicUrl).toBe("http://localhost:3000");
    expect(loadConfig({ PORT: "8080" }).publicUrl).toBe("http://localhost:8080");
    expect(loadConfig({ OMF_PUBLIC_URL: "https://omf.example.gov.wales/" }).publicUrl).toBe(
      "https://omf.example.gov.wales",
    );
    expect(loadConfig({ OMF_PUBLIC_URL: "https://example.org/omf/" }).publicUrl).toBe("https://example.org/omf");
    expect(loadConfig({ NODE_ENV: "production" }).publicUrl).toBeUndefined();
    for (const bad of ["javascript:alert(1)", "not a url", "https://x.example/?a=1"]) {
      expect(() => loadConfig({ OMF_PUBLIC_URL: bad }), bad).toThrow(ConfigError);
    }
  });
});
