/**
 * Finding English UI text on a Welsh page: the English locale strings to look for, and the ones a page shows. Used by
 * the Welsh page tests (public pages and the analysts' pages).
 */
import { localeStrings } from "../../src/web/i18n.ts";
import { readableText } from "./readable-text.ts";

/** English fragments that may appear on Welsh pages: proper nouns and codes shared by both languages. */
export const ALLOWED = new Set(["OMF", "Fingertips", "Excel (XLSX)", "OpenAPI 3.1", "GET"]);

/** English strings a govuk-frontend component falls back to when a label is not passed. */
export const GOVUK_DEFAULTS = [
  "Breadcrumb",
  "Support links",
  "Skip to main content",
  "Service information",
  "Menu",
  "Back to top",
  "Crown copyright",
  "All content is available under the Open Government Licence",
  "There is a problem",
  "Important",
  "Success",
];

/** Fragments of English locale strings to look for: literal parts between {placeholders}, 4+ letters. */
export function englishFragments(): { key: string; fragment: string }[] {
  const cy = localeStrings("cy");
  const out: { key: string; fragment: string }[] = [];
  for (const [key, en] of localeStrings("en")) {
    if (cy.get(key) === en) continue;
    for (const part of en.split(/\{\w+\}/)) {
      const fragment = part.trim().replace(/^[.,:;()\s]+|[.,:;()\s]+$/g, "");
      if ((fragment.match(/\p{L}/gu)?.length ?? 0) < 4 || ALLOWED.has(fragment)) continue;
      if (cy.get(key)?.includes(fragment)) continue; // e.g. a code inside both sentences
      out.push({ key, fragment });
    }
  }
  return out;
}

export const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * True when `fragment` appears in `text` as whole words. A word joined to others by a hyphen or underscore is part of
 * a code (a measure code such as fully-immunised-by-4, an area code such as region-north-wales), not English text.
 */
export function containsWords(text: string, fragment: string): boolean {
  // most fragments are not in the text at all: a plain search first spares compiling a pattern for each of them
  if (!text.includes(fragment)) return false;
  return new RegExp(`(?<![\\p{L}\\p{N}_-])${escapeRe(fragment)}(?![\\p{L}\\p{N}_-])`, "u").test(text);
}

/** The English locale strings and govuk-frontend defaults a reader meets on a rendered (Welsh) page. */
export function englishLeaks(
  html: string,
  fragments = englishFragments(),
  ignore: (fragment: string) => boolean = () => false,
): string[] {
  const text = readableText(html);
  return [
    ...fragments
      .filter(({ fragment }) => !ignore(fragment) && containsWords(text, fragment))
      .map(({ key, fragment }) => `${key}: "${fragment}"`),
    ...GOVUK_DEFAULTS.filter((s) => containsWords(text, s)).map((s) => `govuk-frontend default: "${s}"`),
  ];
}
