/**
 * Sign-in attempts and their throttling (issue 11, item 11). An attempt is counted *before* its password is checked:
 * in one transaction, under advisory locks on its source address and on its account (always in that order, so two
 * attempts never wait on each other in a cycle), the recent failures are counted and, when every limit allows it,
 * the attempt is recorded as a failure. Only then is the password verified, and a right one turns the row into a
 * success. So parallel attempts, in one process or in several servers on one PostgreSQL, are counted one after
 * another and never check more passwords than the limits allow.
 */
import { and, eq, gt, lt, or, sql } from "drizzle-orm";
import type { Db } from "../database.ts";
import { loginAttempts } from "../schema.ts";

/** Advisory lock namespaces (the first key of `pg_advisory_xact_lock(int, int)`). */
const SOURCE_LOCK = 74_201;
const ACCOUNT_LOCK = 74_202;

export interface LoginLimits {
  /** Failures counted since this time. */
  since: Date;
  /** Most failures from one source address, whatever the account. */
  perSource: number;
  /** Most failures for one account from one source address. */
  perAccountAndSource: number;
  /** Most failures for one account from all sources together. */
  perAccount: number;
}

export type LoginReservation =
  | { ok: true; attemptId: number }
  | { ok: false; limit: "source" | "account_and_source" | "account" };

/** Reserves a sign-in attempt under the limits: recorded as a failure until `markAttemptSucceeded`. */
export async function reserveLoginAttempt(
  db: Db,
  email: string,
  ip: string,
  limits: LoginLimits,
): Promise<LoginReservation> {
  const account = email.trim().toLowerCase();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SOURCE_LOCK}, hashtext(${ip}))`);
    await tx.execute(sql`select pg_advisory_xact_lock(${ACCOUNT_LOCK}, hashtext(${account}))`);
    const sameSource = sql`${loginAttempts.ip} = ${ip}`;
    const sameAccount = sql`${loginAttempts.email} = ${account}`;
    const [counts] = await tx
      .select({
        source: sql<number>`(count(*) filter (where ${sameSource}))::int`,
        pair: sql<number>`(count(*) filter (where ${sameSource} and ${sameAccount}))::int`,
        account: sql<number>`(count(*) filter (where ${sameAccount}))::int`,
      })
      .from(loginAttempts)
      .where(
        and(
          eq(loginAttempts.succeeded, false),
          gt(loginAttempts.attemptedAt, limits.since),
          or(sameSource, sameAccount),
        ),
      );
    if (counts!.source >= limits.perSource) return { ok: false, limit: "source" } as const;
    if (counts!.pair >= limits.perAccountAndSource) return { ok: false, limit: "account_and_source" } as const;
    if (counts!.account >= limits.perAccount) return { ok: false, limit: "account" } as const;
    const [row] = await tx
      .insert(loginAttempts)
      .values({ email: account, ip, succeeded: false })
      .returning({ id: loginAttempts.id });
    return { ok: true, attemptId: row!.id } as const;
  });
}

/** Marks a reserved attempt as a successful sign-in. */
export async function markAttemptSucceeded(db: Db, attemptId: number): Promise<void> {
  await db.update(loginAttempts).set({ succeeded: true }).where(eq(loginAttempts.id, attemptId));
}

/** Deletes sign-in attempts made before `before` (successes and failures alike); returns how many. */
export async function deleteLoginAttemptsBefore(db: Db, before: Date): Promise<number> {
  const rows = await db
    .delete(loginAttempts)
    .where(lt(loginAttempts.attemptedAt, before))
    .returning({ id: loginAttempts.id });
  return rows.length;
}
