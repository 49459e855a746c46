/**
 * Builds one migrated template database per test run. PGlite: a data-dir tarball cached on disk, keyed by the
 * migrations and the PGlite version. PostgreSQL (TEST_PG_URL set): a template database that each test file clones.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrationsFolder, wrapPglite, wrapPostgres } from "../../src/db/database.ts";

function migrationsHash(): string {
  const h = createHash("sha256");
  const walk = (dir: string) => {
    for (const f of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, f.name);
      if (f.isDirectory()) walk(p);
      else h.update(f.name).update(readFileSync(p));
    }
  };
  walk(migrationsFolder);
  h.update(readFileSync("node_modules/@electric-sql/pglite/package.json"));
  return h.digest("hex").slice(0, 16);
}

export default async function setup(project: TestProject): Promise<void | (() => Promise<void>)> {
  const pgUrl = process.env.TEST_PG_URL;
  if (pgUrl) {
    // One template per run (several runs may share a server), dropped at the end of the run.
    const template = `omf_tpl_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: `${pgUrl}/postgres` });
    try {
      await admin.connect();
    } catch (error) {
      throw new Error(`TEST_PG_URL is set but PostgreSQL at ${pgUrl} cannot be reached: ${String(error)}`);
    }
    await admin.query(`CREATE DATABASE ${template}`);
    const pool = new pg.Pool({ connectionString: `${pgUrl}/${template}`, max: 1 });
    const database = wrapPostgres(pool, "template");
    await database.migrate();
    await database.close();
    project.provide("dbTemplate", { kind: "pg", url: pgUrl, template });
    return async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
      await admin.end();
    };
  }
  project.provide("dbTemplate", { kind: "pglite", path: await pgliteMigratedTemplate() });
}

/**
 * The migrated PGlite template's data-dir tarball, built when missing (also for a test of the embedded database in
 * the PostgreSQL run: the embedded run before it has cached it).
 */
export async function pgliteMigratedTemplate(): Promise<string> {
  const dir = "node_modules/.cache/omf";
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `pglite-template-${migrationsHash()}.tar`);
  if (!existsSync(path)) {
    const client = await PGlite.create();
    await wrapPglite(client, "template").migrate();
    await client.exec("CHECKPOINT"); // so that a database made from the tarball has no log to replay when it starts
    const tar = await client.dumpDataDir("none");
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.from(await tar.arrayBuffer()));
    renameSync(tmp, path);
    await client.close();
  }
  return path;
}

declare module "vitest" {
  export interface ProvidedContext {
    dbTemplate: { kind: "pglite"; path: string } | { kind: "pg"; url: string; template: string };
  }
}
