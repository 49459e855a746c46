/**
 * CSRF protection of the sign-in form without a session (issue 11, item 9): an anonymous visitor has no session row,
 * so the form's token cannot live in one. Instead the visitor's browser holds a random nonce in a short-lived,
 * HttpOnly, SameSite=Strict cookie and the form carries an HMAC of that nonce under the session secret. Another site
 * can neither read the cookie nor compute the HMAC, so it cannot post a valid form (login CSRF). Signed-in users'
 * forms keep using the session-bound tokens of @fastify/csrf-protection.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";

const MAX_AGE_SECONDS = 60 * 60;

export interface SignInCsrf {
  /** The form token for this visitor (sets the nonce cookie when the visitor has none). */
  token(request: FastifyRequest, reply: FastifyReply): string;
  /** preHandler: refuses (403) a sign-in post whose token does not match the visitor's cookie. */
  check(request: FastifyRequest): Promise<void>;
}

export function signInCsrf(secret: string, production: boolean): SignInCsrf {
  // the __Host- prefix (HTTPS only) stops a sibling subdomain from planting its own nonce cookie
  const cookieName = production ? "__Host-omf_signin" : "omf_signin";
  const mac = (nonce: string) => createHmac("sha256", secret).update(`sign-in:${nonce}`).digest("base64url");
  const nonceOf = (request: FastifyRequest) => {
    const value = request.cookies[cookieName];
    return value && /^[A-Za-z0-9_-]{22,64}$/.test(value) ? value : null;
  };
  return {
    token(request, reply) {
      let nonce = nonceOf(request);
      if (!nonce) {
        nonce = randomBytes(18).toString("base64url");
        reply.setCookie(cookieName, nonce, {
          path: "/",
          httpOnly: true,
          sameSite: "strict",
          secure: production,
          maxAge: MAX_AGE_SECONDS,
        });
      }
      return mac(nonce);
    },
    async check(request) {
      const nonce = nonceOf(request);
      const sent = (request.body as Record<string, unknown> | undefined)?._csrf;
      const expected = nonce ? Buffer.from(mac(nonce)) : null;
      const given = typeof sent === "string" ? Buffer.from(sent) : null;
      if (!expected || !given || given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw Object.assign(new Error("Invalid sign-in form token"), {
          statusCode: 403,
          code: "FST_CSRF_INVALID_TOKEN",
        });
      }
    },
  };
}
