/**
 * Handing a command to the running server. While `omf serve` holds the embedded database no other process may open
 * it (src/db/data-dir-lock.ts), so `omf import`, `omf batch …`, `omf analyse`, `omf user …` and the other commands
 * send their command line to the server over its control socket (a Unix socket in the data folder that only the
 * server's user can open) and print what the server answers: the same output and exit code as when run alone.
 */
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import type { loadConfig } from "../config.ts";
import type { ToClient, ToServer } from "./control-protocol.ts";
import { lineReader } from "./control-protocol.ts";

const GROUPS = new Set(["batch", "user", "token", "framework"]);

/** The command's words without arguments and options: ["import"], ["batch", "publish"]. */
export function commandWords(args: readonly string[]): string[] {
  const words: string[] = [];
  for (const a of args) {
    if (a.startsWith("-")) break;
    words.push(a);
    if (!GROUPS.has(words[0]!) || words.length === 2) break;
  }
  return words;
}

/** Whether `args` should run in this process even while a server runs (help, or the server itself). */
function runsHere(args: readonly string[]): boolean {
  const [first] = commandWords(args);
  return !first || first === "serve" || first === "help" || args.includes("--help") || args.includes("-h");
}

/**
 * Sends `args` to the server that holds the embedded database, prints its output, and returns the exit code; null
 * when there is no such server (the command then runs here).
 */
export async function handToServer(args: string[]): Promise<number | null> {
  if (runsHere(args)) return null;
  // loaded here, not at the top: `omf --help` and `omf serve` never need them
  const [{ loadConfig }, { liveHolder }] = await Promise.all([
    import("../config.ts"),
    import("../services/process-state.ts"),
  ]);
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch {
    return null; // the command itself reports the configuration error
  }
  if (config.databaseUrl) return null; // PostgreSQL: every process opens its own connections
  const holder = liveHolder(join(config.dataDir, "pglite"));
  if (holder?.command !== "omf serve" || !holder.socket) return null;
  let socket: Socket;
  try {
    socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect(holder.socket!);
      s.once("connect", () => resolve(s));
      s.once("error", reject);
    });
  } catch {
    return null; // not listening (yet): the command runs here and reports the lock
  }
  return new Promise<number>((resolve) => {
    let code: number | null = null;
    const send = (m: ToServer) => socket.write(`${JSON.stringify(m)}\n`);
    socket.on(
      "data",
      lineReader((m: ToClient) => {
        if (m.type === "out") {
          if (!process.stdout.write(Buffer.from(m.data, "base64"))) {
            socket.pause();
            process.stdout.once("drain", () => socket.resume());
          }
        } else if (m.type === "err") process.stderr.write(m.text);
        else if (m.type === "stdin") {
          const chunks: Buffer[] = [];
          process.stdin.on("data", (c: Buffer) => chunks.push(c));
          process.stdin.on("end", () => send({ type: "stdin", text: Buffer.concat(chunks).toString("utf8") }));
        } else if (m.type === "exit") {
          code = m.code;
          socket.end();
        }
      }),
    );
    socket.on("error", () => {});
    socket.on("close", () => {
      if (code === null) {
        process.stderr.write("omf: the server stopped before the command finished\n");
        resolve(1);
      } else resolve(code);
    });
    send({
      type: "run",
      args,
      cwd: process.cwd(),
      settings: { cliUser: config.cliUser, progressSeconds: config.progressSeconds, debug: config.debug },
      stdoutIsTTY: process.stdout.isTTY === true,
    });
  });
}
