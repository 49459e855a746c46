import { PassThrough } from "node:stream";
import { sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Database, queryRows } from "../../src/db/database.ts";
import { listBatches } from "../../src/db/queries/batches.ts";
import { visibleObservations } from "../../src/db/queries/visible-observations.ts";
import { readMappingFile } from "../../src/ingest/observations/mapping.ts";
import { createUser } from "../../src/services/accounts.ts";
import { BatchError, publishBatch, rollbackBatch, valueHistory } from "../../src/services/import/batches.ts";
import { type ExportFormat, exportObservations } from "../../src/services/import/export.ts";
import { runImport } from "../../src/services/import/run-import.ts";
import { clearImports, importCsv, seededDatabase, TEST_ACTOR, tempFile } from "../support/import-fixtures.ts";

let database: Database;
beforeAll(async () => {
  database = await seededDatabase();
});
afterAll(async () => {
  await database?.close();
});
beforeEach(async () => {
  await clearImports(database);
});

const HEADER = "measure_code,area_code,period,value,numerator,denominator,note_code\n";
const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
const LBW = "low-birth-weight";

async function count(sql = "SELECT count(*)::int AS n FROM observations"): Promise<number> {
  const r = await database.db.execute<{ n: number }>(sql as never);
  return Number((r as unknown as { rows: { n: number }[] }).rows[0]!.n);
}

async function rawCount(table: string): Promise<number> {
  if (database.kind === "pglite") {
    return (await database.client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
  }
  return (await database.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
}

async function publicValue(area: string, period: string, options: { asAt?: Date; measure?: string } = {}) {
  const rows = await visibleObservations(database.db, {
    measureCodes: [options.measure ?? LBW],
    areaCodes: [area],
    periods: [period],
    asAt: options.asAt,
  });
  return rows[0]?.value ?? null;
}

async function exportText(format: ExportFormat, asAt?: Date): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  await exportObservations(database, out, { format, asAt });
  out.end();
  if (format !== "xlsx") return Buffer.concat(chunks).toString("utf8");
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
  const lines: string[] = [];
  wb.worksheets[0]!.eachRow((row) => {
    lines.push((row.values as unknown[]).slice(1).join(","));
  });
  return lines.join("\n");
}

describe("dry run", () => {
  it("shows new, revised (old → new) and unchanged rows and writes nothing", async () => {
    await importCsv(database, `${HEADER}${LBW},W06000015,2022,7.1,300,4225,\n${LBW},W06000001,2022,6,30,500,\n`, {
      publish: true,
    });
    const before = await count();
    const r = await importCsv(
      database,
      `${HEADER}${LBW},W06000015,2022,7.2,304,4225,\n${LBW},W06000001,2022,6,30,500,\n${LBW},W06000002,2022,5,25,500,\n`,
      { dryRun: true },
    );
    expect(r.ok).toBe(true);
    expect(r.batch).toBeNull();
    expect(r.counts).toMatchObject({ rows: 3, valid: 3, new: 1, revised: 1, unchanged: 1, errors: 0 });
    expect(r.revised).toEqual([
      expect.objectContaining({
        row: 2,
        areaCode: "W06000015",
        old: expect.objectContaining({ value: 7.1, numerator: 300 }),
        new: expect.objectContaining({ value: 7.2, numerator: 304 }),
      }),
    ]);
    expect(r.message).toMatch(/dry run, nothing written/);
    expect(await count()).toBe(before);
    expect(await rawCount("import_batches")).toBe(1);
  });
});

describe("all or nothing", () => {
  it("writes nothing when one row of a large file is invalid, after earlier rows were already streamed", async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `${LBW},W06000015,${1000 + i},7,7,100,`);
    lines.push(`${LBW},W06000015,9000,seven,7,100,`);
    const r = await importCsv(database, `${HEADER}${lines.join("\n")}\n`, { chunkSize: 500, flushRows: 200 });
    expect(r.ok).toBe(false);
    expect(r.counts.errors).toBe(1);
    expect(r.errors[0]).toMatchObject({ row: 3002, column: "value", value: "seven", code: "not_a_number" });
    expect(await rawCount("observations")).toBe(0);
    expect(await rawCount("import_batches")).toBe(0);
  });

  it("leaves the database as it was when the import fails part-way through writing", async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `${LBW},W06000015,${1000 + i},7,7,100,`);
    const failing = runImport(database, tempFile(`${HEADER}${lines.join("\n")}\n`), {
      dryRun: false,
      actor: TEST_ACTOR,
      chunkSize: 500,
      flushRows: 100,
      onProgress: (p) => {
        if (p.written >= 1000) throw new Error("connection lost");
      },
    });
    await expect(failing).rejects.toThrow("connection lost");
    expect(await rawCount("observations")).toBe(0);
    expect(await rawCount("import_batches")).toBe(0);
  });

  it("reports duplicate rows in the file with both row numbers", async () => {
    const r = await importCsv(database, `${HEADER}${LBW},W06000015,2022,7,7,100,\n${LBW},Cardiff,2022,7,7,100,\n`);
    expect(r.ok).toBe(false);
    expect(r.errors[0]).toMatchObject({ row: 3, code: "duplicate_row" });
    expect(r.errors[0]!.message).toContain("row 2");
  });

  it("reports a missing column, an unknown source and a missing file as file errors", async () => {
    const r1 = await importCsv(database, "measure_code,area_code,value\nm,W1,1\n");
    expect(r1.errors[0]).toMatchObject({ code: "file" });
    expect(r1.errors[0]!.message).toContain("no period column");
    const r2 = await importCsv(database, `${HEADER}${LBW},W06000015,2022,7,7,100,\n`, { source: "nope" });
    expect(r2.errors[0]!.message).toContain('unknown source "nope"');
    const r3 = await runImport(database, "/nonexistent/file.csv", { dryRun: true, actor: TEST_ACTOR });
    expect(r3.ok).toBe(false);
    expect(await rawCount("import_batches")).toBe(0);
  });
});

