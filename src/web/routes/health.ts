import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";

/** GET /health: 200 with database status when the database answers, 503 otherwise. */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get("/health", async (_request, reply) => {
    const database = app.services.database;
    const started = performance.now();
    try {
      await database.db.execute(sql`select 1`);
      return reply.header("cache-control", "no-store").send({
        status: "ok",
        database: { status: "ok", kind: database.kind, latencyMs: Math.round((performance.now() - started) * 10) / 10 },
      });
    } catch (error) {
      return reply
        .code(503)
        .header("cache-control", "no-store")
        .send({
          status: "unavailable",
          database: { status: "unavailable", kind: database.kind, error: String(error) },
        });
    }
  });
}
