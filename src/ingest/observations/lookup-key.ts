/** Normalises text for case- and accent-insensitive lookups (measure text, column names, dimension labels). */
export function lookupKey(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[\s_\-–—]+/g, " ")
    .trim();
}
