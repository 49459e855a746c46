import type { Db } from "../database.ts";

/**
 * Runs `fn` in one transaction: everything it writes with `tx` is committed together, or rolled back together when it
 * throws (the error is rethrown).
 */
export function withTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction((tx) => fn(tx as unknown as Db));
}
