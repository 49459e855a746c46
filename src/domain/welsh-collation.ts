import type { Language } from "./enums.ts";

/**
 * Welsh collation: ICU/CLDR `cy` rules, where ch, dd, ff, ng, ll, ph, rh and th are single
 * letters (so `lori` < `llaeth`, `fy` < `ffrwyth`) and accented vowels sort with their base
 * letter. Known limit (WELSH.md §2): words where n+g is not the letter ng (e.g. *llongyfarch*)
 * are sorted as if it were.
 */
const WELSH = new Intl.Collator("cy");
const ENGLISH = new Intl.Collator("en-GB");

/** Compare two strings in Welsh alphabetical order; for `Array.prototype.sort`. */
export function compareWelsh(a: string, b: string): number {
  return WELSH.compare(a, b);
}

/** Compare two strings in English (en-GB) alphabetical order. */
export function compareEnglish(a: string, b: string): number {
  return ENGLISH.compare(a, b);
}

/** The comparison function for a language. */
export function compareByLang(lang: Language): (a: string, b: string) => number {
  return lang === "cy" ? compareWelsh : compareEnglish;
}

/** Property names of `T` whose values are strings. */
export type StringKeys<T> = { [K in keyof T]-?: T[K] extends string ? K : never }[keyof T];

/**
 * A sorted copy of `items`, ordered by the name that `key` picks (a property name or a
 * function), using Welsh collation for `cy` and English for `en`. Stable: items with equal names
 * keep their input order. Sort keys stay separate from labels, so callers can offer both an
 * alphabetical and a fixed (e.g. StatsWales geographic) order.
 */
export function sortByName<T>(items: readonly T[], lang: Language, key: StringKeys<T> | ((item: T) => string)): T[] {
  const nameOf = typeof key === "function" ? key : (item: T) => item[key] as string;
  const compare = compareByLang(lang);
  return items
    .map((item, index) => ({ item, index, name: nameOf(item) }))
    .sort((x, y) => compare(x.name, y.name) || x.index - y.index)
    .map((entry) => entry.item);
}
