import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { splitLanguage } from "../render.ts";

const signInBody = z.object({ email: z.string().trim().default(""), password: z.string().default("") });

export async function authRoutes(app: FastifyInstance): Promise<void> {
  // the sign-in form is protected without a session: anonymous visitors get no session row (see sign-in-csrf.ts)
  app.get("/sign-in", async (request, reply) => {
    const signedOut = (request.query as Record<string, string>)["signed-out"] === "1";
    const csrfToken = app.signInCsrf.token(request, reply);
    return reply.header("cache-control", "no-store").render("sign-in.njk", { signedOut, csrfToken });
  });

  app.post("/sign-in", { preHandler: app.signInCsrf.check }, async (request, reply) => {
    const { lang } = splitLanguage(request.url);
    const body = signInBody.parse(request.body ?? {});
    const fieldErrors: { field: string; key: string }[] = [];
    if (!body.email) fieldErrors.push({ field: "email", key: "auth.errors.email_missing" });
    if (!body.password) fieldErrors.push({ field: "password", key: "auth.errors.password_missing" });
    if (fieldErrors.length > 0) {
      return reply.code(400).render("sign-in.njk", {
        errors: fieldErrors,
        email: body.email,
        csrfToken: app.signInCsrf.token(request, reply),
      });
    }
    const result = await app.services.accounts.signIn(body.email, body.password, request.ip);
    if (!result.ok) {
      const status = result.reason === "rate_limited" ? 429 : 401;
      return reply.code(status).render("sign-in.njk", {
        errors: [{ field: "email", key: `auth.errors.${result.reason}` }],
        email: body.email,
        csrfToken: app.signInCsrf.token(request, reply),
      });
    }
    await request.session.regenerate();
    request.session.set("userId", result.user.id);
    // the session's CSRF secret, made now: pages opened at once after signing in would otherwise each make one, and
    // the forms of all but the last page saved would be refused
    reply.generateCsrf();
    return reply.redirect(`/${lang ?? "en"}/my-work`, 303); // "my work", the signed-in home page
  });

  app.post("/sign-out", { preHandler: app.csrfProtection }, async (request, reply) => {
    const { lang } = splitLanguage(request.url);
    await request.session.destroy();
    return reply.redirect(`/${lang ?? "en"}/sign-in?signed-out=1`, 303);
  });
}
