/**
 * Publishing and rolling back import batches, and the revision history of one value.
 *
 * - Publish: a draft batch becomes public now, or at an embargo time (`publish_at` in the future; public pages, the
 *   API and exports show it from then on).
 * - Rollback of batch N: a new batch whose rows restore, for every key N touched, the value N replaced (or a withdrawn
 *   row where N created the key). N is marked rolled back; nothing is deleted, so as-at queries still reproduce what
 *   was public before the rollback. Refused when a later batch still in force has changed one of N's values since
 *   (roll that back first), when a published rollback would make public a value that is not public yet, and for
 *   rollback batches themselves (import the values again instead).
 */
import type { Database } from "../../db/database.ts";
import {
  appendRollbackRows,
  laterRevisions,
  lockBatch,
  type RevisionRow,
  type RollbackConflict,
  revisionHistory,
  setBatchPublished,
  unpublishedPredecessors,
} from "../../db/queries/batches.ts";
import { withImportSession } from "../../db/queries/import-session.ts";
import { canonicalBreakdown, parseBreakdown } from "../../domain/breakdown.ts";
import { ConflictError } from "../../domain/errors.ts";
import { type ImportActor, PAST_TOLERANCE_MS } from "./run-import.ts";

/** A publication or rollback refused by the state of the batches (the message says why). */
export class BatchError extends ConflictError {}

function describe(c: RollbackConflict): string {
  return `${c.measureCode} ${c.areaCode} ${c.period}${c.breakdown === "total" ? "" : ` ${c.breakdown}`}`;
}

export async function publishBatch(
  database: Database,
  id: number,
  options: { at?: Date | undefined; actor: ImportActor },
): Promise<{ id: number; publishAt: Date; embargoed: boolean }> {
  const now = new Date();
  const at = options.at ?? now;
  if (at.getTime() < now.getTime() - PAST_TOLERANCE_MS) {
    throw new BatchError(
      `the publication time ${at.toISOString()} is in the past: data cannot be made public retrospectively (as-at views must stay true)`,
    );
  }
  return withImportSession(database, { commit: true }, async (session) => {
    const batch = await lockBatch(session, id);
    if (!batch) throw new BatchError(`there is no batch ${id}`);
    if (batch.format === "rollback") {
      throw new BatchError(`batch ${id} is a rollback; it is published together with the batch it rolls back`);
    }
    if (batch.status === "rolled_back") throw new BatchError(`batch ${id} has been rolled back`);
    if (batch.status === "published") {
      const was = batch.publish_at === null ? null : new Date(batch.publish_at);
      if (was && was.getTime() <= now.getTime()) {
        throw new BatchError(`batch ${id} is already public (since ${was.toISOString()})`);
      }
      // still under embargo: the embargo time may be changed
    }
    await setBatchPublished(session, id, at, options.actor.userId);
    await session.audit({
      userId: options.actor.userId,
      actor: options.actor.name,
      action: "publish",
      entity: "import_batch",
      entityKey: String(id),
      before: { status: batch.status, publishAt: batch.publish_at },
      after: { status: "published", publishAt: at.toISOString() },
    });
    return { id, publishAt: at, embargoed: at.getTime() > now.getTime() };
  });
}

export async function rollbackBatch(
  database: Database,
  id: number,
  options: { reason?: string | undefined; actor: ImportActor },
): Promise<{ id: number; rollbackBatchId: number; restored: number; withdrawn: number; status: string }> {
  return withImportSession(database, { commit: true }, async (session) => {
    const batch = await lockBatch(session, id);
    if (!batch) throw new BatchError(`there is no batch ${id}`);
    if (batch.status === "rolled_back") throw new BatchError(`batch ${id} has already been rolled back`);
    if (batch.format === "rollback") {
      throw new BatchError(`batch ${id} is itself a rollback; to bring its values back, import them again`);
    }
    const later = await laterRevisions(session, id);
    if (later.length > 0) {
      const batches = [...new Set(later.map((c) => c.batchId))].join(", ");
      throw new BatchError(
        `batch ${id} cannot be rolled back: later batch ${batches} changed ${later.map(describe).join("; ")} since; roll back the later batch first`,
      );
    }
    const status = batch.status === "published" ? "published" : "draft";
    if (status === "published") {
      const hidden = await unpublishedPredecessors(session, id);
      if (hidden.length > 0) {
        const batches = [...new Set(hidden.map((c) => c.batchId))].join(", ");
        throw new BatchError(
          `batch ${id} cannot be rolled back: it replaced values of batch ${batches}, which is not public yet (${hidden.map(describe).join("; ")}); publish or roll back that batch first`,
        );
      }
    }
    const reason = `Rollback of batch ${id}${options.reason ? `: ${options.reason}` : ""}`;
    const now = new Date();
    const rollbackId = await session.createBatch({
      sourceCode: null,
      fileName: null,
      format: "rollback",
      status,
      publishAt: status === "published" ? now : null,
      reason,
      createdBy: options.actor.userId,
      publishedBy: status === "published" ? options.actor.userId : null,
      illustrative: batch.illustrative,
    });
    const counts = await appendRollbackRows(session, id, rollbackId, options.actor.userId, reason);
    await session.finishBatch(rollbackId, { restored: counts.restored, withdrawn: counts.withdrawn, rollsBack: id });
    await session.audit({
      userId: options.actor.userId,
      actor: options.actor.name,
      action: "rollback",
      entity: "import_batch",
      entityKey: String(id),
      before: { status: batch.status },
      after: { status: "rolled_back", rollbackBatchId: rollbackId, ...counts },
      reason: options.reason,
    });
    return { id, rollbackBatchId: rollbackId, ...counts, status };
  });
}

/** Every revision of one value, oldest first. `breakdown` may be given in any order ("sex=female;age_band=0"). */
export async function valueHistory(
  database: Database,
  key: { measureCode: string; areaCode: string; period: string; breakdown?: string | undefined },
): Promise<RevisionRow[]> {
  const parsed = parseBreakdown(key.breakdown ?? "total");
  if (!parsed.ok) throw new BatchError(`breakdown ${parsed.error}`);
  return revisionHistory(database.db, {
    measureCode: key.measureCode,
    areaCode: key.areaCode.toUpperCase(),
    period: key.period,
    breakdown: canonicalBreakdown(parsed.parts),
  });
}
