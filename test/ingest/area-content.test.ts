import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AREA_CONTENT_FILES, type AreaContentFile } from "../../src/ingest/areas/area-content.ts";
import { groupingsOfAreaOn, membersOfGroupingOn } from "../../src/ingest/areas/groupings-on-date.ts";
import {
  type AreaContentTexts,
  parseAreaContent,
  type ReadAreaContentResult,
  readAreaContent,
} from "../../src/ingest/areas/read-area-content.ts";
import { errorsOnly, formatProblem } from "../../src/ingest/content-problem.ts";

const areasDir = fileURLToPath(new URL("../../content/areas", import.meta.url));

let shipped: ReadAreaContentResult;
let tmp: string;

beforeAll(() => {
  shipped = readAreaContent(areasDir);
  tmp = mkdtempSync(join(tmpdir(), "omf-areas-"));
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

const BRIDGEND = "W06000013";

const WELSH_NAMES: Record<string, string> = {
  W92000004: "Cymru",
  W06000001: "Ynys Môn",
  W06000004: "Sir Ddinbych",
  W06000005: "Sir y Fflint",
  W06000006: "Wrecsam",
  W06000009: "Sir Benfro",
  W06000010: "Sir Gaerfyrddin",
  W06000011: "Abertawe",
  W06000012: "Castell-nedd Port Talbot",
  W06000013: "Pen-y-bont ar Ogwr",
  W06000014: "Bro Morgannwg",
  W06000015: "Caerdydd",
  W06000018: "Caerffili",
  W06000021: "Sir Fynwy",
  W06000022: "Casnewydd",
  W06000024: "Merthyr Tudful",
};

describe("shipped area content", () => {
  it("reads with no errors and no warnings", () => {
    expect(shipped.problems.map(formatProblem)).toEqual([]);
  });

  it("has Wales and the 22 local authorities, all with Welsh names, in StatsWales order", () => {
    const wales = shipped.areas.filter((a) => a.type === "country");
    const las = shipped.areas.filter((a) => a.type === "local_authority").sort((a, b) => a.sortOrder - b.sortOrder);
    expect(wales.map((a) => a.code)).toEqual(["W92000004"]);
    expect(las).toHaveLength(22);
    for (const area of [...wales, ...las]) expect(area.name.cy, area.code).toBeTruthy();
    for (const [code, cy] of Object.entries(WELSH_NAMES)) {
      expect(shipped.areas.find((a) => a.code === code)?.name.cy).toBe(cy);
    }
    expect(las.map((a) => a.sortOrder)).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
    expect(las[0]?.name.en).toBe("Isle of Anglesey");
    expect(las[6]?.code).toBe("W06000023");
    expect(las[21]?.name.en).toBe("Newport");
    for (const la of las) expect(la.parentCode).toBe("W92000004");
    expect(shipped.areas.map((a) => a.code)).not.toContain("W06000007");
  });

  it("versions grouping membership over time: Bridgend's health board in 2018 and 2020", () => {
    const healthBoard = (date: string) => groupingsOfAreaOn(shipped, BRIDGEND, date, "health_board").map((g) => g.code);
    expect(healthBoard("2018-06-30")).toEqual(["W11000026"]);
    expect(healthBoard("2020-06-30")).toEqual(["W11000030"]);
    expect(healthBoard("2019-03-31")).toEqual(["W11000026"]);
    expect(healthBoard("2019-04-01")).toEqual(["W11000030"]);
    const names = groupingsOfAreaOn(shipped, BRIDGEND, "2018-06-30", "health_board").map((g) => g.name);
    expect(names).toEqual([
      { en: "Abertawe Bro Morgannwg University Health Board", cy: "Bwrdd Iechyd Prifysgol Abertawe Bro Morgannwg" },
    ]);
    expect(membersOfGroupingOn(shipped, "W11000031", "2018-06-30")).toEqual([]);
    expect(membersOfGroupingOn(shipped, "W11000031", "2020-06-30").sort()).toEqual(["W06000011", "W06000012"]);
    expect(membersOfGroupingOn(shipped, "W11000030", "2020-06-30").sort()).toEqual([
      "W06000013",
      "W06000016",
      "W06000024",
    ]);
  });

  it("puts every local authority in exactly one grouping of each type", () => {
    const las = shipped.areas.filter((a) => a.type === "local_authority");
    const types = ["health_board", "police_force_area", "education_consortium", "fire_rescue", "region"] as const;
    for (const date of ["2015-06-30", "2020-06-30"]) {
      for (const la of las) {
        for (const type of types) {
          expect(groupingsOfAreaOn(shipped, la.code, date, type), `${la.code} ${type} ${date}`).toHaveLength(1);
        }
      }
    }
    expect(groupingsOfAreaOn(shipped, "W06000015", "2010-06-30", "education_consortium")).toEqual([]);
    const regions = shipped.areas.filter((a) => a.type === "region").map((a) => a.code);
    expect(regions).toEqual([
      "region-north-wales",
      "region-mid-wales",
      "region-south-west-wales",
      "region-south-east-wales",
    ]);
    for (const g of shipped.areas.filter((a) => a.type !== "local_authority")) expect(g.name.cy, g.code).toBeTruthy();
  });

  it("has aliases for retired codes and known misspellings", () => {
    const alias = (a: string) => shipped.aliases.find((x) => x.alias === a);
    expect(alias("W06000007")).toEqual({ areaCode: "W06000023", alias: "W06000007", kind: "retired_code" });
    expect(alias("W06000017")).toEqual({ areaCode: "W06000024", alias: "W06000017", kind: "retired_code" });
    for (const [spelling, code] of [
      ["Ynys Mon", "W06000001"],
      ["Sir Gaerfryddin", "W06000010"],
      ["Sir Y Fflint", "W06000005"],
      ["Sir y Flint", "W06000005"],
      ["Tor-faen", "W06000020"],
      ["Torfaen / Tor-faen", "W06000020"],
    ] as const) {
      expect(alias(spelling), spelling).toEqual({ areaCode: code, alias: spelling, kind: "spelling" });
    }
  });
});

describe("validating area files", () => {
  const minimal: AreaContentTexts = {
    areas: [
      "code,name_en,name_cy,type,parent_code,sort_order,valid_from,valid_to",
      "W92000004,Wales,Cymru,country,,0,,",
      "W06000013,Bridgend,Pen-y-bont ar Ogwr,local_authority,W92000004,13,1996-04-01,",
    ].join("\n"),
    groupings: [
      "code,name_en,name_cy,type,valid_from,valid_to",
      "W11000026,Abertawe Bro Morgannwg,Abertawe Bro Morgannwg,health_board,2009-10-01,2019-03-31",
      "W11000030,Cwm Taf Morgannwg,Cwm Taf Morgannwg,health_board,2019-04-01,",
    ].join("\n"),
    members: [
      "grouping_code,area_code,valid_from,valid_to",
      "W11000026,W06000013,2009-10-01,2019-03-31",
      "W11000030,W06000013,2019-04-01,",
    ].join("\n"),
    aliases: "area_code,alias,kind\n",
  };

  /** Writes the minimal files with some replaced, reads them back, and returns the result. */
  function readWith(changes: Partial<AreaContentTexts>): ReadAreaContentResult {
    const dir = mkdtempSync(join(tmp, "case-"));
    for (const kind of Object.keys(AREA_CONTENT_FILES) as AreaContentFile[]) {
      writeFileSync(join(dir, AREA_CONTENT_FILES[kind]), changes[kind] ?? minimal[kind]);
    }
    return readAreaContent(dir);
  }

  it("accepts the minimal files", () => {
    const result = readWith({});
    expect(result.problems).toEqual([]);
    expect(result.areas).toHaveLength(4);
    expect(result.memberships).toHaveLength(2);
  });

  it("reports bad dates and periods that end before they start", () => {
    const result = readWith({
      members: [
        "grouping_code,area_code,valid_from,valid_to",
        "W11000026,W06000013,2009-10-01,2019-02-30",
        "W11000030,W06000013,2021-04-01,2019-04-01",
      ].join("\n"),
    });
    expect(result.problems[0]?.file.endsWith("grouping-members.csv")).toBe(true);
    expect(errorsOnly(result.problems)).toEqual([
      expect.objectContaining({ key: "line 2.valid_to", message: '"2019-02-30" is not a real date like 2019-04-01' }),
      expect.objectContaining({
        key: "line 3.valid_to",
        message: "valid_to 2019-04-01 is before valid_from 2021-04-01",
      }),
    ]);
    expect(result.memberships).toEqual([]);
  });

  it("reports unknown codes, types and kinds", () => {
    const result = readWith({
      areas: `${minimal.areas}\nW06000099,Nowhere,Unman,county,W99999999,14,,`,
      members: `${minimal.members}\nW11000099,W06000013,,\nW11000030,W06000098,,`,
      aliases: "area_code,alias,kind\nW06000097,Old name,spelling\nW06000013,Pen y Bont,nickname",
    });
    const messages = errorsOnly(result.problems).map((p) => `${p.file.split("/").pop()}: ${p.key}: ${p.message}`);
    expect(messages).toEqual([
      "areas.csv: line 4.type: must be one of: country, local_authority, health_board, education_consortium, police_force_area, fire_rescue, region, custom",
      'areas.csv: line 4.parent_code: unknown area "W99999999"',
      'grouping-members.csv: line 4.grouping_code: unknown grouping "W11000099"',
      'grouping-members.csv: line 5.area_code: unknown area "W06000098"',
      'area-aliases.csv: line 2.area_code: unknown area or grouping "W06000097"',
      "area-aliases.csv: line 3.kind: must be one of: retired_code, spelling",
    ]);
  });

  it("reports an area in two health boards at the same time", () => {
    const result = readWith({
      members: [
        "grouping_code,area_code,valid_from,valid_to",
        "W11000026,W06000013,2009-10-01,2019-03-31",
        "W11000030,W06000013,2019-03-01,",
      ].join("\n"),
    });
    expect(errorsOnly(result.problems)).toEqual([
      expect.objectContaining({
        key: "line 3.valid_from",
        message: expect.stringContaining("an area can be in only one health board at a time"),
      }),
    ]);
  });

  it("reports duplicate codes, missing columns and a missing Welsh name", () => {
    const result = readWith({
      areas: `${minimal.areas}\nW06000013,Bridgend again,,local_authority,W92000004,15,,`,
      groupings: "code,name_en,type\nW11000026,ABM,health_board",
    });
    const lines = result.problems.map((p) => `${p.severity}: ${p.key}: ${p.message}`);
    expect(lines).toContain('warning: line 4.name_cy: Welsh name missing (shown as "not yet translated")');
    expect(lines).toContain('error: line 4.code: duplicate area code "W06000013" (first on line 3)');
    expect(lines).toContain('error: line 3.grouping_code: unknown grouping "W11000030"');
  });

  it("reports a missing file", () => {
    const result = readAreaContent(join(tmp, "no-such-folder"));
    expect(result.problems).toHaveLength(4);
    expect(result.problems[0]).toMatchObject({ message: "file not found", severity: "error" });
  });

  it("parses texts without touching the file system", () => {
    const result = parseAreaContent(minimal);
    expect(result.problems).toEqual([]);
    expect(result.areas.find((a) => a.code === "W11000030")).toMatchObject({
      type: "health_board",
      validFrom: "2019-04-01",
      validTo: null,
    });
  });
});
