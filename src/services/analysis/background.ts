/**
 * The analysis off the request path. A server never recomputes the stored analysis in the thread that answers
 * requests: {@link createAnalysisRunner} runs it in a worker thread (analysis-worker.ts), one job at a time, while
 * pages keep reading the previous analysis (each measure's new analysis replaces the old one in one transaction).
 * The worker has a heap limit (OMF_ANALYSIS_MEMORY_MB, default 1536 MB): a measure too large for it fails with a clear
 * report instead of taking the server's memory, and the worker is started again for the next job.
 *
 * {@link watchPublicData} notices, every two seconds, a change of the published data made by any process (this one,
 * a CLI command, another server on the same PostgreSQL database, an embargo passing) and asks the runner to bring
 * the analysis up to date (only measures whose data changed are recomputed).
 */
import { MessageChannel, Worker } from "node:worker_threads";
import type { Database } from "../../db/database.ts";
import { publishedDataStamp } from "../../db/queries/public-data-stamp.ts";
import { serveRemotePglite } from "../../db/remote-pglite.ts";
import type { Logger } from "../../logger.ts";
import type { AnalyseOptions, AnalyseReport } from "./index.ts";

/** An analysis asked for, or still waiting, when the runner was closed (the server is stopping): not a failure. */
export class AnalysisRunnerClosedError extends Error {
  constructor() {
    super("the analysis runner is closed");
    this.name = "AnalysisRunnerClosedError";
  }
}

/** Logs a background analysis that did not finish: an error, unless it was stopped because the server is stopping. */
export function logAnalysisFailure(log: Logger, error: unknown): void {
  if (error instanceof AnalysisRunnerClosedError) log.info("analysis stopped: the server is stopping");
  else log.error({ err: error }, "analysis failed; the previous analysis is kept");
}

export type ToAnalysisWorker =
  | { type: "analyse"; id: number; codes: string[] | null; force: boolean }
  | { type: "stop" };
export type FromAnalysisWorker =
  | { type: "ready" }
  | { type: "done"; id: number; report: AnalyseReport }
  | { type: "failed"; id: number; message: string };

export interface AnalysisRunner {
  /**
   * Brings the stored analysis of `codes` (all measures when undefined) up to date in the worker and resolves with
   * the report. Requests that arrive while a job runs are merged into the next job.
   */
  analyse(codes?: readonly string[] | undefined, options?: Pick<AnalyseOptions, "force">): Promise<AnalyseReport>;
  /** Resolves when no job is running or waiting. */
  idle(): Promise<void>;
  /** Stops the worker (waiting jobs fail). */
  close(): Promise<void>;
}

export interface AnalysisRunnerOptions {
  /** Called after each job (e.g. to drop caches), with its report. */
  onAnalysed?: (report: AnalyseReport) => void;
  /** Called when a job fails as a whole (the worker failed or ran out of memory). */
  onError?: (error: Error) => void;
  /** Heap limit of the worker in MB (default OMF_ANALYSIS_MEMORY_MB or 1536). */
  memoryMb?: number;
}

interface Job {
  id: number;
  codes: Set<string> | null;
  force: boolean;
  waiters: { resolve(r: AnalyseReport): void; reject(e: Error): void }[];
}

/** The worker's entry: the TypeScript source through tsx when running from source, else the compiled file. */
function workerSource(): { code: string; eval: true } | { file: URL; eval: false } {
  const fromSource = import.meta.url.endsWith(".ts");
  const entry = new URL(`./analysis-worker.${fromSource ? "ts" : "js"}`, import.meta.url);
  if (!fromSource) return { file: entry, eval: false };
  const tsx = import.meta.resolve("tsx/esm/api");
  return {
    code: `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`,
    eval: true,
  };
}

