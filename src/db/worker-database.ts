/**
 * The database of the analysis worker thread: its own PostgreSQL pool, or, on the embedded database, a client whose
 * queries are run by the thread that owns PGlite (remote-pglite.ts).
 */
import type { MessagePort } from "node:worker_threads";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import pg from "pg";
import type { Db } from "./database.ts";
import { RemotePglite } from "./remote-pglite.ts";
import * as schema from "./schema.ts";

export type WorkerDatabaseData = { kind: "postgres"; url: string } | { kind: "pglite"; port: MessagePort };

export function openWorkerDatabase(data: WorkerDatabaseData): { db: Db; end(): Promise<void> } {
  if (data.kind === "postgres") {
    const pool = new pg.Pool({ connectionString: data.url, max: 2, connectionTimeoutMillis: 5000 });
    pool.on("error", () => {});
    return { db: drizzlePg(pool, { schema }) as unknown as Db, end: () => pool.end().catch(() => {}) };
  }
  return {
    db: drizzlePglite({ client: new RemotePglite(data.port) as never, schema }) as unknown as Db,
    end: async () => {},
  };
}
