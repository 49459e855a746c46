/**
 * Row validation for observation imports. Pure (no I/O): the reference data (measures, areas, dimensions) is passed
 * in. Every problem is reported with the row number, column, value and a sentence saying what is wrong; a row with
 * any error yields no valid row, and checking carries on so that all errors are reported, not just the first.
 */

import { type AreaMatcher, createAreaMatcher, type MatchableArea } from "../../domain/area-name.ts";
import { canonicalBreakdown, isBreakdownCode, parseBreakdown } from "../../domain/breakdown.ts";
import { NOTE_CODE_LETTERS, NOTE_CODES } from "../../domain/enums.ts";
import { parsePeriod } from "../../domain/period-parse.ts";
import { PERIOD_TYPE_EXAMPLES, type PeriodType } from "../../domain/period-type.ts";
import { type DimensionTitles, type ResolvedColumns, resolveColumns } from "./columns.ts";
import { lookupKey, type Mapping } from "./mapping.ts";
import { type CanonicalColumn, FileFormatError, type Issue, type RawRow } from "./types.ts";

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
  noteCodes: string[];
  /** Decimals written in the value text (used by plausibility and consistency checks). */
  valueText: string;
}

export interface IssueSink {
  add(issue: Issue): void;
}

const PERIOD_TYPE_NOUN: Record<PeriodType, string> = {
  calendar_year: "calendar year",
  financial_year: "financial year",
  academic_year: "academic year",
  quarter: "quarter",
  month: "month",
  snapshot_date: "snapshot date",
  multi_year: "multi-year period",
};

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const THOUSANDS = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

/** Parses a number as written in a statistics file; `null` for empty, `NaN` for not a number. */
export function parseNumber(text: string): number | null {
  const s = text.trim();
  if (s === "") return null;
  if (NUMBER.test(s)) return Number(s);
  if (THOUSANDS.test(s)) return Number(s.replace(/,/g, ""));
  return Number.NaN;
}

/** Placeholders that statistics tables put in a value cell instead of a number, and the note they mean. */
const VALUE_MARKERS: Record<string, string> = {
  "..": "not_available",
  ":": "not_available",
  "*": "suppressed",
  "-": "not_applicable",
  "~": "low_reliability",
};

const NOTE_ORDER = new Map<string, number>(NOTE_CODES.map((c, i) => [c, i]));

/** The note code for text such as "p", "[p]", "(p)", "provisional"; undefined when unknown. */
export function noteCodeOf(text: string): string | undefined {
  const s = text
    .trim()
    .replace(/^[[(]|[\])]$/g, "")
    .trim()
    .toLowerCase();
  if (NOTE_ORDER.has(s)) return s;
  return NOTE_CODE_LETTERS[s];
}

function sortNotes(codes: Iterable<string>): string[] {
  return [...new Set(codes)].sort((a, b) => (NOTE_ORDER.get(a) ?? 99) - (NOTE_ORDER.get(b) ?? 99));
}

function decimalsOf(text: string): number {
  const s = text.trim();
  if (/e/i.test(s)) return 12;
  const dot = s.indexOf(".");
  return dot < 0 ? 0 : s.length - dot - 1;
}

type NumberCell = { ok: true; value: number | null; notes: string[]; text: string } | { ok: false };

export interface ValidatorOptions {
  mapping?: Mapping | undefined;
  /** The measure of every row (--measure or the mapping's `measure`). */
  measure?: string | undefined;
}

/** Validates the rows of one table. Create one per file; not thread-safe (it caches lookups). */
export class RowValidator {
  readonly columns: ResolvedColumns;
  private readonly measures = new Map<string, MeasureInfo>();
  private readonly measureLookup = new Map<string, string | null>();
  private readonly mappingMeasures = new Map<string, string>();
  private readonly areaMatcher: AreaMatcher;
  private readonly areaCache = new Map<string, string | null>();
  private readonly areaType = new Map<string, string>();
  private readonly dimensionValues = new Map<string, Map<string, string>>();
  private readonly dimensionValueCodes = new Map<string, string[]>();
  private readonly periodCache = new Map<string, { code: string; end: string } | { error: string; code: string }>();
  private readonly geographyWarned = new Set<string>();
  private readonly statusWarned = new Set<string>();
  private readonly fixedMeasure: string | undefined;
  private readonly fixedBreakdown: Record<string, string>;
  private readonly valueMaps: Record<string, Map<string, string>> = {};
  /** Issues about the file as a whole (ignored columns, fixed settings). */
  readonly fileIssues: Issue[] = [];

