/**
 * The one pino logger of a process: given to Fastify (which adds a child per request, with its request id) and to
 * the services (which log what they did: imports, publications, rollbacks, analysis runs and their failures).
 * `LOG_LEVEL` is honoured as given (`silent` logs nothing). Every line is one JSON object; a line logged while a
 * request is being answered carries its `reqId` (the `x-request-id` of the response), the services' lines too.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { pino } from "pino";
import type { LogLevel } from "./config.ts";

export type Logger = pino.Logger;

/** The request being answered (set by the web app for each request), so that any log line can name it. */
export const requestContext = new AsyncLocalStorage<{ reqId: string }>();

/** Adds the request id to lines of loggers that do not already carry it (Fastify's request loggers do). */
function requestIdMixin(_object: object, _level: number, logger: Logger): object {
  const request = requestContext.getStore();
  if (!request || "reqId" in logger.bindings()) return {};
  return { reqId: request.reqId };
}

/**
 * A logger at `level`, writing JSON lines to stdout (the server), stderr (CLI commands, whose stdout is output) or
 * the given destination (tests).
 */
export function createLogger(options: {
  level: LogLevel;
  stream?: "stdout" | "stderr";
  destination?: pino.DestinationStream;
}): Logger {
  const settings = { level: options.level, mixin: requestIdMixin };
  if (options.destination) return pino(settings, options.destination);
  if (options.stream === "stderr") return pino(settings, pino.destination({ dest: 2, sync: true }));
  return pino(settings);
}

/** A logger that writes nothing (tests, benchmarks, and anything composed without one). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
