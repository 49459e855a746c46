/**
 * Embedded (PGlite) test databases, reused between the test files of a worker process instead of created for each.
 *
 * Creating a PGlite database from a template's data-dir tarball costs about a second on a quiet machine and two or
 * three on a busy one (loading the tarball into memory, starting Postgres). Test files share their worker's process
 * (vitest `isolate: false`), so a database a file has closed can serve the next file that asks for the same template,
 * once it holds exactly the template's data again:
 *
 * - When an instance is first made, a copy of every table (schemas `public` and `drizzle`) is kept in the schema
 *   `omf_test_snapshot`, with the table's row count, and the values of every sequence.
 * - When a file closes its database, the instance goes back to the pool, unless it is closed, inside a transaction,
 *   or its schema changed (a fingerprint of tables, columns, constraints, triggers, functions, roles and settings):
 *   then it is closed for real. The handle the file had is revoked (a revocable Proxy), so anything of that file that
 *   still runs later fails as it would on a closed database instead of writing into the next file's database.
 * - When a file asks for a database, an idle instance is reset: `DISCARD ALL` (session settings, prepared statements,
 *   temporary tables, advisory locks), then every table whose row count differs from the snapshot's or that holds a
 *   row written since the last reset (`xmin` newer than the reset's transaction), with the tables that reference it,
 *   is emptied and copied back from the snapshot; every sequence is set back. A reset costs tens of milliseconds.
 *
 * At most one idle instance per template is kept; a file that holds two databases of one template at once gets a
 * second, new instance, closed when given back. On PostgreSQL (TEST_PG_URL) test databases are cloned from template
 * databases instead (fast there), and none of this applies.
 */
import { readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { type PgliteDatabase, wrapPglite } from "../../src/db/database.ts";

const SNAPSHOT = "omf_test_snapshot";

interface Table {
  /** `"schema"."name"` */
  qualified: string;
  /** The snapshot's copy. */
  copy: string;
  /** The columns written on a restore (generated columns are computed again), quoted and comma-separated. */
  columns: string;
  rows: number;
}

interface Instance {
  client: PGlite;
  tables: Table[];
  /** For each table, the tables whose foreign keys refer to it (emptied with it). */
  referencedBy: Map<string, string[]>;
  /** One statement setting every sequence back to its value in the template. */
  sequences: string;
  fingerprint: string;
  /** Rows with an `xmin` after this transaction were written after the last reset. */
  resetXid: number;
}

/** The idle instance of each template (by tarball path). */
const idle = new Map<string, Instance>();

/**
 * What a test's DDL would change: relations, columns, constraints, triggers, functions, roles and database settings.
 * Emptying a table (TRUNCATE gives it a new relfilenode, not a new oid) does not change it.
 */
const FINGERPRINT = `
  SELECT md5(coalesce(string_agg(x, ',' ORDER BY x), '')) AS f FROM (
    SELECT concat_ws(':', 'c', c.oid, n.nspname, c.relname, c.relkind, c.relnatts) AS x
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
    UNION ALL SELECT concat_ws(':', 'a', a.attrelid, a.attname, a.atttypid, a.attnotnull, a.attisdropped, a.atthasdef)
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname IN ('public', 'drizzle') AND a.attnum > 0
    UNION ALL SELECT concat_ws(':', 'k', conrelid, conname, contype, convalidated) FROM pg_constraint
    UNION ALL SELECT concat_ws(':', 't', tgrelid, tgname, tgenabled) FROM pg_trigger
    UNION ALL SELECT concat_ws(':', 'p', p.oid, p.proname) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
    UNION ALL SELECT concat_ws(':', 'r', rolname, rolsuper, rolcanlogin) FROM pg_roles
    UNION ALL SELECT concat_ws(':', 's', setdatabase, setrole, array_to_string(setconfig, ';')) FROM pg_db_role_setting
  ) s`;

async function fingerprint(client: PGlite): Promise<string> {
  return (await client.query<{ f: string }>(FINGERPRINT)).rows[0]!.f;
}

/** Keeps the snapshot of a new instance (a copy of each table, its row count, the sequences' values). */
async function prepare(client: PGlite): Promise<Instance> {
  const found = (
    await client.query<{ qualified: string; columns: string }>(
      `SELECT format('%I.%I', n.nspname, c.relname) AS qualified,
              string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) AS columns
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
        WHERE c.relkind = 'r' AND n.nspname IN ('public', 'drizzle')
        GROUP BY n.nspname, c.relname ORDER BY 1`,
    )
  ).rows;
  const tables: Table[] = found.map((t, i) => ({
    qualified: t.qualified,
    copy: `${SNAPSHOT}.t${i}`,
    columns: t.columns,
    rows: 0,
  }));
  await client.exec(
    `CREATE SCHEMA ${SNAPSHOT};\n${tables
      .map((t) => `CREATE UNLOGGED TABLE ${t.copy} AS SELECT ${t.columns} FROM ${t.qualified};`)
      .join("\n")}`,
  );
  const counts = (
    await client.query<Record<string, number>>(
      `SELECT ${tables.map((t, i) => `(SELECT count(*)::int FROM ${t.copy}) AS n${i}`).join(", ")}`,
    )
  ).rows[0]!;
  tables.forEach((t, i) => {
    t.rows = counts[`n${i}`]!;
  });
  const referencedBy = new Map<string, string[]>();
  const keys = await client.query<{ referencing: string; referenced: string }>(
    `SELECT format('%I.%I', rn.nspname, r.relname) AS referencing, format('%I.%I', fn.nspname, f.relname) AS referenced
       FROM pg_constraint k
       JOIN pg_class r ON r.oid = k.conrelid JOIN pg_namespace rn ON rn.oid = r.relnamespace
       JOIN pg_class f ON f.oid = k.confrelid JOIN pg_namespace fn ON fn.oid = f.relnamespace
      WHERE k.contype = 'f'`,
  );
  // tables and keys are named alike (format('%I.%I')); keys of tables not copied (none today) are left out
  const copied = new Set(tables.map((t) => t.qualified));
  for (const k of keys.rows) {
    if (!copied.has(k.referenced) || !copied.has(k.referencing)) continue;
    referencedBy.set(k.referenced, [...(referencedBy.get(k.referenced) ?? []), k.referencing]);
  }
  const seqs = await client.query<{ name: string; value: string | null; start: string }>(
    `SELECT format('%I.%I', schemaname, sequencename) AS name, last_value::text AS value, start_value::text AS start
       FROM pg_sequences WHERE schemaname IN ('public', 'drizzle')`,
  );
  const sequences = seqs.rows.length
    ? `SELECT ${seqs.rows
        .map((s) => `setval('${s.name.replaceAll("'", "''")}', ${s.value ?? s.start}, ${s.value !== null})`)
        .join(", ")}`
    : "";
  return {
    client,
    tables,
    referencedBy,
    sequences,
    fingerprint: await fingerprint(client),
    resetXid: await xid(client),
  };
}

async function xid(client: PGlite): Promise<number> {
  return (await client.query<{ x: number }>("SELECT (txid_current() % 4294967296)::bigint::float8 AS x")).rows[0]!.x;
}

/** Brings an idle instance back to its template's data (see the module's comment). */
async function reset(instance: Instance): Promise<void> {
  const { client, tables } = instance;
  await client.exec("DISCARD ALL");
  const state = (
    await client.query<Record<string, number>>(
      `SELECT ${tables
        .map(
          (t, i) =>
            `(SELECT count(*)::int FROM ${t.qualified}) AS n${i}, ` +
            `(SELECT coalesce(max(xmin::text::bigint), 0)::float8 FROM ${t.qualified}) AS x${i}`,
        )
        .join(", ")}`,
    )
  ).rows[0]!;
  const dirty = new Set<string>();
  const add = (qualified: string) => {
    if (dirty.has(qualified)) return;
    dirty.add(qualified);
    for (const r of instance.referencedBy.get(qualified) ?? []) add(r);
  };
  tables.forEach((t, i) => {
    if (state[`n${i}`] !== t.rows || state[`x${i}`]! > instance.resetXid) add(t.qualified);
  });
  const restore = tables.filter((t) => dirty.has(t.qualified));
  if (restore.length > 0) {
    await client.exec(
      [
        "BEGIN",
        "SET LOCAL session_replication_role = replica", // no foreign-key or other triggers while copying back
        `TRUNCATE ${restore.map((t) => t.qualified).join(", ")}`,
        ...restore.map(
          (t) => `INSERT INTO ${t.qualified} (${t.columns}) OVERRIDING SYSTEM VALUE SELECT * FROM ${t.copy}`,
        ),
        "COMMIT",
      ].join(";\n"),
    );
  }
  if (instance.sequences) await client.query(instance.sequences);
  instance.resetXid = await xid(client);
}

/**
 * A database holding the data of the template `tarball` (a PGlite data-dir tarball): an idle instance of the pool,
 * reset, or a new one. Its `close()` gives it back to the pool.
 */
export async function pooledPgliteDatabase(tarball: string, description: string): Promise<PgliteDatabase> {
  let instance = idle.get(tarball);
  idle.delete(tarball);
  if (instance) {
    try {
      await reset(instance);
    } catch {
      // not awaited: a database something still holds (a transaction that never ends) would never finish closing
      void instance.client.close().catch(() => {});
      instance = undefined;
    }
  }
  instance ??= await prepare(await PGlite.create({ loadDataDir: new Blob([readFileSync(tarball)]) }));
  const { client } = instance;
  // methods are bound to the instance itself: PGlite keeps its state in private fields the Proxy cannot reach
  const { proxy, revoke } = Proxy.revocable(client, {
    get: (target, property) => {
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const database = wrapPglite(proxy, description);
  let given = false;
  const checked = instance;
  database.close = async () => {
    if (given) return;
    given = true;
    revoke();
    await giveBack(tarball, checked);
  };
  return database;
}

async function giveBack(tarball: string, instance: Instance): Promise<void> {
  const { client } = instance;
  if (client.closed) return;
  try {
    const keep =
      !idle.has(tarball) && !client.isInTransaction() && (await fingerprint(client)) === instance.fingerprint;
    // a transaction of the file's may have begun while the fingerprint was read: such a database is not reused
    if (keep && !client.isInTransaction()) {
      idle.set(tarball, instance);
      return;
    }
  } catch {
    // a database the test broke is not reused
  }
  void client.close().catch(() => {}); // not awaited, as above
}
