/**
 * What changed between two versions of the framework, and what that means for a plan made under the older one.
 * Pure: both versions come in as plain snapshots (built from the database by src/services/framework-versions.ts,
 * or by hand in tests).
 *
 * - **added**: a measure the new version has and the old one did not;
 * - **retired**: a measure the old version had (not retired) that the new one retires or no longer has;
 * - **redefined**: a measure in both whose definition changed, field by field (wording, method, grouping, status…);
 * - **groups**: measure groups added, removed or changed;
 * - **breaks in series**: a measure whose series breaks in the new version (a new `breakInSeries` note) or a new
 *   measure that replaces an older one.
 */
import type { BilingualText } from "./enums.ts";

/** A measure group as one framework version defines it. */
export interface GroupSnapshot {
  code: string;
  coreAim: string;
  title: BilingualText;
  description: BilingualText | null;
}

/**
 * A measure as one framework version defines it. The fields compared are those of {@link MEASURE_FIELDS}; a snapshot
 * may carry more (they are ignored), so adding a field to measures does not break the diff.
 */
export interface MeasureSnapshot {
  code: string;
  title: BilingualText;
  status: string;
  tier: string;
  group: string | null;
  replacesCode: string | null;
  breakInSeries: string | null;
  [field: string]: unknown;
}

export interface FrameworkSnapshot {
  /** The version's label, e.g. "2". */
  version: string;
  groups: readonly GroupSnapshot[];
  measures: readonly MeasureSnapshot[];
}

/** How a field's value reads: bilingual text, a list, or a single value. */
export type FieldKind = "text" | "list" | "value";

/** The fields of a measure's definition a diff compares, in the order a reader sees them. */
export const MEASURE_FIELDS = [
  ["title", "text"],
  ["shortTitle", "text"],
  ["layDefinition", "text"],
  ["technicalDefinition", "text"],
  ["numeratorDefinition", "text"],
  ["denominatorDefinition", "text"],
  ["rationale", "text"],
  ["caveats", "text"],
  ["unit", "value"],
  ["multiplier", "value"],
  ["decimals", "value"],
  ["valueType", "value"],
  ["polarity", "value"],
  ["accountability", "value"],
  ["tier", "value"],
  ["group", "value"],
  ["coreAims", "list"],
  ["articles", "list"],
  ["sourceCode", "value"],
  ["frequency", "value"],
  ["periodType", "value"],
  ["geographies", "list"],
  ["breakdowns", "list"],
  ["suppressBelow", "value"],
  ["roundTo", "value"],
  ["targetValue", "value"],
  ["targetNote", "text"],
  ["status", "value"],
  ["replacesCode", "value"],
  ["breakInSeries", "value"],
  ["owner", "value"],
  ["nextReview", "value"],
] as const satisfies readonly (readonly [string, FieldKind])[];

export type MeasureField = (typeof MEASURE_FIELDS)[number][0];

/**
 * Fields whose change alters what the numbers mean: a plan's baseline, targets and judgements against the old
 * definition need checking. Changes to other fields (wording, ownership, review date) need no action.
 */
export const SERIES_FIELDS: ReadonlySet<MeasureField> = new Set<MeasureField>([
  "technicalDefinition",
  "numeratorDefinition",
  "denominatorDefinition",
  "unit",
  "multiplier",
  "valueType",
  "polarity",
  "periodType",
  "sourceCode",
  "breakInSeries",
  "suppressBelow",
  "roundTo",
]);

export interface FieldChange {
  field: MeasureField;
  kind: FieldKind;
  before: unknown;
  after: unknown;
}

export interface MeasureRef {
  code: string;
  title: BilingualText;
  status: string;
  tier: string;
}

export interface AddedMeasure extends MeasureRef {
  /** The measure it replaces (lineage), when it does. */
  replaces: string | null;
}

export interface RetiredMeasure extends MeasureRef {
  /** Measures of the new version that replace it. */
  replacedBy: string[];
  /** Whether the new version still lists it (as retired) or has dropped it. */
  dropped: boolean;
}

