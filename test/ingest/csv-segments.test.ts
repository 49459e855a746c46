/**
 * Splitting a delimited file into segments of whole lines for validation workers to share: the segments cover the
 * file after its header without gaps, each is read on its own into the same rows as reading the whole file, and a
 * file that cannot be split safely (a quote after the header) is not.
 */
import { statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { planSegments } from "../../src/ingest/observations/csv-segments.ts";
import { readDelimited } from "../../src/ingest/observations/read-csv.ts";
import { tempFile } from "../support/import-fixtures.ts";

const lines = (n: number) =>
  Array.from({ length: n }, (_, i) => (i % 17 === 5 ? "" : `m${i % 3},W0600000${i % 9},${2000 + i},${i}.5`));

async function rowsOf(records: Awaited<ReturnType<typeof readDelimited>>, base: number) {
  const out: { row: number; cells: string[] }[] = [];
  for await (const chunk of records.records) for (const r of chunk) out.push({ row: r.row + base, cells: r.cells });
  return out;
}

describe("planSegments", () => {
  it("splits a file after its header into segments of whole lines that read back as the whole file", async () => {
    const text = `measure_code,area_code,period,value\n${lines(400).join("\n")}\n`;
    const path = tempFile(text);
    const plan = await planSegments(path, 500);
    expect(plan).not.toBeNull();
    expect(plan!.header).toEqual(["measure_code", "area_code", "period", "value"]);
    expect(plan!.delimiter).toBe(",");
    const segments = plan!.segments;
    expect(segments.length).toBeGreaterThan(10);
    expect(segments[0]!.start).toBe(text.indexOf("\n") + 1);
    expect(segments.at(-1)!.end).toBe(statSync(path).size);
    for (let i = 1; i < segments.length; i++) expect(segments[i]!.start).toBe(segments[i - 1]!.end);
    for (const s of segments) expect(text[s.end - 1]).toBe("\n");
    for (const s of segments.slice(0, -1)) expect(s.end - s.start).toBeGreaterThanOrEqual(500);

    const whole = await readDelimited(path, 7);
    const expected = await rowsOf(whole, 0);
    const read: { row: number; cells: string[] }[] = [];
    let base = 1;
    for (const s of segments) {
      const part = await readDelimited(path, 7, { ...s, delimiter: plan!.delimiter });
      read.push(...(await rowsOf(part, base)));
      base += part.rowsRead();
    }
    expect(read).toEqual(expected);
    expect(read.at(-1)!.row).toBe(401);
  });

  it("reads a tab-separated header with a byte-order mark and CRLF line ends, and a last line without a break", async () => {
    const body = lines(200).map((l) => l.replaceAll(",", "\t"));
    const path = tempFile(Buffer.from(`\uFEFFmeasure_code\tarea_code\tperiod\tvalue\r\n${body.join("\r\n")}`));
    const plan = await planSegments(path, 300);
    expect(plan!.header).toEqual(["measure_code", "area_code", "period", "value"]);
    expect(plan!.delimiter).toBe("\t");
    expect(plan!.segments.at(-1)!.end).toBe(statSync(path).size);
    let rows = 0;
    for (const s of plan!.segments) {
      const part = await readDelimited(path, 50, { ...s, delimiter: "\t" });
      for (const r of await rowsOf(part, 0)) {
        expect(r.cells).toHaveLength(4);
        expect(r.cells[3]).not.toMatch(/\r/);
        rows++;
      }
    }
    expect(rows).toBe(body.filter((l) => l !== "").length);
  });

  it("does not split a file with a quote after its header, or one that makes a single segment", async () => {
    const body = lines(300);
    body[250] = `m1,"W06000015",2020,1`;
    expect(await planSegments(tempFile(`a,b,c,d\n${body.join("\n")}\n`), 200)).toBeNull();
    expect(await planSegments(tempFile(`a,b,c,d\n${lines(3).join("\n")}\n`), 10_000)).toBeNull();
    expect(await planSegments(tempFile("a,b,c,d"), 10)).toBeNull();
    const quotedHeader = await planSegments(tempFile(`"a",b,c,d\n${lines(300).join("\n")}\n`), 200);
    expect(quotedHeader).toBeNull();
  });
});
