/** Opens the services on the configured database (migrated) for a CLI command, and closes them afterwards. */
import type { Config } from "../config.ts";
import type { Services } from "../services/index.ts";
import { cliIo } from "./io.ts";

let commandName = "omf";

/** Names the running command ("omf import") to other processes that find the embedded database in use. */
export function setCommandName(name: string): void {
  commandName = name;
}

/**
 * Runs `fn` with the services: the running server's when the command was handed to it, else ones opened (the
 * embedded database locked for this command) and migrated for the command and closed afterwards.
 */
export async function withServices<T>(fn: (services: Services, config: Config) => Promise<T>): Promise<T> {
  const server = cliIo().server;
  if (server) return fn(server.services, server.config);
  // the services (database drivers, ORM, readers) are loaded by the command that uses them, not by `omf --help`
  const [{ loadConfig }, { createLogger }, { createServices, openServices }] = await Promise.all([
    import("../config.ts"),
    import("../logger.ts"),
    import("../services/index.ts"),
  ]);
  const config = loadConfig();
  // stdout is the command's output: the services log on stderr, and only when LOG_LEVEL asks for it
  const logger = createLogger({ level: config.logLevelSet ? config.logLevel : "silent", stream: "stderr" });
  const given = cliIo().database;
  if (given) return fn(createServices({ database: given, config, logger, analysis: "inline" }), config);
  // a command analyses in its own thread (nothing else waits on it), before it returns
  const services = await openServices(config, logger, { holder: commandName, analysis: "inline" });
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
  return cliIo().readStdin();
}
