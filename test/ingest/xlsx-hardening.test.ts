/**
 * Damaged and hostile XLSX workbooks: every one read to the end or refused with a FileFormatError (never another
 * error, never a hang: each case has its own time limit), zip bombs refused before they are inflated, and no
 * temporary file left behind. Cases are deterministic mutations of a valid workbook (seeded), of its zip bytes and of
 * its XML parts.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_XLSX_RATIO } from "../../src/ingest/observations/limits.ts";
import { readXlsx } from "../../src/ingest/observations/read-xlsx.ts";
import { FileFormatError } from "../../src/ingest/observations/types.ts";
import { unzipParts, type ZipPart, zipParts } from "../support/zip-parts.ts";

let dir: string;
let scratch: string;
const savedTmp = process.env.TMPDIR;
let base: Buffer;
let parts: ZipPart[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "omf-xlsx-hardening-"));
  // the spreadsheet library's temporary files would go here
  scratch = mkdtempSync(join(tmpdir(), "omf-xlsx-tmp-"));
  process.env.TMPDIR = scratch;
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Data");
  ws.addRow(["measure_code", "area_code", "period", "value", "numerator", "denominator"]);
  for (let i = 0; i < 60; i++) {
    ws.addRow(["low-birth-weight", `W0600${String(i % 22).padStart(4, "0")}`, `${2000 + i}`, i / 7, i, 1000 + i]);
  }
  base = Buffer.from(await wb.xlsx.writeBuffer());
  parts = unzipParts(base);
});

afterAll(() => {
  // restored as it was (assigning undefined would set the text "undefined"; later files share this process)
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  rmSync(dir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

let n = 0;
function file(bytes: Buffer): string {
  const path = join(dir, `w${++n}.xlsx`);
  writeFileSync(path, bytes);
  return path;
}

/** Reads the workbook to the end: "ok", the FileFormatError, or "timeout" after `ms`. */
async function outcome(path: string, ms = 10_000): Promise<"ok" | "timeout" | FileFormatError> {
  const work = (async () => {
    const table = await readXlsx(path);
    for await (const _chunk of table.chunks) {
      // read every row
    }
    return "ok" as const;
  })();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } catch (error) {
    if (error instanceof FileFormatError) return error;
    throw new Error(`not a FileFormatError: ${(error as Error).stack}`);
  } finally {
    clearTimeout(timer);
  }
}

function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

function withPart(name: string, data: Buffer): ZipPart[] {
  return parts.map((p) => (p.name === name ? { name, data } : p));
}

