/**
 * The validate phase of an import: the options checked (publication time, source), then the file opened as a table
 * of validated rows, read and validated in worker threads where that pays (see validated-table.ts).
 */
import { availableParallelism } from "node:os";
import type { Database } from "../../db/database.ts";
import { listSources } from "../../db/queries/framework.ts";
import { FileFormatError } from "../../ingest/observations/types.ts";
import { openValidatedTable, type ValidatedTable } from "../../ingest/observations/validated-table.ts";
import type { ImportFormat, ImportOptions } from "./import-options.ts";
import { loadReferenceData } from "./reference.ts";

/** Clock tolerance for a publication time "now" computed by the caller. */
export const PAST_TOLERANCE_MS = 60_000;

/**
 * Whether a large CSV file may be validated by two workers sharing it. Each worker costs CPU and memory of its own
 * (compiling, collecting garbage), so two pay only when there are cores to spare: on two cores a dry run gains (this
 * thread only compares), but a real import does not (this thread and the database server keep the second core busy).
 * Not with the embedded database: it works in this thread, which is then the busiest, and its memory leaves no room
 * for a second worker.
 */
function shareValidation(database: Database, dryRun: boolean): boolean {
  const cores = availableParallelism();
  return database.kind !== "pglite" && cores >= (dryRun ? 2 : 3);
}

/** Checks the options and opens the file; a problem with either is a FileFormatError (or MappingError). */
export async function openImportTable(
  database: Database,
  path: string,
  format: ImportFormat,
  options: ImportOptions,
): Promise<ValidatedTable> {
  const db = database.db;
  if (options.publishAt && options.publishAt.getTime() < Date.now() - PAST_TOLERANCE_MS) {
    throw new FileFormatError(
      `the publication time ${options.publishAt.toISOString()} is in the past: data cannot be made public retrospectively (as-at views must stay true)`,
    );
  }
  if (options.source) {
    const known = (await listSources(db)).map((s) => s.code);
    if (!known.includes(options.source)) {
      throw new FileFormatError(`unknown source "${options.source}" (sources: ${known.join(", ") || "none"})`);
    }
  }
  // a validation worker starts while the reference data load
  const reference = loadReferenceData(db);
  return openValidatedTable(
    path,
    {
      format,
      mapping: options.mapping,
      measure: options.measure,
      chunkSize: options.chunkSize,
      segmentBytes: options.segmentBytes,
    },
    reference,
    options.validation,
    shareValidation(database, options.dryRun),
  );
}