  constructor(reference: ReferenceData, headings: readonly string[], options: ValidatorOptions = {}) {
    for (const m of reference.measures) this.measures.set(m.code, m);
    for (const m of reference.measures) {
      this.measureLookup.set(lookupKey(m.code), m.code);
      for (const t of m.titles) if (!this.measureLookup.has(lookupKey(t))) this.measureLookup.set(lookupKey(t), m.code);
    }
    const mapping = options.mapping;
    for (const [text, code] of Object.entries(mapping?.measures ?? {})) {
      if (!this.measures.has(code)) {
        throw new FileFormatError(`the mapping maps "${text}" to measure ${code}, which is not in the framework`);
      }
      this.mappingMeasures.set(lookupKey(text), code);
    }
    this.fixedMeasure = options.measure ?? mapping?.measure ?? mapping?.wide?.measure;
    if (this.fixedMeasure && !this.measures.has(this.fixedMeasure)) {
      throw new FileFormatError(`unknown measure ${this.fixedMeasure}: not in the framework`);
    }
    this.areaMatcher = createAreaMatcher(reference.areas);
    for (const a of reference.areas) this.areaType.set(a.code, a.type);
    const titles: DimensionTitles[] = reference.dimensions.map((d) => ({ code: d.code, titles: [...d.titles] }));
    for (const d of reference.dimensions) {
      const values = new Map<string, string>();
      for (const v of d.values) {
        values.set(lookupKey(v.code), v.code);
        for (const l of v.labels) if (!values.has(lookupKey(l))) values.set(lookupKey(l), v.code);
      }
      this.dimensionValues.set(d.code, values);
      this.dimensionValueCodes.set(
        d.code,
        d.values.map((v) => v.code),
      );
    }
    for (const [dim, map] of Object.entries(mapping?.values ?? {})) {
      this.valueMaps[dim] = new Map(Object.entries(map).map(([k, v]) => [lookupKey(k), v]));
    }
    this.fixedBreakdown = {};
    for (const [dim, value] of Object.entries(mapping?.breakdown ?? {})) {
      const code = this.dimensionValue(dim, value);
      if (!this.dimensionValues.has(dim))
        throw new FileFormatError(`the mapping's breakdown names unknown dimension "${dim}"`);
      if (code === undefined) throw new FileFormatError(`the mapping's breakdown ${dim}=${value}: unknown value`);
      this.fixedBreakdown[dim] = code;
    }
    this.columns = resolveColumns(headings, {
      mapping,
      dimensions: titles,
      fixedMeasure: this.fixedMeasure !== undefined,
    });
    this.fileIssues.push(...this.columns.warnings);
    if (this.fixedMeasure && this.columns.index.measure_code !== undefined) {
      const col = headings[this.columns.index.measure_code] ?? "measure";
      this.fileIssues.push({
        severity: "warning",
        row: 1,
        column: col,
        value: "",
        code: "measure_column_ignored",
        message: `Every row is measure ${this.fixedMeasure} (--measure or the mapping), so column "${col}" is not used.`,
      });
    }
  }

  measure(code: string): MeasureInfo | undefined {
    return this.measures.get(code);
  }

  /** True when `heading` parses as a period of the measure's type (for wide tables). */
  isPeriodOf(measureCode: string, heading: string): boolean {
    const m = this.measures.get(measureCode);
    return m !== undefined && parsePeriod(heading, m.periodType).ok;
  }

  private dimensionValue(dim: string, text: string): string | undefined {
    const key = lookupKey(text);
    const mapped = this.valueMaps[dim]?.get(key);
    if (mapped !== undefined) return mapped;
    return this.dimensionValues.get(dim)?.get(key);
  }

  private cell(row: RawRow, column: CanonicalColumn): string | undefined {
    const i = this.columns.index[column];
    return i === undefined ? undefined : (row.cells[i] ?? "");
  }

  private label(row: RawRow, column: CanonicalColumn): string {
    const i = this.columns.index[column];
    if (i === undefined) return column;
    return row.labels?.[i] ?? this.columns.names[i] ?? column;
  }

  private resolveMeasure(text: string): string | null {
    let code = this.measureLookup.get(text);
    if (code !== undefined) return code;
    const key = lookupKey(text);
    code = this.measures.has(text) ? text : (this.mappingMeasures.get(key) ?? this.measureLookup.get(key) ?? null);
    this.measureLookup.set(text, code);
    return code;
  }

  private resolveArea(text: string): string | null {
    let code = this.areaCache.get(text);
    if (code !== undefined) return code;
    code = this.areaMatcher.match(text)?.code ?? null;
    this.areaCache.set(text, code);
    return code;
  }

