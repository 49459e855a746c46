/**
 * Graceful shutdown of `omf serve` (SIGTERM or SIGINT): no new connections or commands are taken; the requests,
 * the commands handed to the server and the imports, publications and rollbacks under way finish; then the database
 * is closed and the process exits 0. A second signal, or a shutdown taking longer than the grace period, exits at
 * once with 1 (what was not committed is rolled back by the database, as after a crash: nothing is half-written).
 */
import type { Logger } from "../logger.ts";

interface Closable {
  close(): Promise<unknown>;
}

/** Stops the server in order: the web app and the control socket (both drain), then the services and database. */
export async function shutDown(parts: { app: Closable; control: Closable | null; services: Closable }): Promise<void> {
  await Promise.all([parts.app.close(), parts.control?.close()]);
  await parts.services.close(); // waits for the imports, publications and rollbacks under way
}

/** Calls `stop` on SIGTERM/SIGINT and exits when it is done (0) or fails, takes over `graceMs` or is signalled again (1). */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger, graceMs: number): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, "second signal: stopping now, without waiting for the work under way");
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal, graceMs }, "stopping: finishing the requests, commands and imports under way");
    setTimeout(() => {
      logger.error({ graceMs }, "stopping took longer than the grace period: stopping now");
      process.exit(1);
    }, graceMs).unref();
    stop().then(
      () => {
        logger.info("stopped");
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, "stopping failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
