/** Labels for breakdown codes ("sex=female;age_band=15-17" → "Sex: Female; Age band: 15 to 17"). */
import type { DimensionRow } from "../../db/queries/dimensions.ts";
import { parseBreakdown } from "../../domain/breakdown.ts";
import type { BilingualText, Language } from "../../domain/enums.ts";

/** The breakdown in words in a language, or null for the total; unknown codes are shown as they are. */
export function breakdownLabel(dims: readonly DimensionRow[], code: string, lang: Language): string | null {
  const parsed = parseBreakdown(code);
  if (!parsed.ok) return code;
  const parts = Object.entries(parsed.parts);
  if (parts.length === 0) return null;
  const text = (b: BilingualText) => (lang === "cy" ? (b.cy ?? b.en) : b.en);
  return parts
    .map(([dim, value]) => {
      const d = dims.find((x) => x.code === dim);
      const v = d?.values.find((x) => x.code === value);
      return `${d ? text(d.title) : dim}: ${v ? text(v.label) : value}`;
    })
    .join("; ");
}

/** The dimension of a one-dimension breakdown ("sex=female" → "sex"), or null. */
export function breakdownDimension(code: string): string | null {
  const parsed = parseBreakdown(code);
  if (!parsed.ok) return null;
  const keys = Object.keys(parsed.parts);
  return keys.length === 1 ? keys[0]! : null;
}