  private resolvePeriod(m: MeasureInfo, text: string): { code: string; end: string } | { error: string; code: string } {
    const key = `${m.periodType}\u0001${text}`;
    let r = this.periodCache.get(key);
    if (r) return r;
    const parsed = parsePeriod(text, m.periodType);
    if (parsed.ok) r = { code: parsed.period.code, end: parsed.period.end };
    else {
      const other = parsePeriod(text);
      if (other.ok && other.period.type !== m.periodType) {
        r = {
          code: "wrong_period_type",
          error: `"${text}" is a ${PERIOD_TYPE_NOUN[other.period.type]}, but measure ${m.code} is recorded by ${PERIOD_TYPE_NOUN[m.periodType]} (e.g. ${PERIOD_TYPE_EXAMPLES[m.periodType]})`,
        };
      } else {
        r = {
          code: "unknown_period",
          error: `"${text}" is not a ${PERIOD_TYPE_NOUN[m.periodType]} (measure ${m.code} uses periods like ${PERIOD_TYPE_EXAMPLES[m.periodType]}): ${parsed.error}`,
        };
      }
    }
    this.periodCache.set(key, r);
    return r;
  }

  private numberCell(row: RawRow, column: CanonicalColumn, sink: IssueSink, markers: boolean): NumberCell {
    const text = this.cell(row, column);
    if (text === undefined) return { ok: true, value: null, notes: [], text: "" };
    const t = text.trim();
    const n = parseNumber(t);
    if (n === null) return { ok: true, value: null, notes: [], text: "" };
    if (!Number.isNaN(n)) return { ok: true, value: n, notes: [], text: t };
    if (markers) {
      const marker = VALUE_MARKERS[t] ?? noteCodeOf(t);
      if (marker) return { ok: true, value: null, notes: [marker], text: "" };
      const m = /^(.*?)\s*[[(]?\s*([a-z]{1,2})\s*[\])]?$/i.exec(t);
      if (m && m[1] !== "" && m[2] !== undefined && (t.includes("[") || t.includes("(") || /\s/.test(t))) {
        const num = parseNumber(m[1]!);
        const note = noteCodeOf(m[2]!);
        if (num !== null && !Number.isNaN(num) && note)
          return { ok: true, value: num, notes: [note], text: m[1]!.trim() };
      }
    }
    sink.add({
      severity: "error",
      row: row.row,
      column: this.label(row, column),
      value: text,
      code: "not_a_number",
      message: `${this.label(row, column)} "${text}" is not a number${markers ? " (use a number, or leave it empty with a note code such as x or c)" : ""}`,
    });
    return { ok: false };
  }

