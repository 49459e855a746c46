import type { FastifyInstance } from "fastify";
import { z } from "zod";

const aimParams = z.object({ code: z.string().toUpperCase() });

export async function frameworkRoutes(app: FastifyInstance): Promise<void> {
  app.get("/framework", async (_request, reply) => {
    const view = await app.services.framework.current();
    return reply.render("framework.njk", { framework: view });
  });

  app.get("/aims/:code", async (request, reply) => {
    const { code } = aimParams.parse(request.params);
    const view = await app.services.framework.current();
    const aim = view?.aims.find((a) => a.code === code);
    if (!view || !aim) {
      return reply.code(404).render("error.njk", { titleKey: "errors.notFoundTitle", bodyKey: "errors.notFoundBody" });
    }
    return reply.render("aim.njk", { framework: view, aim });
  });
}
