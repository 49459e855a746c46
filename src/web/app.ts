/**
 * The Fastify application, given the services (or a database to compose them on). Routes stay thin: they parse the
 * request, call a service and render a view. Errors are mapped once: error-pages.ts for pages, problem details for
 * JSON. Every response carries its request id (`x-request-id`, taken from the request when it sends a sane one), and
 * every log line of a request has it.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyCookie from "@fastify/cookie";
import fastifyCsrf from "@fastify/csrf-protection";
import fastifyFormbody from "@fastify/formbody";
import fastifyHelmet from "@fastify/helmet";
import fastifySession from "@fastify/session";
import fastifyStatic from "@fastify/static";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { apiRoutes } from "../api/index.ts";
import { databaseOutage, notFoundProblem, problemOf } from "../api/problem.ts";
import type { TrustProxy } from "../config.ts";
import { NotFoundError } from "../domain/errors.ts";
import { type Logger, requestContext } from "../logger.ts";
import { createServices, type Database, type Services, type UserRecord } from "../services/index.ts";
import { errorPage } from "./error-pages.ts";
import { govukStylesheet } from "./govuk-css.ts";
import { baseContext, govukDist, splitLanguage, viewEnvironment } from "./render.ts";
import { healthRoutes } from "./routes/health.ts";
import { pageRoutes } from "./routes/index.ts";
import { planFrameworkVersion } from "./routes/plan-framework.ts";
import { databaseSessionStore, renewSession, SESSION_MAX_AGE_MS, startSessionCleanup } from "./session-store.ts";
import { type SignInCsrf, signInCsrf } from "./sign-in-csrf.ts";

declare module "fastify" {
  interface FastifyInstance {
    services: Services;
    /** The site's public address (OMF_PUBLIC_URL), never taken from a request's Host or X-Forwarded-Host. */
    publicUrl: string;
    signInCsrf: SignInCsrf;
  }
  interface FastifyRequest {
    user: UserRecord | null;
    /** The framework version a page shows (the current one, or a plan's own), for its footer; null off the pages. */
    frameworkVersion: string | null;
    /** The current framework version; null off the pages. */
    currentFrameworkVersion: string | null;
  }
  interface FastifyReply {
    render(template: string, context?: Record<string, unknown>): FastifyReply;
  }
  interface Session {
    userId?: number;
    /** When a request last renewed the session's expiry (see `renewSession`). */
    renewedAt?: number;
  }
}

export interface AppOptions {
  /** The services to serve; or give `database` and they are composed here (tests, benchmarks). */
  services?: Services;
  database?: Database;
  sessionSecret?: string | undefined;
  production?: boolean;
  /** The process's logger (default: the services' logger, which is silent unless one was given). */
  logger?: Logger;
  /** Public address for citations and download metadata (default: the configuration's OMF_PUBLIC_URL). */
  publicUrl?: string | undefined;
  /** Proxies trusted for X-Forwarded-For (default: the configuration's OMF_TRUST_PROXY, none when unset). */
  trustProxy?: TrustProxy;
  /** How often expired sessions are deleted (default hourly). */
  sessionCleanupMs?: number;
  /** Told of every route the app registers, as Fastify's onRoute hook is (the authorisation matrix lists them). */
  onRoute?: (route: { method: string | string[]; url: string }) => void;
}

/** A request id from the client is kept when it is short and plain; otherwise a new one is made. */
function requestId(request: { headers: Record<string, string | string[] | undefined> }): string {
  const given = request.headers["x-request-id"];
  return typeof given === "string" && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
}

/** Every powerful browser feature switched off (Permissions-Policy). */
export const PERMISSIONS_POLICY = [
  "accelerometer",
  "camera",
  "display-capture",
  "geolocation",
  "gyroscope",
  "magnetometer",
  "microphone",
  "payment",
  "usb",
  "browsing-topics",
]
  .map((feature) => `${feature}=()`)
  .join(", ");

