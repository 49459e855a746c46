/**
 * Route guards, used as preHandlers: `{ preHandler: [app.csrfProtection, requireRole(DATA_MANAGERS)] }`. An anonymous
 * visitor is sent to sign in (303); a signed-in user without the permission gets the forbidden page (403, en/cy).
 * The permissions themselves are decided in src/domain/permissions.ts.
 */
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from "fastify";
import type { Role } from "../domain/enums.ts";
import { ForbiddenError } from "../domain/errors.ts";
import { hasRole, permissions } from "../domain/permissions.ts";
import { splitLanguage } from "./render.ts";

function signIn(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.redirect(`/${splitLanguage(request.url).lang ?? "en"}/sign-in`, 303);
}

/** Only signed-in users with one of `roles`. */
export function requireRole(roles: readonly Role[]): preHandlerAsyncHookHandler {
  return async function requireRoleGuard(request, reply) {
    if (!request.user) return signIn(request, reply);
    if (!hasRole(request.user, roles)) throw new ForbiddenError(`requires the role ${roles.join(" or ")}`);
  };
}

/**
 * Only signed-in users who may edit the area named by the request (`areaOf` reads it from the params, query or
 * body): partnership editors for their own areas, national administrators for all.
 */
export function requireArea(
  areaOf: (request: FastifyRequest) => string | undefined,
  /** Users for whom this holds pass whatever the area (e.g. national reviewers of plans). */
  also: (user: NonNullable<FastifyRequest["user"]>) => boolean = () => false,
): preHandlerAsyncHookHandler {
  return async function requireAreaGuard(request, reply) {
    if (!request.user) return signIn(request, reply);
    if (also(request.user)) return;
    const area = areaOf(request);
    if (!area || !permissions.canEditArea(request.user, area)) {
      throw new ForbiddenError(`may not edit area ${area ?? "(none)"}`);
    }
  };
}
