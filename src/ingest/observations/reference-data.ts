/** What row validation is given (the reference data) and what it gives back (valid rows, issues). */
import type { MatchableArea } from "../../domain/area-name.ts";
import type { PeriodType } from "../../domain/period-type.ts";
import type { Issue } from "./types.ts";

export interface MeasureInfo {
  code: string;
  periodType: PeriodType;
  valueType: string;
  unit: string;
  multiplier: number;
  breakdowns: readonly string[];
  geographies: readonly string[];
  status: string;
  roundTo: number | null;
  /** Disclosure control: values whose protected count is below this are suppressed (absent: no such rule). */
  suppressBelow?: number | null | undefined;
  /** English and Welsh titles (matched when the measure column holds text instead of a code). */
  titles: readonly string[];
}

export interface DimensionInfo {
  code: string;
  titles: readonly string[];
  values: readonly { code: string; labels: readonly string[] }[];
}

export interface AreaInfo extends MatchableArea {
  type: string;
}

export interface ReferenceData {
  measures: readonly MeasureInfo[];
  areas: readonly AreaInfo[];
  dimensions: readonly DimensionInfo[];
}

/** A row that passed validation, ready to diff against the database. */
export interface ValidRow {
  row: number;
  measureCode: string;
  areaCode: string;
  period: string;
  periodEnd: string;
  breakdown: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  lower95: number | null;
  upper95: number | null;
  ciSupplied: boolean;
  noteCodes: readonly string[];
  /** Decimals written in the value text (used by plausibility and consistency checks). */
  valueText: string;
}

export interface IssueSink {
  add(issue: Issue): void;
}
