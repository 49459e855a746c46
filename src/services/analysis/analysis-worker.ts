/**
 * The analysis worker thread (started by background.ts): runs {@link analyseMeasures} off the server's request path.
 * On PostgreSQL it has its own connections; on the embedded database its queries are run by the thread that owns
 * PGlite (src/db/remote-pglite.ts), so the web thread only executes the statements and never computes.
 */
import { parentPort, workerData } from "node:worker_threads";
import { openWorkerDatabase, type WorkerDatabaseData } from "../../db/worker-database.ts";
import type { FromAnalysisWorker, ToAnalysisWorker } from "./background.ts";
import { analyseMeasures } from "./index.ts";

const { db, end } = openWorkerDatabase(workerData as WorkerDatabaseData);

const port = parentPort!;
const send = (m: FromAnalysisWorker) => port.postMessage(m);
port.on("message", async (m: ToAnalysisWorker) => {
  if (m.type === "stop") {
    await end();
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
