/**
 * The summary of an import or dry run: the same object is printed by `omf import --json`, returned by
 * POST /api/v1/imports and shown on the web preview.
 */
import type { Issue } from "../../ingest/observations/types.ts";
import type { IssueGroup } from "./issue-groups.ts";

export interface ValueSnapshot {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  lowerCi: number | null;
  upperCi: number | null;
  noteCodes: string[];
}

export interface RevisedValue {
  row: number;
  measureCode: string;
  areaCode: string;
  period: string;
  breakdown: string;
  old: ValueSnapshot;
  new: ValueSnapshot;
}

export interface ImportCounts {
  /** Data rows read from the file. */
  rows: number;
  /** Rows that passed validation. */
  valid: number;
  /** Keys not in the database before (or withdrawn). */
  new: number;
  /** Keys whose value changes (a new revision). */
  revised: number;
  /** Keys whose value is already the current one (nothing written). */
  unchanged: number;
  /** Number of errors (one row may have several). */
  errors: number;
  /** Rows with at least one error. */
  errorRows: number;
  warnings: number;
}

export interface ImportSummary {
  /** True when the file is valid (and, unless a dry run, was written). */
  ok: boolean;
  dryRun: boolean;
  file: string | null;
  format: string;
  /** The batch written (null for a dry run, a failed import, or a file with no changes). */
  batch: { id: number; status: "draft" | "published"; publishAt: string | null } | null;
  counts: ImportCounts;
  /** Rows per measure in the file. */
  measures: { code: string; rows: number }[];
  /** Revised values, old → new (the first `revisedLimit`). */
  revised: RevisedValue[];
  revisedTruncated: boolean;
  /** Errors and warnings (the first `issueLimit` of each; the counts are exact). */
  errors: Issue[];
  warnings: Issue[];
  errorsTruncated: boolean;
  warningsTruncated: boolean;
  /** Every error and warning of the file grouped: the same problem once, with the rows it applies to (issue 17). */
  errorGroups: IssueGroup[];
  warningGroups: IssueGroup[];
  /** One line saying what happened. */
  message: string;
  seconds: number;
  rowsPerSecond: number;
}

export function emptyCounts(): ImportCounts {
  return { rows: 0, valid: 0, new: 0, revised: 0, unchanged: 0, errors: 0, errorRows: 0, warnings: 0 };
}
