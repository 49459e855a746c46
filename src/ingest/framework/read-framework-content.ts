import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import type { ContentProblem } from "../content-problem.ts";
import {
  type FrameworkContent,
  type KnownFrameworkCodes,
  mergeFrameworkFiles,
  type ParsedFrameworkFile,
} from "./framework-content.ts";
import { parseFrameworkText } from "./parse-framework-file.ts";
import { validateFramework } from "./validate-framework.ts";

/** Codes already in the database that a content file may refer to (alias of {@link KnownFrameworkCodes}). */
export type KnownCodes = KnownFrameworkCodes;

/** File extensions read as framework content. */
export const FRAMEWORK_FILE_EXTENSIONS = [".yaml", ".yml", ".json"] as const;

/** The result of reading framework content files. */
export interface ReadFrameworkFilesResult {
  files: ParsedFrameworkFile[];
  problems: ContentProblem[];
}

/** The result of {@link loadFrameworkContent}. */
export interface LoadFrameworkContentResult {
  /** The merged content: every entry that passed the schema, from every file. Check `problems` before using it. */
  content: FrameworkContent;
  /** Schema and cross-file problems, errors and warnings; the content is usable when none is an error. */
  problems: ContentProblem[];
  /** The files read, in order. */
  files: string[];
}

/**
 * Reads one framework content file, or every `.yaml`/`.yml`/`.json` file directly in a directory (in name
 * order, ignoring names starting with `.` or `_`), parses each with `yaml` and validates it against the
 * framework file schema. Problems name files by `path` as given, joined with the file name for a directory.
 */
export async function readFrameworkFiles(path: string): Promise<ReadFrameworkFilesResult> {
  const problems: ContentProblem[] = [];
  let names: string[];
  try {
    names = (await stat(path)).isDirectory() ? await contentFilesIn(path) : [path];
  } catch (error) {
    return { files: [], problems: [{ file: path, key: "", message: readMessage(error), severity: "error" }] };
  }
  if (names.length === 0) {
    problems.push({ file: path, key: "", message: "no .yaml, .yml or .json files found", severity: "error" });
  }
  const files: ParsedFrameworkFile[] = [];
  for (const name of names) {
    let text: string;
    try {
      text = await readFile(name, "utf8");
    } catch (error) {
      problems.push({ file: name, key: "", message: readMessage(error), severity: "error" });
      continue;
    }
    const result = parseFrameworkText(text.replace(/^\uFEFF/, ""), name);
    files.push(result.parsed);
    problems.push(...result.problems);
  }
  return { files, problems };
}

/**
 * Reads framework content from a file or directory, validates each file and the files together, and merges them.
 *
 * For `omf framework import` of a single file that only adds measures or groups, pass `known`: the codes already
 * in the database (core aims, groups with their aims, sources, dimensions, articles, measures), so references to
 * them resolve. `knownCodesOf(content)` builds it from loaded content.
 */
export async function loadFrameworkContent(
  path: string,
  known?: KnownFrameworkCodes,
): Promise<LoadFrameworkContentResult> {
  const { files, problems } = await readFrameworkFiles(path);
  problems.push(...validateFramework(files, known));
  return { content: mergeFrameworkFiles(files), problems, files: files.map((f) => f.file) };
}

async function contentFilesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith(".") && !e.name.startsWith("_"))
    .filter((e) => (FRAMEWORK_FILE_EXTENSIONS as readonly string[]).includes(extname(e.name).toLowerCase()))
    .map((e) => e.name)
    .sort()
    .map((name) => join(dir, name));
}

function readMessage(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === "ENOENT") return "file or directory not found";
  if (code === "EACCES") return "permission denied";
  return `could not read: ${error instanceof Error ? error.message : String(error)}`;
}
