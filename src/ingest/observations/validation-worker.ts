/**
 * The validation worker: reads a tidy CSV file and validates it, posting each chunk of validated rows to the importing
 * thread (typed arrays transferred, not copied). It runs at most as many chunks ahead as the importing thread has
 * asked for, so memory stays bounded however large the file. Started by {@link validateInWorker}, which bundles this
 * file; it must import only what the CSV path needs.
 */
import { parentPort } from "node:worker_threads";
import { csvTable, readCsv, readDelimited } from "./read-csv.ts";
import { FileFormatError } from "./types.ts";
import { validateChunks } from "./validate-chunks.ts";
import { RowValidator } from "./validate-rows.ts";
import { ChunkEncoder, chunkBuffers, type ValidatedChunk } from "./validated-chunk.ts";
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

/** Waits until the importing thread has asked for another chunk, then sends it. */
async function send(chunk: ValidatedChunk): Promise<void> {
  while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
  credit--;
  port.postMessage({ type: "chunk", chunk }, chunkBuffers(chunk));
}

async function run(start: Extract<ToWorker, { type: "start" }>): Promise<void> {
  try {
    const { request, segments } = start;
    const options = { mapping: request.mapping, measure: request.measure };
    if (segments) {
      const validator = new RowValidator(start.reference, segments.header, options);
      port.postMessage({ type: "opened", issues: validator.fileIssues, totalBytes: null });
      const encoder = new ChunkEncoder();
      for (const segment of segments.list) {
        const records = await readDelimited(start.path, request.chunkSize, {
          ...segment,
          delimiter: segments.delimiter,
        });
        const source = csvTable(segments.header, records);
        for await (const chunk of validateChunks(source, validator, encoder)) await send(chunk);
        port.postMessage({ type: "segment-end", index: segment.index, rows: records.rowsRead() });
      }
    } else {
      const source = await readCsv(start.path, { chunkSize: request.chunkSize });
      const validator = new RowValidator(start.reference, source.columns, options);
      port.postMessage({
        type: "opened",
        issues: [...source.issues, ...validator.fileIssues],
        totalBytes: source.totalBytes,
      });
      for await (const chunk of validateChunks(source, validator)) await send(chunk);
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
