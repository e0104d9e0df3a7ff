import type { EdgechatEnv } from "../env";
import { requireAdmin } from "../http/admin-auth";
import { HttpError } from "../http/http-error";
import { parseOrigin } from "../security/origin-policy";
import { API_KEY_PREFIX, principalOfApiKey } from "./api-keys";
import { requireSessionMember } from "./console-session";
import type { Member } from "./members";
import { ADMIN_TOKEN_PRINCIPAL, type Principal } from "./principal";

/**
 * Who calls the admin API (`/v1/admin/...`): `Authorization: Bearer <ADMIN_TOKEN>` (the break-glass admin) or
 * `Bearer ec_...` (an API key, limited by its role and scope). Anything else: 401; the routes then call
 * `authorize(principal, action, botId)`.
 *
 * @example
 * const principal = await requireAdminPrincipal(request, env);
 * authorize(principal, "bots:write", params.id);
 */
export async function requireAdminPrincipal(request: Request, env: EdgechatEnv): Promise<Principal> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  if (bearer?.startsWith(API_KEY_PREFIX) && env.DB) {
    const principal = await principalOfApiKey(env.DB, bearer);
    if (principal) return principal;
    throw new HttpError(401, "unauthorized", "This API key is not valid (unknown or revoked).", { "www-authenticate": 'Bearer realm="edgechat-admin"' });
  }
  await requireAdmin(request, env);
  return ADMIN_TOKEN_PRINCIPAL;
}

/**
 * Who calls the console API (`/v1/console/...`): a member signed in with the session cookie. Every request
 * other than GET/HEAD must come from the worker's own origin (CSRF), checked first.
 */
export async function requireConsoleMember(request: Request, env: EdgechatEnv, url: URL): Promise<{ member: Member; principal: Principal }> {
  requireSameOriginWrite(request, url);
  return requireSessionMember(requireConsoleDb(env), request);
}

/**
 * Refuses (403 `forbidden_origin`) a state-changing request whose Origin is not the worker's own, or that
 * has none: a page elsewhere cannot make a signed-in browser act in the console (CSRF).
 */
export function requireSameOriginWrite(request: Request, url: URL): void {
  if (request.method === "GET" || request.method === "HEAD") return;
  const origin = request.headers.get("origin");
  if (origin === null || parseOrigin(origin) !== url.origin) {
    throw new HttpError(403, "forbidden_origin", "Console changes are only accepted from the console's own pages.");
  }
}

/** The D1 database the console needs, or 503. */
export function requireConsoleDb(env: EdgechatEnv): D1Database {
  if (!env.DB) throw new HttpError(503, "console_unavailable", "The console needs the D1 binding DB (see wrangler.jsonc).");
  return env.DB;
}
