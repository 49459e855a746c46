import { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import type { ContentProblem } from "../content-problem.ts";
import {
  FRAMEWORK_LIST_SECTIONS,
  type FrameworkListSection,
  type ParsedFrameworkFile,
  type UnparsedEntry,
} from "./framework-content.ts";
import {
  articleEntry,
  coreAimEntry,
  dimensionEntry,
  type FrameworkFile,
  frameworkFile,
  frameworkSection,
  groupEntry,
  measureEntry,
  sourceEntry,
} from "./framework-file-schema.ts";

/** The result of parsing one framework content file. */
export interface ParseFrameworkResult {
  parsed: ParsedFrameworkFile;
  problems: ContentProblem[];
}

type Path = readonly (string | number)[];

const ENTRY_SCHEMAS = {
  coreAims: coreAimEntry,
  articles: articleEntry,
  sources: sourceEntry,
  dimensions: dimensionEntry,
  groups: groupEntry,
  measures: measureEntry,
} as const satisfies Record<FrameworkListSection, z.ZodType>;

/**
 * Parses the text of one framework content file (YAML, or JSON, which is YAML) and validates it against
 * {@link frameworkFile}. Pure: `file` is only used to label problems.
 *
 * Every schema problem is reported. Entries that pass the schema are kept even when others in the same file fail,
 * so that cross-file checks can still run on them.
 */
export function parseFrameworkText(text: string, file: string): ParseFrameworkResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number | undefined): number | undefined =>
    offset === undefined ? undefined : lineCounter.linePos(offset).line;
  const lineOf = (path: Path): number | undefined => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node: unknown = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
      const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
      if (range) return lineAt(range[0]);
    }
    return undefined;
  };
  const parsed: ParsedFrameworkFile = { file, data: {}, indexOf: new Map(), unparsed: {}, lineOf };
  const problems: ContentProblem[] = [];

  for (const err of doc.errors) {
    problems.push({
      file,
      key: "",
      message: `YAML syntax error: ${firstLine(err.message)}`,
      severity: "error",
      line: lineAt(err.pos[0]),
    });
  }
  for (const warn of doc.warnings) {
    problems.push({ file, key: "", message: firstLine(warn.message), severity: "warning", line: lineAt(warn.pos[0]) });
  }
  if (doc.errors.length > 0) return { parsed, problems };

  const raw: unknown = doc.toJS();
  if (raw === null || raw === undefined) {
    problems.push({ file, key: "", message: "the file is empty", severity: "warning" });
    return { parsed, problems };
  }
  if (!isRecord(raw)) {
    problems.push({
      file,
      key: "",
      message: "must be a mapping of sections such as framework:, coreAims:, groups: or measures:",
      severity: "error",
      line: 1,
    });
    return { parsed, problems };
  }

  const whole = frameworkFile.safeParse(raw, { error: friendlyMessage });
  if (whole.success) {
    parsed.data = whole.data;
    for (const section of FRAMEWORK_LIST_SECTIONS) {
      whole.data[section]?.forEach((entry, index) => {
        parsed.indexOf.set(entry, index);
      });
    }
    return { parsed, problems };
  }

  for (const issue of whole.error.issues) problems.push(...issueToProblems(issue, raw, file, lineOf));
  parsed.data = partialData(raw, parsed);
  return { parsed, problems };
}

/** Keeps the sections and entries that pass the schema on their own; records the codes of those that do not. */
function partialData(raw: Record<string, unknown>, parsed: ParsedFrameworkFile): FrameworkFile {
  const data: Record<string, unknown> = {};
  const framework = frameworkSection.safeParse(raw.framework);
  if (framework.success) data.framework = framework.data;
  for (const section of FRAMEWORK_LIST_SECTIONS) {
    const list = raw[section];
    if (!Array.isArray(list)) continue;
    const schema: z.ZodType = ENTRY_SCHEMAS[section];
    const valid: unknown[] = [];
    const unparsed: UnparsedEntry[] = [];
    list.forEach((entry: unknown, index) => {
      const result = schema.safeParse(entry);
      if (result.success) {
        valid.push(result.data);
        parsed.indexOf.set(result.data as object, index);
      } else {
        unparsed.push({ index, code: entryCode(entry) });
      }
    });
    data[section] = valid;
    if (unparsed.length > 0) parsed.unparsed[section] = unparsed;
  }
  return data as FrameworkFile;
}

