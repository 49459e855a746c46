/**
 * The lock of the embedded database (src/db/data-dir-lock.ts): one holder at a time, a one-line message naming the
 * holder and what to do, released on close, and a stale lock (its process gone) taken over. The same with two real
 * processes is in test/cli/beside-server.test.ts.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { acquireDataDirLock, DatabaseLockedError, liveHolder } from "../../src/db/data-dir-lock.ts";
import { openDatabase } from "../../src/db/database.ts";
import { copyEmbeddedTemplateToDataDir } from "../support/demo-database.ts";

const dir = mkdtempSync(join(tmpdir(), "omf-lock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the embedded database lock", () => {
  it("lets one holder in, names it in one line to the next, and is released on close", async () => {
    const pglite = join(dir, "a", "pglite");
    mkdirSync(join(dir, "a"));
    await copyEmbeddedTemplateToDataDir(join(dir, "a"), "migrated"); // an existing database, as a server would find
    const database = await openDatabase({ dataDir: pglite, holder: "omf import" });
    try {
      expect(liveHolder(pglite)).toMatchObject({ pid: process.pid, command: "omf import" });
      let error: unknown;
      try {
        await openDatabase({ dataDir: pglite, holder: "omf serve" });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DatabaseLockedError);
      const message = (error as Error).message;
      expect(message).not.toContain("\n");
      expect(message).toBe(
        `the database in ${join(dir, "a")} is in use by \`omf import\` (pid ${process.pid}); wait until it has finished, then run the command again`,
      );
    } finally {
      await database.close();
    }
    expect(existsSync(join(dir, "a", "pglite.lock"))).toBe(false);
    const again = await openDatabase({ dataDir: pglite });
    await again.close();
  }, 300_000);

  it("takes over a lock whose process is gone", () => {
    const pglite = join(dir, "b", "pglite");
    const gone = Number(spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" }).stdout);
    const path = join(dir, "b", "pglite.lock");
    mkdirSync(join(dir, "b"), { recursive: true });
    writeFileSync(path, JSON.stringify({ pid: gone, command: "omf import", host: hostname(), started: null }));
    expect(liveHolder(pglite)).toBeNull();
    const lock = acquireDataDirLock(pglite, "omf migrate");
    expect(JSON.parse(readFileSync(path, "utf8"))).toMatchObject({ pid: process.pid, command: "omf migrate" });
    lock.release();
    expect(existsSync(path)).toBe(false);
  });
});
