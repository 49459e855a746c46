/**
 * Running `omf` in the test's own process (`runCli`): no Node and tsx start-up per command, the output collected,
 * and optionally an open database instead of the configured one. Real processes are kept for a few smoke tests
 * (`omfProcess`) and what needs one (a process killed mid-import).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { runCli } from "../../src/cli/index.ts";
import type { Database } from "../../src/db/database.ts";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

/** `omf …args` in this process, with `input` on stdin and `database` (left open) instead of the configured one. */
export async function omfInProcess(
  args: string[],
  options: { database?: Database; input?: string } = {},
): Promise<CliResult> {
  const stdout = collector();
  const stderr = collector();
  const code = await runCli(args, {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: Readable.from(options.input === undefined ? [] : [Buffer.from(options.input)]),
    database: options.database,
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

export const OMF_BIN = join(import.meta.dirname, "../../bin/omf.js");

/** `omf …args` as a real process (Node + tsx start-up: seconds under load, so a generous timeout). */
export function omfProcess(args: string[], env: Record<string, string> = {}, input?: string): CliResult {
  const r = spawnSync(process.execPath, [OMF_BIN, ...args], {
    encoding: "utf8",
    env: { ...process.env, ...env },
    input,
    timeout: 180_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
