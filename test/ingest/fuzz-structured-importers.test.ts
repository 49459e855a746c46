/**
 * Fuzzing of the structured importers (issue 19): XLSX workbooks and JSON-stat datasets, at least 10,000 generated
 * files each (seeded; see test/support/fuzz.ts and docs/testing.md). Workbooks: a minimal valid workbook around a
 * sheet of hostile cells (inline and shared strings out of range, numbers, bad cell references, markup), sometimes
 * with raw text breaking the XML, then perhaps damaged byte by byte; and random bytes behind a zip signature.
 * JSON-stat: datasets and collections whose ids, sizes, categories, values and statuses disagree in every way, and
 * truncated or random text. Each is read and validated to its end, or refused by the project's own validation error.
 */
import { crc32 } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { caseFile, fuzz, fuzzRuns, readCase, Tally } from "../support/fuzz.ts";

const RUNS = fuzzRuns(10_000);

/** A zip archive of `files`, stored (no compression). */
function zip(files: [string, Uint8Array][]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of files) {
    const n = Buffer.from(name);
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, Buffer.from(data));
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const size = centrals.reduce((s, b) => s + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

const utf8 = (s: string) => Buffer.from(s, "utf8");
const xml = (s: string) => s.replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c]!);
const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

function workbook(sheet: string, strings: string[]): Uint8Array {
  return zip([
    [
      "[Content_Types].xml",
      utf8(
        `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
      ),
    ],
    [
      "_rels/.rels",
      utf8(
        `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      ),
    ],
    [
      "xl/workbook.xml",
      utf8(
        `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ),
    ],
    [
      "xl/_rels/workbook.xml.rels",
      utf8(
        `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
      ),
    ],
    ["xl/worksheets/sheet1.xml", utf8(sheet)],
    [
      "xl/sharedStrings.xml",
      utf8(
        `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${MAIN}" count="${strings.length}">${strings.map((s) => `<si><t>${xml(s)}</t></si>`).join("")}</sst>`,
      ),
    ],
  ]);
}

const text = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "measure_code",
      "area_code",
      "period",
      "value",
      "numerator",
      "denominator",
      "note_code",
      "sex",
      "pct",
      "rate",
      "W06000015",
      "Cardiff",
      "2019-20",
      "2019",
      "25.0",
      "-0",
      "1e309",
      "NaN",
      "",
      " ",
      "Female",
      "p",
      "x",
      "=1+1",
      "<img src=x onerror=alert(1)>",
      "\u0000",
      "\uFFFE",
    ),
  },
  { weight: 2, arbitrary: fc.string({ maxLength: 16 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 8 }) },
);
const column = (i: number) => (i < 26 ? String.fromCharCode(65 + i) : `A${String.fromCharCode(65 + (i % 26))}`);
/** A cell element: an inline string, a shared string (perhaps out of range), a number, a date, an error, raw text. */
const cellXml = (ref: string) =>
  fc.oneof(
    { weight: 5, arbitrary: text.map((s) => `<c r="${ref}" t="inlineStr"><is><t>${xml(s)}</t></is></c>`) },
    { weight: 3, arbitrary: fc.nat({ max: 12 }).map((k) => `<c r="${ref}" t="s"><v>${k}</v></c>`) },
    {
      weight: 2,
      arbitrary: fc.oneof(fc.double(), fc.integer()).map((v) => `<c r="${ref}"><v>${xml(String(v))}</v></c>`),
    },
    { weight: 1, arbitrary: fc.constantFrom("#N/A", "#DIV/0!").map((e) => `<c r="${ref}" t="e"><v>${e}</v></c>`) },
    {
      weight: 1,
      arbitrary: fc.constantFrom("ZZZZ1", "A0", "", "1A", "XFE1048577").map((r) => `<c r="${r}"><v>1</v></c>`),
    },
    { weight: 1, arbitrary: text.map((s) => `<c r="${ref}" t="str"><f>1+1</f><v>${s}</v></c>`) },
  );
