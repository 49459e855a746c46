/**
 * The one pino logger of a process: given to Fastify (which adds a child per request, with its request id) and to
 * the services (which log what they did: imports, publications, rollbacks, analysis runs and their failures).
 * `LOG_LEVEL` is honoured as given (`silent` logs nothing).
 */
import { pino } from "pino";
import type { LogLevel } from "./config.ts";

export type Logger = pino.Logger;

/** A logger at `level`, writing JSON lines to stdout (the server) or stderr (CLI commands, whose stdout is output). */
export function createLogger(options: { level: LogLevel; stream?: "stdout" | "stderr" }): Logger {
  if (options.stream === "stderr") return pino({ level: options.level }, pino.destination({ dest: 2, sync: true }));
  return pino({ level: options.level });
}

/** A logger that writes nothing (tests, benchmarks, and anything composed without one). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
