/**
 * Fuzzing of the text importers (issue 19): tidy CSV, TSV and wide tables, each with at least 10,000 generated files
 * (seeded; see test/support/fuzz.ts and docs/testing.md): near-valid files with hostile cells, quoting, line endings,
 * byte-order marks and encodings, truncated and spliced files, and plain random bytes. Each is read and validated to
 * its end, or refused by the project's own validation error, never a crash or a hang.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CANONICAL_COLUMNS } from "../../src/ingest/observations/types.ts";
import { caseFile, fuzz, fuzzRuns, readCase, Tally } from "../support/fuzz.ts";

const RUNS = fuzzRuns(10_000);

/** Cell texts an importer meets, plausible and hostile. */
const cell = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "pct",
      "rate",
      "count",
      "score",
      "nope",
      "W06000015",
      "w06000001",
      "W92000004",
      "Cardiff",
      "Caerdydd",
      "Ynys Môn",
      "2019-20",
      "2019",
      "2019-03-31",
      "2019/20",
      "2019-2020",
      "FY2019",
      "2019-20 ",
      "25.0",
      "50",
      "200",
      "-0",
      "1e309",
      "-1e-320",
      "NaN",
      "Infinity",
      "1,000",
      "1,00",
      "0x10",
      "",
      "  ",
      "p r",
      "q",
      "x",
      "Female",
      "female",
      "Benyw",
      ":",
      "..",
      "*",
      "c",
      "=cmd|' /C calc'!A0",
      "<script>alert(1)</script>",
      '"',
      '""',
      "\u0000",
      "\uFEFF",
      "\u202E",
      "9".repeat(400),
      "1.".repeat(50),
    ),
  },
  { weight: 2, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 12 }) },
  { weight: 2, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.integer().map(String) },
);

/** Column headings: the tidy format's, their variants, dimensions and junk. */
const heading = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.constantFrom(...CANONICAL_COLUMNS, "sex", "Sex", "Rhyw", "VALUE", " value ", "Area Code"),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

interface Layout {
  delimiter: string;
  newline: string;
  bom: boolean;
  encoding: "utf8" | "utf16le" | "latin1";
  quote: boolean[];
}
const layout = (delimiter: fc.Arbitrary<string>) =>
  fc.record({
    delimiter,
    newline: fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom("\n", "\r\n") },
      { weight: 1, arbitrary: fc.constant("\r") },
    ),
    bom: fc.boolean(),
    encoding: fc.oneof(
      { weight: 12, arbitrary: fc.constant("utf8" as const) },
      { weight: 1, arbitrary: fc.constantFrom("utf16le" as const, "latin1" as const) },
    ),
    quote: fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
  });

function encode(text: string, l: Layout): Uint8Array {
  if (l.encoding === "utf16le") return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
  const body = Buffer.from(text, l.encoding);
  return l.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}

function delimited(rows: string[][], l: Layout): string {
  return rows
    .map((cells) =>
      cells.map((c, i) => (l.quote[i % l.quote.length] ? `"${c.replaceAll('"', '""')}"` : c)).join(l.delimiter),
    )
    .join(l.newline);
}

/** Damage to a file: none, cut short, or bytes spliced in. */
const damage = fc.oneof(
  { weight: 4, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.record({ at: fc.nat(), cut: fc.constant(true), bytes: fc.constant(new Uint8Array()) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      at: fc.nat(),
      cut: fc.constant(false),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
    }),
  },
);
function damaged(bytes: Uint8Array, d: { at: number; cut: boolean; bytes: Uint8Array } | null): Uint8Array {
  if (!d || bytes.length === 0) return bytes;
  const at = d.at % bytes.length;
  return d.cut ? bytes.subarray(0, at) : Buffer.concat([bytes.subarray(0, at), d.bytes, bytes.subarray(at)]);
}

