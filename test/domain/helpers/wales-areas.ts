/**
 * The 22 Welsh principal councils and Wales, as facts (ONS GSS codes, English and Welsh names),
 * in the StatsWales north-to-south order. Typed here so most tests run without the shared folder;
 * a shared-data test checks this list against reference/areas-wales.csv.
 */
import type { MatchableArea } from "../../../src/domain/area-name.ts";

export const WALES_AREAS: readonly MatchableArea[] = [
  { code: "W92000004", nameEn: "Wales", nameCy: "Cymru", aliases: [] },
  { code: "W06000001", nameEn: "Isle of Anglesey", nameCy: "Ynys Môn", aliases: [] },
  { code: "W06000002", nameEn: "Gwynedd", nameCy: "Gwynedd", aliases: [] },
  { code: "W06000003", nameEn: "Conwy", nameCy: "Conwy", aliases: [] },
  { code: "W06000004", nameEn: "Denbighshire", nameCy: "Sir Ddinbych", aliases: [] },
  { code: "W06000005", nameEn: "Flintshire", nameCy: "Sir y Fflint", aliases: [] },
  { code: "W06000006", nameEn: "Wrexham", nameCy: "Wrecsam", aliases: [] },
  { code: "W06000023", nameEn: "Powys", nameCy: "Powys", aliases: [] },
  { code: "W06000008", nameEn: "Ceredigion", nameCy: "Ceredigion", aliases: [] },
  { code: "W06000009", nameEn: "Pembrokeshire", nameCy: "Sir Benfro", aliases: [] },
  { code: "W06000010", nameEn: "Carmarthenshire", nameCy: "Sir Gaerfyrddin", aliases: [] },
  { code: "W06000011", nameEn: "Swansea", nameCy: "Abertawe", aliases: [] },
  { code: "W06000012", nameEn: "Neath Port Talbot", nameCy: "Castell-nedd Port Talbot", aliases: [] },
  { code: "W06000013", nameEn: "Bridgend", nameCy: "Pen-y-bont ar Ogwr", aliases: [] },
  { code: "W06000014", nameEn: "Vale of Glamorgan", nameCy: "Bro Morgannwg", aliases: [] },
  { code: "W06000015", nameEn: "Cardiff", nameCy: "Caerdydd", aliases: [] },
  { code: "W06000016", nameEn: "Rhondda Cynon Taf", nameCy: "Rhondda Cynon Taf", aliases: [] },
  { code: "W06000024", nameEn: "Merthyr Tydfil", nameCy: "Merthyr Tudful", aliases: [] },
  { code: "W06000018", nameEn: "Caerphilly", nameCy: "Caerffili", aliases: [] },
  { code: "W06000019", nameEn: "Blaenau Gwent", nameCy: "Blaenau Gwent", aliases: [] },
  { code: "W06000020", nameEn: "Torfaen", nameCy: "Torfaen", aliases: [] },
  { code: "W06000021", nameEn: "Monmouthshire", nameCy: "Sir Fynwy", aliases: [] },
  { code: "W06000022", nameEn: "Newport", nameCy: "Casnewydd", aliases: [] },
];

/** The 22 local authorities' Welsh names in Welsh alphabetical order (WELSH.md §2). */
export const WELSH_LA_NAMES_CY_SORTED: readonly string[] = [
  "Abertawe",
  "Blaenau Gwent",
  "Bro Morgannwg",
  "Caerdydd",
  "Caerffili",
  "Casnewydd",
  "Castell-nedd Port Talbot",
  "Ceredigion",
  "Conwy",
  "Gwynedd",
  "Merthyr Tudful",
  "Pen-y-bont ar Ogwr",
  "Powys",
  "Rhondda Cynon Taf",
  "Sir Benfro",
  "Sir Ddinbych",
  "Sir Fynwy",
  "Sir Gaerfyrddin",
  "Sir y Fflint",
  "Torfaen",
  "Wrecsam",
  "Ynys Môn",
];
