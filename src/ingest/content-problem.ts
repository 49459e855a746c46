/**
 * A problem found while reading or validating a content file (framework YAML/JSON or area CSV).
 *
 * Problems are collected, never thrown, so that a partnership editing a file sees every problem at once.
 */
export interface ContentProblem {
  /** The file, as the path it was read from (e.g. `content/framework/measures.yaml`). */
  file: string;
  /**
   * A readable path to the value at fault, e.g. `measures[low-birth-weight].polarity` or `measures[3].polarity`
   * (entries are named by their code when they have one, otherwise by position counting from 0), or `line 12.valid_from`
   * in a CSV file. Empty when the problem is about the whole file.
   */
  key: string;
  message: string;
  /** Errors stop content being loaded; warnings (for example Welsh text missing) do not. */
  severity: "error" | "warning";
  /** 1-based line in the file, when known. */
  line?: number | undefined;
}

/** Formats a problem as one line: `content/x.yaml: measures[low-birth-weight].polarity: Required`. */
export function formatProblem(problem: ContentProblem): string {
  const prefix = problem.severity === "warning" ? "warning: " : "";
  return problem.key === ""
    ? `${problem.file}: ${prefix}${problem.message}`
    : `${problem.file}: ${problem.key}: ${prefix}${problem.message}`;
}

/** True when any problem is an error. */
export function hasErrors(problems: readonly ContentProblem[]): boolean {
  return problems.some((p) => p.severity === "error");
}

/** The problems that are errors. */
export function errorsOnly(problems: readonly ContentProblem[]): ContentProblem[] {
  return problems.filter((p) => p.severity === "error");
}
