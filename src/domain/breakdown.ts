/**
 * Breakdowns: the canonical text that identifies which slice of the population a value describes. `"total"` for the
 * whole population, otherwise `"dim=value;dim2=value"` with dimension codes sorted, e.g. `"age_band=0;sex=female"`.
 * Pure: no I/O.
 */

export const TOTAL_BREAKDOWN = "total";

/** Characters that may not appear in a dimension or value code of a breakdown. */
const FORBIDDEN = /[=;\t\n\r\\]/;

/** The canonical breakdown for the given dimension values; empty values and "total" values are left out. */
export function canonicalBreakdown(parts: Readonly<Record<string, string | null | undefined>>): string {
  const entries = Object.entries(parts)
    .filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== "" && e[1] !== TOTAL_BREAKDOWN)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return TOTAL_BREAKDOWN;
  return entries.map(([k, v]) => `${k}=${v}`).join(";");
}

export type BreakdownParse = { ok: true; parts: Record<string, string> } | { ok: false; error: string };

/**
 * Parses breakdown text (`total`, empty, or `dim=value;dim=value` in any order) into its parts. Does not check that the
 * dimensions or values exist; see the import validator for that.
 */
export function parseBreakdown(text: string): BreakdownParse {
  const s = text.trim();
  if (s === "" || s.toLowerCase() === TOTAL_BREAKDOWN) return { ok: true, parts: {} };
  const parts: Record<string, string> = {};
  for (const piece of s.split(";")) {
    const item = piece.trim();
    if (item === "") continue;
    const eq = item.indexOf("=");
    if (eq <= 0 || eq === item.length - 1) {
      return { ok: false, error: `"${item}" is not dimension=value (e.g. sex=female;age_band=0)` };
    }
    const dim = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    if (FORBIDDEN.test(dim) || FORBIDDEN.test(value))
      return { ok: false, error: `"${item}" has a forbidden character` };
    if (dim in parts) return { ok: false, error: `dimension "${dim}" appears twice` };
    parts[dim] = value;
  }
  return { ok: true, parts };
}

/** True when a code is safe to use as a breakdown dimension or value. */
export function isBreakdownCode(code: string): boolean {
  return code !== "" && !FORBIDDEN.test(code);
}
