/**
 * Limits on what a data file may contain, so that a hostile or broken file is refused quickly and in bounded memory
 * instead of growing time and memory without end. Each can be changed with an environment variable (documented in
 * docs/data-format.md, "Limits"); the defaults are far above anything a real statistical file needs.
 */
import { setting } from "../../config.ts";
import type { Issue } from "./types.ts";

/** A limit from its setting (src/config.ts: a positive number, else the default), in `unit`s. */
function fromEnv(name: LimitName, _fallback: number, unit: number): number {
  return Math.round(setting(name) * unit);
}

type LimitName =
  | "OMF_MAX_ROW_KB"
  | "OMF_MAX_CELL_CHARS"
  | "OMF_MAX_XLSX_MB"
  | "OMF_MAX_XLSX_ENTRIES"
  | "OMF_MAX_XLSX_RATIO";

/**
 * Longest row of a CSV/TSV file, in characters (a row may span several lines when a quoted cell holds line breaks):
 * 1 MiB by default (`OMF_MAX_ROW_KB`). A row of the tidy format is rarely more than a few hundred characters.
 */
export const MAX_ROW_CHARS = fromEnv("OMF_MAX_ROW_KB", 1024, 1024);

/** Longest cell of any file, in characters: 32,767 by default (Excel's own limit; `OMF_MAX_CELL_CHARS`). */
export const MAX_CELL_CHARS = fromEnv("OMF_MAX_CELL_CHARS", 32_767, 1);

/**
 * Most bytes an XLSX workbook may hold once unzipped (all its parts together): 512 MiB by default (`OMF_MAX_XLSX_MB`),
 * about two million rows of the tidy columns. Checked before anything is inflated, and again while inflating.
 */
export const MAX_XLSX_UNZIPPED_BYTES = fromEnv("OMF_MAX_XLSX_MB", 512, 1024 * 1024);

/** Most parts (zip entries) an XLSX workbook may have (`OMF_MAX_XLSX_ENTRIES`). */
export const MAX_XLSX_ENTRIES = fromEnv("OMF_MAX_XLSX_ENTRIES", 10_000, 1);

/**
 * Highest ratio of unzipped to zipped size of one part of a workbook (`OMF_MAX_XLSX_RATIO`). Sheet XML is repetitive
 * and may zip 100 to 1, rarely more; a zip bomb is near the deflate maximum of about 1,000 to 1.
 */
export const MAX_XLSX_RATIO = fromEnv("OMF_MAX_XLSX_RATIO", 500, 1);

/** Characters of a cell or text shown in a message: longer texts are cut to an excerpt. */
export const EXCERPT_CHARS = 80;

/** `text` when short, else its first {@link EXCERPT_CHARS} characters, "…" and how long it was. */
export function excerpt(text: string, max = EXCERPT_CHARS): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length.toLocaleString("en-GB")} characters)`;
}

/** Longest message of an issue (a message may quote a header or a cell). */
export const MAX_MESSAGE_CHARS = 600;

/**
 * The issue with its value cut to an excerpt (also where the message quotes it) and its message bounded, so that no
 * summary, page, response or line on the terminal echoes a long cell.
 */
export function shortIssue(issue: Issue): Issue {
  let { value, message } = issue;
  if (value.length > EXCERPT_CHARS) {
    const short = excerpt(value);
    message = message.split(value).join(short);
    value = short;
  }
  if (message.length > MAX_MESSAGE_CHARS) message = excerpt(message, MAX_MESSAGE_CHARS);
  return value === issue.value && message === issue.message ? issue : { ...issue, value, message };
}
