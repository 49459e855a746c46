/** Opens the configured database for a CLI command, migrated, and closes it afterwards. */
import { join } from "node:path";
import { type Config, loadConfig } from "../config.ts";
import { type Database, openDatabase } from "../db/database.ts";
import { type AnalyseOptions, type AnalyseReport, analyseMeasures } from "../services/analysis/index.ts";
import { cliIo } from "./io.ts";

let commandName = "omf";

/** Names the running command ("omf import") to other processes that find the embedded database in use. */
export function setCommandName(name: string): void {
  commandName = name;
}

/**
 * Runs `fn` with the database: the running server's when the command was handed to it, else the configured one,
 * opened (and locked, when embedded) and migrated for the command and closed afterwards.
 */
export async function withDatabase<T>(fn: (database: Database, config: Config) => Promise<T>): Promise<T> {
  const server = cliIo().server;
  if (server) return fn(server.database, server.config);
  const config = loadConfig();
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: join(config.dataDir, "pglite"),
    holder: commandName,
  });
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
  return cliIo().readStdin();
}

/** Recomputes the stored analysis: in the server's analysis worker when the command was handed to it, else here. */
export function analyse(
  database: Database,
  codes?: readonly string[],
  options: AnalyseOptions = {},
): Promise<AnalyseReport> {
  const server = cliIo().server;
  return server ? server.analyse(codes, options) : analyseMeasures(database.db, codes, options);
}

/**
 * After a command changed published data: the stored analysis brought up to date before the command returns, so
 * that every server shows the change within the two seconds it trusts its cache (README).
 */
export async function afterDataChange(database: Database): Promise<void> {
  const server = cliIo().server;
  if (server) {
    await server.dataChanged(null);
    return;
  }
  const report = await analyseMeasures(database.db);
  if (report.analysed > 0) {
    cliIo().stderr.write(
      `analysed ${report.analysed} measure${report.analysed === 1 ? "" : "s"} in ${(report.ms / 1000).toFixed(1)} s\n`,
    );
  }
}
