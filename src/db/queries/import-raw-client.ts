/**
 * The raw client an import session writes through, on either driver: one interface, and an adapter for PGlite
 * (`COPY … FROM '/dev/blob'` from one reusable buffer) and for PostgreSQL (`COPY … FROM STDIN` through pg-copy-streams,
 * kept open while the file is read so that the server writes while we parse).
 */
import { once } from "node:events";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import type { Transaction as PgliteTransaction } from "@electric-sql/pglite";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { BINARY_COPY_HEADER, BINARY_COPY_TRAILER } from "./copy-binary.ts";

/** Minimal driver-neutral client used inside the transaction. */
export interface RawClient {
  /** Runs a statement (ending an open COPY first). */
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  /**
   * Sends rows (binary COPY format, without header and trailer) to `COPY … FROM STDIN WITH (FORMAT binary)`.
   * PostgreSQL keeps one COPY open across calls so the server ingests while we parse. `rows` may be reused by the
   * caller once the promise resolves (a client that keeps them longer copies them).
   */
  copyBinary(sql: string, rows: Buffer): Promise<void>;
  /** Ends an open COPY, waiting for the server to accept it. */
  endCopy(): Promise<void>;
  /** Abandons an open COPY (the transaction is going to be rolled back). */
  abortCopy(): Promise<void>;
}

/** ES2024's resizable ArrayBuffer (in Node 20; the project's TypeScript library is ES2023). */
const ResizableArrayBuffer = ArrayBuffer as unknown as new (
  size: number,
  options: { maxByteLength: number },
) => ArrayBuffer & { resize(size: number): void };

/** Largest COPY data handed to PGlite in its reusable buffer (a bigger one gets a buffer of its own). */
const PGLITE_COPY_BUFFER_MAX = 256 * 1024 * 1024;

export function pgliteClient(tx: PgliteTransaction): RawClient {
  // PGlite reads a COPY's data with `blob.arrayBuffer()` only, and copies it into its own memory. A Blob would hold
  // two more copies (into the Blob, then out of it) until garbage collection; instead we hand it one resizable
  // buffer, reused for every COPY of the import, so that importing a large file leaves no COPY data behind.
  const shared = new ResizableArrayBuffer(0, { maxByteLength: PGLITE_COPY_BUFFER_MAX });
  return {
    query: async <T>(text: string, params?: unknown[]) => (await tx.query<T>(text, params ?? [])).rows,
    copyBinary: async (sql, rows) => {
      const size = BINARY_COPY_HEADER.length + rows.length + BINARY_COPY_TRAILER.length;
      let buffer: ArrayBuffer = shared;
      if (size <= PGLITE_COPY_BUFFER_MAX) shared.resize(size);
      else buffer = new ArrayBuffer(size);
      const data = new Uint8Array(buffer);
      data.set(BINARY_COPY_HEADER, 0);
      data.set(rows, BINARY_COPY_HEADER.length);
      data.set(BINARY_COPY_TRAILER, BINARY_COPY_HEADER.length + rows.length);
      const blob = { arrayBuffer: async () => buffer } as unknown as Blob;
      await tx.query(sql.replace("FROM STDIN", "FROM '/dev/blob'"), [], { blob });
    },
    endCopy: async () => {},
    abortCopy: async () => {},
  };
}

export function pgClient(client: pg.PoolClient): RawClient {
  let copy: { stream: Writable; done: Promise<void> } | null = null;
  const endCopy = async () => {
    if (!copy) return;
    const c = copy;
    copy = null;
    c.stream.end(BINARY_COPY_TRAILER);
    await c.done;
  };
  return {
    query: async <T>(text: string, params?: unknown[]) => {
      await endCopy();
      return (await client.query(text, params as unknown[])).rows as T[];
    },
    copyBinary: async (sql, rows) => {
      if (!copy) {
        const stream = client.query(copyFrom(sql));
        const done = finished(stream);
        done.catch(() => {}); // observed through endCopy or the next write
        copy = { stream, done };
        stream.write(BINARY_COPY_HEADER);
      }
      if (!copy.stream.write(Buffer.from(rows))) await Promise.race([once(copy.stream, "drain"), copy.done]);
    },
    endCopy,
    abortCopy: async () => {
      if (!copy) return;
      const c = copy;
      copy = null;
      c.stream.destroy(new Error("import abandoned"));
      await c.done.catch(() => {});
    },
  };
}
