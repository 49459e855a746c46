import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonStreamParser, JsonSyntaxError, TreeBuilder } from "../../src/ingest/observations/json-stream.ts";
import { Spill } from "../../src/ingest/observations/jsonstat-cells.ts";
import { parseMapping } from "../../src/ingest/observations/mapping.ts";
import { readJsonStat } from "../../src/ingest/observations/read-jsonstat.ts";
import type { RawRow, TableSource } from "../../src/ingest/observations/types.ts";
import { tempFile } from "../support/import-fixtures.ts";
import { cellCount, type LargeDataset, statusAt, valueAt, writeLargeJsonStat } from "./jsonstat-fixtures.ts";
import { readJsonStatReference } from "./jsonstat-reference.ts";

async function rows(source: TableSource): Promise<RawRow[]> {
  const out: RawRow[] = [];
  for await (const chunk of source.chunks) out.push(...chunk);
  return out;
}

/** Parses `text` fed in pieces cut at `cuts` (byte offsets). */
function parse(text: string | Buffer, cuts: number[] = []): unknown {
  const bytes = typeof text === "string" ? Buffer.from(text) : text;
  const builder = new TreeBuilder();
  const parser = new JsonStreamParser(builder);
  let from = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length)].sort((a, b) => a - b)) {
    parser.feed(bytes.subarray(from, cut));
    from = cut;
  }
  parser.feed(bytes.subarray(from));
  parser.end();
  return builder.root;
}

const cutsArb = fc.array(fc.nat({ max: 4000 }), { maxLength: 12 });

