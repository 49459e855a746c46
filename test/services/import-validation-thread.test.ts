/**
 * Validating rows in the worker thread gives the same import as validating them in the calling thread: the same
 * summary (counts, errors and warnings in order, revised values old → new, file errors raised on opening a file or
 * part-way through it) and the same stored observations. Each path imports into its own seeded database, and both
 * databases are given the same history, so that the two summaries can be compared whole.
 */
import { statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Database, queryRows } from "../../src/db/database.ts";
import type { TableRequest } from "../../src/ingest/observations/open-table.ts";
import type { ReferenceData } from "../../src/ingest/observations/validate-rows.ts";
import type { ValidatedChunk } from "../../src/ingest/observations/validated-chunk.ts";
import {
  openValidatedTable,
  type ValidatedTable,
  WORKER_MIN_BYTES,
} from "../../src/ingest/observations/validated-table.ts";
import { loadReferenceData } from "../../src/services/import/reference.ts";
import { type ImportOptions, runImport } from "../../src/services/import/run-import.ts";
import type { ImportSummary } from "../../src/services/import/summary.ts";
import { clearImports, importCsv, seededDatabase, TEST_ACTOR, tempFile } from "../support/import-fixtures.ts";

/** Imports validated in the calling thread. */
let inMain: Database;
/** The same imports validated in the worker. */
let inWorker: Database;
/** The same imports validated in two workers sharing the file in small segments. */
let inWorkers: Database;
let reference: ReferenceData;
beforeAll(async () => {
  [inMain, inWorker, inWorkers] = await Promise.all([seededDatabase(), seededDatabase(), seededDatabase()]);
  reference = await loadReferenceData(inMain.db);
});
afterAll(async () => {
  await inMain?.close();
  await inWorker?.close();
  await inWorkers?.close();
});
beforeEach(async () => {
  await clearImports(inMain);
  await clearImports(inWorker);
  await clearImports(inWorkers);
});

const LBW = "low-birth-weight"; // proportion × 100, calendar year, breakdown by deprivation quintile
const KS4 = "ks4-capped-9-points-score"; // mean with supplied CIs, academic year, breakdowns by sex and fsm
const LAC = "children-looked-after-count"; // count, snapshot date, breakdowns by sex and age band
const NEET = "neet-16-18"; // defined for Wales only
const RETIRED = "ks4-level-2-inclusive";
const AREAS = ["W92000004", "W06000001", "W06000015", "W06000023"];

const csv = (header: string, ...rows: string[]) => `${[header, ...rows].join("\n")}\n`;

const HEADER = "measure_code,area_code,period,value,numerator,denominator,note_code";
const FULL_HEADER =
  "measure_code,area_code,period,value,numerator,denominator,lower_ci,upper_ci,note_code,sex,deprivation_quintile";

/** A valid file with breakdown columns, note codes, value markers, CIs, numerators and denominators. */
const VALID = csv(
  FULL_HEADER,
  `${LBW},W06000015,2022,7.1,300,4225,,,p,,`,
  `${LBW},W06000015,2022,8.0,40,500,6.1,10.2,,,1`,
  `${LBW},W06000015,2022,6.0,30,500,,,r e,,5`,
  `${LBW},Cardiff,2021,6.9,290,4200,,,,,`,
  `${LBW},W06000001,2022,..,,,,,,,`,
  `${LBW},W92000004,2022,6.5 [p],1950,30000,6.2,6.8,,,`,
  `${KS4},W06000015,2022/23,350.2,,,340.1,360.3,,Female,`,
  `${KS4},W06000015,2022/23,345.0,,,335,355,e,male,`,
  `${KS4},W06000015,2022/23,347.5,,,,,,total,`,
  `${LAC},W06000015,2023-03-31,947,947,,,,,,`,
  `${LAC},W06000015,2023-03-31,480,,,,,,female,`,
  `${LAC},W06000001,2023-03-31,,,,,,x,,`,
  `${LAC},W06000001,2023-03-31,[c],,,,,,male,`,
);
const VALID_ROWS = 13;

