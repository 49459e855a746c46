import type { FastifyInstance } from "fastify";

/**
 * GET /health (liveness): 200 with database status when the database answers, 503 otherwise.
 * GET /ready (readiness): 200 when the database answers and every migration of this version is applied, 503
 * otherwise (a load balancer sends no traffic meanwhile; see docs/operations.md). The reason of a failure is logged,
 * never sent (the endpoints are public).
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
  app.get("/ready", async (_request, reply) => {
    const check = await app.services.health.ready();
    reply.header("cache-control", "no-store");
    if (check.ok) return reply.send({ status: "ready", database: { status: "ok", kind: check.kind } });
    const migrations = check.pendingMigrations;
    return reply.code(503).send({
      status: "not_ready",
      database:
        migrations === undefined
          ? { status: "unavailable", kind: check.kind }
          : { status: "migrations_pending", kind: check.kind, pendingMigrations: migrations },
    });
  });
}
