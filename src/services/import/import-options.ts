/** What an import is asked to do: the options of `runImport`, shared by its phases. */
import type { Mapping } from "../../ingest/observations/mapping.ts";
import { TABLE_FORMATS, type TableFormat } from "../../ingest/observations/open-table.ts";
import type { Issue } from "../../ingest/observations/types.ts";
import type { ValidationThread } from "../../ingest/observations/validated-table.ts";

export const IMPORT_FORMATS = TABLE_FORMATS;
export type ImportFormat = TableFormat;

export interface ImportActor {
  userId: number | null;
  /** Who, for the audit log: "cli:alice", "web:ann@example.org", "api:ann@example.org". */
  name: string;
}

export interface ImportProgress {
  phase: "reading" | "done";
  rows: number;
  written: number;
  bytesRead: number;
  totalBytes: number | null;
  seconds: number;
}

export interface ImportOptions {
  format?: ImportFormat | undefined;
  measure?: string | undefined;
  mapping?: Mapping | undefined;
  /** Source code (sources table) recorded on the batch. */
  source?: string | undefined;
  dryRun: boolean;
  /** Publish the batch when written (at `publishAt`, an embargo time, or now). */
  publish?: boolean | undefined;
  publishAt?: Date | undefined;
  reason?: string | undefined;
  actor: ImportActor;
  /** Name shown for the file (defaults to the path's base name). */
  fileName?: string | undefined;
  onProgress?: ((p: ImportProgress) => void) | undefined;
  /** Called for every error and warning (also those beyond `issueLimit`), e.g. to write an errors CSV. */
  onIssue?: ((issue: Issue) => void) | undefined;
  issueLimit?: number | undefined;
  revisedLimit?: number | undefined;
  chunkSize?: number | undefined;
  flushRows?: number | undefined;
  /** Where rows are validated (default: worker threads for large CSV files). */
  validation?: ValidationThread | undefined;
  /** Bytes per segment when validation workers share a CSV file (tests make it small). */
  segmentBytes?: number | undefined;
}
