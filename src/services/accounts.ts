/**
 * Accounts: creating users, signing in (with rate limiting), and what each role may do.
 */

import type { Db } from "../db/database.ts";
import { listAreaCodes } from "../db/queries/areas.ts";
import { deleteLoginAttemptsBefore, markAttemptSucceeded, reserveLoginAttempt } from "../db/queries/login-attempts.ts";
import { findUserByEmail, insertUser, type UserRecord } from "../db/queries/users.ts";
import { ROLES, type Role } from "../domain/enums.ts";
import { InvalidError } from "../domain/errors.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";

/** An account request that cannot be done as asked (the message says why). */
export class AccountError extends InvalidError {}

export const MIN_PASSWORD_LENGTH = 12;
/**
 * Sign-in throttling (README "Signing in, sessions and throttling"): failures within the window are counted per source address, per
 * account and source, and per account. One source reaches its own limits long before the account's, so a guesser at
 * one address cannot lock the real user out from another; the account limit caps guessing spread over many addresses.
 */
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
/** Failed sign-ins allowed for one account from one source address within the window. */
export const LOGIN_MAX_FAILURES = 5;
/** Failed sign-ins allowed from one source address, whatever the accounts, within the window. */
export const LOGIN_MAX_SOURCE_FAILURES = 20;
/** Failed sign-ins allowed for one account from all addresses together within the window. */
export const LOGIN_MAX_ACCOUNT_FAILURES = 50;
/**
 * How long sign-in attempts are kept: long past the throttling window, so an administrator can look back over a month
 * of attempts (e.g. after a guessing campaign), and no longer, so the table does not grow without end.
 */
export const LOGIN_ATTEMPT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/** Deletes sign-in attempts older than the retention period (never one inside the throttling window). */
export function pruneLoginAttempts(db: Db, now: Date = new Date()): Promise<number> {
  const keep = Math.max(LOGIN_ATTEMPT_RETENTION_MS, LOGIN_WINDOW_MS);
  return deleteLoginAttemptsBefore(db, new Date(now.getTime() - keep));
}

export interface NewUser {
  email: string;
  password: string;
  role: string;
  areaCodes?: string[];
  displayName?: string;
}

export async function createUser(db: Db, input: NewUser): Promise<number> {
  const email = input.email.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new AccountError(`"${input.email}" is not an email address`);
  if (!(ROLES as readonly string[]).includes(input.role)) {
    throw new AccountError(`unknown role "${input.role}": expected one of ${ROLES.join(", ")}`);
  }
  const role = input.role as Role;
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new AccountError(`the password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  const areaCodes = [...new Set((input.areaCodes ?? []).map((c) => c.trim().toUpperCase()))];
  if (role === "partnership_editor" && areaCodes.length === 0) {
    throw new AccountError("a partnership editor needs at least one --area (a local authority code such as W06000015)");
  }
  if (role !== "partnership_editor" && areaCodes.length > 0) {
    throw new AccountError(`only partnership editors are scoped to areas; a ${role} sees every area`);
  }
  const known = new Set(await listAreaCodes(db));
  const unknown = areaCodes.filter((c) => !known.has(c));
  if (unknown.length > 0) throw new AccountError(`unknown area code ${unknown.join(", ")}`);
  if (await findUserByEmail(db, email)) throw new AccountError(`a user with email ${email} already exists`);
  return insertUser(db, {
    email,
    passwordHash: await hashPassword(input.password),
    role,
    displayName: input.displayName,
    areaCodes,
  });
}

export type SignInResult =
  | { ok: true; user: UserRecord }
  | { ok: false; reason: "invalid_credentials" | "disabled" | "rate_limited" };

/**
 * Signs in. The attempt is counted (as a failure) before the password is checked, atomically across processes, so
 * parallel attempts never check more passwords than the limits allow; a right password then marks it a success.
 */
export async function signIn(db: Db, email: string, password: string, ip: string): Promise<SignInResult> {
  const reserved = await reserveLoginAttempt(db, email, ip, {
    since: new Date(Date.now() - LOGIN_WINDOW_MS),
    perSource: LOGIN_MAX_SOURCE_FAILURES,
    perAccountAndSource: LOGIN_MAX_FAILURES,
    perAccount: LOGIN_MAX_ACCOUNT_FAILURES,
  });
  if (!reserved.ok) return { ok: false, reason: "rate_limited" };
  const user = await findUserByEmail(db, email);
  // Verify even for unknown users, so the response time does not reveal which emails exist.
  const ok = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
  if (!user || !ok) return { ok: false, reason: "invalid_credentials" };
  if (user.disabledAt) return { ok: false, reason: "disabled" };
  await markAttemptSucceeded(db, reserved.attemptId);
  return { ok: true, user };
}

const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0H7jGzm3fVRC+nX1hQ4rD2u3dEJ5p3I8yWq0aWcHmZU";

/** What a user may do: decided in the domain (src/domain/permissions.ts). */
export { permissions } from "../domain/permissions.ts";