describe("revisions, history and as-at", () => {
  it("records a changed value as a new revision (who, when, batch, reason) and keeps the history", async () => {
    const userId = await createUser(database.db, {
      email: "analyst@example.org",
      password: "a long passphrase here",
      role: "national_analyst",
    });
    const actor = { userId, name: "test:analyst@example.org" };
    const first = await importCsv(database, `${HEADER}${LBW},W06000015,2022,7.1,300,4225,\n`, { publish: true, actor });
    const second = await importCsv(database, `${HEADER}${LBW},W06000015,2022,7.2,304,4225,\n`, {
      publish: true,
      actor,
      reason: "late registrations",
    });
    expect(second.counts).toMatchObject({ new: 0, revised: 1 });
    const history = await valueHistory(database, { measureCode: LBW, areaCode: "w06000015", period: "2022" });
    expect(history.map((h) => [h.revision, h.value, h.batchId, h.createdBy, h.reason])).toEqual([
      [1, 7.1, first.batch!.id, "analyst@example.org", null],
      [2, 7.2, second.batch!.id, "analyst@example.org", "late registrations"],
    ]);
    expect(history[1]!.replacesId).toBe(history[0]!.id);
    // Re-importing the same value changes nothing and writes no batch.
    const third = await importCsv(database, `${HEADER}${LBW},W06000015,2022,7.2,304,4225,\n`, { publish: true });
    expect(third.batch).toBeNull();
    expect(third.counts.unchanged).toBe(1);
    expect(third.message).toMatch(/nothing to import/);
    expect(await count()).toBe(2);
  });

  it("reproduces what was public at a given time, and will not publish retrospectively", async () => {
    const before = new Date();
    await pause();
    await importCsv(database, `${HEADER}${LBW},W06000015,2022,7.1,300,4225,\n`, { publish: true });
    await pause();
    const between = new Date();
    await pause();
    await importCsv(database, `${HEADER}${LBW},W06000015,2022,7.2,304,4225,\n`, { publish: true });
    expect(await publicValue("W06000015", "2022", { asAt: before })).toBeNull();
    expect(await publicValue("W06000015", "2022", { asAt: between })).toBe(7.1);
    expect(await publicValue("W06000015", "2022")).toBe(7.2);
    expect(await exportText("csv", between)).toContain("W06000015,2022,total,7.1,300,4225");
    const past = new Date(Date.now() - 3600_000);
    const r = await importCsv(database, `${HEADER}${LBW},W06000015,2022,9,380,4225,\n`, {
      publish: true,
      publishAt: past,
    });
    expect(r.ok).toBe(false);
    expect(r.errors[0]!.message).toMatch(/in the past/);
    const draft = await importCsv(database, `${HEADER}${LBW},W06000015,2022,9,380,4225,\n`);
    await expect(publishBatch(database, draft.batch!.id, { at: past, actor: TEST_ACTOR })).rejects.toThrow(
      /in the past/,
    );
    expect(await publicValue("W06000015", "2022", { asAt: between })).toBe(7.1);
  });
});

