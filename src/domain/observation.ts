/**
 * The canonical shape of an observation: one value of a measure for an area, a period and a breakdown, with its
 * counts, its confidence limits and where it came from. Narrower shapes are derived from it: the analysis's input
 * (`AnalysisObservation`, services/analysis/types.ts) and the public one after disclosure control
 * (`PublicObservation`); the stored visible revision (`VisibleObservation`, src/db/queries/visible-observations.ts)
 * adds its revision and batch.
 */
export interface Observation {
  measureCode: string;
  areaCode: string;
  /** Period code, e.g. "2019-20", "2021", "2022Q3". */
  period: string;
  /** `YYYY-MM-DD`, the last day of the period. */
  periodEnd: string;
  /** Canonical breakdown: "total", or "dimension=value" pairs joined by ";" in dimension order. */
  breakdown: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  lower95: number | null;
  upper95: number | null;
  lower998: number | null;
  upper998: number | null;
  /** Whether the limits came with the data (rather than being computed). */
  ciSupplied: boolean;
  noteCodes: readonly string[];
  /** Generated demonstration data, never real statistics. */
  illustrative: boolean;
}
