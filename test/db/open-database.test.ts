import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { DatabaseConnectionError, openDatabase, queryRows } from "../../src/db/database.ts";
import { copyEmbeddedTemplateToDataDir } from "../support/demo-database.ts";

const saved = process.env.OMF_PGLITE_SHARED_BUFFERS;
afterEach(() => {
  if (saved === undefined) delete process.env.OMF_PGLITE_SHARED_BUFFERS;
  else process.env.OMF_PGLITE_SHARED_BUFFERS = saved;
});

describe("the embedded database's shared buffers", () => {
  it("are 8 MB unless OMF_PGLITE_SHARED_BUFFERS says otherwise", async () => {
    const dir = mkdtempSync(join(tmpdir(), "omf-sb-"));
    try {
      // a data folder made from the migrated template (no initdb): the setting is read when the database starts
      await copyEmbeddedTemplateToDataDir(dir, "migrated");
      delete process.env.OMF_PGLITE_SHARED_BUFFERS;
      const a = await openDatabase({ dataDir: join(dir, "pglite") });
      const [ra] = await queryRows<{ shared_buffers: string }>(a.db, sql`show shared_buffers`);
      await a.close();
      expect(ra!.shared_buffers).toBe("8MB");
      process.env.OMF_PGLITE_SHARED_BUFFERS = "32MB";
      const b = await openDatabase({ dataDir: join(dir, "pglite") });
      const [rb] = await queryRows<{ shared_buffers: string }>(b.db, sql`show shared_buffers`);
      await b.close();
      expect(rb!.shared_buffers).toBe("32MB");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("refuse a value that is not a size, in one clear message", async () => {
    process.env.OMF_PGLITE_SHARED_BUFFERS = "lots";
    await expect(openDatabase({ dataDir: "memory://" })).rejects.toThrow(DatabaseConnectionError);
    await expect(openDatabase({ dataDir: "memory://" })).rejects.toThrow(/must be a size such as 16MB, not "lots"/);
  });
});