describe("storage in observation sets", () => {
  const LAC = "children-looked-after-count";
  const SEX_HEADER = "measure_code,area_code,period,sex,value,numerator,denominator,lower_ci,upper_ci,note_code\n";

  /** The stored sets: breakdown and revision arrays as text ('NULL' for a NULL array). */
  async function storedSets() {
    return queryRows<{ measure: string; area: string; periods: string; breakdowns: string; revisions: string }>(
      database.db,
      sql.raw(`SELECT measure_code AS measure, area_code AS area, period::text AS periods,
        coalesce(breakdown::text, 'NULL') AS breakdowns, coalesce(revision::text, 'NULL') AS revisions
        FROM observation_sets ORDER BY id`),
    );
  }

  it("leaves out breakdowns and revisions that are all 'total' and 1, keeps them otherwise, and reads back the same", async () => {
    await importCsv(database, `${HEADER}${LBW},W06000015,2022,7.1,300,4225,\n${LBW},W06000015,2023,7.3,310,4225,\n`, {
      publish: true,
    });
    await importCsv(
      database,
      `${SEX_HEADER}${LAC},W06000015,2024-03-31,,945,,,,,\n${LAC},W06000015,2024-03-31,female,430,,,,,\n` +
        `${LAC},W06000015,2024-03-31,male,515,,,,,\n${LAC},W06000001,2024-03-31,,160,,,,,\n`,
      { publish: true },
    );
    // one changed value (revision 2) and one new one (revision 1) in the same set
    const changed = await importCsv(
      database,
      `${HEADER}${LBW},W06000015,2022,7.2,304,4225,\n${LBW},W06000015,2024,7.4,312,4225,\n`,
      { publish: true },
    );
    expect(changed.counts).toMatchObject({ new: 1, revised: 1 });
    expect(await storedSets()).toEqual([
      { measure: LBW, area: "W06000015", periods: "{2022,2023}", breakdowns: "NULL", revisions: "NULL" },
      {
        measure: LAC,
        area: "W06000015",
        periods: "{2024-03-31,2024-03-31,2024-03-31}",
        breakdowns: "{total,sex=female,sex=male}",
        revisions: "NULL",
      },
      { measure: LAC, area: "W06000001", periods: "{2024-03-31}", breakdowns: "NULL", revisions: "NULL" },
      { measure: LBW, area: "W06000015", periods: "{2022,2024}", breakdowns: "NULL", revisions: "{2,1}" },
    ]);

    const analyst = await visibleObservations(database.db, { includeDrafts: true, disclosure: "raw" });
    expect(analyst.map((o) => [o.measureCode, o.areaCode, o.period, o.breakdown, o.value, o.revision])).toEqual(
      expect.arrayContaining([
        [LBW, "W06000015", "2022", "total", 7.2, 2],
        [LBW, "W06000015", "2023", "total", 7.3, 1],
        [LBW, "W06000015", "2024", "total", 7.4, 1],
        [LAC, "W06000015", "2024-03-31", "total", 945, 1],
        [LAC, "W06000015", "2024-03-31", "sex=female", 430, 1],
        [LAC, "W06000015", "2024-03-31", "sex=male", 515, 1],
        [LAC, "W06000001", "2024-03-31", "total", 160, 1],
      ]),
    );
    expect(analyst).toHaveLength(7);
    const history = await valueHistory(database, { measureCode: LBW, areaCode: "W06000015", period: "2022" });
    expect(history.map((h) => [h.revision, h.value])).toEqual([
      [1, 7.1],
      [2, 7.2],
    ]);
    const female = await valueHistory(database, {
      measureCode: LAC,
      areaCode: "W06000015",
      period: "2024-03-31",
      breakdown: "sex=female",
    });
    expect(female.map((h) => [h.revision, h.value])).toEqual([[1, 430]]);

    // the stored keys and revisions are found again: the same files change nothing, a changed breakdown is revision 2
    const same = await importCsv(
      database,
      `${SEX_HEADER}${LAC},W06000015,2024-03-31,,945,,,,,\n${LAC},W06000015,2024-03-31,female,430,,,,,\n` +
        `${LAC},W06000015,2024-03-31,male,515,,,,,\n${LBW},W06000015,2022,,7.2,304,4225,,,\n` +
        `${LBW},W06000015,2023,,7.3,310,4225,,,\n`,
      { dryRun: true },
    );
    expect(same.counts).toMatchObject({ new: 0, revised: 0, unchanged: 5 });
    const male = await importCsv(database, `${SEX_HEADER}${LAC},W06000015,2024-03-31,male,520,,,,,\n`, {
      publish: true,
    });
    expect(male.counts).toMatchObject({ new: 0, revised: 1 });
    expect((await storedSets()).at(-1)).toEqual({
      measure: LAC,
      area: "W06000015",
      periods: "{2024-03-31}",
      breakdowns: "{sex=male}",
      revisions: "{2}",
    });
    const lac = await visibleObservations(database.db, { measureCodes: [LAC], areaCodes: ["W06000015"] });
    expect(Object.fromEntries(lac.map((o) => [o.breakdown, [o.value, o.revision]]))).toEqual({
      total: [945, 1],
      "sex=female": [430, 1],
      "sex=male": [520, 2],
    });
  });
});

