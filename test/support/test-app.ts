/** A seeded test database and the app on top of it, for route tests with `app.inject`. */
import type { FastifyInstance } from "fastify";
import type { Database } from "../../src/db/database.ts";
import { createUser } from "../../src/services/accounts.ts";
import { buildApp } from "../../src/web/app.ts";
import { freshReferenceDatabase } from "./demo-database.ts";

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  close(): Promise<void>;
}

export async function seededApp(): Promise<TestApp> {
  const database = await freshReferenceDatabase(); // the framework and areas, seeded once per run and cloned
  const app = await buildApp({ database, sessionSecret: "a-test-secret-that-is-at-least-32-characters" });
  return {
    app,
    database,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

/** Cookie header from a response's set-cookie, to carry a session into the next request. */
export function cookiesFrom(response: { cookies: { name: string; value: string }[] }): string {
  return response.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
}

export function csrfTokenFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error("no CSRF token in page");
  return m[1]!;
}

/**
 * Creates a user with `role` (a partnership editor gets Cardiff, or `areaCodes`) and signs them in through the sign-in form; returns
 * the session cookie and the user's id.
 */
export async function signInAs(
  t: TestApp,
  role: string,
  email = `${role}@example.org`,
  password = "a long passphrase here",
  areaCodes: readonly string[] = ["W06000015"],
): Promise<{ cookie: string; userId: number }> {
  const userId = await createUser(t.database.db, {
    email,
    password,
    role,
    ...(role === "partnership_editor" ? { areaCodes: [...areaCodes] } : {}),
  });
  const page = await t.app.inject({ url: "/en/sign-in" });
  const cookie = cookiesFrom(page);
  const r = await t.app.inject({
    method: "POST",
    url: "/en/sign-in",
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({ _csrf: csrfTokenFrom(page.body), email, password }).toString(),
  });
  if (r.statusCode !== 303) throw new Error(`sign-in as ${email} answered ${r.statusCode}`);
  return { cookie: cookiesFrom(r) || cookie, userId };
}