export interface RedefinedMeasure extends MeasureRef {
  changes: FieldChange[];
  /** Whether a change alters what the numbers mean (see {@link SERIES_FIELDS}). */
  affectsSeries: boolean;
}

export interface GroupChange {
  code: string;
  title: BilingualText;
  changes: { field: "title" | "coreAim" | "description"; before: unknown; after: unknown }[];
}

export interface SeriesBreak {
  code: string;
  title: BilingualText;
  /** The note on what changed and when (the measure's `breakInSeries`). */
  note: string | null;
  /** The older measure this one continues under a new code. */
  replaces: string | null;
}

export interface FrameworkDiff {
  from: string;
  to: string;
  added: AddedMeasure[];
  retired: RetiredMeasure[];
  redefined: RedefinedMeasure[];
  groups: { added: GroupSnapshot[]; removed: GroupSnapshot[]; changed: GroupChange[] };
  breaks: SeriesBreak[];
}

/** JSON with object keys sorted at every depth, so equal values compare equal as strings. */
function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) => {
    if (Array.isArray(v)) return v;
    if (v && typeof v === "object") {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>)
          .filter(([, x]) => x !== undefined && x !== null)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      );
    }
    return v;
  });
}

/** Lists compare as sets (their order carries no meaning in a definition). */
function comparable(kind: FieldKind, value: unknown): string {
  if (kind === "list" && Array.isArray(value)) return canonical([...value].map(String).sort());
  if (kind === "list" && (value === null || value === undefined)) return canonical([]);
  return canonical(value);
}

const ref = (m: MeasureSnapshot): MeasureRef => ({ code: m.code, title: m.title, status: m.status, tier: m.tier });

/** The field-by-field changes from one definition of a measure to another. */
export function measureChanges(before: MeasureSnapshot, after: MeasureSnapshot): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [field, kind] of MEASURE_FIELDS) {
    if (comparable(kind, before[field]) !== comparable(kind, after[field])) {
      changes.push({ field, kind, before: before[field] ?? null, after: after[field] ?? null });
    }
  }
  return changes;
}

/** The readable difference from framework version `from` to version `to`. */
export function diffFrameworks(from: FrameworkSnapshot, to: FrameworkSnapshot): FrameworkDiff {
  const oldByCode = new Map(from.measures.map((m) => [m.code, m]));
  const newByCode = new Map(to.measures.map((m) => [m.code, m]));
  const diff: FrameworkDiff = {
    from: from.version,
    to: to.version,
    added: [],
    retired: [],
    redefined: [],
    groups: { added: [], removed: [], changed: [] },
    breaks: [],
  };
  const replacedBy = (code: string) =>
    to.measures.filter((m) => m.replacesCode === code && m.status !== "retired").map((m) => m.code);

  for (const m of to.measures) {
    const old = oldByCode.get(m.code);
    if (!old) {
      diff.added.push({ ...ref(m), replaces: m.replacesCode });
      if (m.replacesCode || m.breakInSeries)
        diff.breaks.push({ code: m.code, title: m.title, note: m.breakInSeries, replaces: m.replacesCode });
      continue;
    }
    if (m.status === "retired" && old.status !== "retired") {
      diff.retired.push({ ...ref(m), replacedBy: replacedBy(m.code), dropped: false });
      continue;
    }
    const changes = measureChanges(old, m);
    if (changes.length > 0) {
      diff.redefined.push({ ...ref(m), changes, affectsSeries: changes.some((c) => SERIES_FIELDS.has(c.field)) });
    }
    const newBreak = m.breakInSeries !== null && m.breakInSeries !== old.breakInSeries;
    const newLineage = m.replacesCode !== null && m.replacesCode !== old.replacesCode;
    if (m.status !== "retired" && (newBreak || newLineage)) {
      diff.breaks.push({ code: m.code, title: m.title, note: m.breakInSeries, replaces: m.replacesCode });
    }
  }
  for (const old of from.measures) {
    if (!newByCode.has(old.code) && old.status !== "retired") {
      diff.retired.push({ ...ref(old), replacedBy: replacedBy(old.code), dropped: true });
    }
  }

  const oldGroups = new Map(from.groups.map((g) => [g.code, g]));
  const newGroups = new Map(to.groups.map((g) => [g.code, g]));
  for (const g of to.groups) {
    const old = oldGroups.get(g.code);
    if (!old) {
      diff.groups.added.push(g);
      continue;
    }
    const changes = (["title", "coreAim", "description"] as const)
      .filter((field) => canonical(old[field]) !== canonical(g[field]))
      .map((field) => ({ field, before: old[field], after: g[field] }));
    if (changes.length > 0) diff.groups.changed.push({ code: g.code, title: g.title, changes });
  }
  for (const g of from.groups) if (!newGroups.has(g.code)) diff.groups.removed.push(g);
  return diff;
}

