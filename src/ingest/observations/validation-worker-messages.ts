/** The messages between the importing thread and the validation worker. */
import type { TableRequest } from "./open-table.ts";
import type { Issue } from "./types.ts";
import type { ReferenceData } from "./validate-rows.ts";
import type { ValidatedChunk } from "./validated-chunk.ts";

/** One segment of a file shared between workers (see csv-segments.ts): its number in the file and its byte range. */
export interface WorkerSegment {
  index: number;
  start: number;
  end: number;
}

export type ToWorker =
  | {
      type: "start";
      path: string;
      request: TableRequest;
      reference: ReferenceData;
      /** Validate only these segments of the file, in this order, with this header (else the whole file). */
      segments?: { header: string[]; delimiter: "," | "\t"; list: WorkerSegment[] } | undefined;
    }
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
  /** The chunks of segment `index` are all sent; it has `rows` rows (blank ones included), numbered from 1. */
  | { type: "segment-end"; index: number; rows: number }
  | { type: "end" }
  | WorkerFailure;