/** Rows with errors of many kinds, and duplicates that fall in later chunks than the rows they repeat. */
const ROW_ERRORS = csv(
  "measure_code,area_code,period,breakdown,value,numerator,denominator,note_code",
  `${LBW},W06000015,2020,,7.1,300,4225,`,
  `${LBW},W06000015,2021,,7.0,70,1000,`,
  `${LBW},Atlantis,2021,,7,7,100,`,
  `${LBW},W06000015,2020,,7.1,300,4225,`,
  `${LBW},W06000015,20x1,,7,7,100,`,
  `${LBW},W06000015,2019/20,,7,7,100,`,
  `${LBW},W06000001,2021,,seven,7,100,`,
  `${LBW},W06000001,2020,,120,120,100,`,
  `nope,W06000001,2020,,1,1,100,`,
  `${LBW},W06000001,2019,,5,5,100,q`,
  `${LBW},W06000001,2019,,5,5,100,,extra,fields`,
  `${LBW},W06000001,2018,,9.9,5,100,`,
  "",
  `${LBW},W06000015,2021,,7.0,70,1000,`,
  `${LBW},W06000015,2020,,7.1,300,4225,`,
  `${LBW},W06000002,2017,,,,,`,
  `${LBW},W06000002,2016,sex=female,5,5,100,`,
  `${LBW},W06000002,2016,colour=red,5,5,100,`,
  `${LBW},W06000002,2016,deprivation_quintile=9,5,5,100,`,
  `${LBW},W06000002,2016,deprivation_quintile=2,5,5,100,`,
  `${LBW},W06000002,2016,deprivation_quintile=2,5,5,100,`,
  `${LBW},,2016,,5,5,100,`,
  `${LBW},W06000002,2015,,5,-5,100,`,
  `${LBW},W06000002,2014,oops,5,5,100,`,
);

/** Three years of history for Cardiff, so that a value far outside it is implausible. */
const HISTORY = csv(
  HEADER,
  `${LBW},W06000015,2019,7.0,7,100,`,
  `${LBW},W06000015,2020,7.4,74,1000,`,
  `${LBW},W06000015,2021,7.2,72,1000,`,
);

/** A valid file with warnings of several kinds: an ignored column, implausible values, geography, a retired measure. */
const WARNINGS = csv(
  `${HEADER},comment`,
  `${LBW},W06000015,2022,72,72,100,,far too high`,
  `${LBW},W06000015,2023,7.3,73,1000,,`,
  `${NEET},W06000015,2022,10.0,10,100,,`,
  `${NEET},W06000001,2022,11.0,11,100,,`,
  `${RETIRED},W06000015,2018/19,50.0,50,100,,`,
  `${LBW},W06000015,2024,80,80,100,,`,
  `${LBW},W06000015,2025,0.5,5,1000,,`,
);

/**
 * A long file for workers sharing it in small segments: a warning given once per file whose rows fall in many
 * segments, blank lines (which count as rows), and errors and duplicates far apart.
 */
const SEGMENTED = csv(
  HEADER,
  ...Array.from({ length: 60 }, (_, i) =>
    i % 9 === 4 ? "" : `${i % 2 ? NEET : LBW},${AREAS[i % 4]},${2000 + Math.floor(i / 4)},7.${i % 10},7${i % 10},1000,`,
  ),
  `${LBW},Atlantis,2001,7,7,100,`,
  `${LBW},W92000004,2000,7.0,70,1000,`,
  "",
  `${NEET},W06000001,2030,9.0,9,100,`,
);

/** Quoted fields holding delimiters, line breaks and doubled quotes. */
const QUOTED = csv(
  "measure_code,area_code,area_name,period,value,numerator,denominator,note_code",
  `${LBW},W06000015,"Cardiff, the capital",2022,7.1,300,4225,"p, r"`,
  `${LBW},W06000001,"Isle of Anglesey\n(Ynys Môn)",2022,6.0,30,500,"p\nr"`,
  `${LAC},W06000015,"Cardiff ""city""",2023-03-31,"1,234","1,234",,`,
  `${LAC},,"Powys",2023-03-31,"150",,,"e"`,
);

/** A tab-separated file with a byte-order mark and CRLF line ends. */
const BOM_TABS = Buffer.from(
  `\uFEFF${[
    "measure_code\tarea_code\tperiod\tvalue\tnumerator\tdenominator\tnote_code",
    `${LBW}\tW06000015\t2022\t7.1\t300\t4225\tp`,
    `${LBW}\tW06000001\t2022\t6,0\t30\t500\t`,
    `${LBW}\tW06000001\t2021\t6.0\t30\t500\t`,
    `${LBW}\tW06000023\t2021\t5.0\t25\t500\tr`,
  ].join("\r\n")}\r\n`,
  "utf8",
);