describe("publication and embargo", () => {
  it("keeps drafts and embargoed batches out of public reads and exports", async () => {
    const draft = await importCsv(database, `${HEADER}${LBW},W06000015,2022,7.1,300,4225,\n`);
    expect(draft.batch).toMatchObject({ status: "draft", publishAt: null });
    expect(await publicValue("W06000015", "2022")).toBeNull();
    expect(await exportText("csv")).not.toContain("W06000015");
    const analyst = await visibleObservations(database.db, { includeDrafts: true, measureCodes: [LBW] });
    expect(analyst.map((o) => o.value)).toEqual([7.1]);

    const embargo = new Date(Date.now() + 3600_000);
    const r = await publishBatch(database, draft.batch!.id, { at: embargo, actor: TEST_ACTOR });
    expect(r.embargoed).toBe(true);
    expect(await publicValue("W06000015", "2022")).toBeNull();
    expect(await publicValue("W06000015", "2022", { asAt: new Date(embargo.getTime() + 1000) })).toBe(7.1);
    // the embargo may be moved while the batch is not yet public
    await publishBatch(database, draft.batch!.id, { actor: TEST_ACTOR });
    expect(await publicValue("W06000015", "2022")).toBe(7.1);
    await expect(publishBatch(database, draft.batch!.id, { actor: TEST_ACTOR })).rejects.toThrow(/already public/);
    await expect(publishBatch(database, 999, { actor: TEST_ACTOR })).rejects.toThrow(BatchError);
  });

  it("publishes at import under embargo with --publish-at", async () => {
    const at = new Date(Date.now() + 3600_000);
    const r = await importCsv(database, `${HEADER}${LBW},W06000015,2022,7.1,300,4225,\n`, {
      publish: true,
      publishAt: at,
    });
    expect(r.batch).toMatchObject({ status: "published", publishAt: at.toISOString() });
    expect(r.message).toMatch(/embargo/);
    expect(await publicValue("W06000015", "2022")).toBeNull();
  });
});

