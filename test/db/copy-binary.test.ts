/**
 * The binary COPY writer, checked by the database itself: rows written with every kind of field are COPYed into a
 * table and read back (PGlite reads the blob; PostgreSQL reads COPY FROM STDIN through the import session's client).
 */

import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, queryRows } from "../../src/db/database.ts";
import { BINARY_COPY_HEADER, BINARY_COPY_TRAILER, BinaryCopyWriter, pgDate } from "../../src/db/queries/copy-binary.ts";
import { freshDatabase } from "../support/test-database.ts";

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
  await database.exec(`CREATE TABLE copy_check (i int, t text, b boolean, n float8[], m int8[], k int4[], s text[],
    d date[], f boolean[]);
    CREATE TABLE copy_defaults (i int, s text[], k int4[])`);
});
afterAll(async () => {
  await database.close();
});

async function copyIn(w: BinaryCopyWriter, table = "copy_check"): Promise<void> {
  const data = Buffer.concat([BINARY_COPY_HEADER, w.bytes(), BINARY_COPY_TRAILER]);
  if (database.kind === "pglite") {
    await database.client.query(`COPY ${table} FROM '/dev/blob' WITH (FORMAT binary)`, [], {
      blob: new Blob([data]),
    });
  } else {
    const { from } = await import("pg-copy-streams");
    const client = await database.pool.connect();
    try {
      const stream = client.query(from(`COPY ${table} FROM STDIN WITH (FORMAT binary)`));
      await new Promise<void>((resolve, reject) => {
        stream.on("finish", resolve).on("error", reject);
        stream.end(data);
      });
    } finally {
      client.release();
    }
  }
}

