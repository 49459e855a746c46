/**
 * Security headers and cookie flags (issue 19): a content security policy with per-response nonces and no inline
 * script allowed, HSTS only in production, a Permissions-Policy turning every powerful feature off, the usual
 * helmet headers on pages, the API and downloads; the session cookie HttpOnly and SameSite, Secure in production;
 * the sign-in form's cookie __Host- prefixed, Secure and SameSite=Strict in production.
 *
 * CSRF refusal of every state-changing route is in authorisation-matrix.test.ts (over the same route enumeration);
 * sign-in throttling per account and per source in test/services/login-throttle.test.ts and, through the web and
 * its proxies, test/web/sign-in-throttle.test.ts.
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../src/services/accounts.ts";
import { buildApp, PERMISSIONS_POLICY } from "../../src/web/app.ts";
import { cookiesFrom, csrfTokenFrom, seededApp, type TestApp } from "../support/test-app.ts";

let t: TestApp;
let production: FastifyInstance;
const PASSWORD = "a long passphrase here";
/** As a TLS-terminating proxy on the same machine forwards it. */
const HTTPS = { "x-forwarded-proto": "https" };

beforeAll(async () => {
  t = await seededApp();
  await createUser(t.database.db, { email: "headers@example.org", password: PASSWORD, role: "national_analyst" });
  production = await buildApp({
    database: t.database,
    sessionSecret: "a-test-secret-that-is-at-least-32-characters",
    production: true,
    publicUrl: "https://omf.example.org",
    trustProxy: ["127.0.0.1"],
  });
});
afterAll(async () => {
  await production?.close();
  await t?.close();
});

interface Cookie {
  name: string;
  value: string;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: string;
  path?: string;
}

async function signIn(app: FastifyInstance, headers: Record<string, string> = {}) {
  const page = await app.inject({ url: "/en/sign-in", headers });
  const r = await app.inject({
    method: "POST",
    url: "/en/sign-in",
    headers: { ...headers, cookie: cookiesFrom(page), "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({
      _csrf: csrfTokenFrom(page.body),
      email: "headers@example.org",
      password: PASSWORD,
    }).toString(),
  });
  expect(r.statusCode).toBe(303);
  return { page: page.cookies as Cookie[], signedIn: r.cookies as Cookie[] };
}

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

describe("content security policy", () => {
  it("allows scripts only from the site and with this response's nonce, never inline or eval", async () => {
    const first = await t.app.inject("/en/measures");
    const second = await t.app.inject("/en/measures");
    const csp = directives(String(first.headers["content-security-policy"]));
    const scripts = csp.get("script-src")!;
    expect(scripts).toContain("'self'");
    const nonce = scripts.find((s) => s.startsWith("'nonce-"))!.slice(7, -1);
    expect(nonce.length).toBeGreaterThanOrEqual(16);
    expect(scripts.filter((s) => s !== "'self'" && !s.startsWith("'nonce-"))).toEqual([]);
    for (const directive of ["default-src", "style-src", "script-src-attr", "object-src", "base-uri"]) {
      expect(csp.get(directive)?.join(" ") ?? "", directive).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    }
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("form-action")).toEqual(["'self'"]);
    // every script element of the page carries the nonce; none has an inline handler
    const tags = first.body.match(/<script\b[^>]*>/g) ?? [];
    expect(tags.length).toBeGreaterThan(0);
    for (const tag of tags) expect(tag).toContain(`nonce="${nonce}"`);
    expect(first.body).not.toMatch(/\son[a-z]+\s*=\s*["']/i);
    // a fresh nonce per response
    expect(String(second.headers["content-security-policy"])).not.toContain(nonce);
  });
});

describe("headers on every kind of response", () => {
  const kinds = ["/en/", "/cy/measures", "/api/v1/measures", "/api/v1/data.csv?measure=low-birth-weight", "/health"];

  it("turn off powerful browser features, sniffing, framing and referrers", async () => {
    for (const url of [...kinds, "/en/no-such-page"]) {
      const r = await t.app.inject(url);
      expect(r.headers["permissions-policy"], url).toBe(PERMISSIONS_POLICY);
      expect(r.headers["x-content-type-options"], url).toBe("nosniff");
      expect(r.headers["x-frame-options"], url).toBe("SAMEORIGIN");
      expect(r.headers["referrer-policy"], url).toBe("no-referrer");
      expect(r.headers["content-security-policy"], url).toContain("frame-ancestors 'none'");
    }
    for (const feature of ["camera", "microphone", "geolocation", "payment", "usb"]) {
      expect(PERMISSIONS_POLICY).toContain(`${feature}=()`);
    }
  });

  it("send HSTS in production only", async () => {
    for (const url of kinds) {
      expect((await t.app.inject(url)).headers["strict-transport-security"], url).toBeUndefined();
      const hsts = String((await production.inject({ url, headers: HTTPS })).headers["strict-transport-security"]);
      expect(Number(/max-age=(\d+)/.exec(hsts)?.[1]), url).toBeGreaterThanOrEqual(31_536_000);
      expect(hsts, url).toContain("includeSubDomains");
    }
  });
});

describe("cookies", () => {
  it("keep the session HttpOnly and SameSite=Lax, not Secure over plain HTTP in development", async () => {
    const { page, signedIn } = await signIn(t.app);
    const session = signedIn.find((c) => c.name === "omf_session")!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    expect(session.secure).toBeFalsy();
    const form = page.find((c) => c.name === "omf_signin")!;
    expect(form).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/" });
  });

  it("are Secure in production, the sign-in form's __Host- prefixed", async () => {
    const { page, signedIn } = await signIn(production, HTTPS);
    const session = signedIn.find((c) => c.name === "omf_session")!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: true, path: "/" });
    expect(page.map((c) => c.name)).toEqual(["__Host-omf_signin"]);
    expect(page[0]).toMatchObject({ httpOnly: true, sameSite: "Strict", secure: true, path: "/" });
    expect(page[0]).not.toHaveProperty("domain");
  });

  it("never reach signed-out visitors of public pages and the API", async () => {
    for (const url of ["/en/", "/en/measures", "/api/v1/measures"]) {
      expect((await t.app.inject(url)).headers["set-cookie"], url).toBeUndefined();
    }
  });
});
