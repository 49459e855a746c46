/**
 * The embedded database may be opened by one process at a time: PGlite runs PostgreSQL inside the process, and a second
 * process writing the same files destroys them. The first process to open a data folder creates `pglite.lock` beside
 * the `pglite` folder with O_EXCL and writes its pid, command and start time into it; it removes the file when it closes
 * the database or exits. A lock left by a process that no longer runs (a crash, a power cut) is stale: the next process
 * sees that its pid is gone (or belongs to a process started later) and takes the lock over.
 *
 * A running `omf serve` also records its control socket in the lock, so that other `omf` commands can hand their
 * work to it (src/cli/control-client.ts).
 */
import { closeSync, linkSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { dirname, join, relative } from "node:path";

export interface LockInfo {
  pid: number;
  /** The command that holds the database, e.g. "omf serve". */
  command: string;
  host: string;
  /** The holder's start time in clock ticks since boot (Linux), to tell a reused pid from the holder. */
  started: number | null;
  /** Control socket of a running `omf serve`, when it has one. */
  socket?: string | undefined;
}

/** The embedded database is held by another live process. The message is one line saying what to do. */
export class DatabaseLockedError extends Error {
  constructor(
    message: string,
    readonly holder: LockInfo,
  ) {
    super(message);
  }
}

/** `pglite.lock` beside the embedded database folder. */
export function lockPathFor(pgliteDir: string): string {
  return join(dirname(pgliteDir), "pglite.lock");
}

/** How the OMF data folder is named in messages: relative to the working directory when inside it. */
export function describeDataFolder(pgliteDir: string): string {
  const folder = dirname(pgliteDir);
  const rel = relative(process.cwd(), folder);
  return rel && !rel.startsWith("..") && !rel.startsWith("/") ? `./${rel}` : folder;
}

/** State and start time of a process (fields 3 and 22 of /proc/PID/stat), or null where there is no /proc. */
function processStat(pid: number): { state: string; started: number | null } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const started = Number(fields[19]);
    return { state: fields[0] ?? "", started: Number.isFinite(started) ? started : null };
  } catch {
    return null;
  }
}

function processStartTime(pid: number): number | null {
  return processStat(pid)?.started ?? null;
}

/** Whether the process that wrote `info` still runs (a pid reused by a later process does not count). */
export function holderAlive(info: LockInfo): boolean {
  if (info.host !== hostname()) return true; // another machine (a shared folder): cannot tell, so assume it runs
  if (info.pid === process.pid) {
    // this process (opened twice) when the start time is ours; else an earlier process that had our pid
    const ours = processStartTime(process.pid);
    return ours !== null && info.started === ours;
  }
  try {
    process.kill(info.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const now = processStat(info.pid);
  if (now?.state === "Z" || now?.state === "X") return false; // exited, not yet reaped by its parent
  if (info.started !== null && now?.started != null && now.started !== info.started) return false;
  return true;
}

/** The lock's current holder, or null when there is no lock file (or it cannot be read). */
export function readLock(lockPath: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(lockPath, "utf8")) as LockInfo;
    return typeof info.pid === "number" ? info : null;
  } catch {
    return null;
  }
}

/** The live holder of the embedded database in `pgliteDir`, or null when it is free (or the lock is stale). */
export function liveHolder(pgliteDir: string): LockInfo | null {
  const info = readLock(lockPathFor(pgliteDir));
  return info && holderAlive(info) ? info : null;
}

/** The one-line message for a database held by `holder`, to the command `wanted` by. */
export function lockedMessage(pgliteDir: string, holder: LockInfo, wanted = "omf"): string {
  const where = describeDataFolder(pgliteDir);
  const who = `\`${holder.command}\` (pid ${holder.pid}${holder.host === hostname() ? "" : ` on ${holder.host}`})`;
  const todo =
    holder.command !== "omf serve"
      ? "wait until it has finished, then run the command again"
      : wanted === "omf serve"
        ? "stop it first (one server per data folder)"
        : "stop it first, or run the command again: while the server runs, `omf` commands are handed to it";
  return `the database in ${where} is in use by ${who}; ${todo}`;
}

export interface DataDirLock {
  readonly path: string;
  /** Records the control socket of a running server in the lock. */
  setSocket(socket: string | undefined): void;
  release(): void;
}

/**
 * Takes the lock of the embedded database in `pgliteDir` for `command`, or throws {@link DatabaseLockedError} when a
 * live process holds it. A stale lock is taken over. The lock is released by `release()` or when the process exits.
 */
export function acquireDataDirLock(pgliteDir: string, command: string): DataDirLock {
  const path = lockPathFor(pgliteDir);
  const info: LockInfo = { pid: process.pid, command, host: hostname(), started: processStartTime(process.pid) };
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o600);
      try {
        writeSync(fd, JSON.stringify(info));
      } finally {
        closeSync(fd);
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = readLock(path);
      if (holder && holderAlive(holder))
        throw new DatabaseLockedError(lockedMessage(pgliteDir, holder, command), holder);
      if (!holder && attempt === 0) {
        // being written by a process that has just created it: look again after a moment
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
        continue;
      }
      if (attempt >= 3) {
        throw new DatabaseLockedError(
          `the database in ${describeDataFolder(pgliteDir)} is being opened by another process; run the command again`,
          holder ?? info,
        );
      }
      // stale: move it aside (atomic, so two processes cannot both remove a fresh lock), then try again
      const aside = `${path}.stale-${process.pid}`;
      try {
        renameSync(path, aside);
        const moved = readLock(aside);
        // a live lock taken by another process between our reading and moving: put it back
        if (moved && holderAlive(moved)) linkSync(aside, path);
        rmSync(aside, { force: true });
      } catch {
        // another process took it over first
      }
    }
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off("exit", release);
    // remove it only while it is still ours
    if (readLock(path)?.pid === process.pid) rmSync(path, { force: true });
  };
  process.on("exit", release);
  return {
    path,
    setSocket(socket) {
      if (released) return;
      const temp = `${path}.${process.pid}`;
      writeFileSync(temp, JSON.stringify({ ...info, socket }), { mode: 0o600 });
      renameSync(temp, path);
    },
    release,
  };
}
