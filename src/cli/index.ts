#!/usr/bin/env node
/**
 * The `omf` command. Every sub-command has --help; errors are one clear line on stderr and a non-zero exit.
 * While `omf serve` holds the embedded database, other commands are handed to it (src/cli/control-client.ts).
 */
import { Readable, type Writable } from "node:stream";
import { Command, CommanderError } from "commander";
import { isOmfError } from "../domain/errors.ts";
import type { Database } from "../services/index.ts";
import { connectionLostMessage, diskFullMessage } from "../services/process-state.ts";
import { registerAgreementCommands } from "./agreement-commands.ts";
import { registerAnalyseCommand } from "./analyse-command.ts";
import { registerBackupCommands } from "./backup-commands.ts";
import { CliError, setCommandName } from "./context.ts";
import { commandWords, handToServer } from "./control-client.ts";
import { registerDataCommands } from "./data-commands.ts";
import { registerFrameworkCommands } from "./framework-commands.ts";
import { registerImportCommands } from "./import-commands.ts";
import { type CliIo, cliIo, withCliIo } from "./io.ts";
import { registerPlanCommands } from "./plan-commands.ts";
import { registerReportCommands } from "./report-commands.ts";
import { registerServeCommand } from "./serve-command.ts";
import { registerUserCommands } from "./user-commands.ts";

export function createProgram(): Command {
  const program = new Command("omf")
    .description("Outcomes Measures Framework for children and young people: framework, data, statistics, reports")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (text) => cliIo().stdout.write(text),
      writeErr: (text) => cliIo().stderr.write(text),
    })
    .exitOverride();
  registerServeCommand(program, runCommand);
  registerDataCommands(program);
  registerAnalyseCommand(program);
  registerFrameworkCommands(program);
  registerUserCommands(program);
  registerImportCommands(program);
  registerPlanCommands(program);
  registerReportCommands(program);
  registerAgreementCommands(program);
  registerBackupCommands(program);
  return program;
}

/** OMF_DEBUG: print the stack of an unexpected failure (a broken OMF_DEBUG value must not hide the failure). */
async function debugWanted(): Promise<boolean> {
  try {
    const server = cliIo().server;
    if (server) return server.config.debug;
    // the configuration (and its schema library) is loaded only when needed, not for --help
    const { setting } = await import("../config.ts");
    return setting("OMF_DEBUG");
  } catch {
    return false;
  }
}

/** The one line for a failure: a lost database connection says so, anything else its message. */
function oneLine(error: unknown): string {
  return connectionLostMessage(error) ?? (error instanceof Error ? error.message : String(error));
}

/** Where the configured database is, for a message: its folder when embedded (null when the configuration is broken). */
async function databasePlace(): Promise<string | undefined> {
  try {
    const { loadConfig } = await import("../config.ts");
    const config = cliIo().server?.config ?? loadConfig();
    const { resolve } = await import("node:path");
    return config.databaseUrl ? "the PostgreSQL server" : `the embedded database in ${resolve(config.dataDir)}`;
  } catch {
    return undefined;
  }
}

/** Runs one command line (the arguments after `omf`) and returns its exit code; errors go to stderr as one line. */
export async function runCommand(args: string[]): Promise<number> {
  const stderr = cliIo().stderr;
  try {
    await createProgram().parseAsync(args, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof CliError) {
      stderr.write(`omf: ${error.message}\n`);
      return error.exitCode;
    }
    // a full disk says whose disk, and that nothing was written
    const full = diskFullMessage(error) && diskFullMessage(error, await databasePlace());
    // the domain's errors (invalid input, refused, not found, database unavailable) are one line, as written
    stderr.write(`omf: ${full ?? oneLine(error)}\n`);
    if (!isOmfError(error) && !connectionLostMessage(error) && !full && (await debugWanted())) console.error(error);
    return 1;
  }
}

/** An error nothing caught (e.g. a database driver's error event): one line and exit 1, as for every other failure. */
function exitOnStray(error: unknown): void {
  process.stderr.write(`omf: ${oneLine(error)}\n`);
  debugWanted().then(
    (debug) => {
      if (debug) console.error(error);
      process.exit(1);
    },
    () => process.exit(1),
  );
}

export async function main(argv: string[]): Promise<number> {
  const args = argv.slice(2);
  setCommandName(["omf", ...commandWords(args)].join(" "));
  if (commandWords(args)[0] !== "serve") {
    process.on("uncaughtException", exitOnStray);
    process.on("unhandledRejection", exitOnStray);
  }
  try {
    const handed = await handToServer(args);
    if (handed !== null) return handed;
  } catch (error) {
    process.stderr.write(`omf: ${oneLine(error)}\n`);
    return 1;
  }
  return runCommand(args);
}

/**
 * Runs one command line in this process with the given streams (and, optionally, an open database of the caller's,
 * left open), and returns its exit code: what tests use instead of spawning `omf`. Nothing is handed to a server.
 */
export function runCli(
  argv: string[],
  io: { stdout: Writable; stderr: Writable; stdin?: Readable | undefined; database?: Database | undefined },
): Promise<number> {
  const stdin = io.stdin ?? Readable.from([]);
  const cliIoOf: CliIo = {
    stdout: io.stdout,
    stderr: io.stderr,
    stdoutIsTTY: false,
    stderrIsTTY: false,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer | string));
      return Buffer.concat(chunks).toString("utf8");
    },
    cwd: process.cwd(),
    database: io.database,
  };
  return withCliIo(cliIoOf, () => {
    setCommandName(["omf", ...commandWords(argv)].join(" "));
    return runCommand(argv);
  });
}

const isEntry = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/").split("/").pop()!);
if (isEntry) {
  main(process.argv).then((code) => {
    if (code !== 0) process.exit(code);
  });
}
