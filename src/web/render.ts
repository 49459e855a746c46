/**
 * Nunjucks environment (our own, not the process-global one) with govuk-frontend templates, and the per-request
 * view context: language, translator, language-switch path, CSP nonce, CSRF token and the signed-in user.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyReply, FastifyRequest } from "fastify";
import nunjucks from "nunjucks";
import type { Language } from "../domain/enums.ts";
import { formatNumber, pick, translator } from "./i18n.ts";

const require = createRequire(import.meta.url);
export const govukDist = join(dirname(require.resolve("govuk-frontend/package.json")), "dist");
const viewsDir = fileURLToPath(new URL("./views", import.meta.url));

let views: nunjucks.Environment | null = null;

/**
 * The process's view environment, made on first use. Its templates are compiled once and kept (nunjucks caches each
 * template it has compiled); the environment holds nothing of one app, so every app of the process (a server has
 * one; tests build many) shares it instead of compiling the same templates again.
 */
export function viewEnvironment(): nunjucks.Environment {
  views ??= createViewEnvironment();
  return views;
}

function createViewEnvironment(): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([viewsDir, govukDist], { watch: false }), {
    autoescape: true,
    throwOnUndefined: false,
    trimBlocks: true,
    lstripBlocks: true,
  });
  env.addFilter("number", (v: number | null | undefined, lang: Language, decimals = 1) =>
    formatNumber(v, lang, decimals),
  );
  env.addFilter("json", (v: unknown) => JSON.stringify(v));
  return env;
}

/** Splits "/cy/aims/CA1?x=1" into the language and the rest ("/aims/CA1?x=1"). */
export function splitLanguage(url: string): { lang: Language | null; rest: string } {
  const m = /^\/(en|cy)(?=\/|\?|$)(.*)$/.exec(url);
  if (!m) return { lang: null, rest: url };
  const rest = m[2] || "/";
  return { lang: m[1] as Language, rest: rest.startsWith("?") ? `/${rest}` : rest };
}

export function baseContext(request: FastifyRequest, reply: FastifyReply) {
  const { lang, rest } = splitLanguage(request.url);
  const language: Language = lang ?? "en";
  const t = translator(language);
  return {
    lang: language,
    otherLang: language === "en" ? "cy" : "en",
    t,
    pick: (text: Parameters<typeof pick>[0]) => pick(text, language),
    pathRest: rest,
    cspNonce: reply.cspNonce?.script,
    user: request.user ?? null,
    /** The framework version the page shows (its footer): the current one, unless the route names another. */
    frameworkVersion: request.frameworkVersion ?? null,
    currentFrameworkVersion: request.currentFrameworkVersion ?? null,
    // Only signed-in users get a session-bound CSRF token (for the sign-out and data forms): an anonymous visitor
    // gets no token, hence no session row and no cookie, on any page. The sign-in form has its own token
    // (sign-in-csrf.ts), passed in by its route.
    csrfToken: request.user && typeof reply.generateCsrf === "function" ? reply.generateCsrf() : undefined,
  };
}
