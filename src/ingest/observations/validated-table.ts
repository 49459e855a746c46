/**
 * A file being validated: its file-level issues and an iterator of validated chunks. Large tidy CSV files are read
 * and validated in a worker thread (see {@link validateInWorker}), so that on a machine with more than one core the
 * importing thread compares and writes one chunk while the next is parsed and checked; a large file may also be shared
 * between two workers (see {@link validateInWorkers}). Other files are validated in the calling thread. All give the
 * same rows, issues and summary.
 */
import { stat } from "node:fs/promises";
import { planSegments } from "./csv-segments.ts";
import { type TableRequest, validateHere } from "./open-table.ts";
import type { Issue } from "./types.ts";
import { validateInWorker, validateInWorkers } from "./validate-in-worker.ts";
import type { ReferenceData } from "./validate-rows.ts";
import type { ValidatedChunk } from "./validated-chunk.ts";

export interface ValidatedTable {
  /** Issues with the file as a whole (the reader's and the validator's), before any row's. */
  issues: Issue[];
  totalBytes: number | null;
  chunks: AsyncIterable<ValidatedChunk>;
  /** Bytes of the file read so far. */
  bytesRead(): number;
  /** Stops reading (also done when iterating `chunks` ends, however it ends). */
  close(): Promise<void>;
}

/**
 * Where rows are validated: in the calling thread, in a worker thread, in several workers sharing the file (when it
 * can be split: see csv-segments.ts; else one worker), or (auto) in workers for large CSV files.
 */
export type ValidationThread = "auto" | "worker" | "workers" | "main";

/**
 * Below this size a CSV file is validated in the calling thread: starting the worker (about 0.1 s) would cost more
 * than it saves.
 */
export const WORKER_MIN_BYTES = 8 * 1024 * 1024;

/**
 * From this size a CSV file is shared between {@link PARALLEL_WORKERS} workers, when the caller says that the machine
 * has the cores for it (see `shareable` in run-import). Two are enough: the importing thread and the database server
 * then have about as much to do as each worker.
 */
export const PARALLEL_MIN_BYTES = 16 * 1024 * 1024;
export const PARALLEL_WORKERS = 2;

/** Size of the segments that workers share a file in (see csv-segments.ts). */
export const SEGMENT_BYTES = 1024 * 1024;

export async function openValidatedTable(
  path: string,
  request: TableRequest,
  /** May still be loading: a worker thread starts meanwhile. */
  reference: ReferenceData | Promise<ReferenceData>,
  thread: ValidationThread = "auto",
  /** For auto: whether a large file may be shared between workers (the machine has cores to spare for them). */
  shareable = true,
): Promise<ValidatedTable> {
  // awaited below, maybe only after other awaits: a failure must not count as unhandled meanwhile
  Promise.resolve(reference).catch(() => {});
  if (request.format !== "csv" || thread === "main") return validateHere(path, request, await reference);
  const size = thread === "auto" ? (await stat(path)).size : 0;
  if (thread === "auto" && size < WORKER_MIN_BYTES) return validateHere(path, request, await reference);
  const parallel = thread === "workers" || (thread === "auto" && shareable && size >= PARALLEL_MIN_BYTES);
  const plan = parallel ? await planSegments(path, request.segmentBytes ?? SEGMENT_BYTES) : null;
  return plan
    ? validateInWorkers(path, request, reference, plan, PARALLEL_WORKERS)
    : validateInWorker(path, request, reference);
}