describe("damaged workbooks", () => {
  it("reads the valid workbook, and the same workbook rebuilt part by part", async () => {
    expect(await outcome(file(base))).toBe("ok");
    expect(await outcome(file(zipParts(parts)))).toBe("ok");
  });

  it("gives a clear error for each of 150 workbooks with damaged zip bytes", { timeout: 600_000 }, async () => {
    const rnd = random(11);
    const codes = new Set<string>();
    for (let c = 0; c < 150; c++) {
      const bytes = Buffer.from(base);
      const k = 1 + Math.floor(rnd() * 8);
      for (let j = 0; j < k; j++) bytes[Math.floor(rnd() * bytes.length)] = Math.floor(rnd() * 256);
      const r = await outcome(file(bytes));
      expect(r, `case ${c}`).not.toBe("timeout");
      if (r instanceof FileFormatError) {
        codes.add(r.code);
        expect(r.message.length).toBeLessThan(400);
      }
    }
    // damaged, or (a size field hit) too large to unzip
    expect([...codes].filter((c) => c !== "xlsx_damaged" && c !== "xlsx_too_large")).toEqual([]);
    expect(codes.has("xlsx_damaged")).toBe(true);
    expect(readdirSync(scratch)).toEqual([]);
  });

  it("gives a clear error for each of 150 workbooks with damaged XML", { timeout: 600_000 }, async () => {
    const rnd = random(7);
    const targets = [
      "xl/worksheets/sheet1.xml",
      "xl/sharedStrings.xml",
      "xl/workbook.xml",
      "xl/_rels/workbook.xml.rels",
      "xl/styles.xml",
    ];
    const symbols = [..."<>/=\"' ZA19&;"].map((x) => x.charCodeAt(0));
    let refused = 0;
    for (let c = 0; c < 150; c++) {
      const target = targets[Math.floor(rnd() * targets.length)]!;
      const data = Buffer.from(parts.find((p) => p.name === target)!.data);
      const k = 1 + Math.floor(rnd() * 4);
      for (let j = 0; j < k; j++) {
        data[Math.floor(rnd() * data.length)] =
          rnd() < 0.5 ? Math.floor(rnd() * 256) : symbols[Math.floor(rnd() * symbols.length)]!;
      }
      const r = await outcome(file(zipParts(withPart(target, data))));
      expect(r, `case ${c} (${target})`).not.toBe("timeout");
      if (r instanceof FileFormatError) {
        refused++;
        expect(r.code).toBe("xlsx_damaged");
        expect(r.message.length).toBeLessThan(400);
      }
    }
    expect(refused).toBeGreaterThan(100);
    expect(readdirSync(scratch)).toEqual([]);
  });

  it("refuses a cell reference beyond the last column (ZZZ) as a damaged workbook", async () => {
    const sheet = parts.find((p) => p.name === "xl/worksheets/sheet1.xml")!.data.toString("utf8");
    const bad = sheet.replace(/r="B3"/, 'r="ZZZ3"');
    expect(bad).not.toBe(sheet);
    const r = await outcome(file(zipParts(withPart("xl/worksheets/sheet1.xml", Buffer.from(bad)))));
    expect(r).toBeInstanceOf(FileFormatError);
    expect((r as FileFormatError).code).toBe("xlsx_damaged");
    expect((r as FileFormatError).message).toContain('sheet "Data" cannot be read');
  });

  it("refuses files that are not workbooks, cut short, or empty zips", async () => {
    const cases = [
      Buffer.from("measure_code,area_code\n"),
      base.subarray(0, Math.floor(base.length / 2)),
      zipParts(parts.filter((p) => p.name !== "xl/workbook.xml")),
      zipParts([]),
    ];
    for (const bytes of cases) {
      const r = await outcome(file(bytes));
      expect(r).toBeInstanceOf(FileFormatError);
      expect((r as FileFormatError).code).toBe("xlsx_damaged");
    }
  });

  it("reads a workbook without shared strings (numbers only) without temporary files", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("Data").addRow([1, 2, 3]);
    wb.getWorksheet("Data")!.addRow([4, 5, 6]);
    const noStrings = unzipParts(Buffer.from(await wb.xlsx.writeBuffer())).filter(
      (p) => p.name !== "xl/sharedStrings.xml",
    );
    const table = await readXlsx(file(zipParts(noStrings)));
    expect(table.columns).toEqual(["1", "2", "3"]);
    const rows = [];
    for await (const chunk of table.chunks) rows.push(...chunk.map((r) => r.cells));
    expect(rows).toEqual([["4", "5", "6"]]);
    expect(readdirSync(scratch)).toEqual([]);
  });
});

describe("zip bombs", () => {
  /** A sheet of `mb` MB of spaces inside a valid worksheet element. */
  function bombSheet(mb: number): Buffer {
    return Buffer.concat([
      Buffer.from('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'),
      Buffer.alloc(mb * 1024 * 1024, 0x20),
      Buffer.from("<sheetData/></worksheet>"),
    ]);
  }

  it("refuses a part that would unzip to more than the ratio allows, before inflating it", async () => {
    const sheet = bombSheet(40);
    expect(sheet.length / deflateRawSync(sheet).length).toBeGreaterThan(MAX_XLSX_RATIO);
    const r = await outcome(file(zipParts(withPart("xl/worksheets/sheet1.xml", sheet))));
    expect(r).toBeInstanceOf(FileFormatError);
    expect((r as FileFormatError).code).toBe("xlsx_too_large");
    expect((r as FileFormatError).message).toContain("possible zip bomb");
  });

  it("refuses a part that unzips to more than it declares, stopping there", async () => {
    const sheet = bombSheet(40);
    const lying = zipParts(withPart("xl/worksheets/sheet1.xml", sheet), { "xl/worksheets/sheet1.xml": 20_000 });
    const before = process.memoryUsage().arrayBuffers;
    const r = await outcome(file(lying));
    expect(r).toBeInstanceOf(FileFormatError);
    expect((r as FileFormatError).code).toBe("xlsx_damaged");
    expect((r as FileFormatError).message).toContain("unzips to more than the 20,000 bytes it declares");
    // the 40 MB were never held: far less than that was allocated meanwhile
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
  });
});
