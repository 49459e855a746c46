/** @fastify/session store backed by the `sessions` table, so sessions survive restarts and work across processes. */
import type { Session } from "fastify";
import type { Db } from "../db/database.ts";
import { deleteSession, findSession, saveSession } from "../db/queries/sessions.ts";

const DAY = 24 * 60 * 60 * 1000;

export function databaseSessionStore(db: Db) {
  return {
    set(id: string, session: Session, callback: (err?: unknown) => void) {
      const expires = session.cookie.expires ? new Date(session.cookie.expires) : new Date(Date.now() + DAY);
      saveSession(db, id, JSON.parse(JSON.stringify(session)) as Record<string, unknown>, expires).then(
        () => callback(),
        callback,
      );
    },
    get(id: string, callback: (err: unknown, result?: Session | null) => void) {
      findSession(db, id).then(
        (data) => callback(null, data as Session | null),
        (err: unknown) => callback(err),
      );
    },
    destroy(id: string, callback: (err?: unknown) => void) {
      deleteSession(db, id).then(() => callback(), callback);
    },
  };
}
