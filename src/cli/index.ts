#!/usr/bin/env node
/**
 * The `omf` command. Every sub-command has --help; errors are one clear line on stderr and a non-zero exit.
 */
import { Readable } from "node:stream";
import { Command, CommanderError } from "commander";
import { setting } from "../config.ts";
import { isOmfError } from "../domain/errors.ts";
import { registerAnalyseCommand } from "./analyse-command.ts";
import { CliError, type CliIo, cliIo, runWithIo } from "./context.ts";
import { registerDataCommands } from "./data-commands.ts";
import { registerFrameworkCommands } from "./framework-commands.ts";
import { registerImportCommands } from "./import-commands.ts";
import { registerPlanCommands } from "./plan-commands.ts";
import { registerServeCommand } from "./serve-command.ts";
import { registerUserCommands } from "./user-commands.ts";

export function createProgram(): Command {
  const program = new Command("omf")
    .description("Outcomes Measures Framework for children and young people: framework, data, statistics, reports")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (s) => cliIo().stdout.write(s),
      writeErr: (s) => cliIo().stderr.write(s),
    })
    .exitOverride();
  registerServeCommand(program);
  registerDataCommands(program);
  registerAnalyseCommand(program);
  registerFrameworkCommands(program);
  registerUserCommands(program);
  registerImportCommands(program);
  registerPlanCommands(program);
  return program;
}

/** OMF_DEBUG: print the stack of an unexpected failure (a broken OMF_DEBUG value must not hide the failure). */
function debugWanted(): boolean {
  try {
    return setting("OMF_DEBUG");
  } catch {
    return false;
  }
}

export async function main(argv: string[]): Promise<number> {
  try {
    await createProgram().parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof CliError) {
      cliIo().stderr.write(`omf: ${error.message}\n`);
      return error.exitCode;
    }
    // the domain's errors (invalid input, refused, not found, database unavailable) are one line, as written
    cliIo().stderr.write(`omf: ${error instanceof Error ? error.message : String(error)}\n`);
    if (!isOmfError(error) && debugWanted()) console.error(error);
    return 1;
  }
}

/**
 * Runs `omf` in this process with the given streams (and, optionally, an open database instead of the configured
 * one, left open): `argv` as a user types it after `omf`. Resolves to the exit code. For tests; `omf` itself uses
 * `main` with the process's streams.
 */
export function runCli(
  argv: string[],
  io: { stdout: CliIo["stdout"]; stderr: CliIo["stderr"]; stdin?: CliIo["stdin"]; database?: CliIo["database"] },
): Promise<number> {
  const stdin = io.stdin ?? Readable.from([]);
  return runWithIo({ ...io, stdin }, () => main(["node", "omf", ...argv]));
}

const isEntry = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/").split("/").pop()!);
if (isEntry) {
  main(process.argv).then((code) => {
    if (code !== 0) process.exit(code);
  });
}