/** Plain-language messages for the schema's built-in checks (custom messages in the schema take precedence). */
const friendlyMessage: z.core.$ZodErrorMap = (issue) => {
  if (issue.input === undefined) return "Required";
  switch (issue.code) {
    case "invalid_type": {
      const got = describeValue(issue.input);
      const hint =
        issue.expected === "string" && typeof issue.input === "number" ? ' (put it in quotes, e.g. "1")' : "";
      return `expected ${issue.expected === "object" ? "a mapping" : issue.expected}, got ${got}${hint}`;
    }
    case "invalid_value":
      return `must be one of: ${issue.values.map(String).join(", ")}`;
    case "too_small":
      if (issue.origin === "string") return "must not be empty";
      if (issue.origin === "array") return `must list at least ${issue.minimum} value${issue.minimum === 1 ? "" : "s"}`;
      return `must be at least ${issue.minimum}`;
    case "too_big":
      return `must be at most ${issue.maximum}`;
    default:
      return undefined;
  }
};

function issueToProblems(issue: z.core.$ZodIssue, raw: unknown, file: string, lineOf: (p: Path) => number | undefined) {
  const path = issue.path.filter((p): p is string | number => typeof p === "string" || typeof p === "number");
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map(
      (k): ContentProblem => ({
        file,
        key: readableKey([...path, k], raw),
        message: unknownFieldMessage(k, allowedKeysAt(path)),
        severity: "error",
        line: lineOf([...path, k]),
      }),
    );
  }
  return [
    { file, key: readableKey(path, raw), message: issue.message, severity: "error", line: lineOf(path) },
  ] satisfies ContentProblem[];
}

/**
 * Turns a path such as `["measures", 3, "polarity"]` into `measures[low-birth-weight].polarity`, naming list
 * entries by their `code` when they have one and by position (from 0) otherwise.
 */
export function readableKey(path: Path, root: unknown): string {
  let out = "";
  let node: unknown = root;
  for (const segment of path) {
    if (typeof segment === "number") {
      const element = Array.isArray(node) ? node[segment] : undefined;
      const code = isRecord(element) ? element.code : undefined;
      const label = typeof code === "string" && /^[\w.-]+$/.test(code.trim()) ? code.trim() : String(segment);
      out += `[${label}]`;
      node = element;
    } else {
      out += out === "" ? segment : `.${segment}`;
      node = isRecord(node) ? node[segment] : undefined;
    }
  }
  return out;
}

const BILINGUAL_FIELDS = new Set([
  "title",
  "shortTitle",
  "description",
  "summary",
  "name",
  "label",
  "layDefinition",
  "technicalDefinition",
  "rationale",
  "numerator",
  "denominator",
  "caveats",
  "note",
]);

/** The fields allowed in the mapping at a path, for "did you mean" hints on unknown fields. */
function allowedKeysAt(path: Path): string[] {
  const last = path[path.length - 1];
  if (path.length === 0) return Object.keys(frameworkFile.shape);
  if (path.length === 1 && last === "framework") return Object.keys(frameworkSection.shape);
  if (path.length === 2 && typeof last === "number") {
    const section = path[0] as FrameworkListSection;
    const schema = ENTRY_SCHEMAS[section] as { shape?: Record<string, unknown> } | undefined;
    return schema?.shape ? Object.keys(schema.shape) : [];
  }
  if (typeof last === "string" && BILINGUAL_FIELDS.has(last)) return ["en", "cy"];
  if (last === "disclosure") return ["suppressBelow", "roundTo"];
  if (last === "lineage") return ["replaces", "breakInSeries"];
  if (last === "target") return ["value", "note"];
  if (typeof last === "number" && path[path.length - 2] === "articles") return ["article", "confidence"];
  if (typeof last === "number" && path[path.length - 2] === "values") return ["code", "label"];
  return [];
}

function unknownFieldMessage(key: string, allowed: readonly string[]): string {
  const near = allowed
    .map((a) => ({ a, d: editDistance(key.toLowerCase(), a.toLowerCase()) }))
    .filter(({ d }) => d <= 2)
    .sort((x, y) => x.d - y.d)[0];
  return near ? `unknown field "${key}" (did you mean "${near.a}"?)` : `unknown field "${key}"`;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

function entryCode(entry: unknown): string | number | undefined {
  if (!isRecord(entry)) return undefined;
  if (typeof entry.code === "string") return entry.code;
  if (typeof entry.number === "number") return entry.number;
  return undefined;
}

function describeValue(value: unknown): string {
  if (value === null) return "nothing (null)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return typeof value;
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