/** 600 valid rows: 4 areas × 25 years × (total and 5 quintiles); `change(i)` adds to row i's numerator. */
function manyRows(change: (i: number) => number = () => 0, notes: (i: number) => string = () => ""): string[] {
  const rows: string[] = [];
  let i = 0;
  for (const area of AREAS) {
    for (let year = 2000; year < 2025; year++) {
      for (const quintile of ["", "1", "2", "3", "4", "5"]) {
        const num = ((i * 37) % 900) + 50 + change(i);
        rows.push(`${LBW},${area},${year},${(num / 10).toFixed(1)},${num},1000,${notes(i)},${quintile}`);
        i++;
      }
    }
  }
  return rows;
}
const MANY_HEADER = `${HEADER},deprivation_quintile`;

/** 30 valid rows, then a quoted field that is never closed (a file error found part-way through the file). */
const UNCLOSED_QUOTE = csv(
  MANY_HEADER,
  ...manyRows().slice(0, 30),
  `${LBW},W06000015,1990,7.1,300,4225,"p,`,
  ...manyRows().slice(30, 40),
);

/** A file larger than one read (256 KB) with text after a closing quote deep inside it. */
const TEXT_AFTER_QUOTE = csv(
  HEADER,
  ...Array.from({ length: 8000 }, (_, i) => `${LBW},W06000015,${1000 + i},7,7,100,`),
  `${LBW},W06000015,"4000"x,7,7,100,`,
  ...Array.from({ length: 100 }, (_, i) => `${LBW},W06000001,${1000 + i},7,7,100,`),
);

interface Case {
  name: string;
  /** The file to import (its path). */
  file: () => string;
  options?: Partial<ImportOptions>;
  /** Imported (published, in the calling thread) into both databases first. */
  history?: string;
  /** What the fixture is meant to show, checked on the calling thread's summary. */
  check: (s: ImportSummary) => void;
}

const codes = (issues: { code: string }[]) => [...new Set(issues.map((i) => i.code))].sort();

