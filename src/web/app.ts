/**
 * The Fastify application, composed from its dependencies (database, config). Routes stay thin: they parse the
 * request, call a service and render a view.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyCookie from "@fastify/cookie";
import fastifyCsrf from "@fastify/csrf-protection";
import fastifyFormbody from "@fastify/formbody";
import fastifyHelmet from "@fastify/helmet";
import fastifySession from "@fastify/session";
import fastifyStatic from "@fastify/static";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { apiRoutes } from "../api/index.ts";
import type { Database } from "../db/database.ts";
import { findUserById, type UserRecord } from "../db/queries/users.ts";
import { createServices, type Services } from "../services/index.ts";
import { govukStylesheet } from "./govuk-css.ts";
import { baseContext, createViewEnvironment, govukDist, splitLanguage } from "./render.ts";
import { healthRoutes } from "./routes/health.ts";
import { pageRoutes } from "./routes/index.ts";
import { databaseSessionStore } from "./session-store.ts";

declare module "fastify" {
  interface FastifyInstance {
    services: Services;
  }
  interface FastifyRequest {
    user: UserRecord | null;
  }
  interface FastifyReply {
    render(template: string, context?: Record<string, unknown>): FastifyReply;
  }
  interface Session {
    userId?: number;
  }
}

export interface AppOptions {
  database: Database;
  sessionSecret?: string | undefined;
  production?: boolean;
  logger?: boolean | { level: string };
}

const ownAssets = fileURLToPath(new URL("./assets", import.meta.url));

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, trustProxy: true });
  const services = createServices(options.database);
  app.decorate("services", services);
  app.decorateRequest("user", null);

  const views = createViewEnvironment({ watch: false });
  app.decorateReply("render", function (this: FastifyReply, template: string, context: Record<string, unknown> = {}) {
    const html = views.render(template, { ...baseContext(this.request, this), ...context });
    return this.type("text/html; charset=utf-8").send(html);
  });

  await app.register(fastifyHelmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        styleSrc: ["'self'"],
        scriptSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: options.production ? undefined : false,
  });
  await app.register(fastifyFormbody);
  await app.register(fastifyCookie);
  const secret = options.sessionSecret ?? randomBytes(32).toString("hex");
  await app.register(fastifySession, {
    secret,
    cookieName: "omf_session",
    saveUninitialized: false,
    store: databaseSessionStore(options.database.db),
    cookie: { httpOnly: true, sameSite: "lax", secure: options.production === true, maxAge: 8 * 60 * 60 * 1000 },
  });
  await app.register(fastifyCsrf, { sessionPlugin: "@fastify/session" });

  // govuk-frontend's images, but not its GDS Transport font files (licensed only for gov.uk; see govuk-css.ts).
  await app.register(fastifyStatic, {
    root: join(govukDist, "govuk", "assets"),
    prefix: "/assets/",
    allowedPath: (path) => !path.startsWith("/fonts/"),
    maxAge: "1d",
  });
  app.get("/govuk/govuk-frontend.min.css", async (_request, reply) =>
    reply
      .type("text/css; charset=utf-8")
      .header("cache-control", "public, max-age=86400")
      .send(govukStylesheet(govukDist)),
  );
  await app.register(fastifyStatic, {
    root: join(govukDist, "govuk"),
    prefix: "/govuk/",
    decorateReply: false,
    allowedPath: (path) => /^\/govuk-frontend\.min\.js(\.map)?$/.test(path),
    maxAge: "1d",
  });
  await app.register(fastifyStatic, { root: ownAssets, prefix: "/static/", decorateReply: false, maxAge: "1h" });

  app.addHook("preHandler", async (request: FastifyRequest) => {
    const userId = request.session?.get("userId");
    if (userId) {
      const user = await findUserById(services.db, userId);
      request.user = user && !user.disabledAt ? user : null;
    }
  });

  app.setErrorHandler(async (error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) request.log.error(error);
    const { lang } = splitLanguage(request.url);
    if (!lang) return reply.code(status).send({ error: error.code ?? "error", message: error.message });
    const forbidden = status === 403 || error.code?.startsWith("FST_CSRF");
    return reply.code(forbidden ? 403 : status).render("error.njk", {
      titleKey: forbidden ? "errors.forbiddenTitle" : status >= 500 ? "errors.serverTitle" : "errors.problem",
      bodyKey: forbidden ? "errors.forbiddenBody" : status >= 500 ? "errors.serverBody" : undefined,
      message: status < 500 && !forbidden ? error.message : undefined,
    });
  });

  await app.register(healthRoutes);
  await app.register(apiRoutes, { prefix: "/api/v1" });
  app.get("/", async (_request, reply) => reply.redirect("/en/"));
  for (const lang of ["en", "cy"] as const) {
    await app.register(pageRoutes, { prefix: `/${lang}` });
  }

  app.setNotFoundHandler(async (request, reply) => {
    const { lang } = splitLanguage(request.url);
    if (!lang || request.headers.accept?.includes("application/json")) {
      return reply.code(404).send({ error: "not_found", message: `No page at ${request.url.split("?")[0]}` });
    }
    return reply.code(404).render("error.njk", { titleKey: "errors.notFoundTitle", bodyKey: "errors.notFoundBody" });
  });

  return app;
}
