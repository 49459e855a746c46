import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AreaMatchVia,
  createAreaMatcher,
  type MatchableArea,
  normaliseAreaName,
  WALES_AREA_ALIASES,
  withAreaAliases,
} from "../../src/domain/area-name.ts";
import { readSharedCsv, requireShared, sampleCsvFiles } from "./helpers/shared-data.ts";
import { WALES_AREAS } from "./helpers/wales-areas.ts";

const matcher = createAreaMatcher(withAreaAliases(WALES_AREAS));

function areasFromReference(): MatchableArea[] {
  const rows = [...readSharedCsv("reference/areas-wales.csv"), ...readSharedCsv("reference/groupings-wales.csv")];
  return rows.map((r) => ({ code: r.code ?? "", nameEn: r.name_en ?? "", nameCy: r.name_cy ?? "", aliases: [] }));
}

describe("normaliseAreaName", () => {
  it.each([
    ["Ynys Môn", "ynysmon"],
    ["YNYS MON", "ynysmon"],
    ["Tor-faen", "torfaen"],
    ["Torfaen", "torfaen"],
    ["Pen-y-bont ar Ogwr", "penybontarogwr"],
    ["Pen y Bont ar Ogwr", "penybontarogwr"],
    ["Castell‑nedd Port Talbot", "castellneddporttalbot"], // non-breaking hyphen
    ["  Neath   Port\tTalbot ", "neathporttalbot"],
    ["Caerdydd a’r Fro", "caerdyddarfro"],
    ["Caerdydd a'r Fro", "caerdyddarfro"],
    ["Cardiff & Vale", "cardiffandvale"],
    ["Cardiff and Vale", "cardiffandvale"],
    ["Isle of Anglesey County Council", "isleofanglesey"],
    ["Wrexham County Borough Council", "wrexham"],
    ["Rhondda Cynon Taf County Borough Council", "rhonddacynontaf"],
    ["Vale of Glamorgan Council", "valeofglamorgan"],
    ["The Vale of Glamorgan", "valeofglamorgan"],
    ["City and County of Cardiff", "cardiff"],
    ["City & County of Swansea", "swansea"],
    ["Newport City Council", "newport"],
    ["Bridgend CBC", "bridgend"],
    ["Bridgend County Borough", "bridgend"],
    ["Cyngor Bwrdeistref Sirol Conwy", "conwy"],
    ["Cyngor Dinas a Sir Abertawe", "abertawe"],
    ["Cyngor Gwynedd", "gwynedd"],
    ["Gŵyr", "gwyr"],
    ["Council", "council"],
    ["", ""],
  ])("%j → %j", (input, expected) => {
    expect(normaliseAreaName(input)).toBe(expected);
  });

  it("is idempotent and yields only lower-case letters and digits", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const once = normaliseAreaName(s);
        expect(normaliseAreaName(once)).toBe(once);
        expect(once).toBe(once.toLowerCase());
        expect(/[\s\-'’&]/.test(once)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

describe("createAreaMatcher", () => {
  it.each(WALES_AREAS.map((a) => [a.code, a] as const))("matches %s by code, English and Welsh name", (_, area) => {
    expect(matcher.match(area.code)).toEqual({ code: area.code, via: "code" });
    expect(matcher.match(area.code.toLowerCase())).toEqual({ code: area.code, via: "code" });
    expect(matcher.match(` ${area.code} `)).toEqual({ code: area.code, via: "code" });
    expect(matcher.match(area.nameEn)?.code).toBe(area.code);
    expect(matcher.match(area.nameCy)?.code).toBe(area.code);
    expect(matcher.match(area.nameEn.toUpperCase())?.code).toBe(area.code);
  });

  it("reports how it matched, preferring the English name when both names are the same", () => {
    expect(matcher.match("Cardiff")).toEqual({ code: "W06000015", via: "name_en" });
    expect(matcher.match("Caerdydd")).toEqual({ code: "W06000015", via: "name_cy" });
    expect(matcher.match("Gwynedd")).toEqual({ code: "W06000002", via: "name_en" });
    expect(matcher.match("Cymru")).toEqual({ code: "W92000004", via: "name_cy" });
  });

  it.each<[string, string, AreaMatchVia]>([
    ["W06000007", "W06000023", "alias_code"],
    ["w06000007", "W06000023", "alias_code"],
    ["W06000017", "W06000024", "alias_code"],
    ["Ynys Mon", "W06000001", "name_cy"],
    ["ynys môn", "W06000001", "name_cy"],
    ["Anglesey", "W06000001", "alias"],
    ["Isle of Anglesey County Council", "W06000001", "name_en"],
    ["Sir Gaerfryddin", "W06000010", "alias"],
    ["Sir Gâr", "W06000010", "alias"],
    ["Sir Gar", "W06000010", "alias"],
    ["Sir Y Fflint", "W06000005", "name_cy"],
    ["Sir y Flint", "W06000005", "alias"],
    ["Tor-faen", "W06000020", "name_en"],
    ["Torfaen / Tor-faen", "W06000020", "alias"],
    ["Rhondda Cynon Taff", "W06000016", "alias"],
    ["Rhondda, Cynon, Taff", "W06000016", "alias"],
    ["The Vale of Glamorgan", "W06000014", "name_en"],
    ["Merthyr", "W06000024", "alias"],
    ["City and County of Swansea", "W06000011", "name_en"],
    ["Neath Port Talbot Council", "W06000012", "name_en"],
    ["Cyngor Bwrdeistref Sirol Pen-y-bont ar Ogwr", "W06000013", "name_cy"],
  ])("matches the variant %j → %s via %s", (input, code, via) => {
    expect(matcher.match(input)).toEqual({ code, via });
  });

  it.each<[string, string, AreaMatchVia]>([
    ["Newport (Casnewydd)", "W06000022", "name_en"],
    ["Casnewydd (Newport)", "W06000022", "name_cy"],
    ["Cardiff / Caerdydd", "W06000015", "name_en"],
    ["Cardiff | Caerdydd", "W06000015", "name_en"],
    ["Caerdydd - Cardiff", "W06000015", "name_cy"],
    ["Powys (W06000023)", "W06000023", "name_en"],
    ["W06000007 (Powys)", "W06000023", "alias_code"],
    ["Ynys Mon / Isle of Anglesey", "W06000001", "name_cy"],
  ])("matches the bilingual or annotated label %j when every part agrees", (input, code, via) => {
    expect(matcher.match(input)).toEqual({ code, via });
  });

  it.each(["Powys (Ceredigion)", "Cardiff / Atlantis", "Newport (W06000015)", "(Cardiff)x(Nowhere)"])(
    "rejects the label %j whose parts disagree or do not all match",
    (input) => {
      expect(matcher.match(input)).toBeNull();
    },
  );

  it.each(["", "   ", "Nowhere", "W06000099", "England", "Port Talbot", "Vale", "Cardiff and Vale"])(
    "returns null for %j",
    (input) => {
      expect(matcher.match(input)).toBeNull();
    },
  );

  it("returns null for null, undefined and non-strings", () => {
    expect(matcher.match(null)).toBeNull();
    expect(matcher.match(undefined)).toBeNull();
    expect(matcher.match(42 as unknown as string)).toBeNull();
  });

  it("classifies GSS-shaped aliases as alias codes and honours aliasCodes", () => {
    const m = createAreaMatcher([
      { code: "W06000023", nameEn: "Powys", nameCy: "Powys", aliases: ["w06000007", "Powys CC"], aliasCodes: ["524"] },
    ]);
    expect(m.match("W06000007")).toEqual({ code: "W06000023", via: "alias_code" });
    expect(m.match("524")).toEqual({ code: "W06000023", via: "alias_code" });
    expect(m.match("Powys CC")).toEqual({ code: "W06000023", via: "alias" });
  });

  it("prefers an area's own name over another area's alias", () => {
    const m = createAreaMatcher([
      { code: "A00000001", nameEn: "Alpha", nameCy: "Alffa", aliases: ["Beta"] },
      { code: "B00000002", nameEn: "Beta", nameCy: "Beta", aliases: [] },
    ]);
    expect(m.match("Beta")).toEqual({ code: "B00000002", via: "name_en" });
  });

  it("returns null when two areas claim the same key at the same level", () => {
    const m = createAreaMatcher([
      { code: "A00000001", nameEn: "Newport", nameCy: "Casnewydd", aliases: ["Shared"] },
      { code: "E06000999", nameEn: "Newport", nameCy: "Newport", aliases: ["Shared"] },
    ]);
    expect(m.match("Newport")).toBeNull();
    expect(m.match("Shared")).toBeNull();
    expect(m.match("Casnewydd")).toEqual({ code: "A00000001", via: "name_cy" });
    expect(m.match("e06000999")).toEqual({ code: "E06000999", via: "code" });
  });

  it("tolerates case, accents, hyphens and spaces in any Welsh area name", () => {
    const names = WALES_AREAS.flatMap((a) => [
      [a.code, a.nameEn],
      [a.code, a.nameCy],
    ]) as [string, string][];
    const accents: Record<string, string> = { a: "â", e: "ê", i: "î", o: "ô", u: "û", w: "ŵ", y: "ŷ" };
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 40, maxLength: 40 }),
        ([code, name], choices) => {
          const mangled = [...name]
            .map((ch, i) => {
              const c = choices[i] ?? 0;
              if (ch === " " || ch === "-") return c < 2 ? "-" : c < 4 ? " " : c === 4 ? "  " : "";
              if (c === 1) return ch.toUpperCase();
              if (c === 2) return ch.toLowerCase();
              if (c === 3) return accents[ch.toLowerCase()] ?? ch;
              return ch;
            })
            .join("");
          expect(matcher.match(mangled)?.code).toBe(code);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("withAreaAliases adds the alias table without mutating its input", () => {
    const before = JSON.stringify(WALES_AREAS);
    const merged = withAreaAliases(WALES_AREAS);
    expect(JSON.stringify(WALES_AREAS)).toBe(before);
    expect(merged.find((a) => a.code === "W06000023")).toMatchObject({ aliases: [], aliasCodes: ["W06000007"] });
    expect(merged.find((a) => a.code === "W06000024")).toMatchObject({
      aliases: ["Merthyr"],
      aliasCodes: ["W06000017"],
    });
    expect(merged.find((a) => a.code === "W06000015")).toBe(WALES_AREAS.find((a) => a.code === "W06000015"));
    const custom = withAreaAliases(WALES_AREAS, { W06000015: { names: ["Cardydd"], codes: ["552"] } });
    expect(createAreaMatcher(custom).match("552")).toEqual({ code: "W06000015", via: "alias_code" });
  });

  it("WALES_AREA_ALIASES lists only current local authority codes and retired codes as aliases", () => {
    const codes = new Set(WALES_AREAS.map((a) => a.code));
    for (const [code, entry] of Object.entries(WALES_AREA_ALIASES)) {
      expect(codes.has(code)).toBe(true);
      for (const retired of entry.codes) expect(codes.has(retired)).toBe(false);
      for (const name of entry.names) expect(matcher.match(name)?.code).toBe(code);
    }
  });
});

describe("against the shared reference and sample data", () => {
  it("the typed area list in the tests agrees with reference/areas-wales.csv", (ctx) => {
    requireShared(ctx);
    const rows = readSharedCsv("reference/areas-wales.csv");
    expect(rows.map((r) => ({ code: r.code, nameEn: r.name_en, nameCy: r.name_cy, aliases: [] }))).toEqual(WALES_AREAS);
  });

  it("every area in the reference files matches its own code by English and Welsh name", (ctx) => {
    requireShared(ctx);
    const areas = areasFromReference();
    const m = createAreaMatcher(withAreaAliases(areas));
    for (const area of areas) {
      expect(m.match(area.code)).toEqual({ code: area.code, via: "code" });
      expect(m.match(area.nameEn)?.code, area.nameEn).toBe(area.code);
      // Powys Teaching Health Board's Welsh name is "Powys", which the council's English name wins
      if (area.code !== "W11000024") expect(m.match(area.nameCy)?.code, area.nameCy).toBe(area.code);
    }
    expect(m.match("Powys")).toEqual({ code: "W06000023", via: "name_en" });
  });

  it("every WALES_AREA_ALIASES key is a code in reference/areas-wales.csv", (ctx) => {
    requireShared(ctx);
    const codes = new Set(readSharedCsv("reference/areas-wales.csv").map((r) => r.code));
    for (const code of Object.keys(WALES_AREA_ALIASES)) expect(codes.has(code), code).toBe(true);
  });

  it("every area name in the sample data files matches the row's code in reference/areas-wales.csv", (ctx) => {
    requireShared(ctx);
    const refCodes = new Set(readSharedCsv("reference/areas-wales.csv").map((r) => r.code));
    const m = createAreaMatcher(withAreaAliases(areasFromReference()));
    const files = sampleCsvFiles();
    expect(files.length).toBeGreaterThan(0);
    let rows = 0;
    for (const file of files) {
      for (const row of readSharedCsv(file)) {
        const name = row.area_name ?? "";
        const match = m.match(name);
        expect(match, `${file}: ${name}`).not.toBeNull();
        expect(refCodes.has(match?.code ?? ""), `${file}: ${name}`).toBe(true);
        if (row.area_code) expect(match?.code, `${file}: ${name}`).toBe(row.area_code);
        rows++;
      }
    }
    expect(rows).toBeGreaterThan(1000);
  });
});
