/**
 * `omf backup --out DIR` and `omf restore DIR` (issue 19), on the database of the run (embedded, or PostgreSQL with
 * TEST_PG_URL): a backup of the demo database restored into a fresh database has every table identical, row for row
 * (and the restored database takes new imports: its sequences came along); a backup taken while an import is being
 * written holds the batch whole or not at all; a restore refuses a database that is not empty and a backup of the
 * other kind; a backup never overwrites a folder that holds files.
 */
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { createServices } from "../../src/services/index.ts";
import { omfInProcess } from "../support/cli.ts";
import { freshDemoDatabase } from "../support/demo-database.ts";
import { TEST_ACTOR } from "../support/import-fixtures.ts";
import { dropTestDatabase } from "../support/test-database.ts";

type Query = (text: string) => Promise<{ rows: Record<string, unknown>[] }>;

function queryOf(database: Database): Query {
  return database.kind === "pglite"
    ? (text) => database.client.query(text) as Promise<{ rows: Record<string, unknown>[] }>
    : (text) => database.pool.query(text);
}

/** Every table of the application and of drizzle, with the digest of its rows in a stable order. */
async function tableDigests(query: Query): Promise<Record<string, { rows: number; md5: string }>> {
  const { rows: tables } = await query(
    "SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname IN ('public', 'drizzle') ORDER BY 1",
  );
  const out: Record<string, { rows: number; md5: string }> = {};
  for (const { name } of tables) {
    const { rows } = await query(
      `SELECT count(*)::int AS n, coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') AS md5 FROM ${name} t`,
    );
    out[String(name)] = { rows: Number(rows[0]!.n), md5: String(rows[0]!.md5) };
  }
  return out;
}

/** The restore target of the run: a new embedded data folder, or a new empty PostgreSQL database. */
interface Target {
  env: Record<string, string>;
  open(): Promise<Database>;
  drop(): Promise<void>;
}

const pgUrl = process.env.TEST_PG_URL;
const work = mkdtempSync(join(tmpdir(), "omf-backup-test-"));

