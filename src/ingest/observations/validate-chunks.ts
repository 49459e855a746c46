/**
 * Validates a table chunk by chunk: each chunk of rows read becomes a {@link ValidatedChunk} with the issues found in
 * it and its valid rows in columns. The same code runs in the importing thread and in the validation worker.
 */

import type { Issue, TableSource } from "./types.ts";
import type { RowValidator } from "./validate-rows.ts";
import { ChunkEncoder, type ValidatedChunk } from "./validated-chunk.ts";

/** `encoder` numbers the texts; pass the same one to go on numbering across several sources. */
export async function* validateChunks(
  source: TableSource,
  validator: RowValidator,
  encoder = new ChunkEncoder(),
): AsyncGenerator<ValidatedChunk> {
  const valid = validator.valid;
  for await (const chunk of source.chunks) {
    const issues: Issue[] = [];
    const sink = { add: (issue: Issue) => void issues.push(issue) };
    encoder.begin(chunk.length);
    for (const row of chunk) if (validator.check(row, sink)) encoder.add(valid);
    yield encoder.finish(chunk.length, issues, source.bytesRead());
  }
}
