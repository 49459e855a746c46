/**
 * A PostgreSQL connection dropped in the middle of `omf import` (issue 11 item 16) is one clear line, not an
 * EPIPE/ECONNRESET stack trace, and nothing of the import is committed. The one line is tested on its own; on
 * PostgreSQL a real `omf import` process also writes a large file through a proxy that cuts every connection once rows
 * are being written.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectionLostMessage, openDatabase } from "../../src/db/database.ts";
import { seedReferenceData } from "../../src/services/seed.ts";
import { OMF_BIN as bin } from "../support/cli.ts";
import { dropTestDatabase, pgTemplateName } from "../support/test-database.ts";

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

/** A TCP proxy to PostgreSQL that can cut every connection through it (and refuse new ones) at once. */
function cuttingProxy(target: URL): Promise<{ port: number; cut: () => void; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = tcpConnect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => {});
      s.on("close", () => sockets.delete(s));
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") throw new Error("the proxy has no port");
      resolve({
        port: address.port,
        cut: () => {
          server.close();
          for (const s of sockets) s.destroy();
        },
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

const pgUrl = process.env.TEST_PG_URL;

if (pgUrl) {
  describe("omf import when the PostgreSQL connection is cut while rows are written", () => {
    const name = `omf_lost_${randomUUID().replaceAll("-", "")}`;
    const dir = mkdtempSync(join(tmpdir(), "omf-connection-lost-"));
    const direct = `${pgUrl}/${name}`;
    const admin = new pg.Client({ connectionString: `${pgUrl}/postgres` });

    async function count(table: string): Promise<number> {
      const client = new pg.Client({ connectionString: direct });
      await client.connect();
      try {
        return (await client.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;
      } finally {
        await client.end();
      }
    }

    beforeAll(async () => {
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${pgTemplateName()}`);
      const database = await openDatabase({ url: direct });
      try {
        await database.migrate();
        await seedReferenceData(database.db);
      } finally {
        await database.close();
      }
    }, 300_000);

    afterAll(async () => {
      rmSync(dir, { recursive: true, force: true });
      await dropTestDatabase(admin, name);
      await admin.end();
    });

    it("prints one line saying the connection was lost, no stack trace, and commits nothing", async () => {
      const observations = await count("observations");
      const batches = await count("import_batches");
      const areas = [
        "W92000004",
        ...Array.from({ length: 22 }, (_, i) => `W060000${String(i + 1).padStart(2, "0")}`).map((c) =>
          c === "W06000007" ? "W06000023" : c === "W06000017" ? "W06000024" : c,
        ),
      ];
      const lines: string[] = [];
      for (let y = 1000; lines.length < 300_000; y++) {
        for (const a of areas)
          for (const q of ["1", "2", "3", "4", "5"]) lines.push(`low-birth-weight,${a},${y},7,7,100,${q}`);
      }
      const big = join(dir, "big.csv");
      writeFileSync(
        big,
        `measure_code,area_code,period,value,numerator,denominator,deprivation_quintile\n${lines.join("\n")}\n`,
      );

      const proxy = await cuttingProxy(new URL(pgUrl));
      const viaProxy = new URL(direct);
      viaProxy.hostname = "127.0.0.1";
      viaProxy.port = String(proxy.port);
      const child: ChildProcess = spawn(process.execPath, [bin, "import", big, "--publish"], {
        env: {
          ...process.env,
          DATABASE_URL: viaProxy.toString(),
          OMF_DATA_DIR: dir,
          OMF_USER: "",
          OMF_PROGRESS_SECONDS: "0.05",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      child.stderr!.on("data", (d: Buffer) => {
        stderr += d.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      const cutAt = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no progress line in time: ${stderr}`)), 480_000);
        const watch = () => {
          const m = /(\d+) rows read, (\d+) written/.exec(
            stderr
              .split("\n")
              .reverse()
              .find((l) => l.includes("written")) ?? "",
          );
          if (m && Number(m[2]) >= 20_000) {
            clearTimeout(timer);
            child.stderr!.off("data", watch);
            proxy.cut();
            resolve(m[0]);
          }
        };
        child.stderr!.on("data", watch);
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`import finished (exit ${code}) before the connection was cut: ${stderr}`));
        });
      });
      const code = await exited;
      await proxy.close().catch(() => {});

      expect(cutAt).toMatch(/written/);
      expect(code).toBe(1);
      const messages = stderr.split(/\r|\n/).filter((l) => l.trim() !== "" && !/rows read/.test(l));
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(
        /^omf: the connection to the database was lost \(.+\); what the command was writing has not been committed: run it again when the database is back$/,
      );
      expect(stderr).not.toMatch(/^\s+at /m);
      // nothing of the cut import was committed, and the database still works directly
      expect(await count("observations")).toBe(observations);
      expect(await count("import_batches")).toBe(batches);
    }, 900_000);
  });
}
