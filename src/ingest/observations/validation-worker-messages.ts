/** The messages between the importing thread and the validation worker. */
import type { TableRequest } from "./open-table.ts";
import type { Issue } from "./types.ts";
import type { ReferenceData } from "./validate-rows.ts";
import type { ValidatedChunk } from "./validated-chunk.ts";

export type ToWorker =
  | { type: "start"; path: string; request: TableRequest; reference: ReferenceData }
  /** The importing thread is ready for this many more chunks. */
  | { type: "more"; chunks: number };

export interface WorkerFailure {
  type: "failed";
  /** A problem with the file (FileFormatError): reported to the user, not a crash. */
  fileFormat: boolean;
  row: number;
  message: string;
  code?: string | undefined;
  stack?: string | undefined;
}

export type FromWorker =
  | { type: "opened"; issues: Issue[]; totalBytes: number | null }
  | { type: "chunk"; chunk: ValidatedChunk }
  | { type: "end" }
  | WorkerFailure;
