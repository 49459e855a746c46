/**
 * Importing framework content (aims, articles, sources, dimensions, groups, measures): all or nothing, idempotent;
 * a changed measure definition is updated in its framework version and the previous definition is kept in the audit
 * log (who, when, what it replaced). The writing itself is in src/db/queries/framework-write.ts.
 */
import type { Db } from "../db/database.ts";
import { type Actor, type ImportFrameworkResult, writeFrameworkContent } from "../db/queries/framework-write.ts";
import type { FrameworkFile } from "../ingest/framework/framework-file-schema.ts";

export type { Actor, ImportFrameworkResult };

export function importFramework(db: Db, content: FrameworkFile, actor: Actor): Promise<ImportFrameworkResult> {
  return writeFrameworkContent(db, content, actor);
}
