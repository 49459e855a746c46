import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { upsertAreas } from "../../src/db/queries/areas.ts";
import { AccountError, createUser, LOGIN_MAX_FAILURES, permissions, signIn } from "../../src/services/accounts.ts";
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
  await upsertAreas(database.db, {
    areas: [
      {
        code: "W92000004",
        name: { en: "Wales", cy: "Cymru" },
        type: "country",
        parentCode: null,
        sortOrder: 0,
        validFrom: null,
        validTo: null,
      },
      {
        code: "W06000015",
        name: { en: "Cardiff", cy: "Caerdydd" },
        type: "local_authority",
        parentCode: "W92000004",
        sortOrder: 15,
        validFrom: null,
        validTo: null,
      },
    ],
    aliases: [],
    memberships: [],
  });
});

const password = "correct horse battery staple";

describe("accounts", () => {
  it("signs in with the right password and refuses a wrong one", async () => {
    await createUser(database.db, { email: "Analyst@Example.org", password, role: "national_analyst" });
    const ok = await signIn(database.db, "analyst@example.org", password, "127.0.0.1");
    expect(ok.ok).toBe(true);
    const bad = await signIn(database.db, "analyst@example.org", "wrong password!!", "127.0.0.1");
    expect(bad).toEqual({ ok: false, reason: "invalid_credentials" });
    const unknown = await signIn(database.db, "nobody@example.org", password, "127.0.0.1");
    expect(unknown).toEqual({ ok: false, reason: "invalid_credentials" });
  });

  it("stores argon2id hashes, never the password", async () => {
    await createUser(database.db, { email: "a@example.org", password, role: "viewer" });
    const result = await signIn(database.db, "a@example.org", password, "127.0.0.1");
    if (!result.ok) throw new Error("expected sign-in");
    expect(result.user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(result.user.passwordHash).not.toContain(password);
  });

  it("refuses a disabled user even with the right password", async () => {
    await createUser(database.db, { email: "gone@example.org", password, role: "viewer" });
    const { setUserDisabled } = await import("../../src/db/queries/users.ts");
    await setUserDisabled(database.db, "gone@example.org", true);
    expect(await signIn(database.db, "gone@example.org", password, "127.0.0.1")).toEqual({
      ok: false,
      reason: "disabled",
    });
  });

  it("rate-limits repeated failures from one source, even when the password is then right", async () => {
    await createUser(database.db, { email: "r@example.org", password, role: "viewer" });
    for (let i = 0; i < LOGIN_MAX_FAILURES; i++)
      await signIn(database.db, "r@example.org", "nope nope nope", "10.0.0.1");
    expect(await signIn(database.db, "r@example.org", password, "10.0.0.1")).toEqual({
      ok: false,
      reason: "rate_limited",
    });
  });

  it("validates new users: role, password length, scoping, duplicates, unknown areas", async () => {
    await expect(createUser(database.db, { email: "x@example.org", password, role: "boss" })).rejects.toThrow(
      /unknown role "boss"/,
    );
    await expect(
      createUser(database.db, { email: "x@example.org", password: "short", role: "viewer" }),
    ).rejects.toThrow(AccountError);
    await expect(
      createUser(database.db, { email: "x@example.org", password, role: "partnership_editor" }),
    ).rejects.toThrow(/needs at least one --area/);
    await expect(
      createUser(database.db, {
        email: "x@example.org",
        password,
        role: "partnership_editor",
        areaCodes: ["W06000099"],
      }),
    ).rejects.toThrow(/unknown area code W06000099/);
    await createUser(database.db, { email: "x@example.org", password, role: "viewer" });
    await expect(createUser(database.db, { email: "X@example.org", password, role: "viewer" })).rejects.toThrow(
      /already exists/,
    );
  });

  it("scopes partnership editors to their own areas", async () => {
    await createUser(database.db, {
      email: "cardiff@example.org",
      password,
      role: "partnership_editor",
      areaCodes: ["w06000015"],
    });
    const result = await signIn(database.db, "cardiff@example.org", password, "127.0.0.1");
    if (!result.ok) throw new Error("expected sign-in");
    expect(result.user.areaCodes).toEqual(["W06000015"]);
    expect(permissions.canEditArea(result.user, "W06000015")).toBe(true);
    expect(permissions.canEditArea(result.user, "W06000022")).toBe(false);
    expect(permissions.canManageData(result.user)).toBe(false);
    expect(permissions.canEditArea({ role: "national_admin", areaCodes: [] }, "W06000022")).toBe(true);
    expect(permissions.canEditArea(null, "W06000015")).toBe(false);
    expect(permissions.canViewDrafts(null)).toBe(false);
  });
});