describe("rollback", () => {
  it("restores the previous values by new revisions, withdraws created keys, and keeps as-at history", async () => {
    await importCsv(database, `${HEADER}${LBW},W06000015,2022,7.1,300,4225,\n`, { publish: true });
    const bad = await importCsv(
      database,
      `${HEADER}${LBW},W06000015,2022,9.9,418,4225,\n${LBW},W06000001,2022,6,30,500,\n`,
      { publish: true },
    );
    await pause();
    const whileLive = new Date();
    await pause();
    expect(await publicValue("W06000015", "2022")).toBe(9.9);
    const before = await count();
    const r = await rollbackBatch(database, bad.batch!.id, { reason: "wrong file", actor: TEST_ACTOR });
    expect(r).toMatchObject({ restored: 1, withdrawn: 1, status: "published" });
    expect(await count()).toBe(before + 2); // nothing deleted, two rows appended
    expect(await publicValue("W06000015", "2022")).toBe(7.1);
    expect(await publicValue("W06000001", "2022")).toBeNull();
    // what was public while the bad batch was live is still reproducible
    expect(await publicValue("W06000015", "2022", { asAt: whileLive })).toBe(9.9);
    const batches = await listBatches(database.db);
    expect(batches.find((b) => b.id === bad.batch!.id)).toMatchObject({
      status: "rolled_back",
      rolledBackBy: r.rollbackBatchId,
    });
    const history = await valueHistory(database, { measureCode: LBW, areaCode: "W06000015", period: "2022" });
    expect(history.map((h) => h.value)).toEqual([7.1, 9.9, 7.1]);
    expect(history[2]!.reason).toBe(`Rollback of batch ${bad.batch!.id}: wrong file`);
    await expect(rollbackBatch(database, bad.batch!.id, { actor: TEST_ACTOR })).rejects.toThrow(
      /already been rolled back/,
    );
    // a key withdrawn by rollback comes back as new
    const again = await importCsv(database, `${HEADER}${LBW},W06000001,2022,6,30,500,\n`, { dryRun: true });
    expect(again.counts.new).toBe(1);
  });

  it("refuses to roll back a batch whose values a later batch has changed", async () => {
    const a = await importCsv(database, `${HEADER}${LBW},W06000015,2022,7.1,300,4225,\n`, { publish: true });
    const b = await importCsv(database, `${HEADER}${LBW},W06000015,2022,7.2,304,4225,\n`, { publish: true });
    await expect(rollbackBatch(database, a.batch!.id, { actor: TEST_ACTOR })).rejects.toThrow(
      new RegExp(`later batch ${b.batch!.id}`),
    );
    const rb = await rollbackBatch(database, b.batch!.id, { actor: TEST_ACTOR });
    expect(await publicValue("W06000015", "2022")).toBe(7.1);
    await rollbackBatch(database, a.batch!.id, { actor: TEST_ACTOR });
    expect(await publicValue("W06000015", "2022")).toBeNull();
    const history = await valueHistory(database, { measureCode: LBW, areaCode: "W06000015", period: "2022" });
    expect(history.map((h) => [h.revision, h.withdrawn ? "withdrawn" : h.value])).toEqual([
      [1, 7.1],
      [2, 7.2],
      [3, 7.1],
      [4, "withdrawn"],
    ]);
    await expect(rollbackBatch(database, rb.rollbackBatchId, { actor: TEST_ACTOR })).rejects.toThrow(
      /itself a rollback/,
    );
  });

  it("rolls back a draft with a draft, and will not publish a rollback batch by itself", async () => {
    await importCsv(database, `${HEADER}${LBW},W06000015,2022,7.1,300,4225,\n`, { publish: true });
    const draft = await importCsv(database, `${HEADER}${LBW},W06000015,2022,8,338,4225,\n`);
    const r = await rollbackBatch(database, draft.batch!.id, { actor: TEST_ACTOR });
    expect(r.status).toBe("draft");
    const analyst = await visibleObservations(database.db, { includeDrafts: true, measureCodes: [LBW] });
    expect(analyst.map((o) => o.value)).toEqual([7.1]);
    await expect(publishBatch(database, r.rollbackBatchId, { actor: TEST_ACTOR })).rejects.toThrow(/rollback/);
    await expect(publishBatch(database, draft.batch!.id, { actor: TEST_ACTOR })).rejects.toThrow(/rolled back/);
  });

  it("numbers public revisions by what the public saw (issue 11 item 15)", async () => {
    const publicRevision = async (asAt?: Date) => {
      const rows = await visibleObservations(database.db, { measureCodes: [LBW], areaCodes: ["W06000015"], asAt });
      return rows.map((o) => [o.value, o.revision]);
    };
    await importCsv(database, `${HEADER}${LBW},W06000015,2022,7.1,300,4225,\n`, { publish: true });
    expect(await publicRevision()).toEqual([[7.1, 1]]);
    // an embargoed batch rolled back before its time was never public: the public revision stays 1
    const embargoed = await importCsv(database, `${HEADER}${LBW},W06000015,2022,8,338,4225,\n`);
    const embargo = new Date(Date.now() + 3_600_000);
    await publishBatch(database, embargoed.batch!.id, { at: embargo, actor: TEST_ACTOR });
    await rollbackBatch(database, embargoed.batch!.id, { actor: TEST_ACTOR });
    expect(await publicRevision()).toEqual([[7.1, 1]]);
    expect(await publicRevision(new Date(embargo.getTime() + 60_000))).toEqual([[7.1, 1]]);
    // a published change counts, and so does rolling it back: the public saw 7.1, 7.3, then 7.1 again
    const changed = await importCsv(database, `${HEADER}${LBW},W06000015,2022,7.3,308,4225,\n`, { publish: true });
    expect(await publicRevision()).toEqual([[7.3, 2]]);
    await rollbackBatch(database, changed.batch!.id, { actor: TEST_ACTOR });
    expect(await publicRevision()).toEqual([[7.1, 3]]);
    // a draft never published does not count
    await importCsv(database, `${HEADER}${LBW},W06000015,2022,8.1,342,4225,\n`);
    await importCsv(database, `${HEADER}${LBW},W06000015,2022,9,380,4225,\n`, { publish: true });
    expect(await publicRevision()).toEqual([[9, 4]]);
    const analyst = await visibleObservations(database.db, { includeDrafts: true, measureCodes: [LBW] });
    expect(analyst.map((o) => o.revision)).toEqual([7]); // analysts see stored revisions
  });

  it("refuses a published rollback that would make a draft value public", async () => {
    await importCsv(database, `${HEADER}${LBW},W06000015,2022,7.1,300,4225,\n`, { publish: true });
    const draft = await importCsv(database, `${HEADER}${LBW},W06000015,2022,8,338,4225,\n`);
    const published = await importCsv(database, `${HEADER}${LBW},W06000015,2022,9,380,4225,\n`, { publish: true });
    await expect(rollbackBatch(database, published.batch!.id, { actor: TEST_ACTOR })).rejects.toThrow(
      new RegExp(`batch ${draft.batch!.id}, which is not public yet`),
    );
    expect(await publicValue("W06000015", "2022")).toBe(9);
  });
});

