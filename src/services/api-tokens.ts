/**
 * API tokens for machine clients (POST /api/v1/imports). A token is shown once when created; only its SHA-256 hash
 * is stored. A token acts as its user, with that user's permissions.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db/database.ts";
import {
  type ApiTokenRow,
  findTokenUser,
  insertApiToken,
  listApiTokens,
  revokeApiToken,
} from "../db/queries/api-tokens.ts";
import { findUserByEmail, findUserById, type UserRecord } from "../db/queries/users.ts";
import { AccountError } from "./accounts.ts";

export const TOKEN_PREFIX = "omf_";

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export async function createApiToken(
  db: Db,
  input: { email: string; name: string },
): Promise<{ id: number; token: string; user: UserRecord }> {
  const user = await findUserByEmail(db, input.email);
  if (!user) throw new AccountError(`no user with email ${input.email}`);
  if (user.disabledAt) throw new AccountError(`user ${user.email} is disabled`);
  const name = input.name.trim();
  if (name === "") throw new AccountError("give the token a name (what or who uses it)");
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const id = await insertApiToken(db, { name, tokenHash: hashToken(token), userId: user.id });
  return { id, token, user };
}

/** The (enabled) user a bearer token belongs to, or null. */
export async function authenticateToken(db: Db, token: string): Promise<UserRecord | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length < 20) return null;
  const found = await findTokenUser(db, hashToken(token));
  if (!found) return null;
  const user = await findUserById(db, found.userId);
  return user && !user.disabledAt ? user : null;
}

/** Every API token (name, user, created, revoked), never the token or its hash. */
export function listTokens(db: Db): Promise<ApiTokenRow[]> {
  return listApiTokens(db);
}

/** Revokes a token: from now on it is refused (401) by the API. Refuses an unknown or already revoked token. */
export async function revokeToken(db: Db, id: number): Promise<ApiTokenRow> {
  const token = (await listApiTokens(db)).find((t) => t.id === id);
  if (!token) throw new AccountError(`no API token ${id} (see omf token list)`);
  if (token.revokedAt || !(await revokeApiToken(db, id))) {
    throw new AccountError(`API token ${id} "${token.name}" is already revoked`);
  }
  return token;
}
