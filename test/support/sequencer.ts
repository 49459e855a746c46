/**
 * The order test files start in: longest first, so that the two workers finish together instead of one running a
 * long browser file alone at the end. A file's length is its duration in the last run (vitest keeps them in
 * node_modules/.vite/vitest). A file without one (a fresh clone, as in CI's first run, or a new file) is given a
 * guess by its folder: browser walk-throughs take a minute or more, files that start real `omf` processes tens of
 * seconds. (Vitest's own order puts such files by size, which starts the short but slow browser files last.)
 */
import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** A guess, in milliseconds, for a file with no duration from an earlier run. */
function guess(file: string): number {
  if (file.startsWith("test/browser/")) return 90_000;
  if (file.startsWith("test/cli/")) return 30_000;
  return 10_000;
}

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { cache, config } = this.ctx;
    const path = (f: TestSpecification) => relative(config.root, f.moduleId).replaceAll("\\", "/");
    const key = (f: TestSpecification) => `${f.project.name}:${path(f)}`;
    const length = (f: TestSpecification) => cache.getFileTestResults(key(f))?.duration ?? guess(path(f));
    const size = (f: TestSpecification) => cache.getFileStats(key(f))?.size ?? 0;
    return [...files].sort((a, b) => length(b) - length(a) || size(b) - size(a));
  }
}
