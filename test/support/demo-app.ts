/**
 * A test app on a database with the framework, the areas, the illustrative demo data (published) and its stored
 * analysis: what a first `npm start` shows. For route, API and browser tests of the public pages.
 */
import type { Database } from "../../src/db/database.ts";
import { type AppOptions, buildApp } from "../../src/web/app.ts";
import { freshDemoDatabase, freshDemoPlansDatabase } from "./demo-database.ts";
import type { TestApp } from "./test-app.ts";

/** Options a test may add to the app's (the authorisation matrix listens for its routes). */
export type TestAppOptions = Pick<AppOptions, "onRoute">;

async function appOn(database: Database, options: TestAppOptions = {}): Promise<TestApp> {
  const app = await buildApp({ database, sessionSecret: "a-test-secret-that-is-at-least-32-characters", ...options });
  return {
    app,
    database,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

export async function demoApp(): Promise<TestApp> {
  return appOn(await freshDemoDatabase());
}

/**
 * The demo app with the demo's illustrative partnership plans (Cardiff and Gwynedd published, Swansea a draft), as
 * `seedDemoPlans` writes them (kept in a template database of their own, like the demo data).
 */
export async function demoAppWithPlans(options: TestAppOptions = {}): Promise<TestApp> {
  return appOn(await freshDemoPlansDatabase(), options);
}
