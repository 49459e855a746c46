/**
 * Matches a file's column headings to the tidy columns and breakdown dimensions: case-insensitively, with the usual
 * synonyms (e.g. "Area code", "Year", "Lower 95% CI") and the mapping file's renames. Unknown columns are ignored with
 * a warning; missing required columns are a file error.
 */
import { lookupKey } from "./lookup-key.ts";
import type { Mapping } from "./mapping.ts";
import { CANONICAL_COLUMNS, type CanonicalColumn, FileFormatError, type Issue } from "./types.ts";

/** Heading (normalised: lower case, words joined by "_") → tidy column. */
const SYNONYMS: Record<string, CanonicalColumn> = {
  measure_code: "measure_code",
  measure: "measure_code",
  indicator: "measure_code",
  indicator_code: "measure_code",
  mesur: "measure_code",
  area_code: "area_code",
  area: "area_code",
  geography_code: "area_code",
  geography: "area_code",
  gss_code: "area_code",
  ons_code: "area_code",
  local_authority_code: "area_code",
  cod_ardal: "area_code",
  ardal: "area_code",
  area_name: "area_name",
  name: "area_name",
  local_authority: "area_name",
  local_authority_name: "area_name",
  enw_ardal: "area_name",
  period: "period",
  year: "period",
  time_period: "period",
  reference_period: "period",
  time: "period",
  date: "period",
  cyfnod: "period",
  blwyddyn: "period",
  value: "value",
  obs_value: "value",
  gwerth: "value",
  numerator: "numerator",
  rhifiadur: "numerator",
  denominator: "denominator",
  enwadur: "denominator",
  lower_ci: "lower_ci",
  lower_95: "lower_ci",
  lower_95_ci: "lower_ci",
  lower_ci_95: "lower_ci",
  lci: "lower_ci",
  lower: "lower_ci",
  lower_confidence_limit: "lower_ci",
  upper_ci: "upper_ci",
  upper_95: "upper_ci",
  upper_95_ci: "upper_ci",
  upper_ci_95: "upper_ci",
  uci: "upper_ci",
  upper: "upper_ci",
  upper_confidence_limit: "upper_ci",
  note_code: "note_code",
  illustrative: "illustrative",
  enghreifftiol: "illustrative",
  note_codes: "note_code",
  note: "note_code",
  notes: "note_code",
  flag: "note_code",
  flags: "note_code",
  marker: "note_code",
  breakdown: "breakdown",
};

/** "Lower 95% CI" → "lower_95_ci". */
export function headingKey(heading: string): string {
  return lookupKey(heading.replace(/^\uFEFF/, ""))
    .replace(/%/g, "")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

export interface ResolvedColumns {
  /** Index of each tidy column present. */
  index: Partial<Record<CanonicalColumn, number>>;
  /** Breakdown dimension columns: dimension code and column index. */
  dimensions: { code: string; index: number }[];
  /** Column names as in the file, for messages. */
  names: string[];
  warnings: Issue[];
}

export interface DimensionTitles {
  code: string;
  titles: string[];
}

/**
 * Resolves headings. `fixedMeasure` says the measure comes from --measure or the mapping, so no measure column is
 * needed. Throws {@link FileFormatError} for a missing required column or two columns with the same meaning.
 */
export function resolveColumns(
  headings: readonly string[],
  options: { mapping?: Mapping | undefined; dimensions: readonly DimensionTitles[]; fixedMeasure: boolean },
): ResolvedColumns {
  const mapping = options.mapping;
  const renames = new Map<string, string>();
  for (const [from, to] of Object.entries(mapping?.columns ?? {})) renames.set(lookupKey(from), to);
  const ignore = new Set((mapping?.ignore ?? []).map(lookupKey));
  const dimensionByKey = new Map<string, string>();
  for (const d of options.dimensions) {
    dimensionByKey.set(headingKey(d.code), d.code);
    for (const t of d.titles) dimensionByKey.set(headingKey(t), d.code);
  }
  const index: Partial<Record<CanonicalColumn, number>> = {};
  const dimensions: { code: string; index: number }[] = [];
  const ignored: string[] = [];
  const claim = (target: CanonicalColumn, i: number) => {
    const existing = index[target];
    if (existing !== undefined) {
      throw new FileFormatError(
        `columns "${headings[existing]}" and "${headings[i]}" both give the ${target}; rename or ignore one (mapping: columns / ignore)`,
        1,
      );
    }
    index[target] = i;
  };
  for (const [i, heading] of headings.entries()) {
    const raw = heading.trim();
    if (raw === "") continue;
    const key = lookupKey(raw);
    if (ignore.has(key)) continue;
    const renamed = renames.get(key);
    if (renamed !== undefined) {
      if (renamed === "ignore") continue;
      if ((CANONICAL_COLUMNS as readonly string[]).includes(renamed)) {
        claim(renamed as CanonicalColumn, i);
        continue;
      }
      const dim = dimensionByKey.get(headingKey(renamed));
      if (dim) {
        dimensions.push({ code: dim, index: i });
        continue;
      }
      throw new FileFormatError(
        `the mapping maps column "${raw}" to "${renamed}", which is neither a tidy column (${CANONICAL_COLUMNS.join(", ")}) nor a breakdown dimension`,
      );
    }
    const hk = headingKey(raw);
    const canonical = SYNONYMS[hk];
    if (canonical) {
      claim(canonical, i);
      continue;
    }
    const dim = dimensionByKey.get(hk);
    if (dim) {
      if (dimensions.some((d) => d.code === dim)) {
        throw new FileFormatError(`two columns give the breakdown "${dim}"`, 1);
      }
      dimensions.push({ code: dim, index: i });
      continue;
    }
    ignored.push(raw);
  }
  const missing: string[] = [];
  if (index.measure_code === undefined && !options.fixedMeasure)
    missing.push(
      "measure_code (or give the measure for the whole file: --measure CODE with omf import, the Measure field on the upload page)",
    );
  if (index.area_code === undefined && index.area_name === undefined) missing.push("area_code (or area_name)");
  if (index.period === undefined) missing.push("period");
  if (index.value === undefined) missing.push("value");
  if (missing.length > 0) {
    throw new FileFormatError(
      `the file has no ${missing.join(", no ")} column (its columns: ${headings.filter((h) => h !== "").join(", ")})`,
      1,
    );
  }
  const warnings: Issue[] = [];
  if (ignored.length > 0) {
    warnings.push({
      severity: "warning",
      row: 1,
      column: ignored.join(", "),
      value: "",
      code: "ignored_columns",
      message: `Columns ignored (not tidy columns or breakdown dimensions): ${ignored.join(", ")}. List them under "ignore" in a mapping file to silence this.`,
    });
  }
  return { index, dimensions, names: [...headings], warnings };
}
