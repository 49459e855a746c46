import type { AreaType, BilingualText } from "../../domain/enums.ts";

/** The four area content files, read from one directory (`content/areas/`). */
export const AREA_CONTENT_FILES = {
  areas: "areas.csv",
  groupings: "groupings.csv",
  members: "grouping-members.csv",
  aliases: "area-aliases.csv",
} as const;
export type AreaContentFile = keyof typeof AREA_CONTENT_FILES;

/** Kinds of area alias: an older code for the same area, or another spelling of its name. */
export const AREA_ALIAS_KINDS = ["retired_code", "spelling"] as const;
export type AreaAliasKind = (typeof AREA_ALIAS_KINDS)[number];

/** Area types that are groupings of local authorities (listed in `groupings.csv`), not areas in `areas.csv`. */
export const GROUPING_AREA_TYPES = [
  "health_board",
  "education_consortium",
  "police_force_area",
  "fire_rescue",
  "region",
  "custom",
] as const satisfies readonly AreaType[];

/** Validity dates are ISO dates (`YYYY-MM-DD`), inclusive; null means open-ended. */
export interface ValidityPeriod {
  validFrom: string | null;
  validTo: string | null;
}

/**
 * An area: Wales or a local authority (from `areas.csv`), or a grouping such as a health board (from
 * `groupings.csv`; groupings are areas too, so data can be published for them).
 */
export interface AreaRecord extends ValidityPeriod {
  code: string;
  /** English name, and Welsh (a missing Welsh name is a warning, shown as "not yet translated"). */
  name: BilingualText;
  type: AreaType;
  parentCode: string | null;
  /** `areas.csv`: the StatsWales standard order (north to south-east), Wales first; groupings: order in the file. */
  sortOrder: number;
}

/** A row of `grouping-members.csv`: an area in a grouping for a period. */
export interface AreaMembershipRecord extends ValidityPeriod {
  groupingCode: string;
  areaCode: string;
}

/** A row of `area-aliases.csv`, used to match area codes and names in imported files. */
export interface AreaAliasRecord {
  /** The area (or grouping) the alias stands for. */
  areaCode: string;
  alias: string;
  kind: AreaAliasKind;
}

/** Area reference content: areas and groupings, time-versioned membership, aliases. */
export interface AreaContent {
  areas: AreaRecord[];
  memberships: AreaMembershipRecord[];
  aliases: AreaAliasRecord[];
}

/** True when a record with validity dates is valid on the given ISO date. */
export function isValidOn(period: ValidityPeriod, date: string): boolean {
  return (period.validFrom === null || period.validFrom <= date) && (period.validTo === null || date <= period.validTo);
}
