/**
 * Hostile and awkward text files: a row or cell far beyond the limits is refused at once (reading stops within a few
 * hundred KB of the limit, whatever the file's size), no message echoes more than an excerpt, text that is not UTF-8
 * is named with its line and byte, UTF-16 with a byte-order mark is read, CR-only line endings are an error.
 */
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CsvRecordParser } from "../../src/ingest/observations/csv-records.ts";
import { planSegments } from "../../src/ingest/observations/csv-segments.ts";
import { MAX_CELL_CHARS, MAX_ROW_CHARS, shortIssue } from "../../src/ingest/observations/limits.ts";
import { readCsv } from "../../src/ingest/observations/read-csv.ts";
import { FileFormatError } from "../../src/ingest/observations/types.ts";
import { tempFile } from "../support/import-fixtures.ts";

const HEADER = "measure_code,area_code,period,value\n";
const ROW = "low-birth-weight,W06000015,2022,7.1\n";

/** Reads every row; returns them, or the FileFormatError and the bytes read when it came. */
async function readAll(path: string) {
  let bytesRead = 0;
  try {
    const table = await readCsv(path);
    const rows: string[][] = [];
    try {
      for await (const chunk of table.chunks) for (const r of chunk) rows.push(r.cells);
    } finally {
      bytesRead = table.bytesRead();
    }
    return { rows, header: table.columns, error: null, bytesRead };
  } catch (error) {
    if (!(error instanceof FileFormatError)) throw error;
    return { rows: [], header: [], error, bytesRead };
  }
}

describe("row and cell limits", () => {
  it("refuses a 40 MB line after reading little more than the row limit", async () => {
    const path = tempFile("");
    writeFileSync(path, `${HEADER}${ROW}${"x".repeat(40 * 1024 * 1024)}\n${ROW}`);
    const r = await readAll(path);
    expect(r.error?.code).toBe("row_too_long");
    expect(r.error?.row).toBe(3);
    expect(r.error?.message).toMatch(/^the row starting on line 3 is too long: more than [\d,]+ characters/);
    expect(r.error!.message.length).toBeLessThan(300);
    // reading stopped near the limit: not the 40 MB (the stream reads ahead at most a few 256 KB pieces)
    expect(r.bytesRead).toBeGreaterThan(MAX_ROW_CHARS);
    expect(r.bytesRead).toBeLessThan(MAX_ROW_CHARS + 2 * 1024 * 1024);
  });

  it("refuses an endless quoted cell (a quote never closed) near the row limit, saying why", async () => {
    const path = tempFile("");
    writeFileSync(path, `${HEADER}${ROW}low-birth-weight,"W06000015${"\nabc".repeat(3_000_000)}`);
    const r = await readAll(path);
    expect(r.error?.code).toBe("row_too_long");
    expect(r.error?.message).toContain("a quoted cell goes on past the limit: is a closing quote missing?");
    expect(r.bytesRead).toBeLessThan(MAX_ROW_CHARS + 2 * 1024 * 1024);
  });

  it("refuses a cell longer than the cell limit with an excerpt, in a plain or a quoted row", async () => {
    const big = "y".repeat(MAX_CELL_CHARS + 10);
    for (const cell of [big, `"${big}"`]) {
      const r = await readAll(tempFile(`${HEADER}${ROW}low-birth-weight,${cell},2022,7\n`));
      expect(r.error?.code).toBe("cell_too_long");
      expect(r.error?.message).toMatch(/^line 3, column "area_code": the cell has 32,777 characters, and a cell may/);
      expect(r.error!.message.length).toBeLessThan(300);
    }
    // at the limit, a cell is read
    const ok = await readAll(tempFile(`${HEADER}low-birth-weight,${"z".repeat(MAX_CELL_CHARS)},2022,7\n`));
    expect(ok.error).toBeNull();
    expect(ok.rows[0]![1]).toHaveLength(MAX_CELL_CHARS);
  });

  it("keeps the limits however the text is cut into pieces", () => {
    const parser = new CsvRecordParser(",", 100, 10);
    expect(parser.push("a,b\n0123456789,x\n")).toEqual([
      ["a", "b"],
      ["0123456789", "x"],
    ]);
    const pieces = () => {
      for (let i = 0; i < 20; i++) parser.push("zzzzzzzzz");
    };
    expect(pieces).toThrow(/line 3 is too long: more than 10\d characters, and a row may have at most 100/);
  });

  it("cuts a long value and its echo in a message to an excerpt", () => {
    const value = "Q".repeat(30_000);
    const issue = shortIssue({
      severity: "error",
      row: 2,
      column: "area_code",
      value,
      code: "unknown_area",
      message: `unknown area "${value}": not an area code`,
    });
    expect(issue.value.length).toBeLessThan(120);
    expect(issue.value).toContain("(30,000 characters)");
    expect(issue.message).toBe(`unknown area "${issue.value}": not an area code`);
  });

  it("does not split a file with a line longer than a cell may be between workers", async () => {
    const rows = `${ROW.repeat(2000)}`;
    const ok = tempFile(`${HEADER}${rows}${rows}`);
    expect(await planSegments(ok, 16 * 1024)).not.toBeNull();
    const long = tempFile(`${HEADER}${rows}low-birth-weight,${"w".repeat(MAX_CELL_CHARS + 1)},2022,1\n${rows}`);
    expect(await planSegments(long, 16 * 1024)).toBeNull();
    const lastLong = tempFile(`${HEADER}${rows}${rows}low-birth-weight,${"w".repeat(MAX_CELL_CHARS + 1)},2022,1`);
    expect(await planSegments(lastLong, 16 * 1024)).toBeNull();
  });
});

