/**
 * The analysis worker thread (started by background.ts): runs {@link analyseMeasures} off the server's request path.
 * On PostgreSQL it has its own connections; on the embedded database its queries are run by the thread that owns
 * PGlite (src/db/remote-pglite.ts), so the web thread only executes the statements and never computes.
 */
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import pg from "pg";
import type { Db } from "../../db/database.ts";
import { RemotePglite } from "../../db/remote-pglite.ts";
import * as schema from "../../db/schema.ts";
import { analyseMeasures } from "./index.ts";
import type { FromAnalysisWorker, ToAnalysisWorker } from "./background.ts";

const data = workerData as { kind: "postgres"; url: string } | { kind: "pglite"; port: MessagePort };
let pool: pg.Pool | null = null;
let db: Db;
if (data.kind === "postgres") {
  pool = new pg.Pool({ connectionString: data.url, max: 2, connectionTimeoutMillis: 5000 });
  pool.on("error", () => {});
  db = drizzlePg(pool, { schema }) as unknown as Db;
} else {
  db = drizzlePglite({ client: new RemotePglite(data.port) as never, schema }) as unknown as Db;
}

const port = parentPort!;
const send = (m: FromAnalysisWorker) => port.postMessage(m);
port.on("message", async (m: ToAnalysisWorker) => {
  if (m.type === "stop") {
    await pool?.end().catch(() => {});
    process.exit(0);
  }
  try {
    const report = await analyseMeasures(db, m.codes ?? undefined, { force: m.force });
    send({ type: "done", id: m.id, report });
  } catch (error) {
    send({ type: "failed", id: m.id, message: error instanceof Error ? error.message : String(error) });
  }
});
send({ type: "ready" });
