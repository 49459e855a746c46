/**
 * The same problem on many rows, said once (issue 17): issues with the same severity, code, column, value and message
 * are one group, with the rows it applies to as ranges ("2–24, 30"). An unknown measure also gets the measure codes
 * whose names are nearest to the text, for the likely fix. Groups are built as the issues come (in row order), so a
 * file with a million bad rows keeps a few ranges, not a million issues.
 */
import type { Issue } from "../../ingest/observations/types.ts";

export interface IssueGroup {
  severity: Issue["severity"];
  code: string;
  column: string;
  value: string;
  message: string;
  /** How many rows (issues) the group has. */
  count: number;
  /** The rows as ranges, in row order: [first, last] pairs (0 for the whole file). */
  ranges: [number, number][];
  /** For an unknown measure: the measure codes whose names are nearest to the text, best first. */
  nearestMeasures?: string[];
}

/** Most groups kept (each error kind on a file is one group, so this is far more than a file has). */
export const GROUP_LIMIT = 200;

/** Collects issues into groups. */
export class IssueGrouper {
  private readonly byKey = new Map<string, IssueGroup>();
  /** Groups not kept because GROUP_LIMIT was reached (their issues are still counted in the summary). */
  dropped = 0;

  add(issue: Issue): void {
    const key = [issue.severity, issue.code, issue.column, issue.value, issue.message].join("\u0000");
    let g = this.byKey.get(key);
    if (!g) {
      if (this.byKey.size >= GROUP_LIMIT) {
        this.dropped++;
        return;
      }
      g = {
        severity: issue.severity,
        code: issue.code,
        column: issue.column,
        value: issue.value,
        message: issue.message,
        count: 0,
        ranges: [],
      };
      this.byKey.set(key, g);
    }
    g.count++;
    const last = g.ranges.at(-1);
    if (last && issue.row >= last[0] && issue.row <= last[1]) return;
    if (last && issue.row === last[1] + 1) last[1] = issue.row;
    else g.ranges.push([issue.row, issue.row]);
  }

  groups(): IssueGroup[] {
    return [...this.byKey.values()];
  }
}

/** Groups a list of issues (see IssueGrouper). */
export function groupIssues(issues: readonly Issue[]): IssueGroup[] {
  const g = new IssueGrouper();
  for (const i of issues) g.add(i);
  return g.groups();
}

/** Row ranges as text: "2–24, 30" (an en dash between the ends of a range; no word, so it suits both languages). */
export function rowRangesText(ranges: readonly [number, number][], format: (n: number) => string = String): string {
  return ranges.map(([a, b]) => (a === b ? format(a) : `${format(a)}–${format(b)}`)).join(", ");
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1);
}

function bigrams(text: string): Set<string> {
  const s = ` ${words(text).join(" ")} `;
  const out = new Set<string>();
  for (let i = 0; i < s.length - 1; i++) out.add(s.slice(i, i + 2));
  return out;
}

/** Similarity of two texts in [0, 1]: the Dice coefficient of their letter pairs, so "birth weight" is near "Low birth weight". */
export function nameSimilarity(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  if (x.size === 0 || y.size === 0) return 0;
  let both = 0;
  for (const p of x) if (y.has(p)) both++;
  return (2 * both) / (x.size + y.size);
}

/**
 * The measure codes whose code or titles are nearest to a text, best first: at most `limit`, none below 0.3, and none
 * far behind the best (under 0.8 of its score), so that a clear match is not followed by chance resemblances.
 */
export function nearestMeasures(
  text: string,
  measures: readonly { code: string; titles: readonly string[] }[],
  limit = 3,
): string[] {
  const scored = measures
    .map((m) => ({
      code: m.code,
      score: Math.max(
        nameSimilarity(text, m.code.replaceAll("-", " ")),
        ...m.titles.map((t) => nameSimilarity(text, t)),
      ),
    }))
    .filter((s) => s.score >= 0.3)
    .sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));
  const best = scored[0]?.score ?? 0;
  return scored
    .filter((s) => s.score >= 0.8 * best)
    .slice(0, limit)
    .map((s) => s.code);
}
