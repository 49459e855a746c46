/**
 * `omf demo` adds illustrative partnership plans (one published with its story and action, one draft, one published
 * with a programme's performance measures), idempotently; `omf plan list [--json]` lists them with their addresses;
 * `omf demo --remove` removes them and the local measures only they used, and leaves real plans alone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { createServices } from "../../src/services/index.ts";
import { demoPlanPeriod } from "../../src/services/plans/demo.ts";
import type { PlanActor } from "../../src/services/plans/index.ts";
import { omfInProcess as omf } from "../support/cli.ts";
import { freshDemoDatabase } from "../support/demo-database.ts";

let database: Database;
beforeAll(async () => {
  database = await freshDemoDatabase();
}, 120_000);
afterAll(async () => {
  await database.close();
});

describe("omf plan list and the demo plans", () => {
  it("adds three illustrative plans once and lists them", async () => {
    const first = await omf(["demo"], { database });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("added 3 illustrative partnership plans");
    const again = await omf(["demo"], { database });
    expect(again.stdout).toContain("demo plans already loaded");
    const json = await omf(["plan", "list", "--json"], { database });
    expect(json.code, json.stderr).toBe(0);
    const rows = JSON.parse(json.stdout) as {
      partnership: string;
      status: string;
      illustrative: boolean;
      address: string;
    }[];
    expect(rows.map((r) => [r.partnership, r.status]).sort()).toEqual([
      ["W06000002", "published"],
      ["W06000011", "draft"],
      ["W06000015", "published"],
    ]);
    expect(
      rows.every((r) => r.illustrative && /\/en\/plans\/W0600\d{4}\/\d{4}-\d{2}-to-\d{4}-\d{2}$/.test(r.address)),
    ).toBe(true);
    const text = await omf(["plan", "list"], { database });
    expect(text.stdout.trim().split("\n")).toHaveLength(3);
    expect(text.stdout).toContain("draft (illustrative)");
  });

  it("omf demo --remove removes the illustrative plans and their local measures, and leaves a real plan", async () => {
    const services = createServices({ database });
    const plans = services.plans;
    const admin: PlanActor = {
      id: null,
      email: "admin@example.org",
      role: "national_admin",
      areaCodes: [],
      channel: "cli",
    };
    const period = demoPlanPeriod();
    // a local measure on the illustrative Swansea plan
    const swansea = { areaCode: "W06000011", period };
    const d = await plans.get(admin, swansea);
    await plans.addLocalMeasure(admin, swansea, d.plan.rowVersion, {
      shortCode: "demo-visits",
      title: { en: "Home visits" },
      definition: { en: "Families visited at home" },
      unit: "count",
      polarity: "higher_is_better",
      valueType: "count",
      periodType: "financial_year",
      decimals: 0,
      multiplier: null,
      coreAim: "CA2",
      priorityId: d.priorities[0]!.id,
      reason: { en: "Illustrative" },
    });
    // a real plan
    await plans.create(admin, { areaCode: "W06000022", period: "2030-31-to-2031-32" });
    const r = await omf(["demo", "--remove"], { database });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("removed 3 illustrative partnership plans and 1 local measures");
    const left = JSON.parse((await omf(["plan", "list", "--json"], { database })).stdout) as { partnership: string }[];
    expect(left.map((x) => x.partnership)).toEqual(["W06000022"]);
    const measures = (await database.db.execute(
      "SELECT count(*) AS n FROM measures WHERE local_area_code IS NOT NULL" as never,
    )) as unknown as { rows?: { n: string }[] } & { n: string }[];
    expect(Number((measures.rows ?? measures)[0]!.n)).toBe(0);
    const again = await omf(["demo", "--remove"], { database });
    expect(again.stdout).not.toContain("partnership plans");
  });
});