const CASES: Case[] = [
  {
    name: "a valid file with breakdowns, notes, CIs, numerators and denominators",
    file: () => tempFile(VALID),
    check: (s) => {
      expect(s.ok).toBe(true);
      expect(s.counts).toMatchObject({ rows: VALID_ROWS, valid: VALID_ROWS, new: VALID_ROWS, errors: 0 });
    },
  },
  {
    name: "the valid file in chunks of 3 rows, as a dry run",
    file: () => tempFile(VALID),
    options: { chunkSize: 3, dryRun: true },
    check: (s) => expect(s.counts).toMatchObject({ rows: VALID_ROWS, new: VALID_ROWS }),
  },
  {
    name: "row errors of many kinds, with duplicates across chunks of 3 rows",
    file: () => tempFile(ROW_ERRORS),
    options: { chunkSize: 3 },
    check: (s) => {
      expect(s.ok).toBe(false);
      expect(codes(s.errors)).toEqual([
        "bad_breakdown",
        "breakdown_not_allowed",
        "duplicate_row",
        "missing_area",
        "missing_value",
        "negative",
        "not_a_number",
        "numerator_exceeds_denominator",
        "out_of_range",
        "unknown_area",
        "unknown_dimension",
        "unknown_dimension_value",
        "unknown_measure",
        "unknown_note_code",
        "unknown_period",
        "value_inconsistent",
        "wrong_column_count",
        "wrong_period_type",
      ]);
      expect(s.errors.filter((e) => e.code === "duplicate_row").map((e) => e.row)).toEqual([5, 15, 16, 22]);
    },
  },
  {
    name: "row errors beyond the issue limit",
    file: () => tempFile(ROW_ERRORS),
    options: { chunkSize: 2, issueLimit: 4 },
    check: (s) => {
      expect(s.errors).toHaveLength(4);
      expect(s.errorsTruncated).toBe(true);
    },
  },
  {
    name: "warnings: an ignored column, implausible values after earlier imports, geography, a retired measure",
    file: () => tempFile(WARNINGS),
    options: { chunkSize: 3 },
    history: HISTORY,
    check: (s) => {
      expect(s.ok).toBe(true);
      const byRow = s.warnings.map((w) => [w.row, w.code]).sort((a, b) => Number(a[0]) - Number(b[0]));
      expect(byRow).toEqual([
        [1, "ignored_columns"],
        [2, "implausible_value"],
        [4, "geography_not_listed"],
        [6, "measure_not_live"],
        [7, "implausible_value"],
        [8, "implausible_value"],
      ]);
    },
  },
  {
    name: "quoted fields holding commas, line breaks and doubled quotes",
    file: () => tempFile(QUOTED),
    options: { chunkSize: 1 },
    check: (s) => expect(s.counts).toMatchObject({ rows: 4, new: 4, errors: 0 }),
  },
  {
    name: "a tab-separated file with a byte-order mark and CRLF line ends",
    file: () => tempFile(BOM_TABS, ".tsv"),
    options: { chunkSize: 3 },
    check: (s) => {
      expect(s.counts).toMatchObject({ rows: 4 });
      expect(s.errors.map((e) => [e.row, e.code, e.value])).toEqual([[3, "not_a_number", "6,0"]]);
    },
  },
  {
    name: "a quoted field never closed, found after several chunks",
    file: () => tempFile(UNCLOSED_QUOTE),
    options: { chunkSize: 3 },
    check: (s) => {
      expect(s.counts.rows).toBe(30);
      expect(s.errors).toEqual([expect.objectContaining({ code: "file", row: 32 })]);
      expect(s.errors[0]!.message).toMatch(/never closed/);
    },
  },
  {
    name: "text after a closing quote deep inside a large file",
    file: () => tempFile(TEXT_AFTER_QUOTE),
    options: { chunkSize: 500 },
    check: (s) => {
      expect(s.counts.rows).toBeGreaterThan(0);
      expect(s.errors).toEqual([expect.objectContaining({ code: "file", row: 8002 })]);
      expect(s.errors[0]!.message).toMatch(/after a closing quote/);
    },
  },
  {
    name: "a long file with a warning given once, blank rows, and errors far apart",
    file: () => tempFile(SEGMENTED),
    options: { chunkSize: 4 },
    check: (s) => {
      expect(s.warnings.filter((w) => w.code === "geography_not_listed").map((w) => w.row)).toEqual([3]);
      expect(s.errors.map((e) => [e.row, e.code])).toEqual([
        [62, "unknown_area"],
        [63, "duplicate_row"],
      ]);
      expect(s.counts.rows).toBe(60 - 7 + 3);
    },
  },
  {
    name: "a file without a period column",
    file: () => tempFile("measure_code,area_code,value\nm,W1,1\n"),
    check: (s) => {
      expect(s.errors).toEqual([expect.objectContaining({ code: "file", row: 1 })]);
      expect(s.errors[0]!.message).toContain("no period column");
    },
  },
  {
    name: "an empty file",
    file: () => tempFile(""),
    check: (s) => expect(s.errors[0]!.message).toMatch(/empty/),
  },
  {
    name: "a file with only its header",
    file: () => tempFile(`${HEADER}\n`),
    check: (s) => {
      // nothing to import is an error that says why (issue 11 item 7)
      expect(s.ok).toBe(false);
      expect(s.counts.rows).toBe(0);
      expect(s.errors).toEqual([expect.objectContaining({ code: "no_rows", row: 0 })]);
    },
  },
  {
    name: "a path that does not exist",
    file: () => join(tmpdir(), "omf-no-such-directory", "missing.csv"),
    check: (s) => {
      expect(s.errors).toEqual([expect.objectContaining({ code: "file", row: 0 })]);
      expect(s.errors[0]!.message).toMatch(/no such file/);
    },
  },
  {
    name: "the measure given as an option (no measure column)",
    file: () =>
      tempFile(csv("area,year,value,numerator,denominator", "W06000015,2022,7.1,300,4225", "Powys,2021,5,5,100")),
    options: { measure: LBW },
    check: (s) => expect(s.counts).toMatchObject({ rows: 2, new: 2, errors: 0 }),
  },
  {
    name: "an unknown measure given as an option",
    file: () => tempFile(csv("area,year,value", "W06000015,2022,7.1")),
    options: { measure: "nope" },
    check: (s) => expect(s.errors[0]!.message).toMatch(/unknown measure nope/),
  },
  {
    name: "a mapping file's measures, columns, values, ignored columns and fixed breakdown",
    file: () =>
      tempFile(
        csv(
          "Indicator,Area,Year,Gender,Count,unit",
          "Looked after,W06000015,2023-03-31,F,480,children",
          "Looked after,W06000015,2023-03-31,M,470,children",
          "Looked after,W06000001,2023-03-31,X,10,children",
        ),
      ),
    options: {
      mapping: {
        measures: { "Looked after": LAC },
        columns: { Gender: "sex", Count: "value" },
        values: { sex: { F: "female", M: "male" } },
        ignore: ["unit"],
        breakdown: { age_band: "0" },
      },
    },
    check: (s) => {
      expect(s.counts).toMatchObject({ rows: 3, valid: 2 });
      expect(s.errors.map((e) => [e.row, e.code])).toEqual([[4, "unknown_dimension_value"]]);
    },
  },
];

