import type {
  ArticleEntry,
  CoreAimEntry,
  DimensionEntry,
  FrameworkFile,
  FrameworkSection,
  GroupEntry,
  MeasureEntry,
  SourceEntry,
} from "./framework-file-schema.ts";

/** The list sections of a framework content file. */
export const FRAMEWORK_LIST_SECTIONS = ["coreAims", "articles", "sources", "dimensions", "groups", "measures"] as const;
export type FrameworkListSection = (typeof FRAMEWORK_LIST_SECTIONS)[number];

/** An entry of a section that failed schema validation: kept only so references to its code still resolve. */
export interface UnparsedEntry {
  index: number;
  /** The entry's `code` (or an article's `number`), when it had one. */
  code?: string | number | undefined;
}

/**
 * One content file after parsing and schema validation. `data` holds the parts that passed the schema (a file
 * with an invalid measure still contributes its valid measures); `unparsed` lists the entries that did not.
 */
export interface ParsedFrameworkFile {
  file: string;
  data: FrameworkFile;
  /** Position of each valid entry in its section in the original file (entries are named by position when they have no code). */
  indexOf: Map<object, number>;
  unparsed: Partial<Record<FrameworkListSection, UnparsedEntry[]>>;
  /** Finds the 1-based line of a path such as `["measures", 3, "polarity"]` (or its nearest existing parent). */
  lineOf: (path: readonly (string | number)[]) => number | undefined;
}

/** Framework content merged from one or more files. */
export interface FrameworkContent {
  framework?: FrameworkSection | undefined;
  coreAims: CoreAimEntry[];
  articles: ArticleEntry[];
  sources: SourceEntry[];
  dimensions: DimensionEntry[];
  groups: GroupEntry[];
  measures: MeasureEntry[];
}

/**
 * Codes already known (e.g. from the database) that a file may refer to without defining them, as when
 * `omf framework import` adds local measures to the existing framework.
 */
export interface KnownFrameworkCodes {
  coreAims?: Iterable<string> | undefined;
  /** Groups with their core aim, so an additional measure's group can be checked against its core aims. */
  groups?: Iterable<{ code: string; coreAim: string }> | undefined;
  sources?: Iterable<string> | undefined;
  dimensions?: Iterable<string> | undefined;
  articles?: Iterable<number> | undefined;
  /** Measure codes, for `lineage.replaces`. */
  measures?: Iterable<string> | undefined;
}

/** An empty framework content. */
export function emptyFrameworkContent(): FrameworkContent {
  return { coreAims: [], articles: [], sources: [], dimensions: [], groups: [], measures: [] };
}

/**
 * Merges parsed files in order into one content. Sections are concatenated; duplicates are not removed here
 * (the validator reports them). When more than one file has a `framework` section, the first one wins.
 */
export function mergeFrameworkFiles(files: readonly ParsedFrameworkFile[]): FrameworkContent {
  const content = emptyFrameworkContent();
  for (const { data } of files) {
    if (data.framework && !content.framework) content.framework = data.framework;
    content.coreAims.push(...(data.coreAims ?? []));
    content.articles.push(...(data.articles ?? []));
    content.sources.push(...(data.sources ?? []));
    content.dimensions.push(...(data.dimensions ?? []));
    content.groups.push(...(data.groups ?? []));
    content.measures.push(...(data.measures ?? []));
  }
  return content;
}

/** The codes defined by some content, for validating another file against it (see {@link KnownFrameworkCodes}). */
export function knownCodesOf(content: FrameworkContent): KnownFrameworkCodes {
  return {
    coreAims: content.coreAims.map((a) => a.code),
    groups: content.groups.map((g) => ({ code: g.code, coreAim: g.coreAim })),
    sources: content.sources.map((s) => s.code),
    dimensions: content.dimensions.map((d) => d.code),
    articles: content.articles.map((a) => a.number),
    measures: content.measures.map((m) => m.code),
  };
}
