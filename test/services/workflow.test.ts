/**
 * The shared workflow (src/domain/workflow.ts, src/services/workflow.ts): which transitions exist, that a refused
 * transition (not allowed from the state, or not permitted to the user) writes nothing, and that the state change and
 * its audit row are one transaction (both kept, or both rolled back).
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Database, type Db, queryRows } from "../../src/db/database.ts";
import { ConflictError, ForbiddenError, NotFoundError } from "../../src/domain/errors.ts";
import type { Principal } from "../../src/domain/permissions.ts";
import {
  actionsFrom,
  nextState,
  WORKFLOW_ACTIONS,
  WORKFLOW_STATES,
  type WorkflowState,
} from "../../src/domain/workflow.ts";
import { createServices, type Services } from "../../src/services/index.ts";
import type { WorkflowDefinition } from "../../src/services/workflow.ts";
import { freshDatabase } from "../support/test-database.ts";

describe("the workflow's transitions", () => {
  it("allow exactly draft → submitted → returned/approved → published → superseded, and resubmission", () => {
    const allowed: string[] = [];
    for (const from of WORKFLOW_STATES) {
      for (const action of WORKFLOW_ACTIONS) {
        const to = nextState(from, action);
        if (to) allowed.push(`${from} -${action}-> ${to}`);
      }
    }
    expect(allowed.sort()).toEqual(
      [
        "draft -submit-> submitted",
        "returned -submit-> submitted",
        "submitted -return-> returned",
        "submitted -approve-> approved",
        "approved -publish-> published",
        "published -supersede-> superseded",
      ].sort(),
    );
  });

  it("forbid everything else, e.g. publishing a draft or leaving superseded", () => {
    expect(nextState("draft", "publish")).toBeNull();
    expect(nextState("draft", "approve")).toBeNull();
    expect(nextState("returned", "approve")).toBeNull();
    expect(nextState("published", "submit")).toBeNull();
    expect(actionsFrom("superseded")).toEqual([]);
    expect(actionsFrom("submitted").sort()).toEqual(["approve", "return"]);
  });
});

interface Item {
  areaCode: string;
}

let database: Database;
let services: Services;
/** The last audit entry before each test: entries are never deleted (the database refuses), so each test reads those after it. */
let since = 0;

const editor = { id: null, role: "partnership_editor", areaCodes: ["W06000015"] } satisfies Principal & {
  id: null;
};
const admin = { id: null, role: "national_admin", areaCodes: [] } satisfies Principal & { id: null };

/** A kind of thing kept in a test table: editors of its area submit; national administrators do the rest. */
function definition(options: { effect?: WorkflowDefinition<Item>["effect"] } = {}): WorkflowDefinition<Item> {
  return {
    entity: "test_item",
    store: {
      async load(tx: Db, key: string) {
        const rows = await queryRows<{ state: string; area_code: string }>(
          tx,
          sql`select state, area_code from workflow_test_items where key = ${key} for update`,
        );
        const row = rows[0];
        return row ? { state: row.state as WorkflowState, subject: { areaCode: row.area_code } } : null;
      },
      async save(tx: Db, key: string, state: WorkflowState) {
        await tx.execute(sql`update workflow_test_items set state = ${state} where key = ${key}`);
      },
    },
    may(action, user, subject) {
      if (!user) return false;
      if (action === "submit") return user.role === "national_admin" || user.areaCodes.includes(subject.areaCode);
      return user.role === "national_admin";
    },
    ...(options.effect ? { effect: options.effect } : {}),
  };
}

async function stateOf(key: string): Promise<string | undefined> {
  const rows = await queryRows<{ state: string }>(
    database.db,
    sql`select state from workflow_test_items where key = ${key}`,
  );
  return rows[0]?.state;
}

async function auditRows(key: string) {
  return queryRows<{ action: string; actor: string; before: unknown; after: unknown; reason: string | null }>(
    database.db,
    sql`select action, actor, before, after, reason from audit_log where entity = 'test_item' and entity_key = ${key} and id > ${since} order by id`,
  );
}

