import { consoleJson, readConsoleBody } from "../console/console-request";
import { createApiKey, listApiKeys, revokeApiKey } from "../identity/api-keys";
import { authorize } from "../identity/authorize";
import { parseGrant } from "../identity/member-input";
import { requireConsoleMember } from "../identity/request-principal";
import type { RouteContext } from "./route-context";

/** GET /v1/console/api-keys → `{ keys: [{ id, name, role, bots, createdAt, lastUsedAt, revokedAt, prefix }] }` (admins). */
export async function handleConsoleListApiKeys({ request, env, url }: RouteContext): Promise<Response> {
  const { principal } = await requireConsoleMember(request, env, url);
  authorize(principal, "keys:manage");
  return consoleJson({ keys: await listApiKeys(env.DB!) });
}

/** POST /v1/console/api-keys `{ name, role, bots }` → 201 `{ key: { id, …, secret: "ec_…" } }`: the only time the secret is shown. */
export async function handleConsoleCreateApiKey({ request, env, url }: RouteContext): Promise<Response> {
  const { principal } = await requireConsoleMember(request, env, url);
  authorize(principal, "keys:manage");
  const grant = parseGrant(await readConsoleBody(request), { name: "key" });
  const { key, secret } = await createApiKey(env.DB!, { name: grant.name, role: grant.role!, bots: grant.bots! }, principal.id);
  return consoleJson({ key: { ...key, secret } }, 201);
}

/** DELETE /v1/console/api-keys/:id → 204: the key stops working at once. */
export async function handleConsoleRevokeApiKey({ request, env, url, params }: RouteContext): Promise<Response> {
  const { principal } = await requireConsoleMember(request, env, url);
  authorize(principal, "keys:manage");
  await revokeApiKey(env.DB!, params.id!);
  return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
}
