/**
 * Sessions (issue 11, item 9): anonymous visitors get no session row and no session cookie on any page (public
 * pages, sign-in, errors), signing in still works behind a CSRF check, and expired sessions are deleted by a
 * periodic cleanup that the app schedules. A signed-in session lasts 8 hours from the last request, renewed at most
 * every 5 minutes (not written on every request).
 */

import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteExpiredSessions, saveSession } from "../../src/db/queries/sessions.ts";
import { sessions } from "../../src/db/schema.ts";
import { createUser } from "../../src/services/accounts.ts";
import { buildApp } from "../../src/web/app.ts";
import { SESSION_MAX_AGE_MS, SESSION_RENEW_MS } from "../../src/web/session-store.ts";
import { cookiesFrom, csrfTokenFrom, seededApp, type TestApp } from "../support/test-app.ts";

let t: TestApp;
const password = "a long passphrase here";
beforeAll(async () => {
  t = await seededApp();
  await createUser(t.database.db, { email: "analyst@example.org", password, role: "national_analyst" });
});
afterAll(async () => {
  await t.close();
});

async function sessionRows(): Promise<{ id: string; expiresAt: Date }[]> {
  return t.database.db.select({ id: sessions.id, expiresAt: sessions.expiresAt }).from(sessions);
}

const ANONYMOUS_URLS = [
  "/en/",
  "/cy/",
  "/en/framework",
  "/en/aims/CA1",
  "/en/measures",
  "/en/measures?q=birth",
  "/en/measures/low-birth-weight",
  "/en/areas",
  "/en/areas/W06000015",
  "/en/overview?tier=all&zz=1",
  "/en/compare",
  "/en/map",
  "/cy/dashboard",
  "/en/api",
  "/en/sign-in",
  "/cy/sign-in?signed-out=1",
  "/en/no-such-page",
  "/en/overview?tier=bogus",
  "/en/data/import",
  "/en/data/batches",
  "/api/v1/measures",
  "/health",
];

describe("anonymous visitors", () => {
  it("get no session row and no session cookie on any page", async () => {
    for (const url of ANONYMOUS_URLS) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBeLessThan(500);
      expect(
        res.cookies.map((c) => c.name),
        url,
      ).not.toContain("omf_session");
    }
    expect(await sessionRows()).toEqual([]);
  });

  it("can still sign in, through a form protected against CSRF, which creates one session", async () => {
    const page = await t.app.inject({ url: "/en/sign-in" });
    const token = csrfTokenFrom(page.body);
    const cookie = cookiesFrom(page);
    const post = (headers: Record<string, string>, body: Record<string, string>) =>
      t.app.inject({
        method: "POST",
        url: "/en/sign-in",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        payload: new URLSearchParams(body).toString(),
      });
    // no cookie, a wrong token, or another visitor's token: refused
    expect((await post({}, { _csrf: token, email: "analyst@example.org", password })).statusCode).toBe(403);
    expect((await post({ cookie }, { _csrf: "x", email: "analyst@example.org", password })).statusCode).toBe(403);
    const other = await t.app.inject({ url: "/en/sign-in" });
    expect(
      (await post({ cookie: cookiesFrom(other) }, { _csrf: token, email: "analyst@example.org", password })).statusCode,
    ).toBe(403);
    expect(await sessionRows()).toEqual([]);

    const ok = await post({ cookie }, { _csrf: token, email: "analyst@example.org", password });
    expect(ok.statusCode).toBe(303);
    expect(ok.cookies.map((c) => c.name)).toContain("omf_session");
    const session = cookiesFrom(ok);
    const home = await t.app.inject({ url: "/en/", headers: { cookie: session } });
    expect(home.body).toContain("Signed in as analyst@example.org");
    expect(await sessionRows()).toHaveLength(1);

    // signed-in pages carry a session-bound token for signing out
    const out = await t.app.inject({
      method: "POST",
      url: "/en/sign-out",
      headers: { cookie: session, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({ _csrf: csrfTokenFrom(home.body) }).toString(),
    });
    expect(out.statusCode).toBe(303);
    expect(await sessionRows()).toEqual([]);
  });
});

