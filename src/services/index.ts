/** Composes the application's services from the database. Routes and the CLI receive this object. */
import type { Database } from "../db/database.ts";
import { createFrameworkService } from "./framework-service.ts";
import { createPublicViews } from "./public/index.ts";

export function createServices(database: Database) {
  const framework = createFrameworkService(database.db);
  return {
    database,
    db: database.db,
    framework,
    /** Read side of the public pages and the open data API (published, disclosure-controlled data only). */
    publicViews: createPublicViews(database.db, framework),
  };
}

export type Services = ReturnType<typeof createServices>;
