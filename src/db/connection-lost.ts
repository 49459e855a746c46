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

/**
 * One line for an error that means the database's disk is full (PostgreSQL's disk_full, or the file system's "No
 * space left on device", found on the error or its cause), naming `where` the database is (its folder); null for any
 * other error. The transaction under way is rolled back by the database, so nothing of the command was written.
 */
export function diskFullMessage(error: unknown, where?: string): string | null {
  let e = error as { code?: unknown; message?: unknown; cause?: unknown } | null;
  for (let depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const message = typeof e.message === "string" ? e.message : "";
    if (e.code === "53100" || e.code === "ENOSPC" || /No space left on device/i.test(message))
      return `the disk of ${where ?? "the database"} is full (${message || "no space left on device"}): nothing of what the command was writing has been committed; free some space and run it again`;
    e = e.cause as typeof e;
  }
  return null;
}
