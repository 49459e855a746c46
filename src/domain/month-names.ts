import type { Language } from "./enums.ts";

/** English month names, January first. */
export const MONTH_NAMES_EN = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

/**
 * Welsh month names, Ionawr first (StatsWales `months.*`, see WELSH.md §4).
 * Note that *Mawrth* is both March and Tuesday; "mis Mawrth" is "the month of March".
 */
export const MONTH_NAMES_CY = [
  "Ionawr",
  "Chwefror",
  "Mawrth",
  "Ebrill",
  "Mai",
  "Mehefin",
  "Gorffennaf",
  "Awst",
  "Medi",
  "Hydref",
  "Tachwedd",
  "Rhagfyr",
] as const;

/** English three-letter month abbreviations. */
export const MONTH_ABBREVIATIONS_EN = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
] as const;

/** ICU short Welsh month forms (WELSH.md §4), accepted on input only; the UI uses full names. */
export const MONTH_ABBREVIATIONS_CY = [
  "Ion",
  "Chw",
  "Maw",
  "Ebr",
  "Mai",
  "Meh",
  "Gor",
  "Awst",
  "Medi",
  "Hyd",
  "Tach",
  "Rhag",
] as const;

const MONTH_LOOKUP: ReadonlyMap<string, number> = (() => {
  const map = new Map<string, number>();
  const lists = [MONTH_NAMES_EN, MONTH_NAMES_CY, MONTH_ABBREVIATIONS_EN, MONTH_ABBREVIATIONS_CY];
  for (const list of lists) {
    list.forEach((name, index) => {
      map.set(name.toLowerCase(), index + 1);
    });
  }
  map.set("sept", 9);
  return map;
})();

/** Full month name (1–12) in English or Welsh. Throws `RangeError` for a month outside 1–12. */
export function monthName(month: number, lang: Language): string {
  const name = (lang === "cy" ? MONTH_NAMES_CY : MONTH_NAMES_EN)[month - 1];
  if (name === undefined || !Number.isInteger(month)) throw new RangeError(`month must be 1 to 12, got ${month}`);
  return name;
}

/**
 * Month number (1–12) for an English or Welsh month name, full or abbreviated, in any case
 * (`"March"`, `"mar"`, `"Sept"`, `"Mawrth"`, `"Maw"`); `undefined` when not a month name.
 */
export function monthFromName(name: string): number | undefined {
  return MONTH_LOOKUP.get(name.trim().toLowerCase().replace(/\.$/, ""));
}
