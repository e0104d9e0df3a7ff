import { HttpError } from "../http/http-error";
import { clearedSessionCookie, closeConsoleSession, openConsoleSession, sessionCookie } from "../identity/console-session";
import { findMemberForSignIn, normalizeMemberName, type Member } from "../identity/members";
import { dummyPasswordHash, passwordPepper, PASSWORD_MAX_LENGTH, verifyPassword } from "../identity/password-hash";
import { requireConsoleDb, requireConsoleMember, requireSameOriginWrite } from "../identity/request-principal";
import { countSignInAttempt, forgiveSuccessfulAttempt } from "../identity/sign-in-limit";
import { consoleJson, readConsoleBody } from "../console/console-request";
import { clientIp } from "../security/rate-limit";
import type { RouteContext } from "./route-context";

/**
 * POST /v1/console/sign-in `{ name, password }` → 200 `{ member }` and the session cookie. A wrong password and
 * an unknown name get the same 401 `invalid_credentials` after the same work (a dummy hash is checked), and
 * both count toward the per-IP and per-name limits (429 with Retry-After).
 */
export async function handleSignIn({ request, env, url }: RouteContext): Promise<Response> {
  requireSameOriginWrite(request, url);
  const db = requireConsoleDb(env);
  const pepper = await passwordPepper(env);
  const body = await readConsoleBody(request);
  const name = typeof body.name === "string" ? normalizeMemberName(body.name) : "";
  const password = typeof body.password === "string" ? body.password : "";
  if (!name || !password || password.length > PASSWORD_MAX_LENGTH) {
    throw new HttpError(400, "invalid_request", "Send your name and password.", {}, { ...(name ? {} : { name: "is required" }), ...(password ? {} : { password: "is required" }) });
  }
  const attempt = { ip: clientIp(request), name };
  await countSignInAttempt(db, attempt);
  const found = await findMemberForSignIn(db, name);
  const valid = await verifyPassword(password, found?.passwordHash ?? (await dummyPasswordHash(pepper)), pepper);
  if (!found?.passwordHash || !valid) throw new HttpError(401, "invalid_credentials", "The name or the password is not right.");
  await forgiveSuccessfulAttempt(db, attempt);
  return signedIn(db, found.member, url, 200);
}

/** POST /v1/console/sign-out → 204: the session is revoked and the cookie cleared. */
export async function handleSignOut({ request, env, url }: RouteContext): Promise<Response> {
  requireSameOriginWrite(request, url);
  await closeConsoleSession(requireConsoleDb(env), request);
  return new Response(null, { status: 204, headers: { "set-cookie": clearedSessionCookie(url), "cache-control": "no-store" } });
}

/** GET /v1/console/me → `{ member: { id, name, displayName, role, bots } }` of the signed-in member. */
export async function handleMe({ request, env, url }: RouteContext): Promise<Response> {
  const { member } = await requireConsoleMember(request, env, url);
  return consoleJson({ member: publicMember(member) });
}

/** Opens a session for `member` and answers `{ member }` with its cookie. */
export async function signedIn(db: D1Database, member: Member, url: URL, status: number): Promise<Response> {
  const token = await openConsoleSession(db, member.id);
  return consoleJson({ member: publicMember({ ...member, status: "active" }) }, status, { "set-cookie": sessionCookie(token, url) });
}

/** What a member learns about themself. */
export function publicMember(member: Member) {
  return { id: member.id, name: member.name, displayName: member.displayName, role: member.role, bots: member.bots };
}
