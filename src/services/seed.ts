/**
 * Loads the shipped content (the Wales framework and the areas in `content/`) into the database.
 * Idempotent: running it again changes nothing unless the content changed.
 */
import { fileURLToPath } from "node:url";
import type { Db } from "../db/database.ts";
import { upsertAreas } from "../db/queries/areas.ts";
import { findCurrentFramework } from "../db/queries/framework.ts";
import { listKnownFrameworkCodes } from "../db/queries/known-codes.ts";
import { readAreaContent } from "../ingest/areas/read-area-content.ts";
import { formatProblem } from "../ingest/content-problem.ts";
import { type KnownCodes, loadFrameworkContent } from "../ingest/framework/read-framework-content.ts";
import { importFramework } from "./import-framework.ts";

export const contentDir = fileURLToPath(new URL("../../content", import.meta.url));

export interface SeedResult {
  measures: number;
  added: number;
  updated: number;
  areas: number;
}

export async function seedReferenceData(db: Db, dir = contentDir): Promise<SeedResult> {
  const areaContent = readAreaContent(`${dir}/areas`);
  const areaErrors = areaContent.problems.filter((p) => p.severity === "error");
  if (areaErrors.length > 0) {
    throw new Error(`The shipped area content is invalid: ${areaErrors.map(formatProblem).join("; ")}`);
  }
  await upsertAreas(db, areaContent);
  const { content, problems } = await loadFrameworkContent(`${dir}/framework`);
  const errors = problems.filter((p) => p.severity === "error");
  if (errors.length > 0) {
    throw new Error(
      `The shipped framework content is invalid: ${errors.map((e) => `${e.file}: ${e.key}: ${e.message}`).join("; ")}`,
    );
  }
  const r = await importFramework(db, content, { name: "seed" });
  return {
    measures: r.measuresAdded + r.measuresUpdated + r.measuresUnchanged,
    added: r.measuresAdded,
    updated: r.measuresUpdated,
    areas: areaContent.areas.length,
  };
}

/** Seeds when the database has no framework yet (first start); returns what was seeded, or null. */
export async function ensureSeeded(db: Db): Promise<SeedResult | null> {
  if (await findCurrentFramework(db)) return null;
  return seedReferenceData(db);
}

/** Codes already in the database, so a file that only adds measures can refer to existing aims, groups, sources. */
export function knownFrameworkCodes(db: Db): Promise<KnownCodes> {
  return listKnownFrameworkCodes(db);
}
