/**
 * A file being validated: its file-level issues and an iterator of validated chunks. Large tidy CSV files are read
 * and validated in a worker thread (see {@link validateInWorker}), so that on a machine with more than one core the
 * importing thread compares and writes one chunk while the next is parsed and checked; other files are validated in
 * the calling thread. Both give the same chunks.
 */
import { stat } from "node:fs/promises";
import { type TableRequest, validateHere } from "./open-table.ts";
import type { Issue } from "./types.ts";
import { validateInWorker } from "./validate-in-worker.ts";
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

/** Where rows are validated: in a worker thread, in the calling thread, or (auto) a worker for large CSV files. */
export type ValidationThread = "auto" | "worker" | "main";

/**
 * Below this size a CSV file is validated in the calling thread: starting the worker (about 0.1 s) would cost more
 * than it saves.
 */
export const WORKER_MIN_BYTES = 8 * 1024 * 1024;

export async function openValidatedTable(
  path: string,
  request: TableRequest,
  reference: ReferenceData,
  thread: ValidationThread = "auto",
): Promise<ValidatedTable> {
  const worker =
    request.format === "csv" &&
    (thread === "worker" || (thread === "auto" && (await stat(path)).size >= WORKER_MIN_BYTES));
  return worker ? validateInWorker(path, request, reference) : validateHere(path, request, reference);
}
