/**
 * Where an `omf` command writes and reads: this process's stdout, stderr, stdin and working directory, or, when a
 * running `omf serve` carries out a command for another `omf` process (src/cli/control-server.ts), that process's,
 * forwarded over the control socket. Commands use {@link cliIo} instead of `process.stdout` and friends.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { resolve } from "node:path";
import type { Writable } from "node:stream";
import type { Config } from "../config.ts";
import type { Database, Services } from "../services/index.ts";

export interface CliIo {
  stdout: Writable;
  stderr: { write(text: string): unknown };
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  readStdin(): Promise<string>;
  cwd: string;
  /**
   * Inside a running server: its services (commands use them instead of opening the database; their analysis runs in
   * the server's analysis worker) and the configuration of the command (the server's, with the client's OMF_USER,
   * OMF_PROGRESS_SECONDS and OMF_DEBUG).
   */
  server?: { services: Services; config: Config };
  /** An open, migrated database to use instead of the configured one, left open afterwards (`runCli` in tests). */
  database?: Database | undefined;
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const processIo: CliIo = {
  get stdout() {
    return process.stdout;
  },
  get stderr() {
    return process.stderr;
  },
  get stdoutIsTTY() {
    return process.stdout.isTTY === true;
  },
  get stderrIsTTY() {
    return process.stderr.isTTY === true;
  },
  readStdin: readProcessStdin,
  get cwd() {
    return process.cwd();
  },
};

const storage = new AsyncLocalStorage<CliIo>();

/** The streams and directory of the command being run. */
export function cliIo(): CliIo {
  return storage.getStore() ?? processIo;
}

/** Runs `fn` (a command) with `io` as its streams and directory. */
export function withCliIo<T>(io: CliIo, fn: () => Promise<T>): Promise<T> {
  return storage.run(io, fn);
}

/** A path given on the command line, resolved against the command's working directory. */
export function cliPath(path: string): string {
  return resolve(cliIo().cwd, path);
}
