/**
 * One writer of audit_log: an import, a publication, a rollback and a framework change are all recorded with who,
 * when, what, before/after and the reason given, and read back through the audit service.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { createServices, type Services } from "../../src/services/index.ts";
import { seededDatabase, TEST_ACTOR, tempFile } from "../support/import-fixtures.ts";

let database: Database;
let services: Services;
beforeAll(async () => {
  database = await seededDatabase();
  services = createServices({ database });
});
afterAll(async () => {
  await database?.close();
});

const HEADER = "measure_code,area_code,period,value,numerator,denominator,note_code\n";

describe("the audit trail", () => {
  it("records an import, its publication and its rollback, each with the reason given", async () => {
    const summary = await services.imports.run(tempFile(`${HEADER}low-birth-weight,W06000015,2022,7.1,300,4225,\n`), {
      dryRun: false,
      actor: TEST_ACTOR,
      reason: "annual refresh",
    });
    expect(summary.ok).toBe(true);
    const id = summary.batch!.id;
    await services.batches.publish(id, { actor: { userId: null, name: "cli:ann" } });
    await services.batches.rollback(id, { actor: { userId: null, name: "cli:bob" }, reason: "wrong file" });
    const trail = await services.audit.trail("import_batch", String(id));
    expect(trail.map((e) => [e.action, e.actor, e.reason])).toEqual([
      ["import", "test", "annual refresh"],
      ["publish", "cli:ann", null],
      ["rollback", "cli:bob", "wrong file"],
    ]);
    expect(trail[1]!.before).toMatchObject({ status: "draft" });
    expect(trail[1]!.after).toMatchObject({ status: "published" });
    for (const e of trail) expect(e.at).toBeInstanceOf(Date);
  }, 120_000);

  it("records an entry given on its own, with before, after and reason", async () => {
    await services.audit.record({
      userId: null,
      actor: "web:ann@example.org",
      action: "update",
      entity: "note",
      entityKey: "n1",
      before: { text: "old" },
      after: { text: "new" },
      reason: "typo",
    });
    expect(await services.audit.trail("note", "n1")).toEqual([
      expect.objectContaining({
        actor: "web:ann@example.org",
        action: "update",
        before: { text: "old" },
        after: { text: "new" },
        reason: "typo",
      }),
    ]);
  });
});
