/**
 * govuk-frontend's stylesheet with a system font stack instead of GDS Transport.
 *
 * GDS Transport is licensed only for services on gov.uk; OMF is not one. govuk-frontend's documented setting for
 * this is `$govuk-font-family` (with `$govuk-include-default-font-face` then false, so no `@font-face` rules). OMF
 * ships the precompiled stylesheet rather than compiling Sass, so it applies the same change to that stylesheet:
 * the font stack replaces GDS Transport's and the GDS Transport `@font-face` rules are dropped. The result is built
 * once, on first use; if a govuk-frontend upgrade changes the stylesheet so that GDS Transport is still named, it
 * throws rather than serve the font.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The font stack used everywhere instead of GDS Transport (system fonts first, then common fallbacks). */
export const systemFontStack = 'system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif';

export function withSystemFont(css: string): string {
  const out = css
    .replace(/@font-face\{[^}]*font-family:\s*"?GDS Transport"?[^}]*\}/g, "")
    .replace(/"?GDS Transport"?,\s*arial,\s*sans-serif/gi, systemFontStack)
    .replace(/\/\*# sourceMappingURL=[^*]*\*\//g, "");
  if (/GDS Transport|\/fonts\//i.test(out)) {
    throw new Error("govuk-frontend's stylesheet still names GDS Transport or its font files after the font change");
  }
  return out;
}

let cached: string | undefined;

export function govukStylesheet(govukDist: string): string {
  cached ??= withSystemFont(readFileSync(join(govukDist, "govuk", "govuk-frontend.min.css"), "utf8"));
  return cached;
}
