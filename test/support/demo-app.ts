/**
 * A test app on a database with the framework, the areas, the illustrative demo data (published) and its stored
 * analysis: what a first `npm start` shows. For route, API and browser tests of the public pages.
 */
import { analyseMeasures } from "../../src/services/analysis/index.ts";
import { seedDemoData } from "../../src/services/demo-data.ts";
import { seededApp, type TestApp } from "./test-app.ts";

export async function demoApp(): Promise<TestApp> {
  const t = await seededApp();
  await seedDemoData(t.database.db, { onlyIfEmpty: false });
  const report = await analyseMeasures(t.database.db);
  if (report.failed > 0) {
    throw new Error(`demo analysis failed: ${report.measures.filter((m) => m.error).map((m) => `${m.measureCode}: ${m.error}`).join("; ")}`);
  }
  return t;
}
