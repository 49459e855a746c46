/**
 * The validation worker: reads a tidy CSV file and validates it, posting each chunk of validated rows to the importing
 * thread (typed arrays transferred, not copied). It runs at most as many chunks ahead as the importing thread has
 * asked for, so memory stays bounded however large the file. Started by {@link validateInWorker}, which bundles this
 * file; it must import only what the CSV path needs.
 */
import { parentPort } from "node:worker_threads";
import { readCsv } from "./read-csv.ts";
import { FileFormatError } from "./types.ts";
import { validateChunks } from "./validate-chunks.ts";
import { RowValidator } from "./validate-rows.ts";
import { chunkBuffers } from "./validated-chunk.ts";
import type { ToWorker, WorkerFailure } from "./validation-worker-messages.ts";

const port = parentPort!;
let credit = 0;
let wake: (() => void) | null = null;

function failure(error: unknown): WorkerFailure {
  const e = error as Error & { code?: string };
  return {
    type: "failed",
    fileFormat: error instanceof FileFormatError,
    row: error instanceof FileFormatError ? error.row : 0,
    message: e?.message ?? String(error),
    code: e?.code,
    stack: e?.stack,
  };
}

async function run(start: Extract<ToWorker, { type: "start" }>): Promise<void> {
  try {
    const source = await readCsv(start.path, { chunkSize: start.request.chunkSize });
    const validator = new RowValidator(start.reference, source.columns, {
      mapping: start.request.mapping,
      measure: start.request.measure,
    });
    port.postMessage({
      type: "opened",
      issues: [...source.issues, ...validator.fileIssues],
      totalBytes: source.totalBytes,
    });
    for await (const chunk of validateChunks(source, validator)) {
      while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
      credit--;
      port.postMessage({ type: "chunk", chunk }, chunkBuffers(chunk));
    }
    port.postMessage({ type: "end" });
  } catch (error) {
    port.postMessage(failure(error));
  }
}

port.on("message", (m: ToWorker) => {
  if (m.type === "more") {
    credit += m.chunks;
    wake?.();
    wake = null;
  } else void run(m);
});
