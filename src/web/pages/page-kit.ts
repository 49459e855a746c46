/**
 * Small pieces every public page route uses: the page language, the translator, a 400 for an unknown choice in the
 * query string (in the page language), cached view models, and sending a table or chart download.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Language } from "../../domain/enums.ts";
import { InvalidError } from "../../domain/errors.ts";
import type { DownloadTable } from "../../render/tables/download-table.ts";
import { UnknownChoice } from "../../services/public/measure-page-data.ts";
import { frameworkVersionRow } from "./download-meta.ts";
import { sendFile, svgDownload, tableDownload } from "../downloads/send.ts";
import { type Translate, translator } from "../i18n.ts";
import { baseContext, splitLanguage, viewEnvironment } from "../render.ts";

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

/**
 * The absolute address of a page for citations and download metadata: the configured public URL (OMF_PUBLIC_URL)
 * and the page's address, never the request's Host or X-Forwarded-Host.
 */
export function citeUrl(app: FastifyInstance, address: string): string {
  return `${app.publicUrl}${address}`;
}

/** The day a cached body was made for (downloads and citations carry the date). */
function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * Sends a table (csv, xlsx) or a chart (svg). The file is built once per `address` (the download's path and its
 * validated, normalised choices, so unknown parameters make no new entry), day and data stamp.
 */
export async function sendDownload(
  app: FastifyInstance,
  reply: FastifyReply,
  address: string,
  format: string,
  table: () => DownloadTable | null,
  svg: () => { svg: string; fileName: string } | null,
  t: Translate,
): Promise<FastifyReply> {
  if (format !== "csv" && format !== "xlsx" && format !== "svg") throw badChoice(t, "format", format);
  const file = await app.services.publicViews.cache.get(`download:${today()}:${address}`, async () => {
    if (format === "svg") {
      const s = svg();
      if (!s) throw badChoice(t, "part", format);
      return svgDownload(s.svg, s.fileName);
    }
    const tab = table();
    if (!tab) throw badChoice(t, "part", format);
    // every download names the framework version it shows (the page's)
    const version = reply.request.frameworkVersion;
    const label = frameworkVersionRow(t, "").label;
    if (version && !tab.metadata.some((m) => m.label === label)) {
      const at = tab.metadata.findIndex((m) => m.label === t("downloads.meta.licence"));
      tab.metadata.splice(at < 0 ? tab.metadata.length : at, 0, frameworkVersionRow(t, version));
    }
    return tableDownload(tab, format);
  });
  return sendFile(reply, file);
}

/** Cache headers for public HTML pages (published data only; short, so publications show quickly). */
export function publicPageHeaders(reply: FastifyReply, request: FastifyRequest): FastifyReply {
  return reply.header("cache-control", request.user ? "private, no-store" : "public, max-age=60");
}

/** Stands in for the per-response CSP nonce in cached HTML. */
const NONCE_PLACEHOLDER = "__omf_csp_nonce__";

/**
 * Renders a public page. `address` is the page's path with its validated, normalised choices (build it with
 * `withQuery` from parsed values, never from the raw URL): the language switch links to it, and for anonymous
 * readers the HTML is cached under it per day and data stamp (the page has no per-user content and no CSRF token;
 * only the CSP nonce differs, and it is put in on every response), so a busy page costs a string replacement rather
 * than a template render, and parameters the page does not know make no new cache entry. `cache: false` renders
 * without caching (free-text searches). Signed-in users get a fresh render (their name is on the page).
 */
export async function renderPage(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  template: string,
  address: string,
  context: () => Record<string, unknown> | Promise<Record<string, unknown>>,
  options: { cache?: boolean } = {},
): Promise<FastifyReply> {
  publicPageHeaders(reply, request);
  const pathRest = splitLanguage(address).rest;
  if (request.user) return reply.render(template, { pathRest, ...(await context()) });
  const env = viewEnvironment();
  const render = async () =>
    env.render(template, {
      ...baseContext(request, reply),
      pathRest,
      cspNonce: NONCE_PLACEHOLDER,
      ...(await context()),
    });
  const html =
    options.cache === false
      ? await render()
      : await app.services.publicViews.cache.get(`html:${today()}:${address}`, render);
  return reply.type("text/html; charset=utf-8").send(html.replaceAll(NONCE_PLACEHOLDER, reply.cspNonce?.script ?? ""));
}
