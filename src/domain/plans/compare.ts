/**
 * Comparing two versions of a partnership plan, section by section: priorities, the measures chosen, targets, the
 * turn-the-curve narratives and the action plans. Each thing in either version is matched with itself in the other
 * (a priority or an action by the first row it was copied from, a measure by its code, a target by measure and
 * period, a narrative by its report and section) and marked added, removed, changed or unchanged, with every field
 * before and after as the reader will read it (the caller's `words` put bilingual text, codes and structured items
 * into the reader's language, so the comparison is of what the reader sees). Pure; no I/O.
 */
import type { BilingualText } from "../enums.ts";

export type Change = "added" | "removed" | "changed" | "unchanged";

export interface PlanSnapshot {
  priorities: {
    /** The same in every version of the plan (the id of the first row it descends from). */
    key: string;
    text: BilingualText;
    rationale: BilingualText | null;
    coreAims: readonly string[];
  }[];
  measures: {
    code: string;
    kind: string;
    priorityKey: string | null;
    reason: BilingualText | null;
    targets: readonly { period: string; value: number; stretch: number | null }[];
  }[];
  narratives: { subjectKind: string; subjectCode: string; section: string; body: string; items: unknown[] | null }[];
  actions: {
    key: string;
    subjectKind: string;
    subjectCode: string;
    title: BilingualText;
    owner: string | null;
    startDate: string | null;
    dueDate: string | null;
    status: string;
    updates: readonly { date: string; text: BilingualText; status: string }[];
  }[];
  /** Programmes (matched by code) with their performance measures (by code) and each period's latest value. */
  programmes: {
    code: string;
    name: BilingualText;
    description: BilingualText | null;
    priorityKey: string | null;
    measures: readonly {
      code: string;
      title: BilingualText;
      quadrant: string;
      unit: string;
      polarity: string;
      values: readonly { period: string; value: number }[];
    }[];
  }[];
}

/** How the reader reads a value: bilingual text in their language, codes as words, a narrative's structured item. */
export interface CompareWords {
  text(value: BilingualText | null | undefined): string;
  code(kind: "selection" | "action_status" | "core_aim" | "quadrant" | "unit" | "polarity", value: string): string;
  item(section: string, item: unknown): string;
  number(value: number): string;
}

export interface FieldDiff {
  /** Which field: text, rationale, coreAims, kind, priority, reason, target, stretch, body, items, title, owner,
   * startDate, dueDate, status, updates; for programmes name, description, priority; for performance measures
   * measureTitle, quadrant, unit, polarity, values. */
  field: string;
  before: string;
  after: string;
  changed: boolean;
}

export interface ItemDiff {
  key: string;
  change: Change;
  /** What the thing is about: a measure's code, a narrative's or action's report (`measure:{code}` or
   * `programme_measure:{programme}/{measure}`) and section, a target's measure and period, a programme's code. */
  about: { measureCode?: string; subject?: string; section?: string; period?: string; programme?: string };
  /** The thing's name as the reader reads it (a priority's or an action's text), from the newer side if present. */
  label: string;
  fields: FieldDiff[];
}

export interface PlanComparison {
  priorities: ItemDiff[];
  measures: ItemDiff[];
  targets: ItemDiff[];
  narratives: ItemDiff[];
  actions: ItemDiff[];
  programmes: ItemDiff[];
  performance: ItemDiff[];
  /** How many things differ (added, removed or changed) over all sections. */
  differences: number;
}

export const COMPARE_SECTIONS = [
  "priorities",
  "measures",
  "targets",
  "narratives",
  "actions",
  "programmes",
  "performance",
] as const;
export type CompareSection = (typeof COMPARE_SECTIONS)[number];

type Fields = Record<string, string>;

interface Side {
  key: string;
  about: ItemDiff["about"];
  label: string;
  fields: Fields;
}

/** Matches the things of two versions by key and marks each; the newer version's order, then what was removed. */
function diffItems(before: readonly Side[], after: readonly Side[]): ItemDiff[] {
  const old = new Map(before.map((s) => [s.key, s] as const));
  const seen = new Set<string>();
  const out: ItemDiff[] = [];
  const fieldsOf = (a: Fields | null, b: Fields | null): FieldDiff[] =>
    Object.keys({ ...(a ?? {}), ...(b ?? {}) }).map((field) => {
      const x = a?.[field] ?? "";
      const y = b?.[field] ?? "";
      return { field, before: x, after: y, changed: x !== y };
    });
  for (const b of after) {
    const a = old.get(b.key);
    seen.add(b.key);
    const fields = fieldsOf(a?.fields ?? null, b.fields);
    const change: Change = !a ? "added" : fields.some((f) => f.changed) ? "changed" : "unchanged";
    out.push({ key: b.key, change, about: b.about, label: b.label, fields });
  }
  for (const a of before) {
    if (seen.has(a.key)) continue;
    out.push({ key: a.key, change: "removed", about: a.about, label: a.label, fields: fieldsOf(a.fields, null) });
  }
  return out;
}