describe("disclosure control on every public output", () => {
  const CONCEPTIONS = "under-18-conception-rate"; // suppress numerators below 5
  const LAC = "children-looked-after-count"; // counts rounded to 5

  beforeEach(async () => {
    const r = await importCsv(
      database,
      `${HEADER}${CONCEPTIONS},W06000015,2021,6.0,3,500,\n${CONCEPTIONS},W06000022,2021,14.2,71,5000,\n` +
        `${LAC},W06000015,2018-03-31,947,,,\n${LAC},W06000001,2018-03-31,163,,,\n`,
      { publish: true },
    );
    expect(r.ok).toBe(true);
  });

  it("stores the raw values", async () => {
    const raw = await visibleObservations(database.db, { includeDrafts: true, disclosure: "raw" });
    expect(raw.map((o) => [o.areaCode, o.measureCode, o.value, o.numerator])).toEqual(
      expect.arrayContaining([
        ["W06000015", CONCEPTIONS, 6, 3],
        ["W06000015", LAC, 947, null],
      ]),
    );
    await expect(visibleObservations(database.db, { disclosure: "raw" })).rejects.toThrow(/analysts/);
  });

  it("suppresses small numerators and rounds counts in public reads", async () => {
    const rows = await visibleObservations(database.db, {});
    const get = (m: string, a: string) => rows.find((o) => o.measureCode === m && o.areaCode === a)!;
    expect(get(CONCEPTIONS, "W06000015")).toMatchObject({
      value: null,
      numerator: null,
      denominator: null,
      lower95: null,
      upper95: null,
      noteCodes: ["suppressed"],
    });
    expect(get(CONCEPTIONS, "W06000022")).toMatchObject({ value: 14.2, numerator: 71 });
    expect(get(LAC, "W06000015").value).toBe(945);
    expect(get(LAC, "W06000001").value).toBe(165);
    // as-at and analyst reads are disclosed too unless raw is asked for
    const asAt = await visibleObservations(database.db, { asAt: new Date(Date.now() + 1000) });
    expect(asAt.find((o) => o.areaCode === "W06000015" && o.measureCode === LAC)!.value).toBe(945);
  });

  it.each(["csv", "json", "xlsx"] as const)("never puts raw values in a %s export", async (format) => {
    const text = await exportText(format);
    expect(text).toContain("945");
    expect(text).toContain("165");
    expect(text).not.toMatch(/\b947\b/);
    expect(text).not.toMatch(/\b163\b/);
    expect(text).not.toMatch(/\b6(\.0)?,3\b/);
    if (format === "json") {
      const doc = JSON.parse(text) as { value: Record<string, number>; status: Record<string, string> };
      expect(Object.values(doc.value)).not.toContain(3);
      expect(Object.values(doc.status)).toContain("suppressed");
    } else expect(text).toMatch(/W06000015,2021,total,,,,,,suppressed/);
  });
});

describe("plausibility", () => {
  it("warns, without blocking, about a value far outside the area's history", async () => {
    await importCsv(
      database,
      `${HEADER}${LBW},W06000015,2019,7.0,7,100,\n${LBW},W06000015,2020,7.4,74,1000,\n${LBW},W06000015,2021,7.2,72,1000,\n`,
      { publish: true },
    );
    const r = await importCsv(database, `${HEADER}${LBW},W06000015,2022,72,72,100,\n`, { dryRun: true });
    expect(r.ok).toBe(true);
    expect(r.warnings).toEqual([
      expect.objectContaining({ row: 2, code: "implausible_value", severity: "warning", value: "72" }),
    ]);
  });
});

describe("documented examples", () => {
  it("docs/examples/observations.csv imports without a problem and the mapping examples parse", async () => {
    const r = await runImport(database, "docs/examples/observations.csv", { dryRun: true, actor: TEST_ACTOR });
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.counts).toMatchObject({ rows: 9, new: 9 });
    for (const f of ["mapping.yaml", "mapping-wide.yaml", "mapping-jsonstat.yaml"]) {
      await expect(readMappingFile(`docs/examples/${f}`), f).resolves.toBeTypeOf("object");
    }
  });
});
