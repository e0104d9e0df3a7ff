import { authorize } from "../identity/authorize";
import { inviteMember } from "../identity/invitations";
import { parseGrant } from "../identity/member-input";
import { deleteMember, listMembers, memberNotFound } from "../identity/members";
import { requireAdminPrincipal, requireConsoleDb } from "../identity/request-principal";
import { HttpError } from "../http/http-error";
import { readJsonBody } from "../http/read-json-body";
import { isRecord } from "../chat/chat-request";
import type { RouteContext } from "./route-context";

/** POST /v1/admin/members/invitations `{ name, role, bots }` → 201 `{ member, invitation: { url, expiresAt } }` (ADMIN_TOKEN or an admin key; the CLI). */
export async function handleAdminInviteMember({ request, env, url }: RouteContext): Promise<Response> {
  authorize(await requireAdminPrincipal(request, env), "members:manage");
  const db = requireConsoleDb(env);
  const body = await readJsonBody(request, { maxBytes: 64 * 1024, maxDepth: 8 });
  if (!isRecord(body)) throw new HttpError(400, "invalid_request", "The body must be a JSON object.");
  const grant = parseGrant(body, { name: "member" });
  const result = await inviteMember(db, { name: grant.name, role: grant.role!, bots: grant.bots! }, url.origin);
  return Response.json(result, { status: 201, headers: { "cache-control": "no-store" } });
}

/** GET /v1/admin/members → `{ members }`. */
export async function handleAdminListMembers({ request, env }: RouteContext): Promise<Response> {
  authorize(await requireAdminPrincipal(request, env), "members:manage");
  return Response.json({ members: await listMembers(requireConsoleDb(env)) }, { headers: { "cache-control": "no-store" } });
}

/** DELETE /v1/admin/members/:id → 204. */
export async function handleAdminDeleteMember({ request, env, params }: RouteContext): Promise<Response> {
  authorize(await requireAdminPrincipal(request, env), "members:manage");
  if (!(await deleteMember(requireConsoleDb(env), params.id!))) throw memberNotFound();
  return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
}