function sides(s: PlanSnapshot, w: CompareWords) {
  const priorityText = new Map(s.priorities.map((p) => [p.key, w.text(p.text)] as const));
  const priorities: Side[] = s.priorities.map((p) => ({
    key: p.key,
    about: {},
    label: w.text(p.text),
    fields: {
      text: w.text(p.text),
      rationale: w.text(p.rationale),
      coreAims: p.coreAims.map((c) => w.code("core_aim", c)).join("; "),
    },
  }));
  const measures: Side[] = s.measures.map((m) => ({
    key: m.code,
    about: { measureCode: m.code },
    label: m.code,
    fields: {
      kind: w.code("selection", m.kind),
      priority: m.priorityKey === null ? "" : (priorityText.get(m.priorityKey) ?? ""),
      reason: w.text(m.reason),
    },
  }));
  const targets: Side[] = s.measures.flatMap((m) =>
    m.targets.map((t) => ({
      key: `${m.code}\u0000${t.period}`,
      about: { measureCode: m.code, period: t.period },
      label: `${m.code} ${t.period}`,
      fields: { target: w.number(t.value), stretch: t.stretch === null ? "" : w.number(t.stretch) },
    })),
  );
  const narratives: Side[] = s.narratives.map((n) => ({
    key: `${n.subjectKind}:${n.subjectCode}\u0000${n.section}`,
    about: { subject: `${n.subjectKind}:${n.subjectCode}`, section: n.section },
    label: n.section,
    fields: { body: n.body, items: (n.items ?? []).map((i) => w.item(n.section, i)).join("\n") },
  }));
  const actions: Side[] = s.actions.map((a) => ({
    key: a.key,
    about: { subject: `${a.subjectKind}:${a.subjectCode}` },
    label: w.text(a.title),
    fields: {
      title: w.text(a.title),
      owner: a.owner ?? "",
      startDate: a.startDate ?? "",
      dueDate: a.dueDate ?? "",
      status: w.code("action_status", a.status),
      updates: a.updates.map((u) => `${u.date}: ${w.text(u.text)} (${w.code("action_status", u.status)})`).join("\n"),
    },
  }));
  const programmes: Side[] = s.programmes.map((p) => ({
    key: p.code,
    about: { programme: p.code },
    label: w.text(p.name),
    fields: {
      name: w.text(p.name),
      description: w.text(p.description),
      priority: p.priorityKey === null ? "" : (priorityText.get(p.priorityKey) ?? ""),
    },
  }));
  const performance: Side[] = s.programmes.flatMap((p) =>
    p.measures.map((m) => ({
      key: `${p.code}\u0000${m.code}`,
      about: { subject: `programme_measure:${p.code}/${m.code}`, programme: p.code },
      label: w.text(m.title),
      fields: {
        measureTitle: w.text(m.title),
        quadrant: w.code("quadrant", m.quadrant),
        unit: w.code("unit", m.unit),
        polarity: w.code("polarity", m.polarity),
        values: [...m.values]
          .sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0))
          .map((v) => `${v.period}: ${w.number(v.value)}`)
          .join("\n"),
      },
    })),
  );
  return { priorities, measures, targets, narratives, actions, programmes, performance };
}

/** The differences from version `before` to version `after` of a plan, section by section. */
export function comparePlans(before: PlanSnapshot, after: PlanSnapshot, words: CompareWords): PlanComparison {
  const a = sides(before, words);
  const b = sides(after, words);
  const out = {
    priorities: diffItems(a.priorities, b.priorities),
    measures: diffItems(a.measures, b.measures),
    targets: diffItems(a.targets, b.targets),
    narratives: diffItems(a.narratives, b.narratives),
    actions: diffItems(a.actions, b.actions),
    programmes: diffItems(a.programmes, b.programmes),
    performance: diffItems(a.performance, b.performance),
  };
  const differences = COMPARE_SECTIONS.reduce(
    (n, section) => n + out[section].filter((d) => d.change !== "unchanged").length,
    0,
  );
  return { ...out, differences };
}
