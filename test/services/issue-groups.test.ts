/**
 * The same import problem on many rows is said once, with its rows as ranges, and an unknown measure gets the nearest
 * measure codes by name (issue 17). The real file: low_birth_weight.csv from ../shared/sample-data, whose measure
 * column holds the measure's published name rather than a code.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import type { Issue } from "../../src/ingest/observations/types.ts";
import { implausibility } from "../../src/services/import/diff-rows.ts";
import {
  groupIssues,
  IssueGrouper,
  nameSimilarity,
  nearestMeasures,
  rowRangesText,
} from "../../src/services/import/issue-groups.ts";
import { runImport } from "../../src/services/import/run-import.ts";
import { readSharedCsv, requireShared, sharedAvailable, sharedDir } from "../domain/helpers/shared-data.ts";
import { seededDatabase, TEST_ACTOR } from "../support/import-fixtures.ts";

const issue = (row: number, over: Partial<Issue> = {}): Issue => ({
  severity: "error",
  row,
  column: "measure",
  value: "Live births",
  code: "unknown_measure",
  message: 'unknown measure "Live births"',
  ...over,
});

describe("grouping issues", () => {
  it("one group per problem, its rows as ranges in row order", () => {
    const rows = [...Array.from({ length: 23 }, (_, i) => i + 2), 30];
    const groups = groupIssues([
      ...rows.map((r) => issue(r)),
      issue(5, { column: "value", value: "x", code: "not_a_number", message: 'value "x" is not a number' }),
    ]);
    expect(groups).toHaveLength(2);
    expect(groups[0]).toMatchObject({
      code: "unknown_measure",
      count: 24,
      ranges: [
        [2, 24],
        [30, 30],
      ],
    });
    expect(rowRangesText(groups[0]!.ranges)).toBe("2–24, 30");
    expect(rowRangesText(groups[1]!.ranges)).toBe("5");
  });

  it("two problems on one row count once per row in the ranges", () => {
    const g = new IssueGrouper();
    g.add(issue(3));
    g.add(issue(3));
    g.add(issue(4));
    expect(g.groups()[0]!.ranges).toEqual([[3, 4]]);
  });
});

describe("nearest measures by name", () => {
  const measures = [
    { code: "low-birth-weight", titles: ["Low birth weight", "Pwysau geni isel"] },
    { code: "mmr1-by-2", titles: ["MMR1 by age 2"] },
    { code: "children-low-income-families", titles: ["Children in relative low-income families"] },
    { code: "healthy-weight-age-4-5", titles: ["Healthy weight at age 4 to 5"] },
  ];
  it("finds the measure whose name is nearest to the published name", () => {
    // a clear match is given alone, not followed by chance resemblances ("weight" in "Healthy weight")
    expect(nearestMeasures("Live births with birth weight under 2,500g", measures)).toEqual(["low-birth-weight"]);
    expect(nearestMeasures("birth weight", measures)[0]).toBe("low-birth-weight");
    expect(nameSimilarity("low birth weight", "Low birth weight")).toBe(1);
    expect(nearestMeasures("zzzz", measures)).toEqual([]);
  });
});

describe("numbers in messages", () => {
  it("are rounded to the measure's decimals, never 16 digits", () => {
    const m = implausibility(25.123456789, { n: 5, min: 5.393890209263231, max: 5.737320433890355, mean: 5.5 }, 1);
    expect(m).toBe(
      "value 25.1 is far outside this area's history for the measure (5.4 to 5.7 over 5 periods); check it",
    );
  });
});

describe("a real file whose measure column holds the measure's name (issue 17)", () => {
  let database: Database;
  beforeAll(async () => {
    database = await seededDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it("gives the unknown measure once, with all its rows as one range and the nearest code", async (ctx) => {
    requireShared(ctx);
    if (!sharedAvailable) return;
    const rows = readSharedCsv("sample-data/low_birth_weight.csv");
    const summary = await runImport(database, path.join(sharedDir, "sample-data", "low_birth_weight.csv"), {
      dryRun: true,
      publish: false,
      actor: TEST_ACTOR,
    });
    expect(summary.ok).toBe(false);
    const unknown = summary.errorGroups.filter((g) => g.code === "unknown_measure");
    expect(unknown).toHaveLength(1);
    expect(unknown[0]).toMatchObject({ count: rows.length, ranges: [[2, rows.length + 1]] });
    expect(unknown[0]!.nearestMeasures).toEqual(["low-birth-weight"]);
  });
});
