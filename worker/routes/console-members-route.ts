import { consoleJson, readConsoleBody } from "../console/console-request";
import { HttpError } from "../http/http-error";
import { authorize } from "../identity/authorize";
import { inviteMember } from "../identity/invitations";
import { parseGrant } from "../identity/member-input";
import { deleteMember, listMembers, memberNotFound, updateMember } from "../identity/members";
import { requireConsoleMember } from "../identity/request-principal";
import type { RouteContext } from "./route-context";

/** GET /v1/console/members → `{ members: [{ id, name, displayName, role, bots, createdAt, status }] }` (admins). */
export async function handleConsoleListMembers({ request, env, url }: RouteContext): Promise<Response> {
  const { principal } = await requireConsoleMember(request, env, url);
  authorize(principal, "members:manage");
  return consoleJson({ members: await listMembers(env.DB!) });
}

/** POST /v1/console/members/invitations `{ name, role, bots }` → 201 `{ invitation: { url, expiresAt } }` (admins). */
export async function handleConsoleInviteMember({ request, env, url }: RouteContext): Promise<Response> {
  const { principal } = await requireConsoleMember(request, env, url);
  authorize(principal, "members:manage");
  const grant = parseGrant(await readConsoleBody(request), { name: "member" });
  const { member, invitation } = await inviteMember(env.DB!, { name: grant.name, role: grant.role!, bots: grant.bots! }, url.origin);
  return consoleJson({ member, invitation }, 201);
}

/** PATCH /v1/console/members/:id `{ role?, bots? }` → `{ member }` (admins; not their own membership). */
export async function handleConsoleUpdateMember({ request, env, url, params }: RouteContext): Promise<Response> {
  const { principal } = await requireConsoleMember(request, env, url);
  authorize(principal, "members:manage");
  if (params.id === principal.id) throw ownMembership();
  const grant = parseGrant(await readConsoleBody(request), { partial: true });
  return consoleJson({ member: await updateMember(env.DB!, params.id!, { role: grant.role, bots: grant.bots }) });
}

/** DELETE /v1/console/members/:id → 204 (admins; not themselves): their sessions end at once. */
export async function handleConsoleDeleteMember({ request, env, url, params }: RouteContext): Promise<Response> {
  const { principal } = await requireConsoleMember(request, env, url);
  authorize(principal, "members:manage");
  if (params.id === principal.id) throw ownMembership();
  if (!(await deleteMember(env.DB!, params.id!))) throw memberNotFound();
  return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
}

function ownMembership(): HttpError {
  return new HttpError(409, "own_membership", "You cannot change or remove your own membership; ask another admin.");
}