beforeAll(async () => {
  database = await freshDatabase();
  services = createServices({ database });
  await database.db.execute(
    sql`create table workflow_test_items (key text primary key, state text not null, area_code text not null)`,
  );
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  await database.db.execute(sql`delete from workflow_test_items`);
  since = (await queryRows<{ id: number }>(database.db, sql`select coalesce(max(id), 0)::int as id from audit_log`))[0]!
    .id;
  await database.db.execute(
    sql`insert into workflow_test_items (key, state, area_code) values ('p1', 'draft', 'W06000015'), ('p2', 'draft', 'W06000022')`,
  );
});

describe("a workflow transition", () => {
  it("changes the state and writes who, what, before/after and why to the audit log", async () => {
    const workflow = services.workflow(definition());
    const r = await workflow.transition({
      key: "p1",
      action: "submit",
      user: editor,
      actor: "web:editor@example.org",
      reason: "ready for review",
    });
    expect(r).toEqual({ key: "p1", from: "draft", to: "submitted" });
    expect(await stateOf("p1")).toBe("submitted");
    expect(await auditRows("p1")).toEqual([
      {
        action: "submit",
        actor: "web:editor@example.org",
        before: { state: "draft" },
        after: { state: "submitted" },
        reason: "ready for review",
      },
    ]);
    const trail = await services.audit.trail("test_item", "p1");
    expect(trail.map((e) => e.action)).toEqual(["submit"]);
    expect(trail[0]!.at).toBeInstanceOf(Date);
  });

  it("goes through the whole workflow with the right users", async () => {
    const workflow = services.workflow(definition());
    const steps = [
      ["submit", editor],
      ["return", admin],
      ["submit", editor],
      ["approve", admin],
      ["publish", admin],
      ["supersede", admin],
    ] as const;
    for (const [action, user] of steps) await workflow.transition({ key: "p1", action, user, actor: "test" });
    expect(await stateOf("p1")).toBe("superseded");
    expect((await auditRows("p1")).map((a) => a.action)).toEqual(steps.map(([a]) => a));
  });

  it("refuses a transition the workflow does not have (409) and writes nothing", async () => {
    const workflow = services.workflow(definition());
    await expect(workflow.transition({ key: "p1", action: "publish", user: admin, actor: "test" })).rejects.toThrow(
      ConflictError,
    );
    expect(await stateOf("p1")).toBe("draft");
    expect(await auditRows("p1")).toEqual([]);
  });

  it("refuses a user without the permission (403) and writes nothing", async () => {
    const workflow = services.workflow(definition());
    // an editor of Cardiff may not submit another area's item, nor approve anything
    await expect(workflow.transition({ key: "p2", action: "submit", user: editor, actor: "test" })).rejects.toThrow(
      ForbiddenError,
    );
    await expect(workflow.transition({ key: "p1", action: "submit", user: null, actor: "test" })).rejects.toThrow(
      ForbiddenError,
    );
    await workflow.transition({ key: "p1", action: "submit", user: editor, actor: "test" });
    await expect(workflow.transition({ key: "p1", action: "approve", user: editor, actor: "test" })).rejects.toThrow(
      ForbiddenError,
    );
    expect(await stateOf("p2")).toBe("draft");
    expect(await stateOf("p1")).toBe("submitted");
    expect((await auditRows("p2")).length).toBe(0);
    expect((await auditRows("p1")).map((a) => a.action)).toEqual(["submit"]);
  });

  it("says when the thing does not exist (404)", async () => {
    const workflow = services.workflow(definition());
    await expect(workflow.transition({ key: "nope", action: "submit", user: admin, actor: "test" })).rejects.toThrow(
      NotFoundError,
    );
  });

  it("rolls the state change and its audit row back together when a later step fails", async () => {
    let sawOwnWrites = false;
    const workflow = services.workflow(
      definition({
        async effect(tx, change) {
          // inside the transaction, the new state and the audit row are there...
          const [row] = await queryRows<{ n: number }>(
            tx,
            sql`select count(*)::int as n from audit_log where entity = 'test_item' and entity_key = ${change.key} and id > ${since}`,
          );
          sawOwnWrites = row!.n === 1;
          throw new Error("the effect failed");
        },
      }),
    );
    await expect(workflow.transition({ key: "p1", action: "submit", user: editor, actor: "test" })).rejects.toThrow(
      "the effect failed",
    );
    expect(sawOwnWrites).toBe(true);
    // ...and after the failure neither is
    expect(await stateOf("p1")).toBe("draft");
    expect(await auditRows("p1")).toEqual([]);
  });
});