describe("encodings and line endings", () => {
  it("names Windows-1252 text with its line, byte and character", async () => {
    const text = Buffer.concat([
      Buffer.from(`${HEADER}${ROW}low-birth-weight,W06000001,2022,7.1,Ynys M`),
      Buffer.from([0xf4]),
      Buffer.from("n\n"),
    ]);
    const path = tempFile(text);
    const r = await readAll(path);
    expect(r.error?.code).toBe("not_utf8");
    expect(r.error?.row).toBe(3);
    const at = text.indexOf(0xf4);
    expect(r.error?.message).toBe(
      `the file is not in UTF-8: line 3, byte ${at} (0xF4 0x6E 0x0A) is not valid UTF-8; it is probably Windows-1252 ("ANSI") or Latin-1 text, where 0xF4 is "ô"; save it as "CSV UTF-8 (Comma delimited)" (in Excel: File, Save As) and try again`,
    );
  });

  it("finds a bad byte far into a large file, across the pieces it is read in", async () => {
    const body = ROW.repeat(20_000); // 720 KB
    const text = Buffer.concat([Buffer.from(HEADER + body), Buffer.from([0x92]), Buffer.from(`\n${body}`)]);
    const r = await readAll(tempFile(text));
    expect(r.error?.code).toBe("not_utf8");
    expect(r.error?.message).toContain(`line 20002, byte ${(HEADER + body).length.toLocaleString("en-GB")} (0x92`);
    expect(r.error?.message).toContain('where 0x92 is "’"');
  });

  it("reads real UTF-8 (Welsh letters, a replacement character, a character cut by a piece boundary)", async () => {
    const welsh = "Ynys Môn ŵ ŷ \uFFFD €";
    const start = `name,note\n${welsh},x\n${`${"b".repeat(999)}\n`.repeat(261)}`;
    // the euro sign's 3 bytes straddle the end of the first 256 KB piece
    const last = `${"c".repeat(256 * 1024 - 1 - Buffer.byteLength(start))}€,x`;
    const r = await readAll(tempFile(`${start}${last}\n`));
    expect(r.error).toBeNull();
    expect(r.rows[0]).toEqual([welsh, "x"]);
    expect(r.rows.at(-1)).toEqual(last.split(","));
  });

  it("reads UTF-16 with a byte-order mark, little- or big-endian, as the same rows as UTF-8", async () => {
    const text = `${HEADER}low-birth-weight,W06000001,2022,7.1\nlow-birth-weight,W06000015,2022,"Môn, ŵ"\n`;
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const be = Buffer.from(le);
    be.swap16();
    const utf8 = await readAll(tempFile(text));
    for (const bytes of [le, be]) {
      const r = await readAll(tempFile(bytes));
      expect(r.error).toBeNull();
      expect(r.header).toEqual(utf8.header);
      expect(r.rows).toEqual(utf8.rows);
    }
  });

  it("names UTF-16 without a byte-order mark, a zip file and CR-only line endings", async () => {
    const noBom = await readAll(tempFile(Buffer.from(`${HEADER}${ROW}`, "utf16le")));
    expect(noBom.error?.code).toBe("not_utf8");
    expect(noBom.error?.message).toContain("UTF-16 text without a byte-order mark");
    const zip = await readAll(tempFile(Buffer.from("PK\u0003\u0004rest of a workbook")));
    expect(zip.error?.code).toBe("not_text");
    const cr = await readAll(tempFile(`${HEADER}${ROW}${ROW}`.replaceAll("\n", "\r")));
    expect(cr.error?.code).toBe("cr_line_endings");
    expect(cr.error?.message).toContain("carriage return (CR) only");
    // CRLF is fine
    const crlf = await readAll(tempFile(`${HEADER}${ROW}`.replaceAll("\n", "\r\n")));
    expect(crlf.error).toBeNull();
    expect(crlf.rows).toHaveLength(1);
  });
});
