/**
 * One `as const` list per domain concept. Values are stable codes stored in the database, used in content
 * files, URLs and the API; labels live in the locale files (`src/web/locales/{en,cy}.json`).
 */

/** Direction in which a measure's value is judged. */
export const POLARITIES = ["higher_is_better", "lower_is_better", "no_judgement"] as const;
export type Polarity = (typeof POLARITIES)[number];

/** Unit of a measure's value (the multiplier says "per N" for rates). */
export const UNITS = ["percentage", "rate", "count", "mean", "ratio", "score"] as const;
export type Unit = (typeof UNITS)[number];

/** Statistical nature of a value: decides the confidence-interval method. */
export const VALUE_TYPES = [
  "proportion",
  "crude_rate",
  "directly_standardised_rate",
  "mean",
  "count",
  "ratio",
  "supplied_ci",
] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

/** Results-Based Accountability: population indicator, or a performance measure in one of the four quadrants. */
export const ACCOUNTABILITY_TYPES = [
  "population_indicator",
  "performance_how_much",
  "performance_how_well",
  "performance_better_off_number",
  "performance_better_off_percent",
] as const;
export type AccountabilityType = (typeof ACCOUNTABILITY_TYPES)[number];

/** High-level measures every partnership plan reports; additional measures sit in groups partnerships choose from. */
export const TIERS = ["high_level", "additional"] as const;
export type Tier = (typeof TIERS)[number];

/** Live measures have data; "in_development" is the data development agenda. */
export const MEASURE_STATUSES = ["live", "in_development", "retired"] as const;
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];

export const FRAMEWORK_STATUSES = ["draft", "published", "retired"] as const;
export type FrameworkStatus = (typeof FRAMEWORK_STATUSES)[number];

export const FREQUENCIES = ["annual", "quarterly", "monthly", "biennial", "periodic", "decennial"] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export const AREA_TYPES = [
  "country",
  "local_authority",
  "health_board",
  "education_consortium",
  "police_force_area",
  "fire_rescue",
  "region",
  "custom",
] as const;
export type AreaType = (typeof AREA_TYPES)[number];

/** StatsWales note-code vocabulary (shorthand letters in brackets in their tables). */
export const NOTE_CODES = [
  "provisional", // p
  "revised", // r
  "estimated", // e
  "break_in_series", // b
  "suppressed", // c: confidential / disclosure control
  "low_reliability", // u
  "not_available", // x
  "average", // a
  "forecast", // f
  "not_applicable", // z
] as const;
export type NoteCode = (typeof NOTE_CODES)[number];

/** StatsWales shorthand letter for each note code, accepted on import as well as the long code. */
export const NOTE_CODE_LETTERS: Record<string, NoteCode> = {
  p: "provisional",
  r: "revised",
  e: "estimated",
  b: "break_in_series",
  c: "suppressed",
  u: "low_reliability",
  x: "not_available",
  a: "average",
  f: "forecast",
  z: "not_applicable",
};

export const ROLES = ["national_admin", "national_analyst", "partnership_editor", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const LANGUAGES = ["en", "cy"] as const;
export type Language = (typeof LANGUAGES)[number];

/** Confidence in a UNCRC article mapping: confirmed from a source, or recalled and awaiting confirmation. */
export const MAPPING_CONFIDENCES = ["confirmed", "unconfirmed"] as const;
export type MappingConfidence = (typeof MAPPING_CONFIDENCES)[number];

/** Text in both languages; Welsh may be missing (shown as "not yet translated"). */
export interface BilingualText {
  en: string;
  cy?: string | undefined;
}
