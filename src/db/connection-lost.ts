/** Recognising a lost PostgreSQL connection (no dependencies: the CLI loads it before anything else). */
const LOST_CODES = new Set([
  "EPIPE",
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "57P01",
  "57P02",
  "57P03",
]);

/**
 * One line for an error that means the connection to PostgreSQL was lost in the middle of a command (the server
 * stopped, the network dropped it), or null for any other error. What the command was writing is rolled back.
 */
export function connectionLostMessage(error: unknown): string | null {
  const e = error as { code?: string; message?: string } | null;
  if (!e || typeof e !== "object") return null;
  const lost =
    (e.code !== undefined && LOST_CODES.has(e.code)) ||
    /^Connection terminated( unexpectedly)?$|^Client has encountered a connection error/.test(e.message ?? "");
  if (!lost) return null;
  return `the connection to the database was lost (${e.message || e.code}); what the command was writing has not been committed: run it again when the database is back`;
}

/**
 * Whether an error (or its cause: drizzle wraps the driver's error) means PostgreSQL cannot be reached just now: the
 * connection was lost or refused, the server is shutting down or starting, or no connection came within the pool's
 * timeout. The web app answers these with 503 (try again), not 500.
 */
export function databaseUnavailable(error: unknown): boolean {
  let e = error as { cause?: unknown } | null;
  for (let depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    if (connectionLostMessage(e) !== null) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === "string" && /^timeout exceeded when trying to connect$|connection timeout/i.test(message))
      return true;
    e = e.cause as { cause?: unknown } | null;
  }
  return false;
}