const sheetXml = fc
  .array(fc.nat({ max: 7 }), { maxLength: 7 })
  .chain((widths) =>
    fc.tuple(
      ...widths.map((w, r) => fc.tuple(...Array.from({ length: w + 1 }, (_, c) => cellXml(`${column(c)}${r + 1}`)))),
    ),
  )
  .chain((rows) =>
    fc
      .oneof(
        // usually a header row the importer knows first, so the rows below it are read too
        { weight: 3, arbitrary: fc.shuffledSubarray(["numerator", "denominator", "note_code", "sex"]) },
        { weight: 1, arbitrary: fc.constant(null) },
      )
      .map((extra) => {
        const header = extra
          ? [
              ["measure_code", "area_code", "period", "value", ...extra]
                .map((h, c) => `<c r="${column(c)}1" t="inlineStr"><is><t>${h}</t></is></c>`)
                .join(""),
            ]
          : [];
        const all = [...header, ...(rows as string[][]).map((cells) => cells.join(""))];
        return `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${MAIN}"><sheetData>${all
          .map((cells, r) => `<row r="${r + 1}">${cells.replace(/r="([A-Z]+)\d+"/g, `r="$1${r + 1}"`)}</row>`)
          .join("")}</sheetData></worksheet>`;
      }),
  );
/** The sheet's text, sometimes with a raw (unescaped) fragment spliced in. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });
const hostileSheet = fc
  .tuple(sheetXml, rarely(fc.tuple(fc.nat(), fc.string({ maxLength: 12 }))))
  .map(([s, splice]) => (splice ? s.slice(0, splice[0] % s.length) + splice[1] + s.slice(splice[0] % s.length) : s));
function damaged(bytes: Uint8Array, d: { at: number; cut: boolean; bytes: Uint8Array } | null): Uint8Array {
  if (!d || bytes.length === 0) return bytes;
  const at = d.at % bytes.length;
  return d.cut ? bytes.subarray(0, at) : Buffer.concat([bytes.subarray(0, at), d.bytes, bytes.subarray(at + 1)]);
}
/** Sound workbooks around hostile sheets: these reach the spreadsheet library (a few milliseconds each). */
const soundWorkbooks = fc
  .tuple(hostileSheet, fc.array(text, { maxLength: 6 }))
  .map(([sheet, strings]) => workbook(sheet, strings));
/** Damaged workbooks (cut short, bytes changed or spliced in) and random bytes: the container's checks meet them. */
const damagedWorkbooks = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        soundWorkbooks,
        fc.record({ at: fc.nat(), cut: fc.boolean(), bytes: fc.uint8Array({ minLength: 1, maxLength: 4 }) }),
      )
      .map(([bytes, d]) => damaged(bytes, d)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.boolean(), fc.uint8Array({ maxLength: 200 }))
      .map(([pk, b]) => (pk ? Buffer.concat([Buffer.from("PK\x03\x04"), b]) : b)),
  },
);
/** Of the XLSX cases, the share with sound workbooks (the spreadsheet library is slow; the rest are cheap). */
const SOUND_SHARE = 0.1;

// --- JSON-stat --------------------------------------------------------------------------------------------------

const ids = ["indicator", "geography", "year", "gender", "stat", "area", "time", "x"];
const category = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      { index: ["W06000015", "W06000001"] },
      { index: { W06000015: 0, W06000023: 1 }, label: { W06000015: "Cardiff", W06000023: "Powys" } },
      { index: ["2019-20", "2020-21"] },
      { index: ["rate", "births"] },
      { index: ["T"] },
      { index: ["Cardiff", "Powys", "Atlantis"] },
    ),
  },
  { weight: 1, arbitrary: fc.array(text, { maxLength: 4 }).map((index) => ({ index })) },
  {
    weight: 1,
    arbitrary: fc
      .dictionary(text, fc.oneof(fc.nat({ max: 5 }), fc.constant(-1), text as fc.Arbitrary<unknown>), { maxKeys: 4 })
      .map((index) => ({ index })),
  },
  { weight: 1, arbitrary: fc.dictionary(text, text, { maxKeys: 3 }).map((label) => ({ label })) },
  { weight: 1, arbitrary: fc.constant({}) },
);
const jsonValue = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.constant(null)),
  },
  { weight: 1, arbitrary: fc.oneof(text, fc.boolean(), fc.constant([]), fc.constant({})) as fc.Arbitrary<unknown> },
);
function categoryCount(dimension: unknown): number {
  const c = (dimension as { category?: { index?: unknown; label?: unknown } }).category ?? {};
  const index = c.index ?? c.label ?? {};
  return Array.isArray(index) ? index.length : Object.keys(index as object).length;
}
const dataset = fc
  .record({
    version: fc.constantFrom("2.0", "1.0", 2, undefined),
    class: fc.constantFrom("dataset", "dataset", "dataset", "collection", "bundle", undefined),
    id: fc.oneof(
      {
        weight: 3,
        arbitrary: fc.shuffledSubarray(["stat", "gender", "x"]).map((more) => ["geography", "year", ...more]),
      },
      { weight: 1, arbitrary: fc.shuffledSubarray(ids, { maxLength: 5 }) },
    ),
    extraSize: rarely(fc.array(fc.nat({ max: 3 }), { maxLength: 6 })),
    categories: fc.array(category, { maxLength: 6 }),
    values: fc.oneof(
      { weight: 3, arbitrary: fc.array(jsonValue, { minLength: 4, maxLength: 24 }) },
      { weight: 1, arbitrary: fc.dictionary(fc.nat({ max: 60 }).map(String), jsonValue) },
    ),
    status: fc.option(
      fc.oneof(fc.constantFrom("p", "c", "x", ""), fc.dictionary(fc.nat({ max: 60 }).map(String), text)),
    ),
    role: fc.oneof(
      { weight: 3, arbitrary: fc.constant({ geo: ["geography"], time: ["year"] }) },
      {
        weight: 1,
        arbitrary: fc.option(
          fc.record({ geo: fc.constantFrom(["geography"], ["area"], []), time: fc.constantFrom(["year"], ["time"]) }),
        ),
      },
    ),
  })
  .map((d) => {
    const dimension: Record<string, unknown> = {};
    d.id.forEach((id, i) => {
      dimension[id] = { category: d.categories[i] ?? { index: ["W06000015", "W06000001"] } };
    });
    const body = {
      version: d.version,
      class: d.class === "collection" ? "dataset" : d.class,
      id: d.id,
      // the sizes agree with the categories, or (rarely) not
      size: d.id.map((id, i) => d.extraSize?.[i] ?? categoryCount(dimension[id])),
      dimension,
      value: d.values,
      ...(d.status !== null ? { status: d.status } : {}),
      ...(d.role !== null ? { role: d.role } : {}),
    };
    return d.class === "collection" ? { version: "2.0", class: "collection", link: { item: [body] } } : body;
  });
