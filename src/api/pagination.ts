/**
 * Pagination of API collections: `page` (from 1) and `pageSize` (default 100, at most 1,000). The response carries
 * `meta` (page, pageSize, total, totalPages) and `links` (self, first, last, prev, next) and a `Link` header.
 * A page beyond the last is a 400, not an empty page.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { badRequest } from "./errors.ts";

export const DEFAULT_PAGE_SIZE = 100;

export interface Page<T> {
  data: T[];
  meta: { page: number; pageSize: number; total: number; totalPages: number };
  links: Record<string, string | null>;
}

function urlFor(request: FastifyRequest, page: number): string {
  const [path, search = ""] = request.url.split("?");
  const params = new URLSearchParams(search);
  params.set("page", String(page));
  return `${path}?${params.toString()}`;
}

/** One page of `items`, with links built from the request URL. */
export function paginate<T>(
  request: FastifyRequest,
  items: readonly T[],
  options: { page?: number | undefined; pageSize?: number | undefined },
): Page<T> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const page = options.page ?? 1;
  const total = items.length;
  const totalPages = Math.max(1, Math.ceil(total / pageSize));
  if (page > totalPages) {
    throw badRequest(`page ${page} is beyond the last page (${totalPages}) for ${total} items of ${pageSize} per page`);
  }
  return {
    data: items.slice((page - 1) * pageSize, page * pageSize),
    meta: { page, pageSize, total, totalPages },
    links: {
      self: urlFor(request, page),
      first: urlFor(request, 1),
      last: urlFor(request, totalPages),
      prev: page > 1 ? urlFor(request, page - 1) : null,
      next: page < totalPages ? urlFor(request, page + 1) : null,
    },
  };
}

/** The RFC 8288 `Link` header value for a page's neighbours. */
export function linkValue(page: Page<unknown>): string | undefined {
  const parts = (["first", "prev", "next", "last"] as const).flatMap((rel) =>
    page.links[rel] ? [`<${page.links[rel]}>; rel="${rel}"`] : [],
  );
  return parts.length ? parts.join(", ") : undefined;
}

/** Adds the `Link` header for the page's neighbours. */
export function linkHeader(reply: FastifyReply, page: Page<unknown>): FastifyReply {
  const link = linkValue(page);
  return link ? reply.header("link", link) : reply;
}
