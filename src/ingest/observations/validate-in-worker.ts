/**
 * Validates a tidy CSV file in a worker thread (see validation-worker.ts). The worker's code is bundled with esbuild
 * (the compiler tsx runs on) into one plain script, so that the worker starts in a few tens of milliseconds instead
 * of loading and compiling each TypeScript module through tsx.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { SegmentPlan } from "./csv-segments.ts";
import type { TableRequest } from "./open-table.ts";
import { FileFormatError } from "./types.ts";
import { ONCE_PER_FILE_WARNINGS, type ReferenceData } from "./validate-rows.ts";
import type { ValidatedChunk } from "./validated-chunk.ts";
import { KEY_FIELDS } from "./validated-chunk.ts";
import type { ValidatedTable } from "./validated-table.ts";
import type { FromWorker, ToWorker, WorkerFailure } from "./validation-worker-messages.ts";

/** Chunks a single worker may be ahead of the importing thread. */
const AHEAD = 4;

let bundled: Promise<string> | null = null;

const require = createRequire(import.meta.url);

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
    // the version from esbuild's package.json: loading esbuild itself is needed only to build
    const paths = cachePaths(require("esbuild/package.json").version as string);
    const cached = await cachedScript(paths);
    if (cached !== null) return cached;
    const esbuild = await import("esbuild");
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
  if (f.fileFormat) return new FileFormatError(f.message, f.row, f.code);
  const error = new Error(f.message) as Error & { code?: string };
  if (f.code !== undefined) error.code = f.code;
  if (f.stack) error.stack = `${f.stack}\n    (in the validation worker)`;
  return error;
}

/** One validation worker: its messages in arrival order, and a way to ask for more chunks. */
class WorkerLink {
  private readonly worker: Worker;
  private readonly inbox: FromWorker[] = [];
  private waiting: ((m: FromWorker) => void) | null = null;
  private closed = false;

  constructor(script: string) {
    this.worker = new Worker(script, { eval: true });
    let gone: Error | null = null;
    this.worker.on("message", (m: FromWorker) => this.deliver(m));
    this.worker.on("error", (error) => {
      gone = error;
      this.deliver({ type: "failed", fileFormat: false, row: 0, message: error.message, stack: error.stack });
    });
    this.worker.on("exit", (code) => {
      gone ??= new Error(`the validation worker stopped (exit code ${code})`);
      this.deliver({ type: "failed", fileFormat: false, row: 0, message: gone.message });
    });
  }

  private deliver(m: FromWorker): void {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w(m);
    } else this.inbox.push(m);
  }

  /** The next message (an end once the link is closed). */
  next(): Promise<FromWorker> {
    if (this.closed) return Promise.resolve({ type: "end" });
    return this.inbox.length > 0
      ? Promise.resolve(this.inbox.shift()!)
      : new Promise((resolve) => (this.waiting = resolve));
  }

  send(m: ToWorker): void {
    if (!this.closed) this.worker.postMessage(m);
  }

  /** Stops the worker; a read waiting for it, and any later read, gets an end. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.inbox.length = 0;
    this.worker.removeAllListeners("exit");
    this.deliver({ type: "end" });
    await this.worker.terminate();
  }
}

/** Waits for a worker's "opened"; throws what it sent instead. */
async function opened(link: WorkerLink): Promise<Extract<FromWorker, { type: "opened" }>> {
  const m = await link.next();
  if (m.type === "opened") return m;
  throw m.type === "failed" ? rethrown(m) : new Error(`validation worker: unexpected ${m.type}`);
}

export async function validateInWorker(
  path: string,
  request: TableRequest,
  reference: ReferenceData | Promise<ReferenceData>,
): Promise<ValidatedTable> {
  const link = new WorkerLink(await workerScript());
  let first: Extract<FromWorker, { type: "opened" }>;
  try {
    link.send({ type: "start", path, request, reference: await reference });
    first = await opened(link);
  } catch (error) {
    await link.close();
    throw error;
  }
  link.send({ type: "more", chunks: AHEAD });

  let bytesRead = 0;
  const close = () => link.close();
  async function* chunks(): AsyncGenerator<ValidatedChunk> {
    try {
      while (true) {
        const m = await link.next();
        if (m.type === "end") return;
        if (m.type === "failed") throw rethrown(m);
        if (m.type !== "chunk") throw new Error(`validation worker: unexpected ${m.type}`);
        bytesRead = m.chunk.bytesRead;
        link.send({ type: "more", chunks: 1 });
        yield m.chunk;
      }
    } finally {
      await close();
    }
  }

  return { issues: first.issues, totalBytes: first.totalBytes, chunks: chunks(), bytesRead: () => bytesRead, close };
}

