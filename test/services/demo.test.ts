/**
 * `npm start` (`omf serve --seed-demo`) loads the whole demo into an empty database, as `omf demo` does: the
 * illustrative values, three illustrative partnership plans and the illustrative outcome agreement; a database that
 * already holds data gets nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { DEMO_AGREEMENT } from "../../src/services/agreements/demo.ts";
import { loadDemo } from "../../src/services/demo.ts";
import { createServices, type Services } from "../../src/services/index.ts";
import { DEMO_PLAN_ACTOR } from "../../src/services/plans/demo.ts";
import { freshReferenceDatabase } from "../support/demo-database.ts";

let database: Database;
let services: Services;
beforeAll(async () => {
  database = await freshReferenceDatabase();
  services = createServices({ database });
}, 120_000);
afterAll(async () => {
  await database.close();
});

describe("loadDemo, as npm start uses it", () => {
  it("fills an empty database with the demo values, plans and agreement, once", async () => {
    const first = await loadDemo(services, { onlyIfEmpty: true });
    expect(first.observations).toBeGreaterThan(1000);
    expect(first.plans).toBe(3);
    expect(first.agreements).toBe(1);
    const national = {
      id: null,
      email: "test",
      role: "national_admin" as const,
      areaCodes: [],
      channel: "cli" as const,
    };
    expect((await services.agreements.list(national)).map((a) => a.areaCode)).toEqual([DEMO_AGREEMENT.areaCode]);
    expect((await services.plans.list(DEMO_PLAN_ACTOR)).filter((p) => p.illustrative)).toHaveLength(3);

    expect(await loadDemo(services, { onlyIfEmpty: true })).toEqual({
      observations: 0,
      measures: 0,
      plans: 0,
      agreements: 0,
    });
    const again = await loadDemo(services, { onlyIfEmpty: false });
    expect([again.observations, again.plans, again.agreements]).toEqual([0, 0, 0]);
  }, 120_000);
});