describe("incremental JSON parser", () => {
  it("gives what JSON.parse gives, however the bytes are split", () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ stringUnit: "binary", maxDepth: 4 }),
        fc.constantFrom(undefined, 1, "\t", " \r\n "),
        cutsArb,
        (value, space, cuts) => {
          const text = JSON.stringify(value, null, space);
          expect(parse(text, cuts)).toEqual(JSON.parse(text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("reads numbers to the same double as JSON.parse", () => {
    const number = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
      fc
        .tuple(
          fc.boolean(),
          fc.bigInt({ min: 0n, max: 10n ** 20n }),
          fc.nat({ max: 10 ** 6 }),
          fc.integer({ min: -30, max: 30 }),
        )
        .map(([neg, int, frac, exp]) => `${neg ? "-" : ""}${int}.${String(frac).padStart(7, "0")}e${exp}`),
      fc.constantFrom(
        "0",
        "-0",
        "-0.0",
        "1e400",
        "-1e-400",
        "123456789012345678901234567890",
        "0.1",
        "9007199254740993",
      ),
    );
    fc.assert(
      fc.property(fc.array(number, { maxLength: 8 }), cutsArb, (numbers, cuts) => {
        const text = `[${numbers.join(",")}]`;
        expect(parse(text, cuts)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it("rejects exactly what JSON.parse rejects", () => {
    const valid = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v, null, 1));
    const mutated = fc
      .tuple(
        valid,
        fc.nat(),
        fc.constantFrom("", ",", "}", "]", "{", "[", ":", '"', "\\", "-", "0", "01", ".", "e", "t", "x", " ", "\u0001"),
        fc.nat({ max: 2 }),
      )
      .map(([text, at, insert, remove]) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + insert + text.slice(i + remove);
      });
    fc.assert(
      fc.property(fc.oneof(valid, mutated), cutsArb, (text, cuts) => {
        let expected = true;
        try {
          JSON.parse(text);
        } catch {
          expected = false;
        }
        let got = true;
        try {
          parse(text, cuts);
        } catch (error) {
          expect(error).toBeInstanceOf(JsonSyntaxError);
          got = false;
        }
        expect(got, text).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it("names the byte offset of the problem", () => {
    const offset = (text: string) => {
      try {
        parse(text);
      } catch (error) {
        return (error as JsonSyntaxError).offset;
      }
      return -1;
    };
    expect(offset('{"a": 1,}')).toBe(8);
    expect(offset('{"a" 1}')).toBe(5);
    expect(offset("[1, 2")).toBe(5);
    expect(offset('["é", 01]')).toBe(7); // bytes, not characters
    expect(offset("[1] 2")).toBe(4);
    expect(offset("[tru]")).toBe(4);
    const reason = (text: string) => {
      try {
        parse(text);
      } catch (error) {
        return (error as JsonSyntaxError).reason;
      }
    };
    expect(reason('{"a": "xy')).toBe("unexpected end of the input inside a string");
    expect(reason("[nul")).toBe('unexpected end of the input inside "null"');
    expect(reason("[1 2]")).toBe('unexpected "2" (expected "," or "]")');
    expect(reason('{"a":1 "b"')).toBe('unexpected """ (expected "," or "}")');
    expect(reason(String.raw`{"a":"\q"}`)).toBe(String.raw`invalid escape "\q" in a string`);
  });

  it("skips a byte-order mark at the start only", () => {
    expect(parse(Buffer.from("\uFEFF[1]"))).toEqual([1]);
    expect(() => parse(Buffer.from("[\uFEFF1]"))).toThrow(JsonSyntaxError);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The streaming reader against the reader it replaced (JSON.parse of the whole file), on generated datasets.

/** A small deterministic PRNG (mulberry32). */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const chance = (p: number) => next() < p;
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  const shuffle = <T>(list: T[]): T[] => {
    for (let i = list.length - 1; i > 0; i--) {
      const j = int(i + 1);
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
    return list;
  };
  return { int, chance, pick, shuffle };
}

const object = (entries: [string, string][]) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`;

interface Case {
  text: string;
  mapping: string;
  chunkSize: number;
  readBytes: number;
  keepDimensions: string[];
}

/** A random JSON-stat document (dataset, collection or bundle) in one of the forms the reader accepts. */
function randomCase(seed: number): Case {
  const r = random(seed);
  const dims: { id: string; cats: string[] }[] = [];
  const cats = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  dims.push({ id: r.pick(["geography", "area", "geo"]), cats: cats("W0", 1 + r.int(3)) });
  dims.push({ id: r.pick(["year", "period", "time"]), cats: cats("20", 1 + r.int(3)) });
  const measureDim = r.chance(0.5);
  if (measureDim) dims.push({ id: "indicator", cats: cats("m", 1 + r.int(2)) });
  for (let b = r.int(3); b > 0; b--) dims.push({ id: `b${b}`, cats: cats(`c${b}_`, 1 + r.int(3)) });
  const stat = r.chance(0.6);
  const statCats = r.shuffle(["rate", "count", "pop", "lci", "uci", "other", "value"]).slice(0, 1 + r.int(4));
  if (stat) dims.push({ id: "stat", cats: statCats });
  r.shuffle(dims);
  const ids = dims.map((d) => d.id);
  const n = dims.reduce((a, d) => a * d.cats.length, 1);

  const scalar = (): string => {
    const x = r.int(100);
    if (x < 20) return "null";
    if (x < 45) return String(r.int(2000) - 500);
    if (x < 80) return String(Math.round(r.int(1e6)) / 1000);
    if (x < 85) return r.pick(["1.5e-7", "1e21", "-0", "2.50", "1E3", "123456789012345678"]);
    if (x < 90) return JSON.stringify(r.pick(["12", "..", "", "x"]));
    if (x < 93) return r.pick(["true", "false", "[1,2]", "{}", '{"a":[null]}']);
    return String(r.int(100));
  };
  const code = () => JSON.stringify(r.pick(["p", "c", "e", "", "provisional", "ß"]));
  /** An array or a sparse object of `n` cells (some absent), keys sorted, shuffled or repeated. */
  const cells = (one: () => string, forms: string[]): string => {
    const form = r.pick(forms);
    if (form === "array") {
      const length = r.chance(0.8) ? n : r.int(n + 3);
      return `[${Array.from({ length }, one).join(",")}]`;
    }
    const entries: [string, string][] = [];
    for (let k = 0; k < n + 2; k++) if (r.chance(0.6)) entries.push([String(k), one()]);
    if (form === "shuffled") r.shuffle(entries);
    if (form === "messy" && entries.length > 0) {
      entries.push([r.pick(entries)[0], one()], ["01", one()], ["x", one()], ["-0", one()], ["1.0", one()]);
      r.shuffle(entries);
    }
    return object(entries);
  };
  const members: [string, string][] = [
    ["version", '"2.0"'],
    ["class", '"dataset"'],
    ["label", '"generated"'],
    ["id", JSON.stringify(ids)],
    ["size", JSON.stringify(dims.map((d) => d.cats.length))],
    [
      "dimension",
      object(
        dims.map((d) => {
          const index = r.chance(0.5)
            ? JSON.stringify(d.cats)
            : object(r.shuffle(d.cats.map((c, i): [string, string] => [c, String(i)])));
          return [
            d.id,
            `{"label":"${d.id}","category":{"index":${index},"label":${JSON.stringify(Object.fromEntries(d.cats.map((c) => [c, `${c}!`])))}}}`,
          ];
        }),
      ),
    ],
    ["extension", '{"value":[1,2],"status":{"a":"b"}}'],
  ];
  if (r.chance(0.5))
    members.push(["role", JSON.stringify({ geo: [ids.find((i) => i.startsWith("g") || i === "area")] })]);
  const valueForm = r.int(10);
  if (valueForm > 0)
    members.push([
      "value",
      valueForm === 1 ? "null" : cells(scalar, ["array", "array", "sorted", "shuffled", "messy"]),
    ]);
  const statusForm = r.int(7);
  if (statusForm === 1) members.push(["status", code()]);
  if (statusForm === 2) members.push(["status", `[${code()}]`]);
  if (statusForm === 3) members.push(["status", "{}"]);
  if (statusForm >= 4) {
    members.push(["status", cells(() => (r.chance(0.7) ? "null" : code()), ["array", "sorted", "shuffled", "messy"])]);
  }
  r.shuffle(members);
  const dataset = object(members);
  const wrap = r.int(4);
  let text = dataset;
  if (wrap === 1)
    text = `{"version":"2.0","class":"collection","link":{"item":[{"class":"dataset","href":"x"},${dataset}]}}`;
  if (wrap === 2) text = `{"note":{"value":[1]},"ds":${dataset}}`; // a JSON-stat 1.x bundle
  if (wrap === 3) text = `[${dataset}]`; // not where datasets are: read whole
  if (r.chance(0.3)) text = JSON.stringify(JSON.parse(text), null, 2);

  const statMap = { rate: "value", count: "numerator", pop: "denominator", lci: "lower_ci", uci: "upper_ci" };
  const filterDim = dims.find((d) => d.id.startsWith("b") && d.cats.length > 1 && r.chance(0.5));
  const jsonstat: Record<string, unknown> = {};
  if (measureDim) jsonstat.measure = "indicator";
  if (stat) jsonstat.statistic = { dimension: "stat", categories: statMap };
  if (filterDim) jsonstat.filter = { [filterDim.id]: r.pick(filterDim.cats) };
  if (r.chance(0.3)) jsonstat.breakdowns = { b1: "sex" };
  const mapping = JSON.stringify({ ...(measureDim ? {} : { measure: "m" }), jsonstat });
  return {
    text,
    mapping,
    chunkSize: 1 + r.int(7),
    readBytes: r.pick([1, 2, 3, 7, 16, 64, 1 << 16]),
    keepDimensions: r.chance(0.3) ? ["b2"] : [],
  };
}

async function outcome(read: typeof readJsonStat, path: string, c: Case, streaming: boolean) {
  try {
    const source = await read(path, {
      mapping: parseMapping(c.mapping),
      chunkSize: c.chunkSize,
      keepDimensions: c.keepDimensions,
      ...(streaming ? { readBytes: c.readBytes } : {}),
    });
    const chunks: RawRow[][] = [];
    for await (const chunk of source.chunks) chunks.push(chunk);
    const { format, columns, issues, totalBytes, canonical } = source;
    return { format, columns, issues, totalBytes, canonical, bytesRead: source.bytesRead(), chunks };
  } catch (error) {
    return { error: (error as Error).message, type: (error as Error).constructor.name };
  }
}

describe("streaming JSON-stat reader", () => {
  it("reads every form exactly as the whole-file reader did", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer(), async (seed) => {
        const c = randomCase(seed);
        const path = tempFile(c.text, ".json");
        const expected = await outcome(readJsonStatReference, path, c, false);
        const got = await outcome(readJsonStat, path, c, true);
        expect(got, `${c.text}\n${c.mapping}`).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  const dataset = (members: string[]) =>
    `{${[
      '"version":"2.0","class":"dataset"',
      '"id":["area","period","stat"],"size":[2,2,2]',
      '"dimension":{"area":{"category":{"index":["W1","W2"]}},"period":{"category":{"index":["2020","2021"]}},' +
        '"stat":{"category":{"index":["value","numerator"]}}}',
      ...members,
    ].join(",")}}`;
  const read = async (text: string, options: { readBytes?: number } = {}) =>
    (await rows(await readJsonStat(tempFile(text, ".json"), { measure: "m", ...options }))).map((r) => [
      r.row,
      ...r.cells.slice(1),
    ]);

  it("reads values in the sparse (object) form, in any key order", async () => {
    const expected = [
      [1, "W1", "2020", "1.5", "", "", "", "", ""],
      [4, "W1", "2021", "", "20", "", "", "", ""],
      [7, "W2", "2021", "3", "", "", "", "", "c"],
    ];
    const sorted = '"value":{"0":1.5,"3":20,"6":3},"status":{"6":"c"}';
    const shuffled = '"value":{"6":3,"0":1.5,"3":20},"status":{"6":"c","2":""}';
    expect(await read(dataset([sorted]))).toEqual(expected);
    expect(await read(dataset([shuffled]))).toEqual(expected);
    expect(await read(dataset([shuffled]), { readBytes: 3 })).toEqual(expected);
  });

  it("reads value and status before the dimensions", async () => {
    const text = `{"value":[1,2,3,4,5,6,7,8],"status":["a","b","c","d","e","f","g","h"],${dataset([]).slice(1)}`;
    expect(text.indexOf('"value"')).toBeLessThan(text.indexOf('"dimension"'));
    expect(await read(text, { readBytes: 5 })).toEqual([
      [1, "W1", "2020", "1", "2", "", "", "", "a"],
      [3, "W1", "2021", "3", "4", "", "", "", "c"],
      [5, "W2", "2020", "5", "6", "", "", "", "e"],
      [7, "W2", "2021", "7", "8", "", "", "", "g"],
    ]);
  });

  it("reads status as an array, an object, a one-element array or a string", async () => {
    const value = '"value":[1,null,null,null,null,null,5,null]';
    const notes = async (status: string) => (await read(dataset([value, status]))).map((r) => `${r[0]}:${r.at(-1)}`);
    expect(await notes('"status":[null,null,"p",null,null,null,"c",null]')).toEqual(["1:", "3:p", "7:c"]);
    expect(await notes('"status":{"2":"p","6":"c","7":"x"}')).toEqual(["1:", "3:p", "7:c"]);
    expect(await notes('"status":["e"]')).toEqual(["1:e", "3:e", "5:e", "7:e"]);
    expect(await notes('"status":"e"')).toEqual(["1:e", "3:e", "5:e", "7:e"]);
  });

  it("says where malformed JSON goes wrong", async () => {
    const text = '{\n  "version": "2.0",\n  "class": "dataset"\n  "id": ["area"]\n}';
    await expect(readJsonStat(tempFile(text, ".json"), {})).rejects.toThrow(
      'the file is not valid JSON: unexpected """ (expected "," or "}") at line 4, column 3 (byte 45)',
    );
    const truncated = dataset(['"value":[1,2,3,4,5,6,7,8]']).slice(0, -40);
    await expect(readJsonStat(tempFile(truncated, ".json"), {})).rejects.toThrow(
      /not valid JSON: unexpected end of the input .* at line 1, column \d+ \(byte \d+\)/,
    );
    await expect(readJsonStat(tempFile(dataset(['"value":[1,2,03]']), ".json"), {})).rejects.toThrow(
      /not valid JSON: invalid number "03" at line 1, column \d+/,
    );
    await expect(readJsonStat(tempFile("", ".json"), {})).rejects.toThrow(/not valid JSON: unexpected end/);
  });

  it("keeps strings past the in-memory limit in a side file", async () => {
    const saved = Spill.maxInterned;
    Spill.maxInterned = 2;
    try {
      const text = dataset([
        '"value":{"7":"seven","1":"one","0":"zero","3":"three","2":"two"}',
        '"status":{"6":"six","4":"four","2":"two","0":"zero"}',
      ]);
      const path = tempFile(text, ".json");
      const expected = await rows(await readJsonStatReference(path, { measure: "m" }));
      expect(expected.map((r) => r.cells.slice(3))).toEqual([
        ["zero", "one", "", "", "", "zero"],
        ["two", "three", "", "", "", "two"],
        ["", "", "", "", "", "four"],
        ["", "seven", "", "", "", "six"],
      ]);
      expect(await rows(await readJsonStat(path, { measure: "m", readBytes: 4 }))).toEqual(expected);
    } finally {
      Spill.maxInterned = saved;
    }
  });

  it("removes its temporary files, also when the reading stops early", async () => {
    const spills = () => readdirSync(tmpdir()).filter((f) => f.startsWith("omf-jsonstat-")).length;
    const before = spills();
    const path = tempFile(dataset(['"value":{"5":1,"1":2,"7":3,"0":4}']), ".json");
    expect(await read(dataset(['"value":{"5":1,"1":2,"7":3,"0":4}']))).toHaveLength(3);
    const source = await readJsonStat(path, { measure: "m", chunkSize: 1 });
    for await (const chunk of source.chunks) {
      expect(chunk).toHaveLength(1);
      expect(spills()).toBe(before + 1); // the sparse values out of order are spilled to a temporary file
      break;
    }
    expect(spills()).toBe(before);
  });
});

describe("large JSON-stat files", () => {
  const probe = (path: string, mode: string) => {
    const run = spawnSync(
      process.execPath,
      ["--expose-gc", "--import", "tsx", join("test", "ingest", "jsonstat-memory-probe.ts"), path, mode, "1000"],
      { encoding: "utf8" },
    );
    expect(run.status, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as { rows: number; checksum: number; peakHeapGrowth: number };
  };

  it.each<[string, LargeDataset]>([
    ["in file order (streamed)", { areas: 400, periods: 50, sexes: 3 }],
    [
      "statistic first, value first, status reversed (spilled)",
      { areas: 400, periods: 50, sexes: 3, statisticFirst: true, valueFirst: true, reversedStatus: true },
    ],
  ])(
    "reads 300,000 values %s without holding them",
    (_, layout) => {
      const path = tempFile("", ".json");
      writeLargeJsonStat(path, layout);
      expect(cellCount(layout)).toBe(300_000);
      const reference = probe(path, "reference");
      const streamed = probe(path, "stream");
      expect(streamed.rows).toBe(60_000);
      expect(streamed.rows).toBe(reference.rows);
      expect(streamed.checksum).toBe(reference.checksum);
      // The whole-file reader keeps the parsed document (~10 MB here); the streaming one a batch of values and a
      // chunk of 1,000 rows.
      expect(reference.peakHeapGrowth).toBeGreaterThan(statSync(path).size);
      expect(streamed.peakHeapGrowth).toBeLessThan(reference.peakHeapGrowth / 3);
    },
    120_000,
  );

  it("gives the generated values and statuses", async () => {
    const path = tempFile("", ".json");
    writeLargeJsonStat(path, { areas: 3, periods: 2, sexes: 2, statisticFirst: true, reversedStatus: true });
    const out = await rows(
      await readJsonStat(path, {
        mapping: parseMapping(
          "measure: m\njsonstat: { statistic: { dimension: statistic, categories: { rate: value } } }",
        ),
      }),
    );
    // statistic first: the rate of row (area a, period p, sex s) is value index ((a * 2) + p) * 2 + s
    expect(out).toHaveLength(12);
    out.forEach((r, i) => {
      expect(r.row).toBe(i + 1);
      expect(r.cells.slice(4)).toEqual([String(valueAt(i) ?? ""), "", "", "", "", statusAt(i) ?? ""]);
    });
  });
});