const jsonFiles = fc.oneof(
  { weight: 8, arbitrary: dataset.map((d) => JSON.stringify(d)) },
  {
    weight: 2,
    arbitrary: fc.tuple(dataset, fc.nat()).map(([d, at]) => {
      const s = JSON.stringify(d);
      return s.slice(0, at % (s.length + 1));
    }),
  },
  { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 100 }) },
);
const jsonMapping = fc.constantFrom(
  undefined,
  undefined,
  {
    jsonstat: {
      measure: "indicator",
      statistic: { dimension: "stat", categories: { rate: "value", births: "numerator" } },
    },
  },
  { jsonstat: { area: "geography", period: "year" } },
  { jsonstat: { measure: "nope", area: "x" } },
);

describe("fuzzing the structured importers", () => {
  it(`reads or refuses ${RUNS} XLSX workbooks, never crashing or hanging`, async () => {
    const sound = new Tally();
    const damagedTally = new Tally();
    const soundRuns = Math.round(RUNS * SOUND_SHARE);
    await fuzz(
      "xlsx (sound containers, hostile sheets)",
      soundRuns,
      fc.asyncProperty(soundWorkbooks, fc.constantFrom(undefined, "pct"), async (bytes, measure) => {
        const r = await readCase(caseFile(bytes, ".xlsx"), { format: "xlsx", measure });
        sound.note(r);
        expect(r.accepted).toBeLessThanOrEqual(r.rows);
      }),
    );
    await fuzz(
      "xlsx (damaged containers)",
      RUNS - soundRuns,
      fc.asyncProperty(damagedWorkbooks, async (bytes) => {
        const r = await readCase(caseFile(bytes, ".xlsx"), { format: "xlsx" });
        damagedTally.note(r);
        expect(r.accepted).toBeLessThanOrEqual(r.rows);
      }),
    );
    console.log(sound.summary("xlsx sound"));
    console.log(damagedTally.summary("xlsx damaged"));
    expect(sound.read).toBeGreaterThan(soundRuns / 10);
  }, 900_000);

  it(`reads or refuses ${RUNS} JSON-stat files, never crashing or hanging`, async () => {
    const tally = new Tally();
    await fuzz(
      "jsonstat",
      RUNS,
      fc.asyncProperty(
        jsonFiles,
        jsonMapping,
        fc.constantFrom(undefined, "pct", "pct", "pct"),
        async (json, mapping, measure) => {
          const r = await readCase(caseFile(json, ".json"), {
            format: "jsonstat",
            measure,
            mapping: mapping as never,
          });
          tally.note(r);
          expect(r.accepted).toBeLessThanOrEqual(r.rows);
        },
      ),
    );
    console.log(tally.summary("jsonstat"));
    expect(tally.read).toBeGreaterThan(RUNS / 20);
  }, 900_000);
});
