/**
 * What a CLI command runs with: its output streams, its input and the database. A real `omf` process uses the
 * process's own streams and opens the configured database; `runCli` (index.ts) runs a command in this process with
 * streams and, optionally, an open database of the caller's (tests), through an async context.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";
import { type Config, loadConfig } from "../config.ts";
import { type Database, openDatabase } from "../db/database.ts";

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

export async function withDatabase<T>(fn: (database: Database, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const given = cliIo().database;
  if (given) return fn(given, config);
  const database = await openDatabase({ url: config.databaseUrl, dataDir: join(config.dataDir, "pglite") });
  try {
    await database.migrate();
    return await fn(database, config);
  } finally {
    await database.close();
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
