import type { FastifyInstance } from "fastify";

/**
 * GET /health: 200 with database status when the database answers, 503 otherwise. The reason of a failure is logged,
 * never sent (the endpoint is public).
 */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get("/health", async (_request, reply) => {
    const check = await app.services.health.check();
    reply.header("cache-control", "no-store");
    if (check.ok) {
      return reply.send({
        status: "ok",
        database: { status: "ok", kind: check.kind, latencyMs: check.latencyMs },
      });
    }
    return reply.code(503).send({ status: "unavailable", database: { status: "unavailable", kind: check.kind } });
  });
}
