/**
 * A word-level difference between two versions of a text (longest common subsequence over words and spaces), for the
 * narrative history: what was added and what was removed, shown with <ins> and <del> plus visually hidden words, so
 * the change is not told by colour alone.
 */
export interface DiffPart {
  kind: "same" | "added" | "removed";
  text: string;
}

function tokens(s: string): string[] {
  return s.match(/\s+|[^\s]+/g) ?? [];
}

const MAX_CELLS = 1_000_000;

/**
 * The parts of `after` against `before`, in reading order. Long texts are compared line by line, and texts too long
 * even for that are shown as wholly replaced.
 */
export function diffWords(before: string, after: string): DiffPart[] {
  let a = tokens(before);
  let b = tokens(after);
  if (a.length * b.length > MAX_CELLS) {
    a = before.split(/(?<=\n)/);
    b = after.split(/(?<=\n)/);
  }
  if (a.length * b.length > MAX_CELLS)
    return [
      ...(before ? [{ kind: "removed" as const, text: before }] : []),
      ...(after ? [{ kind: "added" as const, text: after }] : []),
    ];
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: DiffPart[] = [];
  const push = (kind: DiffPart["kind"], text: string) => {
    const last = out[out.length - 1];
    if (last?.kind === kind) last.text += text;
    else out.push({ kind, text });
  };
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      push("same", a[i]!);
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) push("removed", a[i++]!);
    else push("added", b[j++]!);
  }
  while (i < n) push("removed", a[i++]!);
  while (j < m) push("added", b[j++]!);
  return out;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The difference as HTML: removed words in <del>, added in <ins>, each announced by a hidden label. */
export function diffHtml(parts: readonly DiffPart[], labels: { added: string; removed: string }): string {
  return parts
    .map((p) => {
      const text = escapeHtml(p.text);
      if (p.kind === "same") return text;
      const tag = p.kind === "added" ? "ins" : "del";
      const label = p.kind === "added" ? labels.added : labels.removed;
      return `<${tag} class="omf-diff-${p.kind}"><span class="govuk-visually-hidden">[${escapeHtml(label)}: </span>${text}<span class="govuk-visually-hidden">]</span></${tag}>`;
    })
    .join("");
}
