/**
 * Password hashing with @node-rs/argon2 (prebuilt; nothing compiled at install): argon2id with the OWASP parameters,
 * and hashes stored by the `argon2` package used before still verify (users keep their passwords).
 */
import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "../../src/services/passwords.ts";

/** Made by argon2@0.45.1 (`argon2.hash(…, { type: argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 })`). */
const OLD_PACKAGE_HASH =
  "$argon2id$v=19$m=19456,p=1,t=2$VhAXUcrRc+D8+ddRUrOlMw$Lnta4f1a6mDExb1GuneWkKv147mVXIleNpif4NuGxpE";
const OLD_PACKAGE_PASSWORD = "correct horse battery staple";

describe("passwords", () => {
  it("hashes with argon2id, 19 MiB, 2 iterations, 1 lane, and a fresh salt each time", async () => {
    const a = await hashPassword("a long passphrase here");
    const b = await hashPassword("a long passphrase here");
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, "a long passphrase here")).toBe(true);
    expect(await verifyPassword(a, "a long passphrase hera")).toBe(false);
  });

  it("verifies a hash stored by the argon2 package used before", async () => {
    expect(await verifyPassword(OLD_PACKAGE_HASH, OLD_PACKAGE_PASSWORD)).toBe(true);
    expect(await verifyPassword(OLD_PACKAGE_HASH, `${OLD_PACKAGE_PASSWORD}!`)).toBe(false);
  });

  it("answers false, never throws, for a hash it cannot read", async () => {
    expect(await verifyPassword("not a hash", "x")).toBe(false);
    expect(await verifyPassword("", "x")).toBe(false);
  });
});
