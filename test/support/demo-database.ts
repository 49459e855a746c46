/**
 * A fresh database with the framework, the areas, the illustrative demo data and its stored analysis, for tests of
 * the public pages and API. Building it takes about 20 s, so it is built once and cloned: on PGlite a data-dir tarball
 * cached in node_modules/.cache/omf, on PostgreSQL a template database (created under an advisory lock, so parallel
 * test files build it once). Both are keyed by the migrations, the content, the code that generates and analyses the
 * demo data, and today's date (demo periods depend on it).
 */
import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { inject } from "vitest";
import { type Database, wrapPglite, wrapPostgres } from "../../src/db/database.ts";
import { analyseMeasures } from "../../src/services/analysis/index.ts";
import { seedDemoData } from "../../src/services/demo-data.ts";
import { seedReferenceData } from "../../src/services/seed.ts";
import { dropTestDatabase, pgTemplateName } from "./test-database.ts";

function demoHash(): string {
  const h = createHash("sha256");
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    if (statSync(p).isDirectory()) {
      for (const f of readdirSync(p).sort()) walk(join(p, f));
    } else h.update(p).update(readFileSync(p));
  };
  for (const p of [
    "drizzle",
    "content",
    "src/services/demo-data.ts",
    "src/services/seed.ts",
    "src/services/import-framework.ts",
    "src/services/analysis",
    "src/render/wording",
    "src/stats",
    "src/db/queries",
    "src/domain",
    "src/ingest",
  ]) {
    walk(p);
  }
  h.update(new Date().toISOString().slice(0, 10));
  h.update(readFileSync("node_modules/@electric-sql/pglite/package.json"));
  return h.digest("hex").slice(0, 12);
}

async function fillDemo(database: Database): Promise<void> {
  await seedReferenceData(database.db);
  await seedDemoData(database.db, { onlyIfEmpty: false });
  const report = await analyseMeasures(database.db);
  if (report.failed > 0) {
    throw new Error(
      `demo analysis failed: ${report.measures
        .filter((m) => m.error)
        .map((m) => `${m.measureCode}: ${m.error}`)
        .join("; ")}`,
    );
  }
}

export async function freshDemoDatabase(): Promise<Database> {
  const tpl = inject("dbTemplate");
  const hash = demoHash();
  if (tpl.kind === "pglite") {
    const dir = "node_modules/.cache/omf";
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `pglite-demo-${hash}.tar`);
    if (!existsSync(path)) {
      const client = await PGlite.create({ loadDataDir: new Blob([readFileSync(tpl.path)]) });
      await fillDemo(wrapPglite(client, "demo template"));
      const tar = await client.dumpDataDir("none");
      const tmp = `${path}.${process.pid}.${randomUUID()}.tmp`;
      writeFileSync(tmp, Buffer.from(await tar.arrayBuffer()));
      renameSync(tmp, path);
      await client.close();
    }
    const client = await PGlite.create({ loadDataDir: new Blob([readFileSync(path)]) });
    return wrapPglite(client, "demo test database (embedded)");
  }
  const demoTemplate = `omf_demo_${hash}`;
  const admin = new pg.Client({ connectionString: `${tpl.url}/postgres` });
  await admin.connect();
  await admin.query("SELECT pg_advisory_lock(74102)");
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [demoTemplate]);
    if (exists.rowCount === 0) {
      const old = await admin.query("SELECT datname FROM pg_database WHERE datname LIKE 'omf_demo_%'");
      for (const r of old.rows as { datname: string }[])
        await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${demoTemplate} TEMPLATE ${pgTemplateName()}`);
      const pool = new pg.Pool({ connectionString: `${tpl.url}/${demoTemplate}`, max: 4 });
      const db = wrapPostgres(pool, "demo template");
      try {
        await fillDemo(db);
      } catch (error) {
        await db.close();
        await admin.query(`DROP DATABASE IF EXISTS ${demoTemplate} WITH (FORCE)`);
        throw error;
      }
      await db.close();
    }
  } finally {
    await admin.query("SELECT pg_advisory_unlock(74102)");
  }
  const name = `omf_t_${randomUUID().replaceAll("-", "")}`;
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${demoTemplate}`);
  const pool = new pg.Pool({ connectionString: `${tpl.url}/${name}`, max: 4 });
  const database = wrapPostgres(pool, `demo test database ${name} (PostgreSQL)`);
  const close = database.close;
  database.close = async () => {
    await close();
    await dropTestDatabase(admin, name);
    await admin.end();
  };
  return database;
}
