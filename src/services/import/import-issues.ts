/** The errors and warnings of an import: counted, kept up to a limit, and passed on as they come. */
import { shortIssue } from "../../ingest/observations/limits.ts";
import type { Issue } from "../../ingest/observations/types.ts";
import type { ImportCounts } from "./summary.ts";

export interface IssueSink {
  add(issue: Issue): void;
}

/** A sink that shortens every issue to an excerpt (see limits.ts), counts it (and the rows with errors) in `counts` and keeps the first `limit` of each kind. */
export function issueSink(
  counts: ImportCounts,
  errors: Issue[],
  warnings: Issue[],
  issueLimit: number,
  onIssue: ((issue: Issue) => void) | undefined,
): IssueSink {
  let lastErrorRow = -1;
  return {
    add(full: Issue) {
      const issue = shortIssue(full);
      onIssue?.(issue);
      if (issue.severity === "error") {
        counts.errors++;
        if (issue.row !== lastErrorRow) {
          counts.errorRows++;
          lastErrorRow = issue.row;
        }
        if (errors.length < issueLimit) errors.push(issue);
      } else {
        counts.warnings++;
        if (warnings.length < issueLimit) warnings.push(issue);
      }
    },
  };
}

/**
 * Adds two lists of issues, each in row order, as one list in row order (on the same row, `a`'s first): so the issues
 * of a file come in the same order however it was cut into chunks.
 */
export function addInRowOrder(sink: IssueSink, a: readonly Issue[], b: readonly Issue[]): void {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]!.row <= b[j]!.row)) sink.add(a[i++]!);
    else sink.add(b[j++]!);
  }
}
