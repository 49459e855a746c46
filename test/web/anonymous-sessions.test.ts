/**
 * Sessions (issue 11, item 9): anonymous visitors get no session row and no session cookie on any page (public
 * pages, sign-in, errors), signing in still works behind a CSRF check, and expired sessions are deleted by a
 * periodic cleanup that the app schedules.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteExpiredSessions, saveSession } from "../../src/db/queries/sessions.ts";
import { sessions } from "../../src/db/schema.ts";
import { createUser } from "../../src/services/accounts.ts";
import { buildApp } from "../../src/web/app.ts";
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
