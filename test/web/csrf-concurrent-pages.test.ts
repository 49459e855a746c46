/**
 * A session's first pages loaded at once (several tabs opened right after signing in, or a load test's clients
 * sharing a session) all give CSRF tokens that are accepted: the session's CSRF secret is made when signing in, not
 * by whichever first page saves the session last (which made the other pages' forms answer 403).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { csrfTokenFrom, seededApp, signInAs, type TestApp } from "../support/test-app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await seededApp();
});
afterAll(async () => {
  await t?.close();
});

it("accepts the form tokens of pages loaded at once right after signing in", async () => {
  const { cookie } = await signInAs(t, "national_analyst");
  const pages = await Promise.all(
    Array.from({ length: 8 }, () => t.app.inject({ url: "/en/my-work", headers: { cookie } })),
  );
  const tokens = pages.map((p) => csrfTokenFrom(p.body));
  for (const token of tokens) {
    // an empty task: refused for its fields (400) once the token is accepted, never 403
    const r = await t.app.inject({
      method: "POST",
      url: "/en/reports/data-development/tasks",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({ _csrf: token }).toString(),
    });
    expect(r.statusCode).toBe(400);
  }
});
