import { consumeInvitation, openInvitation } from "../identity/invitations";
import { activateMember } from "../identity/members";
import { hashPassword, passwordPepper, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../identity/password-hash";
import { requireConsoleDb, requireSameOriginWrite } from "../identity/request-principal";
import { consoleJson, invalidFields, readConsoleBody } from "../console/console-request";
import { signedIn } from "./console-auth-route";
import type { RouteContext } from "./route-context";

/** GET /v1/console/invitations/:token → `{ name, role, bots, expiresAt }`; 404 `invitation_not_found` when used, expired or unknown. */
export async function handleGetInvitation({ env, params }: RouteContext): Promise<Response> {
  const { member, expiresAt } = await openInvitation(requireConsoleDb(env), params.token);
  return consoleJson({ name: member.name, role: member.role, bots: member.bots, expiresAt });
}

/**
 * POST /v1/console/invitations/accept `{ token, password, displayName? }` → 200 `{ member }` and the session
 * cookie. The link works once; the password needs at least 12 characters (400 with `fields.password`).
 */
export async function handleAcceptInvitation({ request, env, url }: RouteContext): Promise<Response> {
  requireSameOriginWrite(request, url);
  const db = requireConsoleDb(env);
  const pepper = await passwordPepper(env);
  const body = await readConsoleBody(request);
  const { token, password, displayName } = body;
  const problems: Record<string, string> = {};
  if (typeof password !== "string" || [...password].length < PASSWORD_MIN_LENGTH) problems.password = `must have at least ${PASSWORD_MIN_LENGTH} characters`;
  else if (password.length > PASSWORD_MAX_LENGTH) problems.password = `must have at most ${PASSWORD_MAX_LENGTH} characters`;
  if (displayName !== undefined && (typeof displayName !== "string" || displayName.trim() === "" || displayName.length > 100)) {
    problems.displayName = "must be 1 to 100 characters";
  }
  if (Object.keys(problems).length > 0) throw invalidFields("invalid_request", problems);
  const passwordHash = await hashPassword(password as string, pepper);
  const member = await consumeInvitation(db, token);
  const name = typeof displayName === "string" ? displayName.trim() : undefined;
  await activateMember(db, member.id, passwordHash, name);
  return signedIn(db, { ...member, displayName: name ?? member.displayName }, url, 200);
}
