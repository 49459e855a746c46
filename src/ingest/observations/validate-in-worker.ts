/**
 * Validates a tidy CSV file in a worker thread (see validation-worker.ts). The worker's code is bundled with esbuild
 * (the compiler tsx runs on) into one plain script, so that the worker starts in a few tens of milliseconds instead
 * of loading and compiling each TypeScript module through tsx.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { TableRequest } from "./open-table.ts";
import { FileFormatError } from "./types.ts";
import type { ReferenceData } from "./validate-rows.ts";
import type { ValidatedChunk } from "./validated-chunk.ts";
import type { ValidatedTable } from "./validated-table.ts";
import type { FromWorker, ToWorker, WorkerFailure } from "./validation-worker-messages.ts";

/** Chunks the worker may be ahead of the importing thread. */
const AHEAD = 4;

let bundled: Promise<string> | null = null;

const ENTRY = fileURLToPath(new URL("./validation-worker.ts", import.meta.url));

/** Where the bundle is kept between runs, with the files it was built from (checked by size and time). */
function cachePaths(esbuildVersion: string): { code: string; inputs: string } {
  const key = createHash("sha256").update(`${ENTRY}\n${esbuildVersion}\n${process.version}`).digest("hex").slice(0, 16);
  const dir = join(tmpdir(), `omf-${process.getuid?.() ?? "user"}`);
  return { code: join(dir, `validation-worker-${key}.cjs`), inputs: join(dir, `validation-worker-${key}.json`) };
}

type InputStamps = Record<string, { size: number; mtimeMs: number }>;

async function stamps(files: string[]): Promise<InputStamps> {
  const out: InputStamps = {};
  for (const f of files) {
    const s = await stat(f);
    out[f] = { size: s.size, mtimeMs: s.mtimeMs };
  }
  return out;
}

/** The cached bundle when none of its files changed since it was built, else null. */
async function cachedScript(paths: { code: string; inputs: string }): Promise<string | null> {
  try {
    const recorded = JSON.parse(await readFile(paths.inputs, "utf8")) as InputStamps;
    const now = await stamps(Object.keys(recorded));
    for (const [f, s] of Object.entries(recorded)) {
      if (now[f]!.size !== s.size || now[f]!.mtimeMs !== s.mtimeMs) return null;
    }
    return await readFile(paths.code, "utf8");
  } catch {
    return null; // no cache yet, or a file gone: build again
  }
}

/**
 * The worker's code as one CommonJS script: built on first use and kept in the temporary directory, so that later
 * imports (and other processes) reuse it until one of its source files changes.
 */
function workerScript(): Promise<string> {
  bundled ??= (async () => {
    const esbuild = await import("esbuild");
    const paths = cachePaths(esbuild.version);
    const cached = await cachedScript(paths);
    if (cached !== null) return cached;
    const cwd = process.cwd();
    const result = await esbuild.build({
      entryPoints: [ENTRY],
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      write: false,
      metafile: true,
      logLevel: "silent",
      absWorkingDir: cwd,
    });
    const code = result.outputFiles[0]!.text;
    try {
      const inputs = await stamps(Object.keys(result.metafile.inputs).map((f) => resolve(cwd, f)));
      await mkdir(dirname(paths.code), { recursive: true });
      const temp = `${paths.code}.${process.pid}`;
      await writeFile(temp, code);
      await rename(temp, paths.code);
      await writeFile(paths.inputs, JSON.stringify(inputs));
    } catch {
      // a cache that cannot be written only costs the next run a build
    }
    return code;
  })();
  bundled.catch(() => {
    bundled = null;
  });
  return bundled;
}

/** The error a failure in the worker stands for: a file problem as a FileFormatError, else an Error like the original. */
function rethrown(f: WorkerFailure): Error {
  if (f.fileFormat) return new FileFormatError(f.message, f.row);
  const error = new Error(f.message) as Error & { code?: string };
  if (f.code !== undefined) error.code = f.code;
  if (f.stack) error.stack = `${f.stack}\n    (in the validation worker)`;
  return error;
}

export async function validateInWorker(
  path: string,
  request: TableRequest,
  reference: ReferenceData,
): Promise<ValidatedTable> {
  const worker = new Worker(await workerScript(), { eval: true });
  const inbox: FromWorker[] = [];
  let waiting: ((m: FromWorker) => void) | null = null;
  let gone: Error | null = null;
  const deliver = (m: FromWorker) => {
    if (waiting) {
      const w = waiting;
      waiting = null;
      w(m);
    } else inbox.push(m);
  };
  worker.on("message", deliver);
  worker.on("error", (error) => {
    gone = error;
    deliver({ type: "failed", fileFormat: false, row: 0, message: error.message, stack: error.stack });
  });
  worker.on("exit", (code) => {
    gone ??= new Error(`the validation worker stopped (exit code ${code})`);
    deliver({ type: "failed", fileFormat: false, row: 0, message: gone.message });
  });
  let closed = false;
  const next = (): Promise<FromWorker> => {
    if (closed) return Promise.resolve({ type: "end" });
    return inbox.length > 0 ? Promise.resolve(inbox.shift()!) : new Promise((resolve) => (waiting = resolve));
  };
  const send = (m: ToWorker) => {
    if (!closed) worker.postMessage(m);
  };

  /** Stops the worker; a read waiting for it, and any later read, ends the chunks. */
  const close = async () => {
    if (closed) return;
    closed = true;
    inbox.length = 0;
    worker.removeAllListeners("exit");
    deliver({ type: "end" });
    await worker.terminate();
  };

  send({ type: "start", path, request, reference });
  const opened = await next();
  if (opened.type !== "opened") {
    await close();
    throw opened.type === "failed" ? rethrown(opened) : new Error(`validation worker: unexpected ${opened.type}`);
  }
  send({ type: "more", chunks: AHEAD });

  let bytesRead = 0;
  async function* chunks(): AsyncGenerator<ValidatedChunk> {
    try {
      while (true) {
        const m = await next();
        if (m.type === "end") return;
        if (m.type === "failed") throw rethrown(m);
        if (m.type !== "chunk") throw new Error(`validation worker: unexpected ${m.type}`);
        bytesRead = m.chunk.bytesRead;
        send({ type: "more", chunks: 1 });
        yield m.chunk;
      }
    } finally {
      await close();
    }
  }

  return { issues: opened.issues, totalBytes: opened.totalBytes, chunks: chunks(), bytesRead: () => bytesRead, close };
}
