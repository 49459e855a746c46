/**
 * Query strings of the public pages. Pages ignore parameters they do not know (links from elsewhere add their own),
 * but a known parameter with a bad value is a 400 naming it.
 */
import { z } from "zod";

/** One value (the last if repeated); empty means absent. */
export const one = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? (v.at(-1) ?? "") : v).trim())
  .transform((v) => (v === "" ? undefined : v));

/** A list: comma-separated and/or repeated. */
export const many = z.union([z.string(), z.array(z.string())]).transform((v) =>
  (Array.isArray(v) ? v : [v])
    .flatMap((s) => s.split(","))
    .map((s) => s.trim())
    .filter(Boolean),
);

export function parsePageQuery<S extends z.ZodType>(
  schema: S,
  query: unknown,
  onError: (field: string, value: string) => Error,
): z.output<S> {
  const r = schema.safeParse(query ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = String(issue.path[0] ?? "query");
  const raw = (query as Record<string, unknown>)?.[field];
  throw onError(field, Array.isArray(raw) ? String(raw.at(-1)) : String(raw ?? ""));
}
