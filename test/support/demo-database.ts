/**
 * Fresh databases with the framework and areas (reference), and with the illustrative demo data and its stored
 * analysis too (demo), for tests of the public pages and API. Seeding takes seconds (the demo about 20 s), so each is
 * built once and cloned: on PGlite a data-dir tarball cached in node_modules/.cache/omf, on PostgreSQL a template
 * database (created under an advisory lock, so parallel test files build it once). Both are keyed by the migrations,
 * the content, the code that writes the data, and for the demo today's date (demo periods depend on it).
 */
import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { inject } from "vitest";
import { type Database, wrapPglite, wrapPostgres } from "../../src/db/database.ts";
import { analyseMeasures } from "../../src/services/analysis/index.ts";
import { seedDemoData } from "../../src/services/demo-data.ts";
import { createServices } from "../../src/services/index.ts";
import { seedDemoPlans } from "../../src/services/plans/demo.ts";
import { seedReferenceData } from "../../src/services/seed.ts";
import { pooledPgliteDatabase } from "./db-pool.ts";
import { pgliteMigratedTemplate } from "./global-setup.ts";
import { dropTestDatabase, pgTemplateName } from "./test-database.ts";

/** What a template's contents depend on: the migrations, the content and the code that writes them. */
function contentHash(kind: TemplateKind): string {
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
  // the demo plans are written through the plans service, with its workflow and audit
  if (kind === "demo-plans") for (const p of ["src/services", "src/db"]) walk(p);
  h.update(kind);
  if (kind !== "reference") h.update(new Date().toISOString().slice(0, 10)); // demo periods depend on today
  h.update(readFileSync("node_modules/@electric-sql/pglite/package.json"));
  return h.digest("hex").slice(0, 12);
}

async function fillDemo(database: Database): Promise<void> {
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

type TemplateKind = "reference" | "demo" | "demo-plans";

/** The demo's illustrative partnership plans (Cardiff and Gwynedd published, Swansea a draft), as the app adds them. */
async function fillDemoPlans(database: Database): Promise<void> {
  await seedDemoPlans(createServices({ database, analysis: "inline" }).plans);
}

/**
 * Each template is the one before it plus its own data: migrated -> reference (framework and areas) -> demo -> demo
 * plans.
 */
const LAYERS: Record<TemplateKind, { from: TemplateKind | null; fill: (database: Database) => Promise<void> }> = {
  reference: { from: null, fill: (database) => seedReferenceData(database.db).then(() => {}) },
  demo: { from: "reference", fill: fillDemo },
  "demo-plans": { from: "demo", fill: fillDemoPlans },
};

const PG_PREFIX: Record<TemplateKind, string> = {
  reference: "omf_ref_",
  demo: "omf_demo_",
  "demo-plans": "omf_plans_",
};

/** The PGlite data-dir tarball of a template, built (from the one below it) when missing. */
async function pgliteTemplate(kind: TemplateKind, base: string): Promise<string> {
  const dir = "node_modules/.cache/omf";
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `pglite-${kind}-${contentHash(kind)}.tar`);
  if (!existsSync(path)) {
    const { from, fill } = LAYERS[kind];
    const source = from ? await pgliteTemplate(from, base) : base;
    const client = await PGlite.create({ loadDataDir: new Blob([readFileSync(source)]) });
    await fill(wrapPglite(client, `${kind} template`));
    // a checkpoint first: otherwise every database made from the tarball replays the fill's log when it starts
    await client.exec("CHECKPOINT");
    const tar = await client.dumpDataDir("none");
    const tmp = `${path}.${process.pid}.${randomUUID()}.tmp`;
    writeFileSync(tmp, Buffer.from(await tar.arrayBuffer()));
    renameSync(tmp, path);
    await client.close();
    // older tarballs of this kind (other code, other days) are removed once a day old
    for (const f of readdirSync(dir)) {
      const old = join(dir, f);
      if (f.startsWith(`pglite-${kind}-`) && old !== path && statSync(old).mtimeMs < Date.now() - 86_400_000) {
        rmSync(old, { force: true });
      }
    }
  }
  return path;
}

/**
 * The PostgreSQL template database of a template, built (from the one below it) when missing; the caller holds the
 * advisory lock. Templates are kept between runs (keyed by their contents); ones a day old are dropped (other runs
 * on the same server may be using newer ones, so only old ones).
 */