export function createAnalysisRunner(database: Database, options: AnalysisRunnerOptions = {}): AnalysisRunner {
  const memoryMb = options.memoryMb ?? 1536;
  let worker: Worker | null = null;
  let stopServing: (() => void) | null = null;
  let running: Job | null = null;
  const queue: Job[] = [];
  let nextId = 1;
  let closed = false;
  let idleWaiters: (() => void)[] = [];

  function startWorker(): Worker {
    const source = workerSource();
    let data: Record<string, unknown>;
    const transfer: import("node:worker_threads").Transferable[] = [];
    if (database.kind === "postgres") {
      if (!database.url) throw new Error("the analysis worker needs the PostgreSQL URL");
      data = { kind: "postgres", url: database.url };
    } else {
      const channel = new MessageChannel();
      stopServing = serveRemotePglite(database.client, channel.port1);
      data = { kind: "pglite", port: channel.port2 };
      transfer.push(channel.port2);
    }
    const w = source.eval
      ? new Worker(source.code, {
          eval: true,
          workerData: data,
          transferList: transfer,
          resourceLimits: { maxOldGenerationSizeMb: memoryMb },
        })
      : new Worker(source.file, {
          workerData: data,
          transferList: transfer,
          resourceLimits: { maxOldGenerationSizeMb: memoryMb },
        });
    w.unref();
    w.on("message", (m: FromAnalysisWorker) => {
      if (m.type === "ready" || !running || m.id !== running.id) return;
      const job = running;
      running = null;
      if (m.type === "done") {
        options.onAnalysed?.(m.report);
        for (const x of job.waiters) x.resolve(m.report);
      } else {
        const error = new Error(`the analysis failed: ${m.message}`);
        options.onError?.(error);
        for (const x of job.waiters) x.reject(error);
      }
      next();
    });
    const gone = (error: Error) => {
      if (worker !== w) return;
      worker = null;
      stopServing?.();
      stopServing = null;
      const job = running;
      running = null;
      if (job) {
        options.onError?.(error);
        for (const x of job.waiters) x.reject(error);
      }
      next();
    };
    w.on("error", (error) =>
      gone(
        (error as NodeJS.ErrnoException).code === "ERR_WORKER_OUT_OF_MEMORY"
          ? new Error(
              `the analysis needed more than ${memoryMb} MB (OMF_ANALYSIS_MEMORY_MB); the previous analysis is kept`,
            )
          : error,
      ),
    );
    w.on("exit", (code) => gone(new Error(`the analysis worker stopped (exit code ${code})`)));
    return w;
  }

  function next(): void {
    if (running || closed) return;
    const job = queue.shift();
    if (!job) {
      for (const f of idleWaiters) f();
      idleWaiters = [];
      return;
    }
    running = job;
    try {
      worker ??= startWorker();
    } catch (error) {
      const job = running;
      running = null;
      for (const x of job.waiters) x.reject(error as Error);
      next();
      return;
    }
    worker.postMessage({
      type: "analyse",
      id: running.id,
      codes: running.codes ? [...running.codes] : null,
      force: running.force,
    } satisfies ToAnalysisWorker);
  }

  return {
    analyse(codes, opts = {}) {
      if (closed) return Promise.reject(new AnalysisRunnerClosedError());
      return new Promise<AnalyseReport>((resolve, reject) => {
        const force = opts.force === true;
        let job = queue.at(-1);
        if (job && job.force === force) {
          // merged into the job that waits: one run brings both up to date
          if (!codes) job.codes = null;
          else if (job.codes) for (const c of codes) job.codes.add(c);
        } else {
          job = { id: nextId++, codes: codes ? new Set(codes) : null, force, waiters: [] };
          queue.push(job);
        }
        job.waiters.push({ resolve, reject });
        next();
      });
    },
    idle() {
      if (!running && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async close() {
      closed = true;
      const error = new AnalysisRunnerClosedError();
      for (const job of [running, ...queue]) for (const x of job?.waiters ?? []) x.reject(error);
      running = null;
      queue.length = 0;
      const w = worker;
      worker = null;
      stopServing?.();
      stopServing = null;
      if (w) await w.terminate();
      for (const f of idleWaiters) f();
      idleWaiters = [];
    },
  };
}

/**
 * Checks every `intervalMs` (default 2 s) whether the published data changed (a publication, a rollback, an embargo
 * passing, by this or any other process) and if so calls `onChange` (e.g. the runner's `analyse()`), one at a time.
 * Returns a function that stops the watch; the timer does not keep the process alive.
 */
export function watchPublicData(
  database: Database,
  onChange: () => Promise<unknown>,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): () => void {
  let last: string | null = null;
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const stamp = await publishedDataStamp(database.db);
      if (stamp !== last) await onChange();
      last = stamp;
    } catch (error) {
      options.onError?.(error);
    } finally {
      busy = false;
    }
  }, options.intervalMs ?? 2000);
  timer.unref();
  return () => clearInterval(timer);
}
