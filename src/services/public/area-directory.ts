/**
 * The areas as the public pages and API use them: Wales, the 22 local authorities, the groupings (health boards,
 * consortia, police force areas …) and their time-versioned memberships. Read once per data stamp.
 */
import type { Db } from "../../db/database.ts";
import { type AreaRow, listAreas, listMemberships } from "../../db/queries/areas.ts";

export type { AreaRow };

import type { Language } from "../../domain/enums.ts";
import { compareByLang } from "../../domain/welsh-collation.ts";

export interface Membership {
  groupingCode: string;
  areaCode: string;
  validFrom: string | null;
  validTo: string | null;
}

export interface AreaDirectory {
  areas: AreaRow[];
  byCode: ReadonlyMap<string, AreaRow>;
  wales: AreaRow | null;
  /** The 22 local authorities (the partnership areas), in the standard StatsWales order. */
  localAuthorities: AreaRow[];
  /** Everything that is neither Wales nor a local authority. */
  groupings: AreaRow[];
  memberships: Membership[];
}

export async function loadAreaDirectory(db: Db): Promise<AreaDirectory> {
  const [areas, memberships] = await Promise.all([listAreas(db), listMemberships(db)]);
  return {
    areas,
    byCode: new Map(areas.map((a) => [a.code, a])),
    wales: areas.find((a) => a.type === "country") ?? null,
    localAuthorities: areas.filter((a) => a.type === "local_authority"),
    groupings: areas.filter((a) => a.type !== "country" && a.type !== "local_authority"),
    memberships,
  };
}

function validOn(m: { validFrom: string | null; validTo: string | null }, date: string): boolean {
  return (m.validFrom === null || m.validFrom <= date) && (m.validTo === null || m.validTo >= date);
}

/** The groupings an area belonged to on a date (ISO `YYYY-MM-DD`). */
export function groupingsOfArea(dir: AreaDirectory, areaCode: string, date: string): AreaRow[] {
  return dir.memberships
    .filter((m) => m.areaCode === areaCode && validOn(m, date))
    .flatMap((m) => {
      const g = dir.byCode.get(m.groupingCode);
      return g && validOn(g, date) ? [g] : [];
    });
}

/** Member area codes of a grouping on a date. */
export function membersOfGrouping(dir: AreaDirectory, groupingCode: string, date: string): string[] {
  return dir.memberships.filter((m) => m.groupingCode === groupingCode && validOn(m, date)).map((m) => m.areaCode);
}

/** Groupings that are in use on a date (have members then), for comparator-group pickers. */
export function groupingsOn(dir: AreaDirectory, date: string): AreaRow[] {
  const used = new Set(dir.memberships.filter((m) => validOn(m, date)).map((m) => m.groupingCode));
  return dir.groupings.filter((g) => used.has(g.code) && validOn(g, date));
}

/** The area's name in a language (Welsh falls back to English). */
export function areaName(area: Pick<AreaRow, "name">, lang: Language): string {
  return lang === "cy" ? (area.name.cy ?? area.name.en) : area.name.en;
}

/**
 * Areas sorted for display: `alphabetical` by name in the page language (Welsh alphabetical order on Welsh pages:
 * ch, dd, ff, ng, ll, ph, rh, th are letters), or `standard` (the StatsWales north-to-south-east order).
 */
export function sortAreas<A extends Pick<AreaRow, "name" | "sortOrder" | "code">>(
  areas: readonly A[],
  lang: Language,
  order: "alphabetical" | "standard" = "alphabetical",
): A[] {
  const cmp = compareByLang(lang);
  return [...areas].sort((a, b) =>
    order === "standard"
      ? a.sortOrder - b.sortOrder || a.code.localeCompare(b.code)
      : cmp(areaName(a, lang), areaName(b, lang)),
  );
}
