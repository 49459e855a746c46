/** Building page URLs with their filters in the query string (defaults left out, so shared links stay short). */

export function withQuery(path: string, params: Record<string, string | readonly string[] | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || v === "") continue;
    if (Array.isArray(v)) {
      if (v.length) q.set(k, v.join(","));
    } else q.set(k, v as string);
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
