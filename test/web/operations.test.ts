/**
 * What operations rely on (issue 19, docs/operations.md): `/ready` says whether the server can serve (the database
 * answers and every migration is applied), beside `/health` (liveness).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { migrationsFolder } from "../../src/db/database.ts";
import { buildApp } from "../../src/web/app.ts";
import { freshDatabase } from "../support/test-database.ts";

const SECRET = "a-test-secret-that-is-at-least-32-characters";

describe("/ready", () => {
  it("is ready when the database answers and is migrated, and 503 (saying which) otherwise", async () => {
    const shipped = (
      JSON.parse(readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: unknown[] }
    ).entries.length;
    const database = await freshDatabase();
    const app = await buildApp({ database, sessionSecret: SECRET });
    try {
      const ready = await app.inject("/ready");
      expect(ready.statusCode).toBe(200);
      expect(ready.headers["cache-control"]).toBe("no-store");
      expect(ready.json()).toEqual({ status: "ready", database: { status: "ok", kind: database.kind } });
      // a database an older version migrated (or restored from an older backup): alive, but not ready
      await database.exec(`CREATE TABLE last_migration AS
        SELECT * FROM drizzle.__drizzle_migrations ORDER BY created_at DESC LIMIT 1;
        DELETE FROM drizzle.__drizzle_migrations WHERE id IN (SELECT id FROM last_migration)`);
      const older = await app.inject("/ready");
      expect(older.statusCode).toBe(503);
      expect(older.json()).toEqual({
        status: "not_ready",
        database: { status: "migrations_pending", kind: database.kind, pendingMigrations: 1 },
      });
      expect((await app.inject("/health")).statusCode).toBe(200);
      await database.exec(
        "INSERT INTO drizzle.__drizzle_migrations SELECT * FROM last_migration; DROP TABLE last_migration",
      );
      expect((await app.inject("/ready")).statusCode).toBe(200);
      // never migrated: every migration is pending
      await database.exec("ALTER SCHEMA drizzle RENAME TO drizzle_away");
      const never = await app.inject("/ready");
      expect(never.statusCode).toBe(503);
      expect(never.json().database.pendingMigrations).toBe(shipped);
      await database.exec("ALTER SCHEMA drizzle_away RENAME TO drizzle");
      // the database gone
      await database.close();
      const gone = await app.inject("/ready");
      expect(gone.statusCode).toBe(503);
      expect(gone.json()).toEqual({ status: "not_ready", database: { status: "unavailable", kind: database.kind } });
    } finally {
      await app.close();
    }
  });
});
