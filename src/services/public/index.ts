/**
 * The public read side used by the public pages and the open data API: one cache keyed by the public data stamp,
 * the area directory and the published, disclosure-controlled data. Nothing here can see drafts or raw values.
 */
import type { Db } from "../../db/database.ts";
import { type DimensionRow, listDimensions } from "../../db/queries/dimensions.ts";
import { type FrameworkRow, listFrameworks } from "../../db/queries/framework.ts";
import { publicDataStamp } from "../../db/queries/public-data-stamp.ts";
import type { FrameworkService } from "../framework-service.ts";
import { type AreaDirectory, loadAreaDirectory } from "./area-directory.ts";
import { createPublicAnalysis } from "./public-analysis.ts";
import { createPublishedData } from "./published-data.ts";
import { createViewCache } from "./view-cache.ts";

export function createPublicViews(db: Db, framework: FrameworkService) {
  const cache = createViewCache({ stamp: () => publicDataStamp(db) });
  return {
    db,
    cache,
    framework,
    areas: (): Promise<AreaDirectory> => cache.get("areas", () => loadAreaDirectory(db)),
    data: createPublishedData(db, cache),
    analysis: createPublicAnalysis(db, cache),
    dimensions: (): Promise<DimensionRow[]> => cache.get("dimensions", () => listDimensions(db)),
    frameworks: (): Promise<FrameworkRow[]> => cache.get("frameworks", () => listFrameworks(db)),
  };
}

export type PublicViews = ReturnType<typeof createPublicViews>;
