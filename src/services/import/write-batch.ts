/**
 * The write phase of an import: the batch row created before the first value is appended, and finished (row counts,
 * audit entry) after the last, in the import's one transaction.
 */
import type { ImportSession } from "../../db/queries/import-session.ts";
import type { ImportFormat, ImportOptions } from "./import-options.ts";
import type { ImportCounts } from "./summary.ts";

/** Creates the import's batch: draft, or published (at `publishAt`). */
export function startBatch(
  session: ImportSession,
  options: ImportOptions,
  fileName: string,
  format: ImportFormat,
  publishAt: Date | null,
): Promise<number> {
  return session.createBatch({
    sourceCode: options.source ?? options.mapping?.source ?? null,
    fileName,
    format,
    status: options.publish ? "published" : "draft",
    publishAt,
    reason: options.reason ?? null,
    createdBy: options.actor.userId,
    publishedBy: options.publish ? options.actor.userId : null,
  });
}

/** Writes the last buffered values, records the batch's row counts and audits the import. */
export async function finishBatch(
  session: ImportSession,
  batchId: number,
  options: ImportOptions,
  fileName: string,
  format: ImportFormat,
  counts: ImportCounts,
  publishAt: Date | null,
): Promise<void> {
  await session.finishBatch(batchId, {
    rows: counts.rows,
    new: counts.new,
    revised: counts.revised,
    unchanged: counts.unchanged,
    warnings: counts.warnings,
  });
  await session.audit({
    userId: options.actor.userId,
    actor: options.actor.name,
    action: "import",
    entity: "import_batch",
    entityKey: String(batchId),
    after: { file: fileName, format, counts, status: options.publish ? "published" : "draft", publishAt },
    reason: options.reason,
  });
}