/** A summary without what may differ between two runs of the same import: timings and batch ids. */
function comparable(s: ImportSummary) {
  const { seconds: _seconds, rowsPerSecond: _rate, batch, message, ...rest } = s;
  return { ...rest, batch: batch && { ...batch, id: 0 }, message: message.replace(/batch \d+/, "batch #") };
}

/** Segments of a few rows, so that the small files of these tests are shared between the workers in many pieces. */
const SMALL_SEGMENTS = 120;

/**
 * Imports a file into the three databases, validating it in the calling thread, in the worker, and in two workers
 * (when the file can be split: else in one).
 */
async function importBoth(path: string, options: Partial<ImportOptions> = {}) {
  const base = { dryRun: false, actor: TEST_ACTOR, ...options };
  const main = await runImport(inMain, path, { ...base, validation: "main" });
  const worker = await runImport(inWorker, path, { ...base, validation: "worker" });
  const workers = await runImport(inWorkers, path, { ...base, validation: "workers", segmentBytes: SMALL_SEGMENTS });
  expect(comparable(workers)).toStrictEqual(comparable(main));
  return { main, worker };
}

/** Imports (and publishes) the same history into both databases. */
async function seedBoth(text: string): Promise<void> {
  for (const database of [inMain, inWorker, inWorkers]) {
    const r = await importCsv(database, text, { publish: true, validation: "main" });
    expect(r.errors).toEqual([]);
  }
}

/** Every stored observation (all revisions), in key order. */
function stored(database: Database) {
  return queryRows<Record<string, unknown>>(
    database.db,
    sql`SELECT measure_code, area_code, period, period_end, breakdown, value, numerator, denominator, lower_95,
          upper_95, ci_supplied, note_codes, withdrawn, revision
        FROM observations ORDER BY measure_code, area_code, period, breakdown, revision`,
  );
}

async function allChunks(table: ValidatedTable): Promise<ValidatedChunk[]> {
  const out: ValidatedChunk[] = [];
  for await (const chunk of table.chunks) out.push(chunk);
  return out;
}

const CSV_IN_CHUNKS_OF_3: TableRequest = { format: "csv", chunkSize: 3 };

