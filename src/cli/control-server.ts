/**
 * The control socket of `omf serve`: other `omf` commands on this machine hand their command line to the running
 * server (src/cli/control-client.ts), which runs it with its own database and sends back the output and exit code.
 * The socket is a Unix socket in a folder of the data folder that only the server's user may enter (mode 0700), so
 * only that user (or root) can connect; there is no network port.
 */
import { chmodSync, lstatSync, mkdirSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { dirname, join } from "node:path";
import { Writable } from "node:stream";
import type { ClientSettings, ToClient, ToServer } from "./control-protocol.ts";
import { lineReader } from "./control-protocol.ts";
import type { CliIo } from "./io.ts";

/** Longest Unix socket path most systems accept (sun_path is 104–108 bytes). */
const MAX_SOCKET_PATH = 100;

/** The control socket's path for the embedded database in `pgliteDir`. */
export function controlSocketPath(pgliteDir: string): string {
  return join(dirname(pgliteDir), ".omf-control", "serve.sock");
}

/** The folder of the socket, owned by this user and closed to everyone else. */
function privateFolder(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  const s = lstatSync(path);
  if (!s.isDirectory() || (process.getuid && s.uid !== process.getuid())) {
    throw new Error(`${path} is not a folder of this user`);
  }
  if ((s.mode & 0o077) !== 0) chmodSync(path, 0o700);
}

export interface ControlServer {
  path: string;
  close(): Promise<void>;
}

/**
 * Listens on the control socket for the embedded database in `pgliteDir` and runs each command with `run(args, io)`
 * (which returns the exit code). Returns null when the socket cannot be made (e.g. its path is too long); the server
 * then works as before, and other commands report that the database is in use.
 */
export async function startControlServer(
  pgliteDir: string,
  run: (args: string[], io: Omit<CliIo, "server">, settings: ClientSettings) => Promise<number>,
): Promise<ControlServer | null> {
  const path = controlSocketPath(pgliteDir);
  if (process.platform === "win32" || Buffer.byteLength(path) > MAX_SOCKET_PATH) return null;
  privateFolder(dirname(path));
  rmSync(path, { force: true }); // left by a server that stopped without closing it (we hold the database lock)
  const sockets = new Set<Socket>();
  /** Commands being run: closing waits for them (an import handed to the server finishes before it stops). */
  const running = new Set<Promise<unknown>>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    const send = (m: ToClient, done?: () => void) => {
      if (socket.destroyed) {
        done?.();
        return;
      }
      if (socket.write(`${JSON.stringify(m)}\n`)) done?.();
      else socket.once("drain", () => done?.());
    };
    let stdinWaiter: ((text: string) => void) | null = null;
    let started = false;
    socket.on(
      "data",
      lineReader((m: ToServer) => {
        if (m.type === "stdin") {
          stdinWaiter?.(m.text);
          stdinWaiter = null;
          return;
        }
        if (started) return;
        started = true;
        const stdout = new Writable({
          write(chunk: Buffer | string, _encoding, callback) {
            const data = (typeof chunk === "string" ? Buffer.from(chunk) : chunk).toString("base64");
            send({ type: "out", data }, () => callback());
          },
        });
        const io: Omit<CliIo, "server"> = {
          stdout,
          stderr: { write: (text: string) => send({ type: "err", text }) },
          stdoutIsTTY: m.stdoutIsTTY,
          stderrIsTTY: false,
          readStdin: () =>
            new Promise<string>((resolve) => {
              stdinWaiter = resolve;
              send({ type: "stdin" });
            }),
          cwd: m.cwd,
        };
        const command = run(m.args, io, m.settings)
          .catch(() => 1)
          .then((code) => new Promise<void>((resolve) => stdout.end(() => send({ type: "exit", code }, resolve))))
          .finally(() => {
            socket.end();
            running.delete(command);
          });
        running.add(command);
      }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(path, () => {
      server.off("error", reject);
      resolve();
    });
  });
  chmodSync(path, 0o600);
  server.unref();
  return {
    path,
    close: async () => {
      // no new commands; the ones running finish (and their clients get their output) before the sockets go
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(path, { force: true });
      while (running.size > 0) await Promise.allSettled([...running]);
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
