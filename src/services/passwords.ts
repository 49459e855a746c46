/**
 * Password hashes: argon2id in the PHC string format, with @node-rs/argon2 (prebuilt binaries for every platform,
 * nothing compiled at install). Hashes written by the `argon2` package this replaced verify unchanged.
 */
import { hash, verify } from "@node-rs/argon2";

/** `Algorithm.Argon2id` (a const enum, which this project's TypeScript settings cannot read from a declaration). */
const ARGON2ID = 2;

/** argon2id with the OWASP minimum parameters (19 MiB, 2 iterations). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await verify(hash, password);
  } catch {
    return false;
  }
}
