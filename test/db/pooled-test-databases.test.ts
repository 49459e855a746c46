/**
 * The pool of embedded test databases (test/support/db-pool.ts) hands the next test file a database holding exactly
 * its template's data, whatever the file before did to it; a database whose schema a test changed is not reused; the
 * handle a file gave back no longer reaches the database. Runs on both runs (the embedded templates are built on the
 * PostgreSQL run too).
 */
import { readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PgliteDatabase } from "../../src/db/database.ts";
import { pooledPgliteDatabase } from "../support/db-pool.ts";
import { embeddedTemplateTarball } from "../support/demo-database.ts";

type Query = (text: string) => Promise<{ rows: Record<string, unknown>[] }>;

/** Every row of every table (public and drizzle), and the next value of every sequence, as text. */
async function contents(query: Query): Promise<Record<string, string>> {
  const tables = (
    await query(
      `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
        WHERE schemaname IN ('public', 'drizzle') ORDER BY 1`,
    )
  ).rows.map((r) => String(r.name));
  const out: Record<string, string> = {};
  for (const t of tables) {
    const r = await query(`SELECT count(*)::int AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h
      FROM ${t} x`);
    out[t] = `${r.rows[0]!.n} ${r.rows[0]!.h}`;
  }
  const seqs = (
    await query(
      `SELECT format('%I.%I', schemaname, sequencename) AS name FROM pg_sequences
        WHERE schemaname IN ('public', 'drizzle') ORDER BY 1`,
    )
  ).rows.map((r) => String(r.name));
  for (const s of seqs) out[`next ${s}`] = String((await query(`SELECT nextval('${s}') AS v`)).rows[0]!.v);
  return out;
}

const rawQuery =
  (database: PgliteDatabase): Query =>
  (text) =>
    database.client.query(text);

describe("pooled embedded test databases", () => {
  let tarball: string;
  let expected: Record<string, string>;

  beforeAll(async () => {
    tarball = await embeddedTemplateTarball("reference");
    // what a database made straight from the template holds
    const fresh = await PGlite.create({ loadDataDir: new Blob([readFileSync(tarball)]) });
    try {
      expected = await contents((text) => fresh.query(text));
    } finally {
      await fresh.close();
    }
  }, 300_000);

  afterAll(async () => {
    // leave the pool's instance of this template reset for the next file
    await (await pooledPgliteDatabase(tarball, "clean-up")).close();
  });

  it("gives the next user the template's data after inserts, updates, deletes, truncates and session changes", async () => {
    const first = await pooledPgliteDatabase(tarball, "first");
    const q = rawQuery(first);
    const tables = (
      await q(
        `SELECT format('%I.%I', schemaname, relname) AS name, n_live_tup FROM pg_stat_user_tables
          WHERE schemaname = 'public' ORDER BY 1`,
      )
    ).rows.map((r) => String(r.name));
    // foreign keys off for this session: rows are deleted and changed where the app never would
    await first.exec("SET session_replication_role = replica");
    let changed = 0;
    for (const t of tables) {
      const n = Number((await q(`SELECT count(*)::int AS n FROM ${t}`)).rows[0]!.n);
      if (n === 0) continue;
      changed++;
      const change = await textChange(q, t);
      if (changed % 3 === 1 && change) await first.exec(`UPDATE ${t} SET ${change}`);
      else if (changed % 3 === 2) await first.exec(`DELETE FROM ${t} WHERE ctid IN (SELECT ctid FROM ${t} LIMIT 1)`);
      else await first.exec(`TRUNCATE ${t} CASCADE`);
    }
    expect(changed, "tables with rows in the reference template").toBeGreaterThan(5);
    await first.exec(
      `INSERT INTO audit_log (actor, action, entity, entity_key) VALUES ('pool test', 'test.pool', 'test', 'x')`,
    );
    await first.exec("CREATE TEMPORARY TABLE scratch (x int); SET TIME ZONE 'Pacific/Auckland'");
    await first.exec("SELECT pg_advisory_lock(4242)");
    await first.close();

    const second = await pooledPgliteDatabase(tarball, "second");
    try {
      expect(await contents(rawQuery(second))).toEqual(expected);
      const q2 = rawQuery(second);
      expect((await q2("SHOW TIME ZONE")).rows[0]).toEqual({ TimeZone: "UTC" });
      expect((await q2("SELECT to_regclass('pg_temp.scratch') AS r")).rows[0]!.r).toBeNull();
      expect((await q2("SHOW session_replication_role")).rows[0]).toEqual({ session_replication_role: "origin" });
      expect((await q2("SELECT pg_try_advisory_lock(4242) AS got")).rows[0]!.got).toBe(true);
    } finally {
      await second.close();
    }
  }, 300_000);

  it("revokes the handle given back: a late query fails instead of reaching the next user's database", async () => {
    const first = await pooledPgliteDatabase(tarball, "first");
    await first.close();
    const next = await pooledPgliteDatabase(tarball, "next");
    try {
      await expect(first.exec("DELETE FROM areas")).rejects.toThrow();
      expect(() => first.client.query("SELECT 1")).toThrow(/revoked/);
      expect((await next.client.query<{ n: number }>("SELECT count(*)::int AS n FROM areas")).rows[0]!.n).toBe(
        Number(expected["public.areas"]!.split(" ")[0]),
      );
    } finally {
      await next.close();
    }
  }, 300_000);

  it("does not reuse a database whose schema a test changed", async () => {
    const first = await pooledPgliteDatabase(tarball, "first");
    await first.exec("CREATE TABLE public.left_behind (x int); ALTER TABLE areas ADD COLUMN extra int");
    await first.close();
    const next = await pooledPgliteDatabase(tarball, "next");
    try {
      expect((await next.client.query("SELECT to_regclass('public.left_behind') AS r")).rows[0]).toEqual({ r: null });
      expect(await contents(rawQuery(next))).toEqual(expected);
    } finally {
      await next.close();
    }
  }, 300_000);

  it("gives two databases held at once their own instances", async () => {
    const a = await pooledPgliteDatabase(tarball, "a");
    const b = await pooledPgliteDatabase(tarball, "b");
    try {
      await a.exec("DELETE FROM area_aliases");
      expect(await contents(rawQuery(b))).toEqual(expected);
    } finally {
      await a.close();
      await b.close();
    }
  }, 300_000);
});

/** `col = col || '~'` for a text column of `table` (a change in place: same rows, new values), or null if it has none. */
async function textChange(q: Query, table: string): Promise<string | null> {
  const [schema, name] = table.split(".").map((s) => s.replaceAll('"', ""));
  const col = (
    await q(`SELECT quote_ident(column_name) AS c FROM information_schema.columns
      WHERE table_schema = '${schema}' AND table_name = '${name}' AND data_type = 'text' AND is_generated = 'NEVER'
      ORDER BY ordinal_position LIMIT 1`)
  ).rows[0]?.c;
  return col === undefined ? null : `${String(col)} = ${String(col)} || '~'`;
}