const ownAssets = fileURLToPath(new URL("./assets", import.meta.url));

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  if (!options.services && !options.database) throw new Error("buildApp needs services or a database");
  const services = options.services ?? createServices({ database: options.database!, logger: options.logger });
  const logger = options.logger ?? services.logger;
  const trustProxy = options.trustProxy ?? services.config.trustProxy;
  // a silent logger is no logger: Fastify then makes no per-request child loggers
  const app = (logger.level === "silent"
    ? Fastify({ logger: false, trustProxy, genReqId: requestId })
    : Fastify({
        loggerInstance: logger as FastifyBaseLogger,
        trustProxy,
        genReqId: requestId,
      })) as unknown as FastifyInstance;
  if (options.onRoute) {
    const onRoute = options.onRoute;
    app.addHook("onRoute", (route) => onRoute({ method: route.method, url: route.url }));
  }
  // what runs for a request (the services too) logs with its id: see src/logger.ts
  app.addHook("onRequest", (request, _reply, done) => requestContext.run({ reqId: request.id }, done));
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
    // OMF uses none of the browser's powerful features: no page (nor anything it embeds) may ask for them
    reply.header("permissions-policy", PERMISSIONS_POLICY);
    // a NUL character names nothing (and no database text can hold one): refused before any route sees it
    if (request.url.includes("%00")) throw new NotFoundError("no page: the address contains a NUL character (%00)");
  });
  app.decorate("services", services);
  const publicUrl = options.publicUrl ?? services.config.publicUrl ?? `http://localhost:${services.config.port}`;
  app.decorate("publicUrl", publicUrl.replace(/\/+$/, ""));
  // stopping: the requests under way are answered, each with "Connection: close", so that no kept-alive connection
  // holds the server open for its idle timeout (src/cli/shutdown.ts)
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onSend", async (_request, reply) => {
    if (closing) reply.header("connection", "close");
  });
  app.addHook("onClose", async () => {
    await services.analysis.stop(); // the analysis worker and the watch, if they were started
  });
  app.decorateRequest("user", null);
  app.decorateRequest("frameworkVersion", null);
  app.decorateRequest("currentFrameworkVersion", null);
  // every page names the framework version it shows (the current one, cached for a few seconds)
  app.addHook("onRequest", async (request) => {
    if (!splitLanguage(request.url).lang) return;
    request.frameworkVersion = (await services.framework.current())?.framework.version ?? null;
    request.currentFrameworkVersion = request.frameworkVersion;
  });

  const views = viewEnvironment();
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
    // not rewritten on every request (the plugin's default): `renewSession` below slides the expiry now and then
    rolling: false,
    store: databaseSessionStore(services.sessions),
    cookie: { httpOnly: true, sameSite: "lax", secure: options.production === true, maxAge: SESSION_MAX_AGE_MS },
  });
  await app.register(fastifyCsrf, { sessionPlugin: "@fastify/session" });
  app.decorate("signInCsrf", signInCsrf(secret, options.production === true));
  const stopCleanup = startSessionCleanup(services, options.sessionCleanupMs, (error) =>
    app.log.warn({ err: error }, "could not delete expired sessions or old sign-in attempts"),
  );
  app.addHook("onClose", async () => stopCleanup());

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
  // browsers ask for /favicon.ico where a response has no page head (a JSON or CSV download): the same icon
  const favicon = readFileSync(join(ownAssets, "favicon.svg"));
  app.get("/favicon.ico", async (_request, reply) =>
    reply.type("image/svg+xml").header("cache-control", "public, max-age=86400").send(favicon),
  );

  app.addHook("preHandler", async (request: FastifyRequest) => {
    const userId = request.session?.get("userId");
    if (userId) {
      request.user = await services.accounts.activeUser(userId);
      // a disabled user's session is not kept alive (the request is signed out all the same)
      if (request.user) renewSession(request.session);
    }
  });
  app.addHook("preHandler", planFrameworkVersion(services));

  app.setErrorHandler(async (caught: unknown, request, reply) => {
    const { lang } = splitLanguage(request.url);
    const { error, outage: unavailable } = databaseOutage(caught, request, reply);
    if (!lang) {
      const { problem, fault } = problemOf(error);
      if (fault && !unavailable) request.log.error({ err: error }, "request failed");
      return reply.code(problem.status).send(problem);
    }
    const page = errorPage(error);
    if (page.fault && !unavailable) request.log.error({ err: error }, "request failed");
    return reply
      .code(page.status)
      .render("error.njk", { titleKey: page.titleKey, bodyKey: page.bodyKey, message: page.message });
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
      return reply.code(404).send(notFoundProblem(`No page at ${request.url.split("?")[0]}`));
    }
    return reply.code(404).render("error.njk", { titleKey: "errors.notFoundTitle", bodyKey: "errors.notFoundBody" });
  });

  return app;
}