async function pgTemplate(admin: pg.Client, url: string, kind: TemplateKind): Promise<string> {
  const name = `${PG_PREFIX[kind]}${contentHash(kind)}`;
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
  if (exists.rowCount !== 0) return name;
  const { from, fill } = LAYERS[kind];
  const source = from ? await pgTemplate(admin, url, from) : pgTemplateName();
  const old = await admin.query(
    `SELECT datname FROM pg_database d WHERE datname LIKE $1
       AND coalesce(nullif(shobj_description(d.oid, 'pg_database'), ''), '0')::bigint < $2`,
    [`${PG_PREFIX[kind]}%`, Date.now() - 86_400_000],
  );
  for (const r of old.rows as { datname: string }[])
    await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${source}`);
  const pool = new pg.Pool({ connectionString: `${url}/${name}`, max: 4 });
  const db = wrapPostgres(pool, `${kind} template`);
  try {
    await fill(db);
  } catch (error) {
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    throw error;
  }
  await db.close();
  await admin.query(`COMMENT ON DATABASE ${name} IS '${Date.now()}'`);
  return name;
}

/** A new database cloned from the template of `kind` (built once, then cached), dropped when closed. */
async function freshTemplatedDatabase(kind: TemplateKind): Promise<Database> {
  const tpl = inject("dbTemplate");
  if (tpl.kind === "pglite") {
    return pooledPgliteDatabase(await pgliteTemplate(kind, tpl.path), `${kind} test database (embedded)`);
  }
  const admin = new pg.Client({ connectionString: `${tpl.url}/postgres` });
  await admin.connect();
  let template: string;
  await admin.query("SELECT pg_advisory_lock(74102)");
  try {
    template = await pgTemplate(admin, tpl.url, kind);
  } finally {
    await admin.query("SELECT pg_advisory_unlock(74102)");
  }
  const name = `omf_t_${randomUUID().replaceAll("-", "")}`;
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  const pool = new pg.Pool({ connectionString: `${tpl.url}/${name}`, max: 4 });
  const database = wrapPostgres(pool, `${kind} test database ${name} (PostgreSQL)`);
  database.url = `${tpl.url}/${name}`;
  const close = database.close;
  database.close = async () => {
    await close();
    await dropTestDatabase(admin, name);
    await admin.end();
  };
  return database;
}

/** A fresh database with the shipped framework and areas loaded (what `seedReferenceData` writes). */
export function freshReferenceDatabase(): Promise<Database> {
  return freshTemplatedDatabase("reference");
}

/** A fresh database with the framework, the areas, the illustrative demo data and its stored analysis. */
export function freshDemoDatabase(): Promise<Database> {
  return freshTemplatedDatabase("demo");
}

/** A fresh demo database with the demo's illustrative partnership plans too (what `seedDemoPlans` adds). */
export function freshDemoPlansDatabase(): Promise<Database> {
  return freshTemplatedDatabase("demo-plans");
}

/**
 * The embedded template's data-dir tarball of `kind`, on either run (on the PostgreSQL run, built from the embedded
 * migrated template): for tests of the embedded test databases themselves.
 */
export async function embeddedTemplateTarball(kind: "migrated" | TemplateKind): Promise<string> {
  const tpl = inject("dbTemplate");
  const migrated = tpl.kind === "pglite" ? tpl.path : await pgliteMigratedTemplate();
  return kind === "migrated" ? migrated : pgliteTemplate(kind, migrated);
}

/**
 * Fills a new embedded data folder (what OMF_DATA_DIR names) with a copy of a template: the migrated database, or
 * with the framework and areas too (`reference`), so that a real `omf` process run on it does not spend its first
 * seconds migrating and seeding. Returns false, doing nothing, when the run is on PostgreSQL (no embedded templates).
 */
export async function copyTemplateToDataDir(dataDir: string, kind: "migrated" | "reference"): Promise<boolean> {
  if (inject("dbTemplate").kind !== "pglite") return false;
  await copyEmbeddedTemplateToDataDir(dataDir, kind);
  return true;
}

/**
 * Fills a new embedded data folder with a copy of a template as {@link copyTemplateToDataDir} does, on either run: a
 * test of the embedded database itself (its folder, not the run's database) uses the embedded templates on the
 * PostgreSQL run too (cached by the embedded run before it, or built here).
 */
export async function copyEmbeddedTemplateToDataDir(dataDir: string, kind: "migrated" | "reference"): Promise<void> {
  const path = await embeddedTemplateTarball(kind);
  const client = await PGlite.create({ dataDir: join(dataDir, "pglite"), loadDataDir: new Blob([readFileSync(path)]) });
  await client.close();
}