async function newTarget(): Promise<Target> {
  if (!pgUrl) {
    const dataDir = join(work, `data-${randomUUID().slice(0, 8)}`);
    return {
      env: { OMF_DATA_DIR: dataDir, DATABASE_URL: "" },
      open: () => openDatabase({ dataDir: join(dataDir, "pglite"), holder: "backup test" }),
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `omf_restore_${randomUUID().replaceAll("-", "")}`;
  const admin = new pg.Client({ connectionString: `${pgUrl}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  return {
    env: { DATABASE_URL: `${pgUrl}/${name}` },
    open: () => openDatabase({ url: `${pgUrl}/${name}`, poolSize: 2 }),
    drop: async () => {
      await dropTestDatabase(admin, name);
      await admin.end();
    },
  };
}

/** `omf restore dir` in this process with the target's configuration (DATABASE_URL / OMF_DATA_DIR). */
async function restore(dir: string, target: Target) {
  const saved = { ...process.env };
  Object.assign(process.env, target.env);
  try {
    return await omfInProcess(["restore", dir]);
  } finally {
    for (const key of Object.keys(target.env)) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
}

let source: Database;

beforeAll(async () => {
  source = await freshDemoDatabase();
});

afterAll(async () => {
  await source?.close();
  rmSync(work, { recursive: true, force: true });
});

describe("omf backup and omf restore", () => {
  it("copies the database as it was before or after an import being written, every table identical once restored", async () => {
    // a draft import (no analysis follows it) of 880 values, under way while the backup is taken
    const lines = ["measure_code,area_code,period,value"];
    for (let year = 1990; year < 2030; year++) {
      for (let a = 1; a <= 22; a++) lines.push(`low-birth-weight,W060000${String(a).padStart(2, "0")},${year},${a}.5`);
    }
    const file = join(work, "big.csv");
    writeFileSync(file, `${lines.join("\n")}\n`);
    const before = await tableDigests(queryOf(source));
    expect(Object.keys(before).length).toBeGreaterThan(30);
    expect(before["public.observation_sets"]!.rows).toBeGreaterThan(0);
    const services = createServices({ database: source, analysis: "inline" });
    const importing = services.imports.run(file, { dryRun: false, actor: TEST_ACTOR });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const dir = join(work, "busy");
    const backup = await omfInProcess(["backup", "--out", dir], { database: source });
    expect(backup.stderr).toBe("");
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/^backed up to .*busy: (embedded|PostgreSQL) database.*, \d+ tables, \d+ rows/);
    const summary = await importing;
    expect(summary.ok).toBe(true);
    const after = await tableDigests(queryOf(source));
    expect(after["public.observation_sets"]).not.toEqual(before["public.observation_sets"]);
    const manifest = JSON.parse(readFileSync(join(dir, "omf-backup.json"), "utf8"));
    expect(manifest.database).toBe(pgUrl ? "postgresql" : "embedded");
    if (pgUrl) expect(readFileSync(join(dir, manifest.file)).subarray(0, 5).toString()).toBe("PGDMP"); // pg_dump's format

    const target = await newTarget();
    try {
      const restored = await restore(dir, target);
      expect(restored.stderr).toBe("");
      expect(restored.code).toBe(0);
      expect(restored.stdout).toMatch(/every table's row count matches the backup/);
      const database = await target.open();
      try {
        const copy = await tableDigests(queryOf(database));
        // the whole batch or none of it: every table as it was before the import, or as it was after
        const batchIn = copy["public.import_batches"]!.rows === after["public.import_batches"]!.rows;
        expect(copy).toEqual(batchIn ? after : before);
        // sequences came along: a new import in the restored database gets a new batch id; /ready's check is met
        const restoredServices = createServices({ database, analysis: "inline" });
        expect((await restoredServices.health.ready()).ok).toBe(true);
        const small = join(work, "new.csv");
        writeFileSync(small, "measure_code,area_code,period,value\nlow-birth-weight,W06000001,2031,5.5\n");
        const next = await restoredServices.imports.run(small, { dryRun: false, actor: TEST_ACTOR });
        expect(next.ok).toBe(true);
        expect(next.batch!.id).toBeGreaterThan(
          Math.max(...(await batchIds(database)).filter((id) => id !== next.batch!.id)),
        );
      } finally {
        await database.close();
      }
      // a second restore into the same, now full, database is refused and changes nothing
      const again = await restore(dir, target);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/^omf: .*not empty.*\n$/);
    } finally {
      await target.drop();
    }
  });

  it("never writes into a folder that holds files, and refuses a folder that is not a backup", async () => {
    const dir = join(work, "full");
    const taken = mkdtempSync(join(work, "taken-"));
    writeFileSync(join(taken, "keep.txt"), "mine");
    const r = await omfInProcess(["backup", "--out", taken], { database: source });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^omf: .* is not empty: give a new or empty folder for the backup\n$/);
    expect(readdirSync(taken)).toEqual(["keep.txt"]);
    const target = await newTarget();
    try {
      const notBackup = await restore(taken, target);
      expect(notBackup.code).toBe(1);
      expect(notBackup.stderr).toMatch(/is not an OMF backup: it has no omf-backup\.json/);
      expect(existsSync(dir)).toBe(false);
    } finally {
      await target.drop();
    }
  });

  it("refuses a backup of the other kind of database, naming what to do", async () => {
    const dir = mkdtempSync(join(work, "other-"));
    const other = pgUrl ? "embedded" : "postgresql";
    writeFileSync(
      join(dir, "omf-backup.json"),
      JSON.stringify({ format: "omf-backup", version: 1, database: other, file: "x", createdAt: "", tables: {} }),
    );
    writeFileSync(join(dir, "x"), "");
    const target = await newTarget();
    try {
      const r = await restore(dir, target);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(pgUrl ? /backup of an embedded database/ : /backup of a PostgreSQL database/);
    } finally {
      await target.drop();
    }
  });
});

async function batchIds(database: Database): Promise<number[]> {
  const { rows } = await queryOf(database)("SELECT id FROM import_batches");
  return rows.map((r) => Number(r.id));
}
