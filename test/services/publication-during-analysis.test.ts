/**
 * Issue 11 item 4: a large publication must not stall the public site. While the analysis of a change runs, readers
 * are served the cached views of before the change (the cache is held, not dropped) and the analysis reads each
 * measure in short statements, so the thread answering requests (which runs every embedded-database statement) is
 * free in between. bench/publication.ts measures the site during a 500,000-row publication.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { visibleObservations, visibleObservationsInParts } from "../../src/db/queries/visible-observations.ts";
import { createDataChanges } from "../../src/services/data-changes.ts";
import { freshDemoDatabase } from "../support/demo-database.ts";

let database: Database;
beforeAll(async () => {
  database = await freshDemoDatabase();
}, 600_000);
afterAll(async () => database?.close());

describe("a publication while the site is read", () => {
  it("reads a measure in parts of at most N stored rows with exactly the rows, values and order of one read", async () => {
    const all = await visibleObservations(database.db, {});
    const codes = [...new Set(all.map((o) => o.measureCode))].slice(0, 6);
    expect(codes.length).toBeGreaterThan(1);
    for (const code of codes) {
      const whole = await visibleObservations(database.db, { measureCodes: [code] });
      expect(whole.length).toBeGreaterThan(10);
      for (const part of [1, 7, 50, 1_000_000]) {
        expect(await visibleObservationsInParts(database.db, code, {}, part), `${code} in parts of ${part}`).toEqual(
          whole,
        );
      }
    }
    expect(await visibleObservationsInParts(database.db, "no-such-measure", {}, 5)).toEqual([]);
  });

  it("holds the cached views from before the change until the new analysis is stored, then drops them", async () => {
    const events: string[] = [];
    const changes = createDataChanges(database, {
      mode: "inline",
      dropCachedViews: () => events.push("drop"),
      holdCachedViews: () => {
        events.push("hold");
        return () => events.push("release");
      },
      onReport: () => events.push("analysed"),
    });
    const report = await changes.changed();
    expect(report).not.toBeNull();
    // inline, the analysis drops the views once it is stored; the hold ends after it and the views are dropped again
    expect(events[0]).toBe("hold");
    expect(events.indexOf("analysed")).toBeGreaterThan(0);
    expect(events.indexOf("release")).toBeGreaterThan(events.indexOf("analysed"));
    expect(events.at(-1)).toBe("drop");
    expect(events.filter((e) => e === "hold")).toHaveLength(1);
    expect(events.filter((e) => e === "release")).toHaveLength(1);
    await changes.close();
  });
});
