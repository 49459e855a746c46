/**
 * Importing observations: one streaming pass over the file that validates every row, diffs it against the current
 * data (new / revised / unchanged), and — unless it is a dry run — appends the new and revised values in ONE
 * transaction. Any error anywhere rolls the whole import back, so a failed or interrupted import leaves the database
 * as it was. The same function serves `omf import`, the web upload and POST /api/v1/imports.
 *
 * Reading and validating happen in a worker thread for large CSV files (see validated-table.ts); this thread reads
 * the validated rows chunk by chunk, in columns, and keeps no object per row. The phases have a file each:
 * validate (open-import.ts), diff (diff-rows.ts) and write (write-batch.ts); issues are collected by import-issues.ts.
 */
import { basename, extname } from "node:path";
import type { Database } from "../../db/database.ts";
import { findCurrentFramework, listMeasures } from "../../db/queries/framework.ts";
import { withImportSession } from "../../db/queries/import-session.ts";
import { shortIssue } from "../../ingest/observations/limits.ts";
import { MappingError } from "../../ingest/observations/mapping.ts";
import { FileFormatError, type Issue } from "../../ingest/observations/types.ts";
import { ChunkDecoder } from "../../ingest/observations/validated-chunk.ts";
import type { ValidatedTable } from "../../ingest/observations/validated-table.ts";
import { RowDiff } from "./diff-rows.ts";
import { addInRowOrder, issueSink } from "./import-issues.ts";
import { IMPORT_FORMATS, type ImportFormat, type ImportOptions, type ImportProgress } from "./import-options.ts";
import { IssueGrouper, nearestMeasures } from "./issue-groups.ts";
import { openImportTable } from "./open-import.ts";
import { emptyCounts, type ImportSummary, type RevisedValue } from "./summary.ts";
import { finishBatch, startBatch } from "./write-batch.ts";

export {
  IMPORT_FORMATS,
  type ImportActor,
  type ImportFormat,
  type ImportOptions,
  type ImportProgress,
} from "./import-options.ts";

export function detectFormat(path: string, explicit?: string): ImportFormat {
  if (explicit) {
    if (!(IMPORT_FORMATS as readonly string[]).includes(explicit)) {
      throw new FileFormatError(`unknown format "${explicit}": use one of ${IMPORT_FORMATS.join(", ")}`);
    }
    return explicit as ImportFormat;
  }
  const ext = extname(path).toLowerCase();
  if (ext === ".xlsx") return "xlsx";
  if (ext === ".json") return "jsonstat";
  return "csv";
}

export { PAST_TOLERANCE_MS } from "./open-import.ts";

class ValidationFailed extends Error {}
class NothingToWrite extends Error {}

/**
 * Validates the file and, unless `dryRun`, writes it as one batch. Never throws for problems in the file: they are in
 * the summary (`ok: false`). Throws only for unexpected failures (e.g. the database going away), after rolling back.
 */
