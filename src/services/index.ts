/** Composes the application's services from the database. Routes and the CLI receive this object. */
import type { Database } from "../db/database.ts";
import { createDataChanges } from "./data-changes.ts";
import { createFrameworkService } from "./framework-service.ts";
import { createPublicViews } from "./public/index.ts";

export function createServices(database: Database) {
  const framework = createFrameworkService(database.db);
  const publicViews = createPublicViews(database.db, framework);
  return {
    database,
    db: database.db,
    framework,
    /** Read side of the public pages and the open data API (published, disclosure-controlled data only). */
    publicViews,
    /** After published data change: fresh views and analysis (the analysis runs in a worker thread). */
    dataChanges: createDataChanges(database, () => publicViews.cache.clear()),
  };
}

export type Services = ReturnType<typeof createServices>;
