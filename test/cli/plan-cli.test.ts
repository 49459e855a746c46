/**
 * `omf demo` adds illustrative partnership plans (one published with its story and action, one draft, one published
 * with a programme's performance measures), idempotently; `omf plan list [--json]` lists them with their addresses.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
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
});
