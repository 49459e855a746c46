import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { findCurrentFramework, listFrameworks, listMeasures } from "../../src/db/queries/framework.ts";
import { auditLog, measures } from "../../src/db/schema.ts";
import { loadFrameworkContent } from "../../src/ingest/framework/read-framework-content.ts";
import { importFramework } from "../../src/services/import-framework.ts";
import { knownFrameworkCodes } from "../../src/services/seed.ts";
import { freshReferenceDatabase } from "../support/demo-database.ts";

let database: Database;
beforeAll(async () => {
  database = await freshReferenceDatabase(); // the framework and areas, cloned
});
afterAll(async () => {
  await database.close();
});

describe("omf framework import", () => {
  it("adds a partnership's local measure from the documented example file", async () => {
    const { content, problems } = await loadFrameworkContent(
      "docs/examples/local-measure.yaml",
      await knownFrameworkCodes(database.db),
    );
    expect(problems.filter((p) => p.severity === "error")).toEqual([]);
    const r = await importFramework(database.db, content, { name: "test" });
    expect(r.measuresAdded).toBe(content.measures?.length);
    const again = await importFramework(database.db, content, { name: "test" });
    expect(again).toMatchObject({ measuresAdded: 0, measuresUpdated: 0 });
  });

  it("keeps what a redefinition replaced, with who and when, in the audit log", async () => {
    const framework = (await findCurrentFramework(database.db))!;
    const [lbw] = await database.db
      .select()
      .from(measures)
      .where(and(eq(measures.frameworkId, framework.id), eq(measures.code, "low-birth-weight")));
    const { content } = await loadFrameworkContent("content/framework");
    const measure = content.measures!.find((m) => m.code === "low-birth-weight")!;
    const changed = { ...content, measures: [{ ...measure, caveats: { en: "A new caveat", cy: "Cafeat newydd" } }] };
    const r = await importFramework(database.db, { measures: changed.measures }, { name: "analyst@example.org" });
    expect(r.measuresUpdated).toBe(1);
    const audits = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, "measure"), eq(auditLog.action, "update")));
    const audit = audits.find((a) => a.entityKey.endsWith("/low-birth-weight"))!;
    expect(audit.actor).toBe("analyst@example.org");
    expect((audit.before as { caveats: unknown }).caveats).toEqual(lbw!.caveats);
    expect((audit.after as { caveats: unknown }).caveats).toEqual({ en: "A new caveat", cy: "Cafeat newydd" });
  });

  it("starts a new framework version from the old one without touching it", async () => {
    const v1 = (await findCurrentFramework(database.db))!;
    const before = await listMeasures(database.db, v1.id);
    const { content } = await loadFrameworkContent("content/framework");
    const lbw = content.measures!.find((m) => m.code === "low-birth-weight")!;
    await importFramework(
      database.db,
      {
        framework: { ...content.framework!, version: "2" },
        measures: [{ ...lbw, status: "retired" }],
      },
      { name: "test" },
    );
    const all = await listFrameworks(database.db);
    expect(all.map((f) => f.version)).toEqual(["1", "2"]);
    const v2 = all.find((f) => f.version === "2")!;
    const after = await listMeasures(database.db, v2.id);
    expect(after.length).toBe(before.length);
    expect(after.find((m) => m.code === "low-birth-weight")!.status).toBe("retired");
    const v1After = await listMeasures(database.db, v1.id);
    expect(v1After.find((m) => m.code === "low-birth-weight")!.status).toBe("live");
  });
});