/** Whether the diff has anything in it. */
export function diffIsEmpty(diff: FrameworkDiff): boolean {
  return (
    diff.added.length === 0 &&
    diff.retired.length === 0 &&
    diff.redefined.length === 0 &&
    diff.breaks.length === 0 &&
    diff.groups.added.length === 0 &&
    diff.groups.removed.length === 0 &&
    diff.groups.changed.length === 0
  );
}

/** What a plan editor should do about one selected measure when the plan moves to the new version. */
export type MigrationAdvice =
  /** Retired with a replacement: the replacement takes its place in the plan (its reason and priority carried over). */
  | "replace"
  /** Retired without a replacement: it leaves the plan's selection; choose another measure for its priority. */
  | "remove"
  /** Redefined in a way that changes the numbers: check the baseline, the targets and the story behind the curve. */
  | "review"
  /** Reworded only (title, definitions for readers, ownership): nothing to do. */
  | "note"
  /** A new high-level measure: every plan reports it, so it joins the plan. */
  | "add";

export interface MigrationItem {
  code: string;
  title: BilingualText;
  advice: MigrationAdvice;
  /** For `replace`: the measure that takes its place. */
  replacement: string | null;
  /** For `review` and `note`: what changed. */
  changes: FieldChange[];
  /** The break in series note, when the series breaks. */
  breakNote: string | null;
}

export interface MigrationReport {
  from: string;
  to: string;
  items: MigrationItem[];
  /** Whether moving changes the plan's selection (adds, replaces or removes a measure). */
  changesSelection: boolean;
}

/**
 * The migration report for a plan with `selected` measure codes moving across `diff`: one item per selected
 * measure that is retired or redefined, and one per new high-level measure the plan does not yet report.
 */
export function migrationReport(diff: FrameworkDiff, selected: readonly string[]): MigrationReport {
  const chosen = new Set(selected);
  const items: MigrationItem[] = [];
  const breakNote = (code: string) => diff.breaks.find((b) => b.code === code)?.note ?? null;
  for (const r of diff.retired) {
    if (!chosen.has(r.code)) continue;
    const replacement = r.replacedBy[0] ?? null;
    items.push({
      code: r.code,
      title: r.title,
      advice: replacement ? "replace" : "remove",
      replacement,
      changes: [],
      breakNote: replacement ? breakNote(replacement) : null,
    });
  }
  for (const r of diff.redefined) {
    if (!chosen.has(r.code)) continue;
    items.push({
      code: r.code,
      title: r.title,
      advice: r.affectsSeries ? "review" : "note",
      replacement: null,
      changes: r.changes,
      breakNote: breakNote(r.code),
    });
  }
  const replacements = new Set(items.flatMap((i) => (i.replacement ? [i.replacement] : [])));
  for (const a of diff.added) {
    if (a.tier !== "high_level" || a.status !== "live" || chosen.has(a.code) || replacements.has(a.code)) continue;
    items.push({ code: a.code, title: a.title, advice: "add", replacement: null, changes: [], breakNote: null });
  }
  return {
    from: diff.from,
    to: diff.to,
    items,
    changesSelection: items.some((i) => i.advice === "replace" || i.advice === "remove" || i.advice === "add"),
  };
}