/** A file: a near-valid table (header, rows) in a layout, perhaps damaged; or random bytes. */
function files(delimiter: fc.Arbitrary<string>, header: fc.Arbitrary<string[]>, row: fc.Arbitrary<string[]>) {
  const table = fc
    .tuple(header, fc.array(row, { maxLength: 8 }), layout(delimiter), damage, fc.boolean())
    .map(([h, rows, l, d, trailingNewline]) =>
      damaged(encode(delimited([h, ...rows], l) + (trailingNewline ? l.newline : ""), l), d),
    );
  return fc.oneof(
    { weight: 8, arbitrary: table },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 200 }).map((s) => Buffer.from(s, "utf8")) },
  );
}

const REQUIRED = ["measure_code", "area_code", "period", "value"];
const tidyHeader = fc.oneof(
  {
    // the columns an import needs, with others, in any order
    weight: 6,
    arbitrary: fc
      .tuple(fc.subarray([...CANONICAL_COLUMNS.filter((c) => !REQUIRED.includes(c)), "sex"]), fc.nat())
      .map(([extra, turn]) => {
        const all = [...REQUIRED, ...extra];
        const k = turn % all.length;
        return [...all.slice(k), ...all.slice(0, k)];
      }),
  },
  { weight: 1, arbitrary: fc.shuffledSubarray([...CANONICAL_COLUMNS, "sex"], { minLength: 1 }) },
  { weight: 1, arbitrary: fc.array(heading, { maxLength: 12 }) },
);
const tidyRow = fc.array(cell, { maxLength: 13 });
/** The whole file's measure (--measure), sometimes. */
const measureOption = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(undefined, undefined, "pct", "rate") },
  { weight: 1, arbitrary: fc.constant("nope") },
);

describe("fuzzing the text importers", () => {
  it(`reads or refuses ${RUNS} tidy CSV files, never crashing or hanging`, async () => {
    const tally = new Tally();
    await fuzz(
      "csv",
      RUNS,
      fc.asyncProperty(files(fc.constant(","), tidyHeader, tidyRow), measureOption, async (bytes, measure) => {
        const r = await readCase(caseFile(bytes, ".csv"), { format: "csv", measure });
        tally.note(r);
        expect(r.accepted).toBeLessThanOrEqual(r.rows);
      }),
    );
    console.log(tally.summary("csv"));
    expect(tally.read).toBeGreaterThan(RUNS / 5); // most cases get past the header, so the rows are fuzzed too
  }, 600_000);

  it(`reads or refuses ${RUNS} TSV files, never crashing or hanging`, async () => {
    await fuzz(
      "tsv",
      RUNS,
      fc.asyncProperty(files(fc.constant("\t"), tidyHeader, tidyRow), measureOption, async (bytes, measure) => {
        const r = await readCase(caseFile(bytes, ".tsv"), { format: "csv", measure });
        expect(r.accepted).toBeLessThanOrEqual(r.rows);
      }),
    );
  }, 600_000);

  it(`reads or refuses ${RUNS} wide tables, never crashing or hanging`, async () => {
    const wideHeader = fc
      .tuple(
        fc.constantFrom("area_code", "Area", "Ardal", ""),
        fc.array(fc.oneof(fc.constantFrom("2018-19", "2019-20", "2020-21", "2019", "Notes", ""), heading), {
          maxLength: 6,
        }),
      )
      .map(([area, periods]) => [area, ...periods]);
    await fuzz(
      "wide",
      RUNS,
      fc.asyncProperty(
        files(fc.constantFrom(",", "\t"), wideHeader, fc.array(cell, { maxLength: 8 })),
        fc.constantFrom("pct", "pct", "pct", "rate", "nope", undefined),
        async (bytes, measure) => {
          const r = await readCase(caseFile(bytes, ".csv"), { format: "wide", measure });
          expect(r.accepted).toBeLessThanOrEqual(r.rows);
        },
      ),
    );
  }, 600_000);
});
