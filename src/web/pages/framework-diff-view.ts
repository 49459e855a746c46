/**
 * The readable difference between two framework versions, in the reader's language: for the version diff page,
 * the plan migration page and `omf framework diff`. Each changed field has its label, the older and newer values as
 * plain text (for the command line) and as HTML with the changed words marked by <ins>/<del> and hidden
 * "added"/"removed" labels (so the change is not told by colour or strike-through alone).
 */
import type { BilingualText, Language } from "../../domain/enums.ts";
import type { FieldKind, FrameworkDiff, MigrationReport } from "../../domain/framework-diff.ts";
import { diffHtml, diffWords } from "../../render/document/text-diff.ts";
import type { Translate } from "../i18n.ts";

export interface FieldRow {
  label: string;
  before: string;
  after: string;
  beforeHtml: string;
  afterHtml: string;
}

const ENUM_FIELDS: Record<string, string> = {
  unit: "enums.unit",
  polarity: "enums.polarity",
  tier: "enums.tier",
  status: "enums.status",
  accountability: "enums.accountability",
};

const escapeHtml = (s: string) =>
  s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

export function textIn(text: BilingualText | null | undefined, lang: Language): string {
  if (!text) return "";
  return lang === "cy" && text.cy ? text.cy : text.en;
}

/** A changed field: its name (a key of fwversions.fields), how it reads, and its two values. */
interface Change {
  field: string;
  kind: FieldKind;
  before: unknown;
  after: unknown;
}

/** One field's value as a reader sees it. */
function shown(change: Pick<Change, "field" | "kind">, value: unknown, t: Translate, lang: Language): string {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return "";
  if (change.kind === "text") return textIn(value as BilingualText, lang);
  if (Array.isArray(value)) return value.map(String).join(", ");
  const prefix = ENUM_FIELDS[change.field];
  if (prefix && typeof value === "string") {
    const label = t(`${prefix}.${value}`);
    return label === `${prefix}.${value}` ? value : label;
  }
  if (typeof value === "number") return new Intl.NumberFormat(lang === "cy" ? "cy-GB" : "en-GB").format(value);
  return String(value);
}

/** A changed field as two cells: the older value with removed words marked, the newer with added ones. */
export function fieldRow(change: Change, t: Translate, lang: Language): FieldRow {
  const before = shown(change, change.before, t, lang);
  const after = shown(change, change.after, t, lang);
  const empty = escapeHtml(t("fwversions.empty"));
  const labels = { added: t("fwversions.ins"), removed: t("fwversions.del") };
  const parts = diffWords(before, after);
  return {
    label: t(`fwversions.fields.${change.field}`),
    before: before || t("fwversions.empty"),
    after: after || t("fwversions.empty"),
    beforeHtml: before
      ? diffHtml(
          parts.filter((p) => p.kind !== "added"),
          labels,
        )
      : empty,
    afterHtml: after
      ? diffHtml(
          parts.filter((p) => p.kind !== "removed"),
          labels,
        )
      : empty,
  };
}

