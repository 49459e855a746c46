/**
 * A PostgreSQL connection dropped in the middle of `omf import` (issue 11 item 16): one clear line and exit 1, not
 * an EPIPE/ECONNRESET stack trace from an unhandled 'error' event; nothing is committed. The connection goes through a
 * proxy in this test that cuts it once the import reports progress. PostgreSQL only (TEST_PG_URL).
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectionLostMessage } from "../../src/db/database.ts";
import { pgTemplateName } from "../support/test-database.ts";

const bin = join(import.meta.dirname, "../../bin/omf.js");
const pgUrl = process.env.TEST_PG_URL;

describe("the one line for a lost database connection", () => {
  it("names a lost connection and says nothing was committed; other errors are not taken for one", () => {
    for (const error of [
      Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }),
      Object.assign(new Error("write EPIPE"), { code: "EPIPE" }),
      new Error("Connection terminated unexpectedly"),
    ]) {
      expect(connectionLostMessage(error)).toBe(
        `the connection to the database was lost (${error.message}); what the command was writing has not been committed: run it again when the database is back`,
      );
    }
    expect(connectionLostMessage(new Error("duplicate key value violates unique constraint"))).toBeNull();
    expect(connectionLostMessage(null)).toBeNull();
  });
});

// PostgreSQL only: on the embedded database there is no connection to lose
if (pgUrl)
  describe("a dropped PostgreSQL connection during omf import", { timeout: 600_000 }, () => {
    const name = `omf_lost_${randomUUID().replaceAll("-", "")}`;
    const dir = mkdtempSync(join(tmpdir(), "omf-lost-"));
    const sockets = new Set<Socket>();
    const target = new URL(pgUrl ?? "postgres://localhost:5432");
    const proxy = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on("error", () => {});
        s.on("close", () => sockets.delete(s));
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    let proxied = "";
    let cut = false;

    async function admin<T>(fn: (c: pg.Client) => Promise<T>, db = "postgres"): Promise<T> {
      const c = new pg.Client({ connectionString: `${pgUrl}/${db}` });
      await c.connect();
      try {
        return await fn(c);
      } finally {
        await c.end();
      }
    }

    beforeAll(async () => {
      await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${pgTemplateName()}`));
      await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
      const port = (proxy.address() as { port: number }).port;
      const u = new URL(pgUrl!);
      u.hostname = "127.0.0.1";
      u.port = String(port);
      proxied = `${u.toString().replace(/\/$/, "")}/${name}`;
    });
    afterAll(async () => {
      proxy.close();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      rmSync(dir, { recursive: true, force: true });
    });

    it("prints one line and exits 1, and commits nothing", async () => {
      const las = [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 21, 22, 23, 24];
      const rows: string[] = [];
      for (let y = 1000; y < 3000; y++) {
        for (const la of las) rows.push(`low-birth-weight,W060000${String(la).padStart(2, "0")},${y},5,50,1000`);
      }
      const file = join(dir, "big.csv");
      writeFileSync(file, `measure_code,area_code,period,value,numerator,denominator\n${rows.join("\n")}\n`);
      const child = spawn(process.execPath, [bin, "import", file], {
        env: { ...process.env, DATABASE_URL: proxied, OMF_DATA_DIR: dir, OMF_PROGRESS_SECONDS: "0.2", OMF_USER: "" },
      });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
        // in the middle of writing the observations (a progress line says some are written): drop every connection
        if (!cut && /rows read, [1-9]\d* written/.test(stderr)) {
          cut = true;
          for (const s of sockets) s.destroy();
        }
      });
      const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
      expect(cut, stderr).toBe(true);
      expect(code).toBe(1);
      const lines = stderr.split("\n").filter((l) => l && !l.startsWith("omf import: "));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^omf: the connection to the database was lost \(.+\); what the command was writing has not been committed/,
      );
      expect(stderr).not.toMatch(/^\s+at /m);
      const batches = await admin((c) => c.query("select count(*)::int as n from import_batches"), name);
      expect(batches.rows[0].n).toBe(0);
    });
  });
