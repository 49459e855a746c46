/**
 * Sign-in throttling (issue 11, item 11): attempts are counted before their password is checked, atomically, so
 * parallel attempts never check more passwords than the limit; and failures are throttled per source as well as per
 * account, so a guesser at one address cannot lock the real user out from another.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { loginAttempts } from "../../src/db/schema.ts";
import {
  createUser,
  LOGIN_MAX_ACCOUNT_FAILURES,
  LOGIN_MAX_FAILURES,
  LOGIN_MAX_SOURCE_FAILURES,
  signIn,
} from "../../src/services/accounts.ts";
import { freshDatabase, truncateAll } from "../support/test-database.ts";

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  await truncateAll(database);
  await createUser(database.db, { email: "real@example.org", password, role: "viewer" });
});

const password = "correct horse battery staple";

async function failures(email: string): Promise<number> {
  const rows = await database.db
    .select()
    .from(loginAttempts)
    .where(and(eq(loginAttempts.email, email), eq(loginAttempts.succeeded, false)));
  return rows.length;
}

describe("sign-in throttling", () => {
  it("checks no more passwords than the limit when 40 wrong attempts arrive at once", async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => signIn(database.db, "real@example.org", `wrong guess ${i}`, "10.0.0.9")),
    );
    const checked = results.filter((r) => !r.ok && r.reason === "invalid_credentials").length;
    expect(checked).toBe(LOGIN_MAX_FAILURES);
    expect(results.filter((r) => !r.ok && r.reason === "rate_limited")).toHaveLength(40 - LOGIN_MAX_FAILURES);
    expect(await failures("real@example.org")).toBe(LOGIN_MAX_FAILURES);
  }, 120_000);

  it("does not let a guesser at one address lock the real user out from another", async () => {
    for (let round = 0; round < 3; round++) {
      // the attacker keeps trying: refused attempts are not checked, and do not count against the account
      for (let i = 0; i < LOGIN_MAX_FAILURES + 3; i++) {
        await signIn(database.db, "real@example.org", "guess guess guess", "203.0.113.66");
      }
      expect(await signIn(database.db, "real@example.org", password, "203.0.113.66")).toEqual({
        ok: false,
        reason: "rate_limited",
      });
      const real = await signIn(database.db, "real@example.org", password, "198.51.100.7");
      expect(real.ok).toBe(true);
    }
    expect(await failures("real@example.org")).toBe(LOGIN_MAX_FAILURES);
  }, 120_000);

  it("stops one source spraying many accounts", async () => {
    for (let i = 0; i < LOGIN_MAX_SOURCE_FAILURES; i++) {
      expect(await signIn(database.db, `user${i}@example.org`, "spray spray spray", "203.0.113.5")).toEqual({
        ok: false,
        reason: "invalid_credentials",
      });
    }
    expect(await signIn(database.db, "real@example.org", password, "203.0.113.5")).toEqual({
      ok: false,
      reason: "rate_limited",
    });
    expect((await signIn(database.db, "real@example.org", password, "198.51.100.7")).ok).toBe(true);
  }, 120_000);

  it("caps guesses at one account spread over many sources", async () => {
    const sources = Math.ceil(LOGIN_MAX_ACCOUNT_FAILURES / LOGIN_MAX_FAILURES);
    for (let s = 0; s < sources; s++) {
      for (let i = 0; i < LOGIN_MAX_FAILURES; i++) {
        await signIn(database.db, "real@example.org", "botnet guess!!", `192.0.2.${s + 1}`);
      }
    }
    expect(await failures("real@example.org")).toBe(LOGIN_MAX_ACCOUNT_FAILURES);
    expect(await signIn(database.db, "real@example.org", "botnet guess!!", "192.0.2.200")).toEqual({
      ok: false,
      reason: "rate_limited",
    });
  }, 300_000);
});
