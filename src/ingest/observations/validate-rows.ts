/**
 * Row validation for observation imports. Pure (no I/O): the reference data (measures, areas, dimensions) is passed
 * in. Every problem is reported with the row number, column, value and a sentence saying what is wrong; a row with
 * any error yields no valid row, and checking carries on so that all errors are reported, not just the first.
 */

import { type AreaMatcher, createAreaMatcher } from "../../domain/area-name.ts";
import { canonicalBreakdown, isBreakdownCode, parseBreakdown, TOTAL_BREAKDOWN } from "../../domain/breakdown.ts";
import { describeDisclosureRule, missingDisclosureCount } from "../../domain/disclosure.ts";
import { parsePeriod } from "../../domain/period-parse.ts";
import { PERIOD_TYPE_EXAMPLES, type PeriodType } from "../../domain/period-type.ts";
import {
  cellAt,
  hasText,
  NO_NOTES,
  noteCodeOf,
  parseNumber,
  plainNumber,
  roundForMessage,
  sortNotes,
  THOUSANDS,
  tolerance,
  trimmed,
  UNKNOWN_NOTE_HELP,
  VALUE_MARKERS,
} from "./cell-text.ts";
import { type DimensionTitles, type ResolvedColumns, resolveColumns } from "./columns.ts";
import { lookupKey } from "./lookup-key.ts";
import type { Mapping } from "./mapping.ts";
import type { IssueSink, MeasureInfo, ReferenceData, ValidRow } from "./reference-data.ts";
import { type CanonicalColumn, FileFormatError, type Issue, keepStringMethodsFast, type RawRow } from "./types.ts";

export { noteCodeOf, parseNumber } from "./cell-text.ts";
export type {
  AreaInfo,
  DimensionInfo,
  IssueSink,
  MeasureInfo,
  ReferenceData,
  ValidRow,
} from "./reference-data.ts";

const PERIOD_TYPE_NOUN: Record<PeriodType, string> = {
  calendar_year: "calendar year",
  financial_year: "financial year",
  academic_year: "academic year",
  quarter: "quarter",
  month: "month",
  snapshot_date: "snapshot date",
  multi_year: "multi-year period",
};

/** Codes of the warnings that a validator gives once per file (per measure and area type), not per row. */
export const ONCE_PER_FILE_WARNINGS: ReadonlySet<string> = new Set(["measure_not_live", "geography_not_listed"]);

/** The most entries kept in each cache of texts seen in cells (areas, dimension values, notes, breakdowns). */
const CACHE_LIMIT = 50_000;

/** A period cell read as a period of a measure: its code and end, or what is wrong with it. */
interface PeriodResult {
  code: string;
  end: string;
  error: string | null;
}

/** A measure of the framework with what the validator has learnt about its rows. */
interface MeasureState {
  info: MeasureInfo;
  /** Period text → result; shared by the measures of one period type. */
  periods: Map<string, PeriodResult>;
  lastPeriodText: string;
  lastPeriod: PeriodResult | null;
  statusWarned: boolean;
  /** Area types already warned about (geography_not_listed). */
  geographyWarned: Set<string>;
}

interface AreaEntry {
  code: string;
  type: string;
}

/** One step of a breakdown cell: a dimension's value, or an error about the cell. */
type BreakdownStep = { dim: string; value: string } | { dim: null; code: string; message: string };

/** A note-code cell read: the codes, and the pieces that are no note code. */
interface NoteCells {
  codes: string[];
  unknown: string[];
}

/** A breakdown dimension column's cell: skipped (empty or a total), a value code, or not a value. */
const DIMENSION_TOTAL = 0;
const DIMENSION_UNKNOWN = 1;

export interface ValidatorOptions {
  mapping?: Mapping | undefined;
  /** The measure of every row (--measure or the mapping's `measure`). */
  measure?: string | undefined;
}

