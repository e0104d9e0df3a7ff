import { HttpError } from "../http/http-error";
import { readJsonBody } from "../http/read-json-body";
import { isRecord } from "../chat/chat-request";
import { parseBotFields, parseBotId } from "../bots/bot-config";
import { createBot, deleteBot, listBotRecords, loadBotRecord, updateBot, type BotRecord } from "../bots/bot-registry";
import { authorize, canSee } from "../identity/authorize";
import { requireAdminPrincipal } from "../identity/request-principal";
import type { RouteContext } from "./route-context";

const ADMIN_BODY_LIMITS = { maxBytes: 64 * 1024, maxDepth: 8 };

/** GET /v1/admin/bots: every bot of the deployment (an API key sees the bots of its scope). */
export async function handleListBots({ request, env }: RouteContext): Promise<Response> {
  const principal = await requireAdminPrincipal(request, env);
  const records = await listBotRecords(env.DB);
  return json({ bots: records.filter((record) => canSee(principal, "bots:read", record.bot.id)).map(adminView) });
}

/** POST /v1/admin/bots `{ id, name, ... }`: creates a bot (201), with its webhook signing secret. */
export async function handleCreateBot({ request, env }: RouteContext): Promise<Response> {
  authorize(await requireAdminPrincipal(request, env), "bots:create");
  const body = await readJsonBody(request, ADMIN_BODY_LIMITS);
  if (!isRecord(body)) throw new HttpError(400, "invalid_bot", "The body must be a JSON object.");
  const { id, ...fields } = body;
  const record = await createBot(env.DB, parseBotId(id), parseBotFields(fields));
  return json(adminView(record), 201);
}

/** GET /v1/admin/bots/:id */
export async function handleGetBot({ request, env, params }: RouteContext): Promise<Response> {
  authorize(await requireAdminPrincipal(request, env), "bots:read", params.id);
  return json(adminView(await requireRecord(env.DB, params.id!)));
}

/** PUT /v1/admin/bots/:id: replaces the configuration (omitted fields take their defaults). */
export async function handleReplaceBot({ request, env, params }: RouteContext): Promise<Response> {
  authorize(await requireAdminPrincipal(request, env), "bots:write", params.id);
  const body = await readJsonBody(request, ADMIN_BODY_LIMITS);
  const fields = parseBotFields(withoutId(body, params.id!));
  return json(adminView(await updateBot(env.DB, parseBotId(params.id), fields)));
}

/** PATCH /v1/admin/bots/:id: changes the given top-level fields and keeps the others. */
export async function handlePatchBot({ request, env, params }: RouteContext): Promise<Response> {
  authorize(await requireAdminPrincipal(request, env), "bots:write", params.id);
  const existing = await requireRecord(env.DB, params.id!);
  const body = withoutId(await readJsonBody(request, ADMIN_BODY_LIMITS), params.id!);
  const { id: _id, ...current } = existing.bot;
  const fields = parseBotFields({ ...current, ...body });
  return json(adminView(await updateBot(env.DB, existing.bot.id, fields)));
}

/** DELETE /v1/admin/bots/:id: 204, or 404 when there is no such bot. */
export async function handleDeleteBot({ request, env, params }: RouteContext): Promise<Response> {
  authorize(await requireAdminPrincipal(request, env), "bots:delete", params.id);
  if (!(await deleteBot(env.DB, params.id!))) throw new HttpError(404, "bot_not_found", "There is no bot with this id.");
  return new Response(null, { status: 204 });
}

async function requireRecord(db: D1Database | undefined, id: string): Promise<BotRecord> {
  const record = await loadBotRecord(db, id);
  if (!record) throw new HttpError(404, "bot_not_found", "There is no bot with this id.");
  return record;
}

function withoutId(body: unknown, pathId: string): Record<string, unknown> {
  if (!isRecord(body)) throw new HttpError(400, "invalid_bot", "The body must be a JSON object.");
  const { id, ...fields } = body;
  if (id !== undefined && id !== pathId) throw new HttpError(400, "invalid_bot", "A bot's id cannot be changed.");
  return fields;
}

function adminView(record: BotRecord) {
  return { bot: record.bot, handoffSecret: record.handoffSecret, createdAt: record.createdAt, updatedAt: record.updatedAt };
}

function json(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { "cache-control": "no-store" } });
}
