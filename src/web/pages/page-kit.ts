/**
 * Small pieces every public page route uses: the page language, the translator, a 400 for an unknown choice in the
 * query string (in the page language), cached view models, and sending a table or chart download.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Language } from "../../domain/enums.ts";
import { InvalidError } from "../../domain/errors.ts";
import type { DownloadTable } from "../../render/tables/download-table.ts";
import { UnknownChoice } from "../../services/public/measure-page-data.ts";
import { sendSvg, sendTable } from "../downloads/send.ts";
import { type Translate, translator } from "../i18n.ts";
import { baseContext, createViewEnvironment, splitLanguage } from "../render.ts";

export function pageLanguage(request: FastifyRequest): { lang: Language; t: Translate } {
  const lang = splitLanguage(request.url).lang ?? "en";
  return { lang, t: translator(lang) };
}

/** An error that the app's error handler shows as a 400 page with this (translated) message. */
export function badChoice(t: Translate, field: string, value: string): InvalidError {
  let name = field;
  try {
    name = t(`pages.errors.fields.${field}`);
  } catch {
    // a parameter without a translated name is shown as its code
  }
  const message = t("pages.errors.unknownChoice", { field: name, value });
  return new InvalidError(message, { code: "unknown_choice", publicMessage: message });
}

/** Runs `fn`, turning an UnknownChoice into a translated 400. */
export async function withChoices<T>(t: Translate, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof UnknownChoice) throw badChoice(t, error.field, error.value);
    throw error;
  }
}

/** A view model cached per data stamp under `key` (include the language and every choice in the key). */
export function cachedView<T>(app: FastifyInstance, key: string, build: () => Promise<T>): Promise<T> {
  return app.services.publicViews.cache.get(`view:${key}`, build);
}

/** Renders the 404 page. */
export function notFoundPage(reply: FastifyReply): FastifyReply {
  return reply.code(404).render("error.njk", { titleKey: "errors.notFoundTitle", bodyKey: "errors.notFoundBody" });
}

/** Sends a table (csv, xlsx) or a chart (svg). */
export async function sendDownload(
  reply: FastifyReply,
  format: string,
  table: () => DownloadTable | null,
  svg: () => { svg: string; fileName: string } | null,
  t: Translate,
): Promise<FastifyReply> {
  if (format === "csv" || format === "xlsx") {
    const tab = table();
    if (!tab) throw badChoice(t, "part", format);
    return sendTable(reply, tab, format);
  }
  if (format === "svg") {
    const s = svg();
    if (!s) throw badChoice(t, "part", format);
    return sendSvg(reply, s.svg, s.fileName);
  }
  throw badChoice(t, "format", format);
}

/** Cache headers for public HTML pages (published data only; short, so publications show quickly). */
export function publicPageHeaders(reply: FastifyReply, request: FastifyRequest): FastifyReply {
  return reply.header("cache-control", request.user ? "private, no-store" : "public, max-age=60");
}

/** Stands in for the per-response CSP nonce in cached HTML. */
const NONCE_PLACEHOLDER = "__omf_csp_nonce__";
let environment: ReturnType<typeof createViewEnvironment> | null = null;

/**
 * Renders a public page. For anonymous readers the HTML is cached per URL and data stamp (the page has no per-user
 * content and no CSRF token; only the CSP nonce differs, and it is put in on every response), so a busy page costs a
 * string replacement rather than a template render. Signed-in users get a fresh render (their name is on the page).
 */
export async function renderPage(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  template: string,
  context: () => Record<string, unknown> | Promise<Record<string, unknown>>,
): Promise<FastifyReply> {
  publicPageHeaders(reply, request);
  if (request.user) return reply.render(template, await context());
  environment ??= createViewEnvironment({ watch: false });
  const env = environment;
  const html = await app.services.publicViews.cache.get(
    `html:${new Date().toISOString().slice(0, 10)}:${request.url}`,
    async () =>
      env.render(template, { ...baseContext(request, reply), cspNonce: NONCE_PLACEHOLDER, ...(await context()) }),
  );
  return reply.type("text/html; charset=utf-8").send(html.replaceAll(NONCE_PLACEHOLDER, reply.cspNonce?.script ?? ""));
}
