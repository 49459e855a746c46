/** @fastify/session store backed by the sessions service, so sessions survive restarts and work across processes. */
import type { FastifyRequest, Session } from "fastify";
import type { Services } from "../services/index.ts";

const DAY = 24 * 60 * 60 * 1000;

/** A signed-in session lasts this long after the last request (sliding), give or take `SESSION_RENEW_MS`. */
export const SESSION_MAX_AGE_MS = 8 * 60 * 60 * 1000;

/**
 * How old a session's stored expiry may get before a request renews it. Renewing writes the session row and sends
 * the cookie again; doing that on every request (the plugin's `rolling` default) was a database write per page, API
 * call and asset a signed-in browser asked for. Renewing at most every five minutes keeps the sliding 8 hours within
 * five minutes (the "touch after" of connect-mongo and similar stores).
 */
export const SESSION_RENEW_MS = 5 * 60 * 1000;

/**
 * Marks a signed-in session for saving when its stored expiry was set more than `SESSION_RENEW_MS` ago: the plugin
 * then writes it with an expiry `SESSION_MAX_AGE_MS` from now and sends the cookie with that expiry.
 */
export function renewSession(session: FastifyRequest["session"], now: number = Date.now()): void {
  const stored = (session.cookie as { originalExpires?: Date }).originalExpires;
  if (stored && stored.getTime() - now > SESSION_MAX_AGE_MS - SESSION_RENEW_MS) return;
  session.set("renewedAt", now);
}

export function databaseSessionStore(sessions: Services["sessions"]) {
  return {
    set(id: string, session: Session, callback: (err?: unknown) => void) {
      const expires = session.cookie.expires ? new Date(session.cookie.expires) : new Date(Date.now() + DAY);
      sessions
        .save(id, JSON.parse(JSON.stringify(session)) as Record<string, unknown>, expires)
        .then(() => callback(), callback);
    },
    get(id: string, callback: (err: unknown, result?: Session | null) => void) {
      sessions.find(id).then(
        (data) => callback(null, data as Session | null),
        (err: unknown) => callback(err),
      );
    },
    destroy(id: string, callback: (err?: unknown) => void) {
      sessions.destroy(id).then(() => callback(), callback);
    },
  };
}

/** How often expired sessions and old sign-in attempts are deleted (and once at start). */
export const SESSION_CLEANUP_MS = 60 * 60 * 1000;

/**
 * Deletes expired sessions and sign-in attempts past their retention now and then every `everyMs` (the timer does
 * not keep the process alive); returns the function that stops it. A failed sweep is logged and retried at the next
 * interval.
 */
export function startSessionCleanup(
  services: Pick<Services, "sessions" | "accounts">,
  everyMs: number = SESSION_CLEANUP_MS,
  onError: (error: unknown) => void = () => {},
): () => void {
  const sweep = () => {
    services.sessions.deleteExpired().catch(onError);
    services.accounts.pruneLoginAttempts().catch(onError);
  };
  sweep();
  const timer = setInterval(sweep, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
