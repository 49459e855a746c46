/**
 * Validates a table chunk by chunk: each chunk of rows read becomes a {@link ValidatedChunk} with the issues found in
 * it and its valid rows in columns. The same code runs in the importing thread and in the validation worker.
 */

import type { Issue, TableSource } from "./types.ts";
import type { RowValidator, ValidRow } from "./validate-rows.ts";
import { ChunkEncoder, type ValidatedChunk } from "./validated-chunk.ts";

export async function* validateChunks(source: TableSource, validator: RowValidator): AsyncGenerator<ValidatedChunk> {
  const encoder = new ChunkEncoder();
  for await (const chunk of source.chunks) {
    const issues: Issue[] = [];
    const sink = { add: (issue: Issue) => void issues.push(issue) };
    const valid: ValidRow[] = [];
    for (const row of chunk) {
      const v = validator.validate(row, sink);
      if (v) valid.push(v);
    }
    yield encoder.encode(chunk.length, issues, valid, source.bytesRead());
  }
}