export async function runImport(database: Database, path: string, options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const issueLimit = options.issueLimit ?? 1000;
  const revisedLimit = options.revisedLimit ?? 1000;
  const counts = emptyCounts();
  const errors: Issue[] = [];
  const warnings: Issue[] = [];
  const revised: RevisedValue[] = [];
  const perMeasure = new Map<string, number>();
  const grouper = new IssueGrouper();
  const sink = issueSink(counts, errors, warnings, issueLimit, (issue) => {
    grouper.add(issue);
    options.onIssue?.(issue);
  });
  const fileName = options.fileName ?? basename(path);
  let format: ImportFormat = "csv";
  let batch: ImportSummary["batch"] = null;
  const finish = (message: string): ImportSummary => {
    const seconds = (performance.now() - started) / 1000;
    return {
      ok: counts.errors === 0,
      dryRun: options.dryRun,
      file: fileName,
      format,
      batch,
      counts,
      measures: [...perMeasure].map(([code, rows]) => ({ code, rows })).sort((a, b) => a.code.localeCompare(b.code)),
      revised,
      revisedTruncated: counts.revised > revised.length,
      errors,
      warnings,
      errorsTruncated: counts.errors > errors.length,
      warningsTruncated: counts.warnings > warnings.length,
      errorGroups: grouper.groups().filter((g) => g.severity === "error"),
      warningGroups: grouper.groups().filter((g) => g.severity === "warning"),
      message,
      seconds: Math.round(seconds * 1000) / 1000,
      rowsPerSecond: seconds > 0 ? Math.round(counts.rows / seconds) : 0,
    };
  };
  /** A problem with the file as a whole (it stops the reading): the summary's message names it. */
  let fileProblem: string | null = null;
  const fileError = (e: Error & { row?: number }) => {
    const code = e instanceof FileFormatError ? e.code : "file";
    sink.add({ severity: "error", row: e.row ?? 0, column: "", value: "", code, message: e.message });
    fileProblem ??= shortIssue({
      severity: "error",
      row: 0,
      column: "",
      value: "",
      code: "",
      message: e.message,
    }).message;
    return finish(`${fileName}: ${fileProblem}`);
  };

  let table: ValidatedTable;
  try {
    format = detectFormat(path, options.format);
    table = await openImportTable(database, path, format, options);
  } catch (error) {
    if (error instanceof FileFormatError || error instanceof MappingError) return fileError(error);
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      return fileError(new Error(`cannot read ${path}: no such file`));
    throw error;
  }
  for (const issue of table.issues) sink.add(issue);

  const progress = (phase: ImportProgress["phase"], written: number) =>
    options.onProgress?.({
      phase,
      rows: counts.rows,
      written,
      bytesRead: table.bytesRead(),
      totalBytes: table.totalBytes,
      seconds: (performance.now() - started) / 1000,
    });

  try {
    await withImportSession(database, { commit: !options.dryRun, flushRows: options.flushRows }, async (session) => {
      const publishAt = options.publish ? (options.publishAt ?? new Date()) : null;
      const batchId = options.dryRun ? null : await startBatch(session, options, fileName, format, publishAt);
      const decoder = new ChunkDecoder();
      const diff = new RowDiff(session, decoder, counts, perMeasure, revised, revisedLimit, batchId);
      for await (const chunk of table.chunks) {
        counts.rows += chunk.rows;
        const blocked = counts.errors > 0 || chunk.issues.some((issue) => issue.severity === "error");
        decoder.accept(chunk);
        await diff.chunk(chunk, blocked);
        addInRowOrder(sink, chunk.issues, diff.found);
        await session.flushIfFull();
        progress("reading", session.written);
      }
      if (counts.rows === 0 && counts.errors === 0) {
        throw new FileFormatError(
          format === "jsonstat"
            ? "the dataset has no values: nothing to import"
            : "the file has a header row but no rows of data below it: nothing to import",
          0,
          "no_rows",
        );
      }
      if (counts.errors > 0) throw new ValidationFailed();
      if (batchId === null) return;
      if (counts.new + counts.revised === 0) throw new NothingToWrite();
      await finishBatch(session, batchId, options, fileName, format, counts, publishAt);
      batch = {
        id: batchId,
        status: options.publish ? "published" : "draft",
        publishAt: publishAt?.toISOString() ?? null,
      };
    });
  } catch (error) {
    if (error instanceof FileFormatError) {
      fileError(error);
    } else if (!(error instanceof ValidationFailed) && !(error instanceof NothingToWrite)) {
      throw error;
    }
  } finally {
    await table.close();
  }
  progress("done", batch ? counts.new + counts.revised : 0);
  await suggestMeasures(database, grouper);
  return finish(importMessage(fileName, counts, options.dryRun, batch, fileProblem));
}

/** For each unknown-measure group, the measure codes whose names are nearest to the text in the file. */
async function suggestMeasures(database: Database, grouper: IssueGrouper): Promise<void> {
  const unknown = grouper.groups().filter((g) => g.code === "unknown_measure");
  if (unknown.length === 0) return;
  const framework = await findCurrentFramework(database.db);
  if (!framework) return;
  const measures = (await listMeasures(database.db, framework.id)).map((m) => ({
    code: m.code,
    titles: [m.title.en, m.title.cy, m.shortTitle?.en, m.shortTitle?.cy].filter((x): x is string => Boolean(x)),
  }));
  for (const g of unknown) g.nearestMeasures = nearestMeasures(g.value, measures);
}

/** The one-line outcome of an import, as printed by `omf import` and shown on the web. */
function importMessage(
  fileName: string,
  counts: ImportSummary["counts"],
  dryRun: boolean,
  batch: ImportSummary["batch"],
  fileProblem: string | null,
): string {
  const changes = `${counts.new} new, ${counts.revised} revised, ${counts.unchanged} unchanged`;
  if (fileProblem !== null) {
    const others = counts.errors - 1;
    return `${fileName}: ${fileProblem}${others > 0 ? ` (and ${others} other error${others === 1 ? "" : "s"})` : ""}; nothing imported`;
  } else if (counts.errors > 0) {
    return `${fileName}: ${counts.errors} error${counts.errors === 1 ? "" : "s"} in ${counts.errorRows} row${counts.errorRows === 1 ? "" : "s"}; nothing imported`;
  } else if (dryRun) {
    return `${fileName}: valid, ${counts.rows} rows (${changes}); dry run, nothing written`;
  } else if (!batch) {
    return `${fileName}: nothing to import, all ${counts.unchanged} values are unchanged`;
  } else {
    const b = batch;
    const state =
      b.status === "published"
        ? b.publishAt && new Date(b.publishAt).getTime() > Date.now()
          ? `published under embargo until ${b.publishAt}`
          : "published"
        : "draft (publish with omf batch publish)";
    return `${fileName}: imported ${counts.rows} rows as batch ${b.id} (${changes}); ${state}`;
  }
}
