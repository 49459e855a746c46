/**
 * Sign-in throttling (issue 11, item 11): attempts are counted before their password is checked, atomically, so
 * parallel attempts never check more passwords than the limit; and failures are throttled per source as well as per
 * account, so a guesser at one address cannot lock the real user out from another.
 */
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { loginAttempts } from "../../src/db/schema.ts";
import {
  createUser,
  LOGIN_MAX_ACCOUNT_FAILURES,
  LOGIN_MAX_FAILURES,
  LOGIN_MAX_SOURCE_FAILURES,
  LOGIN_WINDOW_MS,
  pruneLoginAttempts,
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

describe("old sign-in attempts", () => {
  const DAY = 24 * 60 * 60 * 1000;
  async function attemptAt(when: Date, succeeded: boolean) {
    await database.db
      .insert(loginAttempts)
      .values({ email: "real@example.org", ip: "10.0.0.1", succeeded, attemptedAt: when });
  }

  it("are deleted after 30 days, successes and failures alike, and those within the window are kept", async () => {
    const now = new Date();
    await attemptAt(new Date(now.getTime() - 31 * DAY), false);
    await attemptAt(new Date(now.getTime() - 45 * DAY), true);
    await attemptAt(new Date(now.getTime() - 29 * DAY), false);
    await attemptAt(new Date(now.getTime() - LOGIN_WINDOW_MS / 2), false);
    expect(await pruneLoginAttempts(database.db, now)).toBe(2);
    const [{ left }] = (await database.db.select({ left: sql<number>`count(*)::int` }).from(loginAttempts)) as [
      { left: number },
    ];
    expect(left).toBe(2);
    // the recent failure still counts against the account
    expect(await failures("real@example.org")).toBe(2);
    expect(await pruneLoginAttempts(database.db, now)).toBe(0);
  });

  it("are pruned by the hourly housekeeping sweep the web app starts", async () => {
    const { startSessionCleanup } = await import("../../src/web/session-store.ts");
    const { createServices } = await import("../../src/services/index.ts");
    const services = createServices({ database, analysis: "inline" });
    await attemptAt(new Date(Date.now() - 40 * DAY), false);
    const stop = startSessionCleanup(services, 60 * 60 * 1000);
    try {
      await expect
        .poll(async () => (await database.db.select().from(loginAttempts)).length, { timeout: 30_000 })
        .toBe(0);
    } finally {
      stop();
    }
  });
});