/** Validates the rows of one table. Create one per file; not thread-safe (it caches lookups). */
export class RowValidator {
  readonly columns: ResolvedColumns;
  private readonly measures = new Map<string, MeasureInfo>();
  private readonly states = new Map<string, MeasureState>();
  private readonly measureLookup = new Map<string, string | null>();
  private readonly mappingMeasures = new Map<string, string>();
  private readonly areaMatcher: AreaMatcher;
  private readonly areaCache = new Map<string, AreaEntry | null>();
  private readonly areaType = new Map<string, string>();
  private readonly dimensionValues = new Map<string, Map<string, string>>();
  private readonly dimensionValueCodes = new Map<string, string[]>();
  /** Per breakdown dimension column: cell text (trimmed) → value code, DIMENSION_TOTAL or DIMENSION_UNKNOWN. */
  private readonly dimensionCells: Map<string, string | number>[];
  private readonly breakdownCells = new Map<string, BreakdownStep[]>();
  private readonly noteCells = new Map<string, NoteCells>();
  private readonly markers = new Map<string, string | undefined>();
  private readonly fixedMeasure: string | undefined;
  private readonly fixedState: MeasureState | undefined;
  private readonly fixedBreakdown: Record<string, string>;
  private readonly hasFixedBreakdown: boolean;
  private readonly valueMaps: Record<string, Map<string, string>> = {};
  /** Column index of each tidy column (−1 when absent). */
  private readonly iMeasure: number;
  private readonly iArea: number;
  private readonly iName: number;
  private readonly iPeriod: number;
  private readonly iValue: number;
  private readonly iNumerator: number;
  private readonly iDenominator: number;
  private readonly iLower: number;
  private readonly iUpper: number;
  private readonly iNote: number;
  private readonly iBreakdown: number;
  private lastMeasureText = "";
  private lastMeasure: MeasureState | undefined;
  /** Side results of {@link numberAt}: the number's text and the note of a value marker. */
  private numberText = "";
  /** The last row that {@link check} found valid (overwritten by the next call). */
  readonly valid: ValidRow = {
    row: 0,
    measureCode: "",
    areaCode: "",
    period: "",
    periodEnd: "",
    breakdown: "",
    value: null,
    numerator: null,
    denominator: null,
    lower95: null,
    upper95: null,
    ciSupplied: false,
    noteCodes: NO_NOTES,
    valueText: "",
  };
  private numberNote: string | undefined;
  /** Issues about the file as a whole (ignored columns, fixed settings). */
  readonly fileIssues: Issue[] = [];

