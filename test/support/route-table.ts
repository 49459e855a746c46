/** The routes an app registered, read from Fastify's route tree, so tests can cover every route, including later ones. */
import type { FastifyInstance } from "fastify";

/** Every route of `app` as method and full path (e.g. `{ method: "POST", path: "/en/plans/:area/:period/edit" }`). */
export function registeredRoutes(app: FastifyInstance): { method: string; path: string }[] {
  const out: { method: string; path: string }[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split("\n")) {
    const m = /^((?:│ {3}| {4})*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    for (const method of (m[3] ?? "").split(", ").filter(Boolean)) out.push({ method, path: stack.join("") });
  }
  return out;
}
