/**
 * `omf import`, `omf export`, `omf batch …` and `omf token create` as a user runs them, in this process (`runCli`)
 * against an on-disk embedded database (or a PostgreSQL database when TEST_PG_URL is set); a real process killed with
 * SIGKILL in the middle of writing a large file, and one refusing a workbook over a limit set in its environment.
 */

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { seedReferenceData } from "../../src/services/seed.ts";
import { OMF_BIN as bin, omfInProcess, omfProcess } from "../support/cli.ts";
import { copyTemplateToDataDir } from "../support/demo-database.ts";
import { pgTemplateName } from "../support/test-database.ts";

const dir = mkdtempSync(join(tmpdir(), "omf-import-cli-"));
const pgUrl = process.env.TEST_PG_URL;
const pgName = `omf_cli_${randomUUID().replaceAll("-", "")}`;
const env: Record<string, string> = pgUrl
  ? { DATABASE_URL: `${pgUrl}/${pgName}`, OMF_DATA_DIR: dir }
  : { OMF_DATA_DIR: dir, DATABASE_URL: "" };

function open(): Promise<Database> {
  return openDatabase({ url: env.DATABASE_URL || undefined, dataDir: join(dir, "pglite") });
}

/** The database the in-process commands use (closed while a real process has it). */
let shared: Database | null = null;