/** Chunks each of several workers may be ahead of the importing thread: about two segments. */
const AHEAD_EACH = 8;

/**
 * Validates a CSV file split into segments (see {@link planSegments}) in `workers` worker threads: segment j goes to
 * worker j mod `workers`, and the chunks come back in file order, as from one worker. Each worker numbers a segment's
 * rows from 1 and its texts in its own dictionary; here rows get their numbers in the file and texts one dictionary,
 * and a warning given once per file (per measure) is kept only the first time.
 */
export async function validateInWorkers(
  path: string,
  request: TableRequest,
  reference: ReferenceData | Promise<ReferenceData>,
  plan: SegmentPlan,
  workers: number,
): Promise<ValidatedTable> {
  const script = await workerScript();
  const links = Array.from({ length: workers }, () => new WorkerLink(script));
  const close = async () => {
    await Promise.all(links.map((l) => l.close()));
  };
  let first: Extract<FromWorker, { type: "opened" }>;
  try {
    const ref = await reference;
    links.forEach((link, w) => {
      const list = plan.segments.flatMap((s, index) => (index % workers === w ? [{ index, ...s }] : []));
      link.send({
        type: "start",
        path,
        request,
        reference: ref,
        segments: { header: plan.header, delimiter: plan.delimiter, list },
      });
    });
    const all = await Promise.all(links.map(opened));
    first = all[0]!;
  } catch (error) {
    await close();
    throw error;
  }
  for (const link of links) link.send({ type: "more", chunks: AHEAD_EACH });

  const totalBytes = plan.segments[plan.segments.length - 1]!.end;
  let bytesRead = plan.segments[0]!.start;
  /** Per worker, the id in the merged dictionary of each of its text ids. */
  const ids = links.map(() => [] as number[]);
  const merged = new Map<string, number>();
  const warnedOnce = new Set<string>();

  /** Renumbers a segment's chunk into the file's rows and the merged dictionary (in place). */
  const adopt = (chunk: ValidatedChunk, w: number, rowBase: number): void => {
    const own = ids[w]!;
    const fresh: string[] = [];
    for (const s of chunk.strings) {
      let id = merged.get(s);
      if (id === undefined) {
        id = merged.size;
        merged.set(s, id);
        fresh.push(s);
      }
      own.push(id);
    }
    chunk.strings = fresh;
    const keys = chunk.keys;
    for (let i = 0, n = chunk.count * KEY_FIELDS; i < n; i++) keys[i] = own[keys[i]!]!;
    const row = chunk.row;
    for (let i = 0; i < chunk.count; i++) row[i]! += rowBase;
    chunk.issues = chunk.issues.filter((issue) => {
      if (issue.row > 0) issue.row += rowBase;
      if (!ONCE_PER_FILE_WARNINGS.has(issue.code)) return true;
      const key = `${issue.code}\n${issue.message}`;
      if (warnedOnce.has(key)) return false;
      warnedOnce.add(key);
      return true;
    });
  };

  async function* chunks(): AsyncGenerator<ValidatedChunk> {
    try {
      let rowBase = 1; // the header
      for (let j = 0; j < plan.segments.length; j++) {
        const w = j % workers;
        const link = links[w]!;
        const segment = plan.segments[j]!;
        while (true) {
          const m = await link.next();
          if (m.type === "end") return; // closed
          if (m.type === "failed") throw rethrown(m);
          if (m.type === "segment-end") {
            if (m.index !== j) throw new Error(`validation worker: segment ${m.index} ended, expected ${j}`);
            rowBase += m.rows;
            bytesRead = segment.end;
            break;
          }
          if (m.type !== "chunk") throw new Error(`validation worker: unexpected ${m.type}`);
          adopt(m.chunk, w, rowBase);
          bytesRead = segment.start + m.chunk.bytesRead;
          m.chunk.bytesRead = bytesRead;
          link.send({ type: "more", chunks: 1 });
          yield m.chunk;
        }
      }
    } finally {
      await close();
    }
  }

  return { issues: first.issues, totalBytes, chunks: chunks(), bytesRead: () => bytesRead, close };
}