  /** Checks one row; returns it in canonical form, or null when it has an error (each error is added to `sink`). */
  validate(row: RawRow, sink: IssueSink): ValidRow | null {
    let ok = true;
    const error = (column: CanonicalColumn | string, value: string, code: string, message: string) => {
      ok = false;
      const label = (CANONICAL_COLUMN_SET.has(column) ? this.label(row, column as CanonicalColumn) : column) || column;
      sink.add({ severity: "error", row: row.row, column: label, value, code, message });
    };
    const expected = this.columns.names.length;
    if (!row.labels && row.cells.length !== expected) {
      if (row.cells.length < expected) {
        while (row.cells.length < expected) row.cells.push("");
      } else if (row.cells.slice(expected).some((c) => c.trim() !== "")) {
        error("", "", "wrong_column_count", `row has ${row.cells.length} fields but the header has ${expected}`);
        return null;
      }
    }

    // measure
    let measure: MeasureInfo | undefined;
    if (this.fixedMeasure) measure = this.measures.get(this.fixedMeasure);
    else {
      const text = (this.cell(row, "measure_code") ?? "").trim();
      if (text === "") error("measure_code", "", "missing_measure", "measure is empty");
      else {
        const code = this.resolveMeasure(text);
        measure = code ? this.measures.get(code) : undefined;
        if (!measure) {
          error(
            "measure_code",
            text,
            "unknown_measure",
            `unknown measure "${text}": use a measure code of the framework, or map this text to one in a mapping file (measures:)`,
          );
        }
      }
    }
    if (measure && measure.status !== "live" && !this.statusWarned.has(measure.code)) {
      this.statusWarned.add(measure.code);
      sink.add({
        severity: "warning",
        row: row.row,
        column: this.label(row, "measure_code"),
        value: measure.code,
        code: "measure_not_live",
        message: `measure ${measure.code} is ${measure.status.replace("_", " ")}`,
      });
    }

    // area
    let areaCode: string | null = null;
    const areaText = (this.cell(row, "area_code") ?? "").trim();
    const nameText = (this.cell(row, "area_name") ?? "").trim();
    if (areaText !== "") areaCode = this.resolveArea(areaText);
    if (areaCode === null && nameText !== "") areaCode = this.resolveArea(nameText);
    if (areaCode === null) {
      if (areaText === "" && nameText === "") error("area_code", "", "missing_area", "area is empty");
      else {
        const col = areaText !== "" ? "area_code" : "area_name";
        const text = areaText !== "" ? areaText : nameText;
        error(col, text, "unknown_area", `unknown area "${text}": give a GSS code (e.g. W06000015) or an area name`);
      }
    } else if (measure) {
      const type = this.areaType.get(areaCode) ?? "";
      if (measure.geographies.length > 0 && !measure.geographies.includes(type)) {
        const k = `${measure.code}|${type}`;
        if (!this.geographyWarned.has(k)) {
          this.geographyWarned.add(k);
          sink.add({
            severity: "warning",
            row: row.row,
            column: this.label(row, areaText !== "" ? "area_code" : "area_name"),
            value: areaText || nameText,
            code: "geography_not_listed",
            message: `measure ${measure.code} is not defined for areas of type ${type} (its geographies: ${measure.geographies.join(", ")})`,
          });
        }
      }
    }

    // period
    let period: { code: string; end: string } | null = null;
    const periodText = (this.cell(row, "period") ?? "").trim();
    if (periodText === "") error("period", "", "missing_period", "period is empty");
    else if (measure) {
      const p = this.resolvePeriod(measure, periodText);
      if ("error" in p) error("period", periodText, p.code, p.error);
      else period = p;
    }

    // breakdown
    const parts: Record<string, string> = { ...this.fixedBreakdown };
    const breakdownText = this.cell(row, "breakdown");
    if (breakdownText !== undefined && breakdownText.trim() !== "") {
      const parsed = parseBreakdown(breakdownText);
      if (!parsed.ok) error("breakdown", breakdownText, "bad_breakdown", `breakdown ${parsed.error}`);
      else {
        for (const [dim, value] of Object.entries(parsed.parts)) {
          if (!this.dimensionValues.has(dim)) {
            error("breakdown", breakdownText, "unknown_dimension", `unknown breakdown dimension "${dim}"`);
            continue;
          }
          const code = this.dimensionValue(dim, value);
          if (code === undefined) {
            error(
              "breakdown",
              breakdownText,
              "unknown_dimension_value",
              `${dim} has no value "${value}" (values: ${this.dimensionValueCodes.get(dim)?.join(", ")})`,
            );
          } else parts[dim] = code;
        }
      }
    }
    for (const d of this.columns.dimensions) {
      const text = (row.cells[d.index] ?? "").trim();
      const lk = lookupKey(text);
      if (text === "" || lk === "total" || lk === "all" || lk === "_t" || lk === "cyfanswm" || lk === "pawb") continue;
      const code = this.dimensionValue(d.code, text);
      const col = row.labels?.[d.index] ?? this.columns.names[d.index] ?? d.code;
      if (code === undefined || !isBreakdownCode(code)) {
        ok = false;
        sink.add({
          severity: "error",
          row: row.row,
          column: col,
          value: text,
          code: "unknown_dimension_value",
          message: `${d.code} has no value "${text}" (values: ${this.dimensionValueCodes.get(d.code)?.join(", ")})`,
        });
      } else parts[d.code] = code;
    }
    if (measure) {
      for (const dim of Object.keys(parts)) {
        if (!measure.breakdowns.includes(dim)) {
          const dimColumn = this.columns.dimensions.find((d) => d.code === dim);
          error(
            dimColumn ? (this.columns.names[dimColumn.index] ?? dim) : "breakdown",
            dim,
            "breakdown_not_allowed",
            `measure ${measure.code} has no breakdown by ${dim} (its breakdowns: ${measure.breakdowns.join(", ") || "none"})`,
          );
        }
      }
    }

    // numbers
    const value = this.numberCell(row, "value", sink, true);
    const numerator = this.numberCell(row, "numerator", sink, false);
    const denominator = this.numberCell(row, "denominator", sink, false);
    const lower = this.numberCell(row, "lower_ci", sink, false);
    const upper = this.numberCell(row, "upper_ci", sink, false);
    if (!value.ok || !numerator.ok || !denominator.ok || !lower.ok || !upper.ok) ok = false;

    // note codes
    const notes: string[] = value.ok ? [...value.notes] : [];
    const noteText = this.cell(row, "note_code");
    if (noteText !== undefined && noteText.trim() !== "") {
      for (const piece of noteText.split(/[\s,;|/]+/)) {
        if (piece === "") continue;
        const code = noteCodeOf(piece);
        if (code) notes.push(code);
        else {
          error(
            "note_code",
            noteText,
            "unknown_note_code",
            `unknown note code "${piece}" (use one of ${Object.entries(NOTE_CODE_LETTERS)
              .map(([l, c]) => `${l} = ${c}`)
              .join(", ")})`,
          );
        }
      }
    }

    if (
      !ok ||
      !measure ||
      !areaCode ||
      !period ||
      !value.ok ||
      !numerator.ok ||
      !denominator.ok ||
      !lower.ok ||
      !upper.ok
    ) {
      return null;
    }

    const v = value.value;
    const num = numerator.value;
    const den = denominator.value;
    const lo = lower.value;
    const hi = upper.value;
    if (v === null && notes.length === 0) {
      error(
        "value",
        "",
        "missing_value",
        "value is empty: give a number, or a note code saying why it is missing (e.g. x = not available, c = suppressed)",
      );
    }
    for (const [col, n] of [
      ["numerator", num],
      ["denominator", den],
    ] as const) {
      if (n !== null && n < 0) error(col, String(n), "negative", `${this.label(row, col)} ${n} is negative`);
    }
    if (measure.valueType === "count" && v !== null && v < 0) {
      error("value", value.text, "negative", `value ${value.text} is negative, but measure ${measure.code} is a count`);
    }
    if (measure.valueType === "proportion") {
      if (num !== null && den !== null && num > den) {
        error(
          "numerator",
          String(num),
          "numerator_exceeds_denominator",
          `numerator ${num} is greater than denominator ${den}, but measure ${measure.code} is a proportion`,
        );
      }
      if (v !== null && (v < 0 || v > measure.multiplier)) {
        error(
          "value",
          value.text,
          "out_of_range",
          `value ${value.text} is outside 0 to ${measure.multiplier}, the range of a proportion of measure ${measure.code}`,
        );
      }
    }
    if (v !== null) {
      const tol = 0.5 * 10 ** -decimalsOf(value.text) + 1e-9 * Math.abs(v);
      if (
        (measure.valueType === "proportion" || measure.valueType === "crude_rate") &&
        num !== null &&
        den !== null &&
        den > 0
      ) {
        const r = measure.roundTo && measure.roundTo > 1 ? measure.roundTo / 2 : 0;
        const lowExpected = (Math.max(num - r, 0) / (den + r)) * measure.multiplier;
        const highExpected = den - r > 0 ? ((num + r) / (den - r)) * measure.multiplier : Number.POSITIVE_INFINITY;
        if (v < lowExpected - tol || v > highExpected + tol) {
          const expected = (num / den) * measure.multiplier;
          error(
            "value",
            value.text,
            "value_inconsistent",
            `value ${value.text} does not match numerator / denominator × ${measure.multiplier} = ${num} / ${den} × ${measure.multiplier} = ${roundForMessage(expected)}`,
          );
        }
      }
      if (measure.valueType === "count" && num !== null && Math.abs(v - num) > tol + (measure.roundTo ?? 0) / 2) {
        error(
          "value",
          value.text,
          "value_inconsistent",
          `value ${value.text} of a count does not equal the numerator ${num}`,
        );
      }
      if (lo !== null && lo > v) {
        error("lower_ci", String(lo), "interval_order", `lower_ci ${lo} is above the value ${value.text}`);
      }
      if (hi !== null && v > hi) {
        error("upper_ci", String(hi), "interval_order", `upper_ci ${hi} is below the value ${value.text}`);
      }
    }
    if (lo !== null && hi !== null && lo > hi) {
      error("lower_ci", String(lo), "interval_order", `lower_ci ${lo} is above upper_ci ${hi}`);
    }
    if (!ok) return null;
    return {
      row: row.row,
      measureCode: measure.code,
      areaCode,
      period: period.code,
      periodEnd: period.end,
      breakdown: canonicalBreakdown(parts),
      value: v,
      numerator: num,
      denominator: den,
      lower95: lo,
      upper95: hi,
      ciSupplied: lo !== null || hi !== null,
      noteCodes: sortNotes(notes),
      valueText: value.text,
    };
  }
}

const CANONICAL_COLUMN_SET: ReadonlySet<string> = new Set([
  "measure_code",
  "area_code",
  "area_name",
  "period",
  "value",
  "numerator",
  "denominator",
  "lower_ci",
  "upper_ci",
  "note_code",
  "breakdown",
]);

function roundForMessage(x: number): string {
  return String(Math.round(x * 10000) / 10000);
}
