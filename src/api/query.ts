/**
 * Query-string parsing for the API with zod: unknown parameters are refused, lists may be comma-separated or
 * repeated (`area=A,B` or `area=A&area=B`), and problems become a 400 naming each parameter.
 */
import { z } from "zod";
import { badRequest } from "./errors.ts";

/** A list of codes: comma-separated and/or repeated; empty items dropped. */
export const codeList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) =>
    (Array.isArray(v) ? v : [v])
      .flatMap((s) => s.split(","))
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string()));

/** One value (the last one if repeated). */
export const single = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v.at(-1)! : v))
  .pipe(z.string());

export const pageParams = {
  page: single.pipe(z.coerce.number<string>().int().min(1)).optional(),
  pageSize: single.pipe(z.coerce.number<string>().int().min(1).max(1000)).optional(),
};

/** Parses `query` with a strict object schema, or throws a 400 that lists every problem. */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const r = schema.safeParse(query ?? {});
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => {
    const where = i.path.length ? i.path.join(".") : "query";
    if (i.code === "unrecognized_keys") return `unknown parameter ${i.keys.map((k) => `"${k}"`).join(", ")}`;
    return `${where}: ${i.message}`;
  });
  throw badRequest(`Invalid query string: ${problems.join("; ")}`, { problems });
}