describe("expired sessions", () => {
  it("are deleted by the cleanup, and only they", async () => {
    await saveSession(t.database.db, "old", { userId: 1 }, new Date(Date.now() - 60_000));
    await saveSession(t.database.db, "live", { userId: 1 }, new Date(Date.now() + 3_600_000));
    expect(await deleteExpiredSessions(t.database.db)).toBe(1);
    expect((await sessionRows()).map((r) => r.id)).toEqual(["live"]);
    await t.database.db.delete(sessions);
  });

  it("are deleted periodically by the running app", async () => {
    const app = await buildApp({
      database: t.database,
      sessionSecret: "another-test-secret-at-least-32-characters",
      sessionCleanupMs: 50,
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200)); // the sweep at start has run
      await saveSession(t.database.db, "stale", { userId: 1 }, new Date(Date.now() - 1000));
      const deadline = Date.now() + 30_000;
      while ((await sessionRows()).length > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await sessionRows()).toEqual([]);
    } finally {
      await app.close();
    }
  }, 60_000);
});

describe("signed-in sessions", () => {
  /** Signs in through the form; the session's cookie. */
  async function signedIn(): Promise<string> {
    const page = await t.app.inject({ url: "/en/sign-in" });
    const ok = await t.app.inject({
      method: "POST",
      url: "/en/sign-in",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesFrom(page) },
      payload: new URLSearchParams({
        _csrf: csrfTokenFrom(page.body),
        email: "analyst@example.org",
        password,
      }).toString(),
    });
    expect(ok.statusCode).toBe(303);
    return cookiesFrom(ok);
  }
  const sessionCookie = (r: { cookies: { name: string; expires?: Date }[] }) =>
    r.cookies.find((c) => c.name === "omf_session");

  it("are not written again by requests soon after the last write", async () => {
    const cookie = await signedIn();
    const [row] = await sessionRows();
    for (const url of ["/en/", "/en/measures", "/cy/data/batches", "/en/my-work"]) {
      const r = await t.app.inject({ url, headers: { cookie } });
      expect(r.statusCode, url).toBe(200);
      expect(r.body, url).toContain("analyst@example.org");
      expect(sessionCookie(r), url).toBeUndefined();
    }
    expect(await sessionRows()).toEqual([row]);
    await t.database.db.delete(sessions);
  });

  it("are renewed for 8 hours from now by a request once their expiry is more than 5 minutes old", async () => {
    const cookie = await signedIn();
    const [row] = await sessionRows();
    // as if the last write was six minutes ago: both the row's expiry and the one the session keeps in its data
    const aged = new Date(row!.expiresAt.getTime() - SESSION_RENEW_MS - 60_000);
    const [stored] = await t.database.db.select().from(sessions).where(eq(sessions.id, row!.id));
    const data = { ...stored!.data, cookie: { ...(stored!.data.cookie as object), expires: aged.toISOString() } };
    await t.database.db.update(sessions).set({ expiresAt: aged, data }).where(eq(sessions.id, row!.id));

    const before = Date.now();
    const r = await t.app.inject({ url: "/en/", headers: { cookie } });
    expect(r.body).toContain("analyst@example.org");
    const [renewed] = await sessionRows();
    expect(renewed!.id).toBe(row!.id);
    expect(renewed!.expiresAt.getTime()).toBeGreaterThanOrEqual(before + SESSION_MAX_AGE_MS - 1000);
    expect(renewed!.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + SESSION_MAX_AGE_MS);
    // the browser is told the new expiry
    expect(Math.abs(sessionCookie(r)!.expires!.getTime() - renewed!.expiresAt.getTime())).toBeLessThan(1000);
    // and the next request leaves it alone again
    const next = await t.app.inject({ url: "/en/", headers: { cookie } });
    expect(sessionCookie(next)).toBeUndefined();
    expect(await sessionRows()).toEqual([renewed]);
    await t.database.db.delete(sessions);
  });

  it("end when their expiry has passed: the request is signed out", async () => {
    const cookie = await signedIn();
    await t.database.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) });
    const r = await t.app.inject({ url: "/en/my-work", headers: { cookie } });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe("/en/sign-in");
    await t.database.db.delete(sessions);
  });
});