async function count(table: string): Promise<number> {
  const database = shared ?? (await open());
  try {
    if (database.kind === "pglite") {
      return (await database.client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
    }
    return (await database.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
  } finally {
    if (database !== shared) await database.close();
  }
}

function omf(args: string[], input?: string) {
  return omfInProcess(args, { database: shared!, ...(input === undefined ? {} : { input }) });
}

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const HEADER = "measure_code,area_code,period,value,numerator,denominator\n";

beforeAll(async () => {
  if (pgUrl) {
    const admin = new pg.Client({ connectionString: `${pgUrl}/postgres` });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${pgName} TEMPLATE ${pgTemplateName()}`);
    await admin.end();
  }
  // embedded: a copy of the reference template (migrated, framework and areas), instead of migrating and seeding
  const copied = !pgUrl && (await copyTemplateToDataDir(dir, "reference"));
  const database = await open();
  await database.migrate();
  if (!copied) await seedReferenceData(database.db);
  shared = database;
}, 600_000);

afterAll(async () => {
  await shared?.close();
  rmSync(dir, { recursive: true, force: true });
  if (pgUrl) {
    const admin = new pg.Client({ connectionString: `${pgUrl}/postgres` });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`);
    await admin.end();
  }
});

describe("omf import (CLI)", { timeout: 600_000 }, () => {
  it("exits 2 on usage errors", async () => {
    expect((await omf(["import"])).code).toBe(2);
    const missing = await omf(["import", join(dir, "missing.csv")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no such file");
    const ok = file("usage.csv", `${HEADER}low-birth-weight,W06000015,2022,7,7,100\n`);
    expect((await omf(["import", ok, "--format", "pdf"])).code).toBe(2);
    expect((await omf(["import", ok, "--publish-at", "next tuesday"])).code).toBe(2);
  });

  it("exits 1 listing every validation error on stderr (row, column, value, problem); --json gives the summary", async () => {
    const bad = file(
      "bad.csv",
      `${HEADER}low-birth-weight,Atlantis,2022,7,7,100\nlow-birth-weight,W06000015,2022-23,seven,7,100\nnope,W06000015,2022,7,7,100\n`,
    );
    const r = await omf(["import", bad, "--json"]);
    expect(r.code).toBe(1);
    const lines = r.stderr.split("\n").filter((l) => l.startsWith("error:"));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(
      `error: ${bad}: row 2, column "area_code", value "Atlantis": unknown area "Atlantis": give a GSS code (e.g. W06000015) or an area name`,
    );
    expect(r.stderr).toContain('row 3, column "period", value "2022-23"');
    expect(r.stderr).toContain('row 3, column "value", value "seven"');
    expect(r.stderr).toContain('row 4, column "measure_code", value "nope"');
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ ok: false, counts: { rows: 3, errors: 4, errorRows: 3 }, batch: null });
    expect(summary.errors[0]).toMatchObject({ row: 2, column: "area_code", value: "Atlantis", code: "unknown_area" });
  });

  it("says the same problem on many rows once, with the rows as ranges and the likely fix (issue 17)", async () => {
    const name = "Live births with birth weight under 2,500g";
    const rows = Array.from({ length: 23 }, (_, i) => `"${name}",W06000015,${2000 + i},7,7,100\n`);
    const bad = file("named.csv", `${HEADER}${rows.join("")}low-birth-weight,W06000015,2022,seven,7,100\n`);
    const r = await omf(["import", bad]);
    expect(r.code).toBe(1);
    const lines = r.stderr.split("\n").filter((l) => /^(error|warning|\s+likely fix):?/.test(l));
    expect(lines).toEqual([
      `error: ${bad}: rows 2–24, column "measure_code", value "${name}": unknown measure "${name}": use a measure code of the framework, or map this text to one in a mapping file (measures:)`,
      "  likely fix: give the measure of every row with --measure CODE (nearest by name: low-birth-weight), or map the text to a measure code in a mapping file",
      `error: ${bad}: row 25, column "value", value "seven": value "seven" is not a number (use a number, or leave it empty with a note code such as x or c)`,
    ]);
  });

  it("imports, dry-runs a revision, publishes, shows history, exports and rolls back", async () => {
    const first = file(
      "first.csv",
      `${HEADER}low-birth-weight,W06000015,2022,7.1,300,4225\nlow-birth-weight,Ynys Môn,2022,6,30,500\n`,
    );
    const r1 = await omf(["import", first, "--publish"]);
    expect(r1.stderr).not.toMatch(/^(error|warning):/m); // only progress lines, if the machine is slow
    expect(r1.code).toBe(0);
    const firstBatch = Number(
      /imported 2 rows as batch (\d+) \(2 new, 0 revised, 0 unchanged\); published/.exec(r1.stdout)?.[1],
    );
    expect(firstBatch).toBeGreaterThan(0);

    const second = file("second.csv", `${HEADER}low-birth-weight,W06000015,2022,7.2,304,4225\n`);
    const dry = await omf(["import", second, "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("row 2: low-birth-weight W06000015 2022: 7.1 -> 7.2");
    expect(dry.stdout).toContain("dry run, nothing written");

    const r2 = await omf(["import", second, "--reason", "late registrations", "--json"]);
    expect(r2.code).toBe(0);
    const summary = JSON.parse(r2.stdout);
    expect(summary).toMatchObject({ ok: true, batch: { status: "draft" }, counts: { revised: 1 } });
    const id = String(summary.batch.id);
    expect((await omf(["export", "--measure", "low-birth-weight"])).stdout).toContain(
      "W06000015,2022,total,7.1,300,4225",
    );

    expect((await omf(["batch", "publish", id])).stdout).toContain(`published batch ${id}`);
    expect((await omf(["export"])).stdout).toContain("W06000015,2022,total,7.2,304,4225");
    const history = await omf([
      "batch",
      "history",
      "--measure",
      "low-birth-weight",
      "--area",
      "W06000015",
      "--period",
      "2022",
    ]);
    expect(history.stdout).toContain(`revision 1\t7.1\tbatch ${firstBatch} (published)`);
    expect(history.stdout).toMatch(new RegExp(`revision 2\t7\\.2\tbatch ${id} \\(published\\).*late registrations`));

    const xlsx = join(dir, "export.xlsx");
    expect((await omf(["export", "--format", "xlsx", "--output", xlsx])).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(xlsx) as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.rowCount).toBe(3);

    const rb = await omf(["batch", "rollback", id, "--reason", "wrong file"]);
    expect(rb.code).toBe(0);
    expect(rb.stdout).toContain("1 values restored");
    expect((await omf(["export"])).stdout).toContain("W06000015,2022,total,7.1,300,4225");
    expect((await omf(["batch", "rollback", id])).code).toBe(1);
    expect((await omf(["batch", "list"])).stdout).toMatch(new RegExp(`^${id}\trolled_back\tcsv`, "m"));
  }, 120_000);

  it("creates an API token, shown once, lists it and revokes it", async () => {
    expect(
      (
        await omf(
          ["user", "add", "--email", "api@example.org", "--role", "national_analyst", "--password-stdin"],
          "a long passphrase here",
        )
      ).code,
    ).toBe(0);
    const r = await omf(["token", "create", "--email", "api@example.org", "--name", "nightly loader"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^omf_[A-Za-z0-9_-]{40,}$/);
    expect((await omf(["token", "create", "--email", "nobody@example.org", "--name", "x"])).code).toBe(1);

    const listed = await omf(["token", "list"]);
    expect(listed.code).toBe(0);
    const line = listed.stdout.split("\n").find((l) => l.includes("nightly loader"))!;
    expect(line).toMatch(/^\d+\tnightly loader\tapi@example\.org\t\S+\tactive$/);
    expect(listed.stdout).not.toContain(r.stdout.trim());
    const id = line.split("\t")[0]!;
    const revoked = await omf(["token", "revoke", id]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toBe(`revoked API token ${id} "nightly loader" of api@example.org\n`);
    expect((await omf(["token", "list"])).stdout).toMatch(new RegExp(`^${id}\tnightly loader\t.*\trevoked \\S+$`, "m"));
    const again = await omf(["token", "revoke", id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`omf: API token ${id} "nightly loader" is already revoked\n`);
    expect((await omf(["token", "revoke", "abc"])).code).toBe(2);
  }, 600_000);

  it("leaves the database as it was when the process is killed in the middle of writing", async () => {
    await shared!.close();
    shared = null;
    const before = await count("observations");
    const batchesBefore = await count("import_batches");
    const lines: string[] = [];
    // every row valid (years up to 5999), and progress lines often, so that the kill lands while rows are written
    const areas = [
      "W92000004",
      ...Array.from({ length: 22 }, (_, i) => `W060000${String(i + 1).padStart(2, "0")}`).map((c) =>
        c === "W06000007" ? "W06000023" : c === "W06000017" ? "W06000024" : c,
      ),
    ];
    for (let y = 1000; lines.length < 575_000; y++) {
      for (const a of areas)
        for (const q of ["1", "2", "3", "4", "5"]) lines.push(`low-birth-weight,${a},${y},7,7,100,${q}`);
    }
    const big = file("big.csv", `${HEADER.trimEnd()},deprivation_quintile\n${lines.join("\n")}\n`);
    const child: ChildProcess = spawn(process.execPath, [bin, "import", big, "--publish"], {
      env: { ...process.env, ...env, OMF_PROGRESS_SECONDS: "0.05" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    const killedAt = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no progress line in time: ${stderr}`)), 480_000);
      child.stderr!.on("data", (d: Buffer) => {
        stderr += d.toString();
        const m = /(\d+) rows read, (\d+) written/.exec(
          stderr
            .split("\n")
            .reverse()
            .find((l) => l.includes("written")) ?? "",
        );
        if (m && Number(m[2]) >= 40_000) {
          clearTimeout(timer);
          child.kill("SIGKILL");
          resolve(m[0]);
        }
      });
      child.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`import finished (exit ${code}) before it could be killed: ${stderr}`));
      });
    });
    await new Promise((resolve) => child.once("exit", resolve));
    expect(killedAt).toMatch(/written/);
    expect(child.signalCode).toBe("SIGKILL");
    expect(await count("observations")).toBe(before);
    expect(await count("import_batches")).toBe(batchesBefore);
    // the database is still usable
    const small = file("after-kill.csv", `${HEADER}low-birth-weight,W06000002,2022,5,25,500\n`);
    expect(omfProcess(["import", small], { ...env, OMF_USER: "" }).code).toBe(0);
  }, 900_000);
});

describe("omf import refuses hostile and awkward files with one clear error (issue 11 items 5, 7, 8, 16)", {
  timeout: 240_000,
}, () => {
  // the database the kill test above closed, opened again for the commands below (run in this process)
  beforeAll(async () => {
    shared ??= await open();
  }, 600_000);

  /** Asserts that an import with `tmp` as its temporary folder left nothing in it but the tools' caches. */
  function leftNothing(tmp: string) {
    // the validation worker's cached bundle (and tsx's compile cache, in a real process) may be written there
    expect(readdirSync(tmp).filter((n) => !n.startsWith("omf-") && !n.startsWith("tsx-"))).toEqual([]);
  }

  /** Runs `omf import --dry-run` in this process with a private temporary folder; asserts the import left nothing in it. */
  async function refused(path: string, _code: string) {
    const tmp = mkdtempSync(join(tmpdir(), "omf-cli-tmp-"));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp; // os.tmpdir() reads it on every call
    try {
      const r = await omf(["import", path, "--dry-run"]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr.length).toBeLessThan(2000);
      leftNothing(tmp);
      return r.stderr;
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      rmSync(tmp, { recursive: true, force: true });
    }
  }

  /** The same as a real process, for a limit read when the process starts (an environment variable). */
  async function refusedByProcess(path: string, extraEnv: Record<string, string>) {
    await shared?.close(); // the process opens the embedded database itself
    shared = null;
    const tmp = mkdtempSync(join(tmpdir(), "omf-cli-tmp-"));
    try {
      const r = spawnSync(process.execPath, [bin, "import", path, "--dry-run"], {
        encoding: "utf8",
        env: { ...process.env, ...env, OMF_USER: "", TMPDIR: tmp, ...extraEnv },
        timeout: 120_000,
      });
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr.length).toBeLessThan(2000);
      leftNothing(tmp);
      return r.stderr;
    } finally {
      rmSync(tmp, { recursive: true, force: true });
      shared = await open();
    }
  }

  it("a 40 MB single line, a 50 KB cell (echoed only as an excerpt)", async () => {
    const line = file("long-line.csv", `${HEADER}${"x".repeat(40 * 1024 * 1024)}\n`);
    expect(await refused(line, "row_too_long")).toMatch(
      /row starting on line 2 is too long: more than [\d,]+ characters/,
    );
    const cell = file("long-cell.csv", `${HEADER}low-birth-weight,${"Q".repeat(50_000)},2022,7,7,100\n`);
    const err = await refused(cell, "cell_too_long");
    expect(err).toContain('line 2, column "area_code": the cell has 50,000 characters');
    expect(err).not.toContain("Q".repeat(100));
  });

  it("CR-only line endings and a header without rows", async () => {
    const cr = file("cr.csv", `${HEADER}low-birth-weight,W06000015,2022,7.1,300,4225\n`.replaceAll("\n", "\r"));
    expect(await refused(cr, "cr_line_endings")).toContain("end with a carriage return (CR) only");
    const headerOnly = file("header-only.csv", HEADER);
    expect(await refused(headerOnly, "no_rows")).toContain("the file has a header row but no rows of data below it");
  });

  it("Windows-1252 text, naming the line and byte", async () => {
    const bytes = Buffer.concat([
      Buffer.from(`${HEADER}low-birth-weight,W06000015,2022,7.1,300,4225,Ynys M`),
      Buffer.from([0xf4, 0x6e, 0x0a]),
    ]);
    expect(await refused(file("cp1252.csv", bytes), "not_utf8")).toMatch(
      /the file is not in UTF-8: line 2, byte [\d,]+ \(0xF4 .*Windows-1252/,
    );
  });

  it("a damaged workbook and one over the unzipped-size limit, leaving no temporary file", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Data");
    ws.addRow(["measure_code", "area_code", "period", "value"]);
    for (let i = 0; i < 200; i++) ws.addRow(["low-birth-weight", "W06000015", String(1800 + i), i]);
    const good = Buffer.from(await wb.xlsx.writeBuffer());
    const damaged = Buffer.from(good);
    for (let i = 0; i < 40; i++) damaged[200 + i * 97] = 0x5a;
    expect(await refused(file("damaged.xlsx", damaged), "xlsx_damaged")).toMatch(/the workbook is damaged/);
    expect(await refusedByProcess(file("big.xlsx", good), { OMF_MAX_XLSX_MB: "0.01" })).toContain(
      "the workbook would unzip to more than",
    );
  });
});
