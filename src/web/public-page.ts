/**
 * Route options for public read-only pages: `config: { publicPage: true }` marks a page with no form that posts.
 * (No anonymous page gets a CSRF token, hence a session or a cookie, whether marked or not: see render.ts.)
 */
declare module "fastify" {
  interface FastifyContextConfig {
    /** A public page with no posting form (no CSRF token for anonymous readers). */
    publicPage?: boolean;
  }
}

/** Spread into a route's options: `app.get("/x", PUBLIC_PAGE, handler)`. */
export const PUBLIC_PAGE = { config: { publicPage: true } } as const;
