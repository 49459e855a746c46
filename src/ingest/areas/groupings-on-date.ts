import type { AreaType } from "../../domain/enums.ts";
import { type AreaContent, type AreaRecord, isValidOn } from "./area-content.ts";

/**
 * The groupings an area belonged to on a date (ISO `YYYY-MM-DD`), optionally of one type. For example Bridgend's
 * health board is Abertawe Bro Morgannwg on 2018-06-30 and Cwm Taf Morgannwg on 2020-06-30.
 */
export function groupingsOfAreaOn(content: AreaContent, areaCode: string, date: string, type?: AreaType): AreaRecord[] {
  const byCode = new Map(content.areas.map((a) => [a.code, a]));
  const out: AreaRecord[] = [];
  for (const membership of content.memberships) {
    if (membership.areaCode !== areaCode || !isValidOn(membership, date)) continue;
    const grouping = byCode.get(membership.groupingCode);
    if (grouping && isValidOn(grouping, date) && (type === undefined || grouping.type === type)) out.push(grouping);
  }
  return out;
}

/** The member areas of a grouping on a date (ISO `YYYY-MM-DD`), as area codes. */
export function membersOfGroupingOn(content: AreaContent, groupingCode: string, date: string): string[] {
  return content.memberships
    .filter((m) => m.groupingCode === groupingCode && isValidOn(m, date))
    .map((m) => m.areaCode);
}
