import type { FastifyInstance } from "fastify";

export async function homeRoutes(app: FastifyInstance): Promise<void> {
  app.get("/", async (_request, reply) => {
    const view = await app.services.framework.current();
    return reply.render("home.njk", { framework: view });
  });
}
