/**
 * A test app on a database with the framework, the areas, the illustrative demo data (published) and its stored
 * analysis: what a first `npm start` shows. For route, API and browser tests of the public pages.
 */
import { seedDemoPlans } from "../../src/services/plans/demo.ts";
import { buildApp } from "../../src/web/app.ts";
import { freshDemoDatabase } from "./demo-database.ts";
import type { TestApp } from "./test-app.ts";

export async function demoApp(): Promise<TestApp> {
  const database = await freshDemoDatabase();
  const app = await buildApp({ database, sessionSecret: "a-test-secret-that-is-at-least-32-characters" });
  return {
    app,
    database,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

/** The demo app with the demo's illustrative partnership plans (Cardiff and Gwynedd published, Swansea a draft). */
export async function demoAppWithPlans(): Promise<TestApp> {
  const t = await demoApp();
  await seedDemoPlans(t.app.services.plans);
  return t;
}