  constructor(reference: ReferenceData, headings: readonly string[], options: ValidatorOptions = {}) {
    keepStringMethodsFast();
    const periodCaches = new Map<PeriodType, Map<string, PeriodResult>>();
    for (const m of reference.measures) {
      this.measures.set(m.code, m);
      let periods = periodCaches.get(m.periodType);
      if (!periods) {
        periods = new Map();
        periodCaches.set(m.periodType, periods);
      }
      this.states.set(m.code, {
        info: m,
        periods,
        lastPeriodText: "",
        lastPeriod: null,
        statusWarned: false,
        geographyWarned: new Set(),
      });
    }
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
    this.fixedState = this.fixedMeasure ? this.states.get(this.fixedMeasure) : undefined;
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
    this.hasFixedBreakdown = Object.keys(this.fixedBreakdown).length > 0;
    this.columns = resolveColumns(headings, {
      mapping,
      dimensions: titles,
      fixedMeasure: this.fixedMeasure !== undefined,
    });
    const index = this.columns.index;
    this.iMeasure = index.measure_code ?? -1;
    this.iArea = index.area_code ?? -1;
    this.iName = index.area_name ?? -1;
    this.iPeriod = index.period ?? -1;
    this.iValue = index.value ?? -1;
    this.iNumerator = index.numerator ?? -1;
    this.iDenominator = index.denominator ?? -1;
    this.iLower = index.lower_ci ?? -1;
    this.iUpper = index.upper_ci ?? -1;
    this.iNote = index.note_code ?? -1;
    this.iBreakdown = index.breakdown ?? -1;
    this.dimensionCells = this.columns.dimensions.map(() => new Map());
    this.fileIssues.push(...this.columns.warnings);
    if (this.fixedMeasure && this.columns.index.measure_code !== undefined) {
      const col = headings[this.columns.index.measure_code] ?? "measure";
      this.fileIssues.push({
        severity: "warning",
        row: 1,
        column: col,
        value: "",
        code: "measure_column_ignored",
        message: `Every row is measure ${this.fixedMeasure} (the measure given for the whole file), so column "${col}" is not used.`,
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

  private label(row: RawRow, column: CanonicalColumn): string {
    const i = this.columns.index[column];
    if (i === undefined) return column;
    return row.labels?.[i] ?? this.columns.names[i] ?? column;
  }

  /** Adds an error about `column` (a tidy column, named as in the file, or a column name). */
  private fail(sink: IssueSink, row: RawRow, column: string, value: string, code: string, message: string): void {
    const label = (CANONICAL_COLUMN_SET.has(column) ? this.label(row, column as CanonicalColumn) : column) || column;
    sink.add({ severity: "error", row: row.row, column: label, value, code, message });
  }

  private resolveMeasure(text: string): string | null {
    let code = this.measureLookup.get(text);
    if (code !== undefined) return code;
    const key = lookupKey(text);
    code = this.measures.has(text) ? text : (this.mappingMeasures.get(key) ?? this.measureLookup.get(key) ?? null);
    this.measureLookup.set(text, code);
    return code;
  }

  private resolveArea(text: string): AreaEntry | null {
    let entry = this.areaCache.get(text);
    if (entry !== undefined) return entry;
    const code = this.areaMatcher.match(text)?.code ?? null;
    entry = code === null ? null : { code, type: this.areaType.get(code) ?? "" };
    if (this.areaCache.size < CACHE_LIMIT) this.areaCache.set(text, entry);
    return entry;
  }

  private resolvePeriod(state: MeasureState, text: string): PeriodResult {
    let r = state.periods.get(text);
    if (r) return r;
    const m = state.info;
    const parsed = parsePeriod(text, m.periodType);
    if (parsed.ok) r = { code: parsed.period.code, end: parsed.period.end, error: null };
    else {
      const other = parsePeriod(text);
      if (other.ok && other.period.type !== m.periodType) {
        r = {
          code: "wrong_period_type",
          end: "",
          error: `"${text}" is a ${PERIOD_TYPE_NOUN[other.period.type]}, but measure ${m.code} is recorded by ${PERIOD_TYPE_NOUN[m.periodType]} (e.g. ${PERIOD_TYPE_EXAMPLES[m.periodType]})`,
        };
      } else {
        r = {
          code: "unknown_period",
          end: "",
          // the parser's sentence already names the text, the period type and an example: say it once, with the measure
          error: `${parsed.error} (measure ${m.code} is recorded by ${PERIOD_TYPE_NOUN[m.periodType]})`,
        };
      }
    }
    state.periods.set(text, r);
    return r;
  }

  /** What a breakdown cell says, step by step (cached by text). */
  private breakdownSteps(text: string): BreakdownStep[] {
    let steps = this.breakdownCells.get(text);
    if (steps !== undefined) return steps;
    steps = [];
    const parsed = parseBreakdown(text);
    if (!parsed.ok) steps.push({ dim: null, code: "bad_breakdown", message: `breakdown ${parsed.error}` });
    else {
      for (const [dim, value] of Object.entries(parsed.parts)) {
        if (!this.dimensionValues.has(dim)) {
          steps.push({ dim: null, code: "unknown_dimension", message: `unknown breakdown dimension "${dim}"` });
          continue;
        }
        const code = this.dimensionValue(dim, value);
        if (code === undefined) {
          steps.push({
            dim: null,
            code: "unknown_dimension_value",
            message: `${dim} has no value "${value}" (values: ${this.dimensionValueCodes.get(dim)?.join(", ")})`,
          });
        } else steps.push({ dim, value: code });
      }
    }
    if (this.breakdownCells.size < CACHE_LIMIT) this.breakdownCells.set(text, steps);
    return steps;
  }

  /** A breakdown dimension column's cell (trimmed, not empty): DIMENSION_TOTAL, DIMENSION_UNKNOWN or the value. */
  private dimensionCell(k: number, dim: string, text: string): string | number {
    const cache = this.dimensionCells[k]!;
    let r = cache.get(text);
    if (r !== undefined) return r;
    const lk = lookupKey(text);
    if (lk === "total" || lk === "all" || lk === "_t" || lk === "cyfanswm" || lk === "pawb") r = DIMENSION_TOTAL;
    else {
      const code = this.dimensionValue(dim, text);
      r = code === undefined || !isBreakdownCode(code) ? DIMENSION_UNKNOWN : code;
    }
    if (cache.size < CACHE_LIMIT) cache.set(text, r);
    return r;
  }

  /** A note-code cell read (cached by text). */
  private notesOf(text: string): NoteCells {
    let r = this.noteCells.get(text);
    if (r !== undefined) return r;
    r = { codes: [], unknown: [] };
    for (const piece of text.split(/[\s,;|/]+/)) {
      if (piece === "") continue;
      const code = noteCodeOf(piece);
      if (code) r.codes.push(code);
      else r.unknown.push(piece);
    }
    if (this.noteCells.size < CACHE_LIMIT) this.noteCells.set(text, r);
    return r;
  }

  /** The note meant by a placeholder in a value cell (e.g. "..", "x", "[c]"), else undefined. */
  private markerOf(t: string): string | undefined {
    if (this.markers.has(t)) return this.markers.get(t);
    const marker = VALUE_MARKERS[t] ?? noteCodeOf(t);
    if (this.markers.size < CACHE_LIMIT) this.markers.set(t, marker);
    return marker;
  }

  /**
   * Reads the number in column `i` (−1: absent): the number, null when empty, undefined when not a number (an error
   * is added). Sets {@link numberText} (the number's text, "" when none) and, when `markers` (the value column),
   * {@link numberNote} (the note of a placeholder or of a number with a note such as "12.5 [p]").
   */
  private numberAt(
    row: RawRow,
    i: number,
    column: CanonicalColumn,
    sink: IssueSink,
    markers: boolean,
  ): number | null | undefined {
    this.numberText = "";
    this.numberNote = undefined;
    if (i < 0) return null;
    const text = row.cells[i] ?? "";
    const t = trimmed(text);
    if (t === "") return null;
    const plain = plainNumber(t);
    if (!Number.isNaN(plain)) {
      this.numberText = t;
      return plain;
    }
    if (THOUSANDS.test(t)) {
      this.numberText = t;
      return Number(t.replace(/,/g, ""));
    }
    if (markers) {
      const marker = this.markerOf(t);
      if (marker) {
        this.numberNote = marker;
        return null;
      }
      const m = /^(.*?)\s*[[(]?\s*([a-z]{1,2})\s*[\])]?$/i.exec(t);
      if (m && m[1] !== "" && m[2] !== undefined && (t.includes("[") || t.includes("(") || /\s/.test(t))) {
        const num = parseNumber(m[1]!);
        const note = noteCodeOf(m[2]!);
        if (num !== null && !Number.isNaN(num) && note) {
          this.numberText = m[1]!.trim();
          this.numberNote = note;
          return num;
        }
      }
    }
    const label = this.label(row, column);
    sink.add({
      severity: "error",
      row: row.row,
      column: label,
      value: text,
      code: "not_a_number",
      message: `${label} "${text}" is not a number${markers ? " (use a number, or leave it empty with a note code such as x or c)" : ""}`,
    });
    return undefined;
  }

  /** Checks one row; returns it in canonical form, or null when it has an error (each error is added to `sink`). */
  validate(row: RawRow, sink: IssueSink): ValidRow | null {
    return this.check(row, sink) ? { ...this.valid } : null;
  }

  /**
   * Checks one row, like {@link validate}, without allocating: true when it is valid, and then {@link valid} holds it
   * in canonical form until the next call.
   */
  check(row: RawRow, sink: IssueSink): boolean {
    let ok = true;
    const cells = row.cells;
    const expected = this.columns.names.length;
    if (!row.labels && cells.length !== expected) {
      if (cells.length < expected) {
        while (cells.length < expected) cells.push("");
      } else if (hasText(cells, expected)) {
        this.fail(
          sink,
          row,
          "",
          "",
          "wrong_column_count",
          `row has ${cells.length} fields but the header has ${expected}`,
        );
        return false;
      }
    }

    // measure
    let state: MeasureState | undefined;
    if (this.fixedMeasure) state = this.fixedState;
    else {
      const text = cellAt(cells, this.iMeasure);
      if (text === "") {
        ok = false;
        this.fail(sink, row, "measure_code", "", "missing_measure", "measure is empty");
      } else {
        if (text !== this.lastMeasureText) {
          const code = this.resolveMeasure(text);
          this.lastMeasure = code ? this.states.get(code) : undefined;
          this.lastMeasureText = text;
        }
        state = this.lastMeasure;
        if (!state) {
          ok = false;
          this.fail(
            sink,
            row,
            "measure_code",
            text,
            "unknown_measure",
            `unknown measure "${text}": use a measure code of the framework, or map this text to one in a mapping file (measures:)`,
          );
        }
      }
    }
    const measure = state?.info;
    if (state && measure && measure.status !== "live" && !state.statusWarned) {
      state.statusWarned = true;
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
    let area: AreaEntry | null = null;
    const areaText = cellAt(cells, this.iArea);
    const nameText = cellAt(cells, this.iName);
    if (areaText !== "") area = this.resolveArea(areaText);
    if (area === null && nameText !== "") area = this.resolveArea(nameText);
    if (area === null) {
      ok = false;
      if (areaText === "" && nameText === "") this.fail(sink, row, "area_code", "", "missing_area", "area is empty");
      else {
        const col = areaText !== "" ? "area_code" : "area_name";
        const text = areaText !== "" ? areaText : nameText;
        this.fail(
          sink,
          row,
          col,
          text,
          "unknown_area",
          `unknown area "${text}": give a GSS code (e.g. W06000015) or an area name`,
        );
      }
    } else if (state && measure) {
      const type = area.type;
      if (measure.geographies.length > 0 && !measure.geographies.includes(type) && !state.geographyWarned.has(type)) {
        state.geographyWarned.add(type);
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

    // period
    let period: PeriodResult | null = null;
    const periodText = cellAt(cells, this.iPeriod);
    if (periodText === "") {
      ok = false;
      this.fail(sink, row, "period", "", "missing_period", "period is empty");
    } else if (state) {
      let p = state.lastPeriod;
      if (p === null || periodText !== state.lastPeriodText) {
        p = this.resolvePeriod(state, periodText);
        state.lastPeriodText = periodText;
        state.lastPeriod = p;
      }
      if (p.error !== null) {
        ok = false;
        this.fail(sink, row, "period", periodText, p.code, p.error);
      } else period = p;
    }

    // breakdown
    let parts: Record<string, string> | null = this.hasFixedBreakdown ? { ...this.fixedBreakdown } : null;
    if (this.iBreakdown >= 0) {
      const breakdownText = cells[this.iBreakdown] ?? "";
      if (trimmed(breakdownText) !== "") {
        for (const step of this.breakdownSteps(breakdownText)) {
          if (step.dim === null) {
            ok = false;
            this.fail(sink, row, "breakdown", breakdownText, step.code, step.message);
          } else {
            if (parts === null) parts = {};
            parts[step.dim] = step.value;
          }
        }
      }
    }
    const dimensions = this.columns.dimensions;
    for (let k = 0; k < dimensions.length; k++) {
      const d = dimensions[k]!;
      const text = cellAt(cells, d.index);
      if (text === "") continue;
      const code = this.dimensionCell(k, d.code, text);
      if (code === DIMENSION_TOTAL) continue;
      if (code === DIMENSION_UNKNOWN) {
        ok = false;
        sink.add({
          severity: "error",
          row: row.row,
          column: row.labels?.[d.index] ?? this.columns.names[d.index] ?? d.code,
          value: text,
          code: "unknown_dimension_value",
          message: `${d.code} has no value "${text}" (values: ${this.dimensionValueCodes.get(d.code)?.join(", ")})`,
        });
      } else {
        if (parts === null) parts = {};
        parts[d.code] = code as string;
      }
    }
    if (measure && parts !== null) {
      for (const dim of Object.keys(parts)) {
        if (!measure.breakdowns.includes(dim)) {
          const dimColumn = dimensions.find((d) => d.code === dim);
          ok = false;
          this.fail(
            sink,
            row,
            dimColumn ? (this.columns.names[dimColumn.index] ?? dim) : "breakdown",
            dim,
            "breakdown_not_allowed",
            `measure ${measure.code} has no breakdown by ${dim} (its breakdowns: ${measure.breakdowns.join(", ") || "none"})`,
          );
        }
      }
    }

    // numbers
    const v = this.numberAt(row, this.iValue, "value", sink, true);
    const valueText = this.numberText;
    const valueNote = this.numberNote;
    const num = this.numberAt(row, this.iNumerator, "numerator", sink, false);
    const den = this.numberAt(row, this.iDenominator, "denominator", sink, false);
    const lo = this.numberAt(row, this.iLower, "lower_ci", sink, false);
    const hi = this.numberAt(row, this.iUpper, "upper_ci", sink, false);

    // note codes
    let notes: string[] | null = v !== undefined && valueNote !== undefined ? [valueNote] : null;
    if (this.iNote >= 0) {
      const noteText = cells[this.iNote] ?? "";
      if (trimmed(noteText) !== "") {
        const read = this.notesOf(noteText);
        for (const piece of read.unknown) {
          ok = false;
          this.fail(
            sink,
            row,
            "note_code",
            noteText,
            "unknown_note_code",
            `unknown note code "${piece}" ${UNKNOWN_NOTE_HELP}`,
          );
        }
        if (read.codes.length > 0) {
          if (notes === null) notes = [...read.codes];
          else for (const c of read.codes) notes.push(c);
        }
      }
    }

    if (
      !ok ||
      !measure ||
      !area?.code ||
      !period ||
      v === undefined ||
      num === undefined ||
      den === undefined ||
      lo === undefined ||
      hi === undefined
    ) {
      return false;
    }

    if (v === null && notes === null) {
      ok = false;
      this.fail(
        sink,
        row,
        "value",
        "",
        "missing_value",
        "value is empty: give a number, or a note code saying why it is missing (e.g. x = not available, c = suppressed)",
      );
    }
    if (num !== null && num < 0) {
      ok = false;
      this.fail(sink, row, "numerator", String(num), "negative", `${this.label(row, "numerator")} ${num} is negative`);
    }
    if (den !== null && den < 0) {
      ok = false;
      this.fail(
        sink,
        row,
        "denominator",
        String(den),
        "negative",
        `${this.label(row, "denominator")} ${den} is negative`,
      );
    }
    const valueType = measure.valueType;
    if (valueType === "count" && v !== null && v < 0) {
      ok = false;
      this.fail(
        sink,
        row,
        "value",
        valueText,
        "negative",
        `value ${valueText} is negative, but measure ${measure.code} is a count`,
      );
    }
    if (valueType === "proportion") {
      if (num !== null && den !== null && num > den) {
        ok = false;
        this.fail(
          sink,
          row,
          "numerator",
          String(num),
          "numerator_exceeds_denominator",
          `numerator ${num} is greater than denominator ${den}, but measure ${measure.code} is a proportion`,
        );
      }
      if (v !== null && (v < 0 || v > measure.multiplier)) {
        ok = false;
        this.fail(
          sink,
          row,
          "value",
          valueText,
          "out_of_range",
          `value ${valueText} is outside 0 to ${measure.multiplier}, the range of a proportion of measure ${measure.code}`,
        );
      }
    }
    if (v !== null) {
      if ((valueType === "proportion" || valueType === "crude_rate") && num !== null && den !== null && den > 0) {
        const tol = tolerance(valueText, v);
        const r = measure.roundTo && measure.roundTo > 1 ? measure.roundTo / 2 : 0;
        const lowExpected = (Math.max(num - r, 0) / (den + r)) * measure.multiplier;
        const highExpected = den - r > 0 ? ((num + r) / (den - r)) * measure.multiplier : Number.POSITIVE_INFINITY;
        if (v < lowExpected - tol || v > highExpected + tol) {
          const expected = (num / den) * measure.multiplier;
          ok = false;
          this.fail(
            sink,
            row,
            "value",
            valueText,
            "value_inconsistent",
            `value ${valueText} does not match numerator / denominator × ${measure.multiplier} = ${num} / ${den} × ${measure.multiplier} = ${roundForMessage(expected)}`,
          );
        }
      }
      if (
        valueType === "count" &&
        num !== null &&
        Math.abs(v - num) > tolerance(valueText, v) + (measure.roundTo ?? 0) / 2
      ) {
        ok = false;
        this.fail(
          sink,
          row,
          "value",
          valueText,
          "value_inconsistent",
          `value ${valueText} of a count does not equal the numerator ${num}`,
        );
      }
      if (lo !== null && lo > v) {
        ok = false;
        this.fail(
          sink,
          row,
          "lower_ci",
          String(lo),
          "interval_order",
          `lower_ci ${lo} is above the value ${valueText}`,
        );
      }
      if (hi !== null && v > hi) {
        ok = false;
        this.fail(
          sink,
          row,
          "upper_ci",
          String(hi),
          "interval_order",
          `upper_ci ${hi} is below the value ${valueText}`,
        );
      }
    }
    if (lo !== null && hi !== null && lo > hi) {
      ok = false;
      this.fail(sink, row, "lower_ci", String(lo), "interval_order", `lower_ci ${lo} is above upper_ci ${hi}`);
    }
    if (measure.suppressBelow || (measure.roundTo && measure.roundTo > 1)) {
      const rule = { suppressBelow: measure.suppressBelow, roundTo: measure.roundTo, valueType, multiplier: 1 };
      const missing = missingDisclosureCount(rule, { value: v, numerator: num, denominator: den });
      if (missing !== null) {
        ok = false;
        this.fail(
          sink,
          row,
          missing,
          "",
          "disclosure_count_missing",
          `${missing} is empty, but measure ${measure.code} ${describeDisclosureRule(rule)}, so each value needs its ${missing}: give the ${missing}, or leave the value empty with note code c (suppressed)`,
        );
      }
    }
    if (!ok) return false;
    const out = this.valid;
    out.row = row.row;
    out.measureCode = measure.code;
    out.areaCode = area.code;
    out.period = period.code;
    out.periodEnd = period.end;
    out.breakdown = parts === null ? TOTAL_BREAKDOWN : canonicalBreakdown(parts);
    out.value = v;
    out.numerator = num;
    out.denominator = den;
    out.lower95 = lo;
    out.upper95 = hi;
    out.ciSupplied = lo !== null || hi !== null;
    out.noteCodes = notes === null ? NO_NOTES : sortNotes(notes);
    out.valueText = valueText;
    return true;
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
