/**
 * Sending API responses: JSON or CSV with a strong ETag (a hash of the body) answered with 304 when the client
 * already has it, public caching (the API only serves published figures), and CORS so browser clients on other
 * sites can read it.
 */
import { createHash } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

export const API_CACHE_CONTROL = "public, max-age=300";

function etagOf(body: string | Buffer): string {
  return `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(",")
    .map((s) => s.trim().replace(/^W\//, ""))
    .some((s) => s === etag || s === "*");
}

/** Common headers for every API response. */
export function apiHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header("access-control-allow-origin", "*")
    .header("access-control-expose-headers", "ETag, Link")
    .header("cross-origin-resource-policy", "cross-origin")
    .header("vary", "Accept-Encoding");
}

/** Sends a body with ETag/304 handling. */
export function sendCached(
  request: FastifyRequest,
  reply: FastifyReply,
  body: string | Buffer,
  contentType: string,
  knownEtag?: string,
): FastifyReply {
  const etag = knownEtag ?? etagOf(body);
  apiHeaders(reply).header("etag", etag).header("cache-control", API_CACHE_CONTROL);
  if (matches(request.headers["if-none-match"], etag)) return reply.code(304).send();
  return reply.type(contentType).send(body);
}

/** Sends JSON with ETag/304 handling. */
export function sendJson(request: FastifyRequest, reply: FastifyReply, body: unknown): FastifyReply {
  return sendCached(request, reply, JSON.stringify(body), "application/json; charset=utf-8");
}

/**
 * The cache key of an API request: its path and its parameters decoded and sorted, so the same choices spelt
 * differently share one entry. (Unknown parameters are a 400 and errors are not cached, so they add no entry.)
 */
export function apiCacheKey(url: string): string {
  const at = url.indexOf("?");
  if (at < 0) return url;
  const params = new URLSearchParams(url.slice(at + 1));
  params.sort();
  return `${url.slice(0, at)}?${params.toString()}`;
}

/**
 * A response body built once per request (path and sorted parameters) and data stamp (with its ETag and Link
 * header), for the expensive endpoints (data, whole-dataset CSV, analysis). Errors are not cached.
 */
export async function cachedBody(
  app: FastifyInstance,
  request: FastifyRequest,
  build: () => Promise<{ body: string; link?: string | undefined }>,
): Promise<{ body: string; etag: string; link: string | undefined }> {
  return app.services.publicViews.cache.get(`api:${apiCacheKey(request.url)}`, async () => {
    const { body, link } = await build();
    return { body, etag: etagOf(body), link };
  });
}