describe("binary COPY writer", () => {
  it("writes every field type the import uses, with nulls, non-ASCII text and large ids, as PostgreSQL reads them", async () => {
    const w = new BinaryCopyWriter(16); // tiny, so that the buffer has to grow
    const numbers = Float64Array.from([1.5, Number.NaN, -0.25, 1e300, 3, 4]);
    const ints = Int32Array.from([7, 0, 1, -3, 1, 0]);
    const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
    w.row(9);
    w.int4(42);
    w.text("Ynys Môn — Sir Gâr");
    w.bool(true);
    w.float8Array(numbers, 2, 0, all(3), 0, 3, false); // 1.5, -0.25, 3
    w.int8ArrayOrNull(Float64Array.from([9_007_199_254_740_991, Number.NaN, 4_294_967_296]), 1, 0, all(3), 0, 3);
    w.int4Array(ints, 2, 0, all(3), 0, 3); // 7, 1, 1
    w.textArray(["2019-20", "sex=female", "ñ".repeat(70), ""], all(4), 0, 4);
    w.dateArray(["2020-03-31", "1999-12-31", "2000-01-01"], all(3), 0, 3);
    w.boolArrayOrNull(ints, 2, 1, all(3), 0, 3); // 0, -3, 0 → false, true, false
    w.row(9);
    w.int4(null);
    w.text(null);
    w.bool(false);
    w.float8Array(Float64Array.from([Number.NaN]), 1, 0, all(1), 0, 1, true); // all null → NULL field
    w.int8ArrayOrNull(Float64Array.from([Number.NaN]), 1, 0, all(1), 0, 1);
    w.int4Array(Int32Array.from([]), 1, 0, all(0), 0, 0);
    w.textArrayOrNullIfAll(["", ""], all(2), 0, 2, "");
    w.dateArray([], all(0), 0, 0);
    w.boolArrayOrNull(Int32Array.from([0, 0]), 1, 0, all(2), 0, 2);
    // a third row gathers its elements from picked rows of the columns: rows 2 and 0, from a list starting at 1
    const picked = Int32Array.from([9, 2, 0]);
    w.row(9);
    w.int4(7);
    w.text("gathered");
    w.bool(true);
    w.float8Array(numbers, 2, 0, picked, 1, 3, false); // rows 2, 0 → 3, 1.5
    w.int8ArrayOrNull(numbers, 2, 1, picked, 1, 3); // 4 (row 2), NULL (row 0)
    w.int4Array(ints, 2, 0, picked, 1, 3); // 1, 7
    w.textArray(["a", "b", "c"], picked, 1, 3); // c, a
    w.dateArray(["2020-03-31", "1999-12-31", "2000-01-01"], picked, 1, 3);
    w.boolArrayOrNull(ints, 2, 1, picked, 1, 3); // 0, 0 → NULL field
    await copyIn(w);
    const rows = await queryRows<Record<string, unknown>>(
      database.db,
      sql.raw(`SELECT i, t, b, n::text AS n, m::text AS m, k::text AS k, s, d::text AS d, f::text AS f
       FROM copy_check ORDER BY i NULLS LAST`),
    );
    expect(rows).toEqual([
      {
        i: 7,
        t: "gathered",
        b: true,
        n: "{3,1.5}",
        m: "{4,NULL}",
        k: "{1,7}",
        s: ["c", "a"],
        d: "{2000-01-01,2020-03-31}",
        f: null,
      },
      {
        i: 42,
        t: "Ynys Môn — Sir Gâr",
        b: true,
        n: "{1.5,-0.25,3}",
        m: "{9007199254740991,NULL,4294967296}",
        k: "{7,1,1}",
        s: ["2019-20", "sex=female", "ñ".repeat(70), ""],
        d: "{2020-03-31,1999-12-31,2000-01-01}",
        f: "{f,t,f}",
      },
      { i: null, t: null, b: false, n: null, m: null, k: "{}", s: null, d: "{}", f: null },
    ]);
  });

  it("writes a NULL field for an array whose every element is the given default, and the whole array otherwise", async () => {
    const w = new BinaryCopyWriter(16);
    const breakdowns = ["total", "sex=female", "total", "total"];
    const ints = Int32Array.from([1, 0, 2, 0, 1, 0, 1, 0]); // revisions 1, 2, 1, 1 at stride 2, offset 0
    const all = Int32Array.from([0, 1, 2, 3]);
    const picked = Int32Array.from([9, 0, 2, 3]); // rows 0, 2, 3: every breakdown 'total', every revision 1
    const row = (i: number, s: () => void, k: () => void) => {
      w.row(3);
      w.int4(i);
      s();
      k();
    };
    row(
      1,
      () => w.textArrayOrNullIfAll(breakdowns, all, 0, 4, "total"),
      () => w.int4ArrayOrNullIfAll(ints, 2, 0, all, 0, 4, 1),
    );
    row(
      2,
      () => w.textArrayOrNullIfAll(breakdowns, picked, 1, 4, "total"),
      () => w.int4ArrayOrNullIfAll(ints, 2, 0, picked, 1, 4, 1),
    );
    row(
      3, // the last element differs: still the whole array
      () => w.textArrayOrNullIfAll(breakdowns, Int32Array.from([0, 2, 1]), 0, 3, "total"),
      () => w.int4ArrayOrNullIfAll(ints, 2, 0, Int32Array.from([0, 3, 1]), 0, 3, 1),
    );
    row(
      4, // other defaults: no note codes (''), and the odd columns of `ints` (all 0)
      () => w.textArrayOrNullIfAll(["", "", ""], all, 0, 3, ""),
      () => w.int4ArrayOrNullIfAll(ints, 2, 1, all, 0, 4, 0),
    );
    row(
      5,
      () => w.textArrayOrNullIfAll(["", "p", ""], all, 0, 3, ""),
      () => w.int4ArrayOrNullIfAll(ints, 2, 1, all, 0, 4, 1),
    );
    await copyIn(w, "copy_defaults");
    const rows = await queryRows<Record<string, unknown>>(
      database.db,
      sql.raw("SELECT i, s, k::text AS k FROM copy_defaults ORDER BY i"),
    );
    expect(rows).toEqual([
      { i: 1, s: ["total", "sex=female", "total", "total"], k: "{1,2,1,1}" },
      { i: 2, s: null, k: null },
      { i: 3, s: ["total", "total", "sex=female"], k: "{1,1,2}" },
      { i: 4, s: null, k: null },
      { i: 5, s: ["", "p", ""], k: "{0,0,0,0}" },
    ]);
  });

  it("counts dates from 2000-01-01 and refuses what is not an ISO date", () => {
    expect(pgDate("2000-01-01")).toBe(0);
    expect(pgDate("2000-03-01")).toBe(60);
    expect(pgDate("1999-12-31")).toBe(-1);
    expect(() => pgDate("2019-3-31")).toThrow(/not an ISO date/);
  });
});
