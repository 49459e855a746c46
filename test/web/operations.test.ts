/**
 * What operations rely on (issue 19, docs/operations.md): `/ready` says whether the server can serve (the database
 * answers and every migration is applied), beside `/health` (liveness); the logs are JSON lines, each line of a
 * request with its id; stopping the server finishes the requests and imports under way before the database closes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { shutDown } from "../../src/cli/shutdown.ts";
import { migrationsFolder } from "../../src/db/database.ts";
import { createLogger } from "../../src/logger.ts";
import { createServices } from "../../src/services/index.ts";
import { buildApp } from "../../src/web/app.ts";
import { freshReferenceDatabase } from "../support/demo-database.ts";
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

describe("structured logs", () => {
  it("writes one JSON object a line, every line of a request (the services' too) with its request id", async () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: "info",
      destination: { write: (line: string) => lines.push(...line.split("\n").filter(Boolean)) },
    });
    const database = await freshDatabase();
    const services = createServices({ database, logger, analysis: "inline" });
    const app = await buildApp({ services, sessionSecret: SECRET, logger });
    try {
      const ok = await app.inject({ url: "/health", headers: { "x-request-id": "trace-ops-1" } });
      expect(ok.headers["x-request-id"]).toBe("trace-ops-1");
      await database.close();
      const failed = await app.inject({ url: "/health", headers: { "x-request-id": "trace-ops-2" } });
      expect(failed.statusCode).toBe(503);
    } finally {
      await app.close();
    }
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const line of lines) expect(line.match(/"reqId"/g)?.length ?? 0).toBeLessThanOrEqual(1);
    const of = (id: string) => logged.filter((l) => l.reqId === id);
    expect(of("trace-ops-1").map((l) => l.msg)).toEqual(["incoming request", "request completed"]);
    expect(of("trace-ops-1")[1]).toMatchObject({ level: 30, res: { statusCode: 200 } });
    expect(typeof of("trace-ops-1")[1]!.time).toBe("number");
    // the services' line, written while the request was answered, names it too
    expect(of("trace-ops-2")).toContainEqual(
      expect.objectContaining({ service: "health", msg: "database check failed", level: 50 }),
    );
    expect(of("trace-ops-2").at(-1)).toMatchObject({ msg: "request completed", res: { statusCode: 503 } });
    // nothing outside a request claims one
    expect(logged.filter((l) => l.reqId === undefined).every((l) => l.msg !== "database check failed")).toBe(true);
  });
});

describe("graceful shutdown", () => {
  it("finishes the requests and the import under way, refuses new connections, then closes the database", async () => {
    const database = await freshReferenceDatabase();
    const services = createServices({ database, analysis: "inline" });
    const app = await buildApp({ services, sessionSecret: SECRET });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered: () => void = () => {};
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    app.get("/test-slow", async () => {
      entered();
      await gate;
      return { done: true };
    });
    const events: string[] = [];
    // recorded by the server once the response is sent (the client may read it a moment after the server stopped)
    app.addHook("onResponse", async (request) => {
      if (request.url === "/test-slow") events.push("request answered");
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const port = (app.server.address() as AddressInfo).port;
    const slow = fetch(`http://127.0.0.1:${port}/test-slow`).then(async (r) => ({
      status: r.status,
      body: await r.json(),
    }));
    await inside;
    const dir = mkdtempSync(join(tmpdir(), "omf-shutdown-"));
    const lines = ["measure_code,area_code,period,value"];
    for (let year = 1990; year < 2030; year++) {
      for (let a = 1; a <= 22; a++) lines.push(`low-birth-weight,W060000${String(a).padStart(2, "0")},${year},${a}.5`);
    }
    writeFileSync(join(dir, "import.csv"), `${lines.join("\n")}\n`);
    const importing = services.imports
      .run(join(dir, "import.csv"), { dryRun: false, actor: { userId: null, name: "test" }, publish: true })
      .then((summary) => {
        events.push("import finished");
        return summary;
      });
    expect(services.writesInProgress()).toBe(1);
    const stopped = shutDown({ app, control: null, services }).then(() => events.push("stopped"));
    // no new connections while the work under way finishes
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    expect(events).not.toContain("stopped");
    release();
    const answered = await slow;
    expect(answered).toEqual({ status: 200, body: { done: true } });
    const summary = await importing;
    expect(summary.ok).toBe(true);
    expect(summary.counts.new).toBe(lines.length - 1);
    await stopped;
    expect(events.at(-1)).toBe("stopped");
    expect(events.slice(0, -1).sort()).toEqual(["import finished", "request answered"]);
    // and only then was the database closed
    await expect(services.health.check()).resolves.toMatchObject({ ok: false });
    rmSync(dir, { recursive: true, force: true });
  });
});
