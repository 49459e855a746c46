/**
 * What a CLI command runs with: its output streams, its input and the services. A real `omf` process uses the
 * process's own streams and opens the services on the configured database; `runCli` (index.ts) runs a command in this
 * process with streams and, optionally, an open database of the caller's (tests), through an async context.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Readable, Writable } from "node:stream";
import { type Config, loadConfig } from "../config.ts";
import type { Database } from "../db/database.ts";
import { createLogger } from "../logger.ts";
import { createServices, openServices, type Services } from "../services/index.ts";

export interface CliIo {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  stdin: Readable;
  /** An open, migrated database to use instead of the configured one (left open afterwards). */
  database?: Database | undefined;
}

const context = new AsyncLocalStorage<CliIo>();

/** The streams (and database) of the command running now: the process's own outside `runWithIo`. */
export function cliIo(): CliIo {
  return context.getStore() ?? { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };
}

/** Runs `fn` with the given streams and database as the CLI's. */
export function runWithIo<T>(io: CliIo, fn: () => Promise<T>): Promise<T> {
  return context.run(io, fn);
}

export async function withServices<T>(fn: (services: Services, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  // stdout is the command's output: the services log on stderr, and only when LOG_LEVEL asks for it
  const logger = createLogger({ level: config.logLevelSet ? config.logLevel : "silent", stream: "stderr" });
  const given = cliIo().database;
  if (given) return fn(createServices({ database: given, config, logger }), config);
  const services = await openServices(config, logger);
  try {
    return await fn(services, config);
  } finally {
    await services.close();
  }
}

/** A CLI failure: printed as one line on stderr with the given exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of cliIo().stdin) chunks.push(Buffer.from(chunk as Buffer | string));
  return Buffer.concat(chunks).toString("utf8");
}