describe("validating in the worker thread and in the calling thread", () => {
  it.each(CASES)("gives the same summary for $name", async (c) => {
    if (c.history) await seedBoth(c.history);
    const path = c.file();
    const { main, worker } = await importBoth(path, c.options);
    c.check(main);
    expect(comparable(worker)).toStrictEqual(comparable(main));
  });

  it("stores the same observations after a real import through the worker", async () => {
    const path = tempFile(VALID);
    const { main, worker } = await importBoth(path, { chunkSize: 3, flushRows: 4 });
    expect(main.batch).not.toBeNull();
    expect(comparable(worker)).toStrictEqual(comparable(main));
    const rows = await stored(inMain);
    expect(rows).toHaveLength(VALID_ROWS);
    expect(await stored(inWorker)).toEqual(rows);
    expect(await stored(inWorkers)).toEqual(rows);
  });

  it("reports the same revised values (old → new) and stores the same revisions when a changed file is re-imported", async () => {
    await seedBoth(csv(MANY_HEADER, ...manyRows()));
    const changed = csv(
      MANY_HEADER,
      ...manyRows(
        (i) => (i % 7 === 0 ? 1 : 0),
        (i) => (i % 11 === 0 ? "r" : ""),
      ),
      `${LBW},W06000015,2025,7.1,71,1000,p,`,
    );
    const path = tempFile(changed);

    const preview = await importBoth(path, { chunkSize: 7, dryRun: true, revisedLimit: 5 });
    expect(preview.main.revisedTruncated).toBe(true);
    expect(comparable(preview.worker)).toStrictEqual(comparable(preview.main));

    const { main, worker } = await importBoth(path, { chunkSize: 7, flushRows: 50 });
    expect(main.counts).toMatchObject({ new: 1, errors: 0 });
    expect(main.counts.revised).toBeGreaterThan(100);
    expect(main.revised[0]).toMatchObject({
      row: 2,
      old: { value: 5, numerator: 50, noteCodes: [] },
      new: { value: 5.1, numerator: 51, noteCodes: ["revised"] },
    });
    expect(comparable(worker)).toStrictEqual(comparable(main));
    const rows = await stored(inMain);
    expect(rows.filter((r) => r.revision === 2)).toHaveLength(main.counts.revised);
    expect(await stored(inWorker)).toEqual(rows);
    expect(await stored(inWorkers)).toEqual(rows);
  });

  it("validates a small CSV file in the calling thread when asked for auto, in the same chunks as the worker", async () => {
    const path = tempFile(VALID);
    const size = statSync(path).size;
    expect(size).toBeLessThan(WORKER_MIN_BYTES);
    const auto = await openValidatedTable(path, CSV_IN_CHUNKS_OF_3, reference, "auto");
    const worker = await openValidatedTable(path, CSV_IN_CHUNKS_OF_3, reference, "worker");
    // A table validated in this thread has read the file once it is open; the worker's counts bytes as chunks arrive.
    expect(auto.bytesRead()).toBe(size);
    expect(worker.bytesRead()).toBe(0);
    expect(worker.issues).toStrictEqual(auto.issues);
    const chunks = await allChunks(auto);
    expect(chunks).toHaveLength(Math.ceil(VALID_ROWS / 3));
    expect(await allChunks(worker)).toStrictEqual(chunks);
    expect(worker.bytesRead()).toBe(size);
  });

  it("validates a CSV file of WORKER_MIN_BYTES or more in the worker when asked for auto", async () => {
    const row = `${LBW},W06000015,2022,7.1,300,4225,\n`;
    const path = tempFile(`${HEADER}\n${row.repeat(Math.ceil(WORKER_MIN_BYTES / row.length))}`);
    const table = await openValidatedTable(path, CSV_IN_CHUNKS_OF_3, reference, "auto");
    try {
      expect(table.bytesRead()).toBe(0);
      const first = await table.chunks[Symbol.asyncIterator]().next();
      expect(first.value?.count).toBe(3);
      expect(table.bytesRead()).toBeGreaterThan(0);
    } finally {
      await table.close();
    }
  }, 60_000);

  it("starts the worker while the reference data are still loading, and fails with their error", async () => {
    const path = tempFile(VALID);
    let resolve!: (r: ReferenceData) => void;
    const later = new Promise<ReferenceData>((r) => {
      resolve = r;
    });
    const opening = openValidatedTable(path, CSV_IN_CHUNKS_OF_3, later, "worker");
    setTimeout(() => resolve(reference), 20);
    const chunks = await allChunks(await opening);
    expect(chunks).toStrictEqual(
      await allChunks(await openValidatedTable(path, CSV_IN_CHUNKS_OF_3, reference, "main")),
    );

    for (const thread of ["worker", "workers", "main"] as const) {
      const failing = Promise.reject(new Error("the database went away"));
      await expect(
        openValidatedTable(path, { ...CSV_IN_CHUNKS_OF_3, segmentBytes: SMALL_SEGMENTS }, failing, thread),
      ).rejects.toThrow("the database went away");
    }
  }, 60_000);

  it("closes a worker-validated table early, after one chunk or before any, without hanging", async () => {
    const path = tempFile(csv(MANY_HEADER, ...manyRows()));
    const table = await openValidatedTable(path, CSV_IN_CHUNKS_OF_3, reference, "worker");
    const chunks = table.chunks[Symbol.asyncIterator]();
    const first = await chunks.next();
    expect(first.done).toBe(false);
    expect(first.value?.rows).toBe(3);
    await expect(table.close()).resolves.toBeUndefined();
    await expect(table.close()).resolves.toBeUndefined();
    await chunks.return?.(undefined);

    const unread = await openValidatedTable(path, CSV_IN_CHUNKS_OF_3, reference, "worker");
    await expect(unread.close()).resolves.toBeUndefined();
  }, 60_000);

  it("ends a read in progress and every later read when a worker-validated table is closed", async () => {
    const path = tempFile(csv(MANY_HEADER, ...manyRows()));
    for (const thread of ["worker", "main"] as const) {
      const table = await openValidatedTable(path, CSV_IN_CHUNKS_OF_3, reference, thread);
      const chunks = table.chunks[Symbol.asyncIterator]();
      expect((await chunks.next()).done).toBe(false);
      const reading = chunks.next();
      await table.close();
      await reading; // settles (a chunk read before the close, or the end)
      await expect(chunks.next()).resolves.toEqual({ done: true, value: undefined });
    }
  }, 60_000);
});
