import { describe, expect, it } from "vitest";
import type { AreaRow } from "../../../src/db/queries/areas.ts";
import {
  type AreaDirectory,
  areaName,
  groupingsOfArea,
  groupingsOn,
  membersOfGrouping,
  sortAreas,
} from "../../../src/services/public/area-directory.ts";
import { WELSH_LA_NAMES_CY_SORTED } from "../../domain/helpers/wales-areas.ts";

const NAMES: [string, string][] = [
  ["Isle of Anglesey", "Ynys Môn"],
  ["Gwynedd", "Gwynedd"],
  ["Conwy", "Conwy"],
  ["Denbighshire", "Sir Ddinbych"],
  ["Flintshire", "Sir y Fflint"],
  ["Wrexham", "Wrecsam"],
  ["Powys", "Powys"],
  ["Ceredigion", "Ceredigion"],
  ["Pembrokeshire", "Sir Benfro"],
  ["Carmarthenshire", "Sir Gaerfyrddin"],
  ["Swansea", "Abertawe"],
  ["Neath Port Talbot", "Castell-nedd Port Talbot"],
  ["Bridgend", "Pen-y-bont ar Ogwr"],
  ["Vale of Glamorgan", "Bro Morgannwg"],
  ["Cardiff", "Caerdydd"],
  ["Rhondda Cynon Taf", "Rhondda Cynon Taf"],
  ["Merthyr Tydfil", "Merthyr Tudful"],
  ["Caerphilly", "Caerffili"],
  ["Blaenau Gwent", "Blaenau Gwent"],
  ["Torfaen", "Torfaen"],
  ["Monmouthshire", "Sir Fynwy"],
  ["Newport", "Casnewydd"],
];
const area = (code: string, en: string, cy: string, type = "local_authority", sortOrder = 0): AreaRow => ({
  code,
  name: { en, cy },
  type,
  parentCode: null,
  sortOrder,
  validFrom: null,
  validTo: null,
});
const las = NAMES.map(([en, cy], i) => area(`LA${i}`, en, cy, "local_authority", i + 1));

describe("area order", () => {
  it("sorts in Welsh alphabetical order on Welsh pages (ch, dd, ff, ll … are letters)", () => {
    expect(sortAreas(las, "cy").map((a) => areaName(a, "cy"))).toEqual(WELSH_LA_NAMES_CY_SORTED);
    const dd = sortAreas([area("a", "x", "Sir Ddinbych"), area("b", "y", "Sir Dyfed")], "cy").map((a) => a.code);
    expect(dd).toEqual(["b", "a"]); // "dd" comes after "d…" in Welsh
  });

  it("sorts in English or in the standard StatsWales order", () => {
    expect(sortAreas(las, "en")[0]!.name.en).toBe("Blaenau Gwent");
    expect(sortAreas(las, "en", "standard")[0]!.name.en).toBe("Isle of Anglesey");
    expect(areaName({ name: { en: "Only English" } }, "cy")).toBe("Only English");
  });
});

describe("groupings on a date", () => {
  const old = { ...area("HB1", "Old board", "Hen fwrdd", "health_board"), validTo: "2019-03-31" };
  const current = { ...area("HB2", "New board", "Bwrdd newydd", "health_board"), validFrom: "2019-04-01" };
  const dir: AreaDirectory = {
    areas: [las[0]!, old, current],
    byCode: new Map([las[0]!, old, current].map((a) => [a.code, a])),
    wales: null,
    localAuthorities: [las[0]!],
    groupings: [old, current],
    memberships: [
      { groupingCode: "HB1", areaCode: "LA0", validFrom: null, validTo: "2019-03-31" },
      { groupingCode: "HB2", areaCode: "LA0", validFrom: "2019-04-01", validTo: null },
    ],
  };
  it("follows time-versioned memberships", () => {
    expect(groupingsOfArea(dir, "LA0", "2018-06-30").map((g) => g.code)).toEqual(["HB1"]);
    expect(groupingsOfArea(dir, "LA0", "2020-06-30").map((g) => g.code)).toEqual(["HB2"]);
    expect(membersOfGrouping(dir, "HB2", "2018-01-01")).toEqual([]);
    expect(groupingsOn(dir, "2024-01-01").map((g) => g.code)).toEqual(["HB2"]);
  });
});
