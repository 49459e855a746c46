/**
 * Route options for public read-only pages: `config: { publicPage: true }` tells the renderer that the page has no
 * form that posts, so anonymous readers get no CSRF token, hence no session and no cookie (see render.ts). That keeps
 * public pages cheap to serve and cacheable.
 */
declare module "fastify" {
  interface FastifyContextConfig {
    /** A public page with no posting form (no CSRF token for anonymous readers). */
    publicPage?: boolean;
  }
}

/** Spread into a route's options: `app.get("/x", PUBLIC_PAGE, handler)`. */
export const PUBLIC_PAGE = { config: { publicPage: true } } as const;