/** The diff as the page and the command line show it. */
export function diffView(diff: FrameworkDiff, t: Translate, lang: Language) {
  const title = (x: { title: BilingualText }) => textIn(x.title, lang);
  return {
    from: diff.from,
    to: diff.to,
    summary: t("fwversions.summary", {
      added: diff.added.length,
      retired: diff.retired.length,
      redefined: diff.redefined.length,
      breaks: diff.breaks.length,
      groups: diff.groups.added.length + diff.groups.removed.length + diff.groups.changed.length,
    }),
    added: diff.added.map((m) => ({
      code: m.code,
      title: title(m),
      tier: t(`enums.tier.${m.tier}`),
      status: t(`enums.status.${m.status}`),
      note: m.replaces ? t("fwversions.replaces", { code: m.replaces }) : "",
    })),
    retired: diff.retired.map((m) => ({
      code: m.code,
      title: title(m),
      tier: t(`enums.tier.${m.tier}`),
      note: [
        m.replacedBy.length ? t("fwversions.replacedBy", { codes: m.replacedBy.join(", ") }) : "",
        m.dropped ? t("fwversions.dropped") : "",
      ]
        .filter(Boolean)
        .join(" "),
    })),
    redefined: diff.redefined.map((m) => ({
      code: m.code,
      title: title(m),
      effect: t(m.affectsSeries ? "fwversions.affectsSeries" : "fwversions.wordingOnly"),
      rows: m.changes.map((c) => fieldRow(c, t, lang)),
    })),
    breaks: diff.breaks.map((b) => ({
      code: b.code,
      title: title(b),
      note: b.note ? t("fwversions.breakNote", { note: b.note }) : t("fwversions.noNote"),
      replaces: b.replaces ? t("fwversions.replaces", { code: b.replaces }) : "",
    })),
    groups: [
      ...diff.groups.added.map((g) => ({ code: g.code, title: title(g), what: t("fwversions.groupAdded"), rows: [] })),
      ...diff.groups.removed.map((g) => ({
        code: g.code,
        title: title(g),
        what: t("fwversions.groupRemoved"),
        rows: [],
      })),
      ...diff.groups.changed.map((g) => ({
        code: g.code,
        title: title(g),
        what: t("fwversions.groupChanged"),
        rows: g.changes.map((c) => fieldRow({ ...c, kind: c.field === "coreAim" ? "value" : "text" }, t, lang)),
      })),
    ],
  };
}

export type DiffView = ReturnType<typeof diffView>;

/** The migration report as the plan page and the command line show it. */
export function migrationView(report: MigrationReport, t: Translate, lang: Language) {
  return {
    from: report.from,
    to: report.to,
    changesSelection: report.changesSelection,
    items: report.items.map((i) => ({
      code: i.code,
      title: textIn(i.title, lang),
      advice: i.advice,
      whatToDo: t(`fwversions.plan.advice.${i.advice}`, { replacement: i.replacement ?? "" }),
      changed: i.changes.length
        ? t("fwversions.plan.changed", { fields: i.changes.map((c) => t(`fwversions.fields.${c.field}`)).join(", ") })
        : "",
      breakNote: i.breakNote ? t("fwversions.breakNote", { note: i.breakNote }) : "",
      rows: i.changes.map((c) => fieldRow(c, t, lang)),
    })),
  };
}

/** The diff as plain text lines (for `omf framework diff`). */
export function diffText(view: DiffView, t: Translate): string[] {
  const lines: string[] = [t("fwversions.diffTitle", { to: view.to }), view.summary, ""];
  const section = (heading: string, items: string[]) => {
    lines.push(heading, ...(items.length ? items : [`  ${t("fwversions.none")}`]), "");
  };
  section(
    t("fwversions.added"),
    view.added.map((m) => `  + ${m.code}: ${m.title} (${m.tier})${m.note ? ` — ${m.note}` : ""}`),
  );
  section(
    t("fwversions.retired"),
    view.retired.map((m) => `  - ${m.code}: ${m.title}${m.note ? ` — ${m.note}` : ""}`),
  );
  section(
    t("fwversions.redefined"),
    view.redefined.flatMap((m) => [
      `  ~ ${m.code}: ${m.title}`,
      `    ${m.effect}`,
      ...m.rows.flatMap((r) => [
        `    ${r.label}:`,
        `      ${t("fwversions.before", { version: view.from })}: ${r.before}`,
        `      ${t("fwversions.after", { version: view.to })}: ${r.after}`,
      ]),
    ]),
  );
  section(
    t("fwversions.breaks"),
    view.breaks.map((b) => `  ! ${b.code}: ${b.title} — ${b.note}${b.replaces ? ` ${b.replaces}` : ""}`),
  );
  section(
    t("fwversions.groups"),
    view.groups.flatMap((g) => [
      `  * ${g.code}: ${g.title} (${g.what})`,
      ...g.rows.map((r) => `    ${r.label}: ${r.before} → ${r.after}`),
    ]),
  );
  return lines;
}
