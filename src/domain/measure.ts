/**
 * The canonical shape of a measure: its definition, as the framework content describes it and the database stores
 * it. Every narrower shape is derived from it (`Pick<Measure, …>`): what the analysis needs
 * (`MeasureSpec`, services/analysis/types.ts), what a group comparison needs (`GroupMeasureInfo`), and the stored row
 * (`MeasureRow`, src/db/queries/framework.ts, checked there to be a Measure). View models of pages are not measures:
 * they are built from one (e.g. `MeasurePageView`, web/pages/measure-view.ts).
 */
import type { BilingualText, Polarity, Unit, ValueType } from "./enums.ts";
import type { PeriodType } from "./period-type.ts";

export interface Measure {
  /** Stable, human-readable code, e.g. "low-birth-weight". */
  code: string;
  title: BilingualText;
  shortTitle: BilingualText | null;
  layDefinition: BilingualText;
  technicalDefinition: BilingualText;
  rationale: BilingualText | null;
  numeratorDefinition: BilingualText | null;
  denominatorDefinition: BilingualText | null;
  caveats: BilingualText | null;
  unit: Unit | string;
  /** Scale of the value: 100 for a percentage, 1,000 for "per 1,000" … */
  multiplier: number;
  /** Decimal places shown. */
  decimals: number;
  valueType: ValueType | string;
  polarity: Polarity | string;
  accountability: string;
  /** high_level, additional or development. */
  tier: string;
  sourceCode: string | null;
  frequency: string;
  periodType: PeriodType | string;
  /** Area types the measure is published for, e.g. ["country", "local_authority", "health_board"]. */
  geographies: readonly string[];
  /** Breakdown dimension codes, e.g. ["sex", "fsm"]. */
  breakdowns: readonly string[];
  /** Disclosure control: counts below this are suppressed (public outputs). */
  suppressBelow: number | null;
  /** Disclosure control: counts are rounded to a multiple of this (public outputs). */
  roundTo: number | null;
  targetValue: number | null;
  targetNote: BilingualText | null;
  /** live, in_development, retired … */
  status: string;
  replacesCode: string | null;
  breakInSeries: string | null;
  owner: string | null;
  nextReview: string | null;
  /** The measure's codes in other national frameworks (e.g. National Strategic Indicator EDU/002i). */
  crossReferences: CrossReference[];
}

/**
 * Other national frameworks a measure may carry codes of (DOMAIN.md §3): the National Strategic Indicators, the 2006
 * child poverty indicator set (Eradicating Child Poverty in Wales: Measuring Success, numbered indicators) and the
 * social services performance measures (CH/…).
 */
export const OTHER_FRAMEWORKS = ["nsi", "child_poverty_2006", "social_services"] as const;
export type OtherFramework = (typeof OTHER_FRAMEWORKS)[number];

/** A measure's code in another national framework. */
export interface CrossReference {
  framework: OtherFramework;
  code: string;
}

/** Codes compared as readers type them: case and spaces do not matter ("edu/002I" is EDU/002i). */
export const crossReferenceKey = (code: string): string => code.replaceAll(/\s+/g, "").toLowerCase();
