import { botsActivitySince, startOfUtcDay } from "../bots/bot-activity";
import { createBot, deleteBot, listBotRecords, loadBotRecord, updateBot, type BotRecord } from "../bots/bot-registry";
import { consoleBotView, parseConsoleBotBody } from "../console/console-bot";
import { consoleJson, readConsoleBody } from "../console/console-request";
import { authorize, botNotFound, canSee } from "../identity/authorize";
import { requireConsoleMember } from "../identity/request-principal";
import type { RouteContext } from "./route-context";

/** GET /v1/console/bots → `{ bots: [{ id, name, config, createdAt, updatedAt, today: { conversations, costUsd } }] }`, the bots in scope only. */
export async function handleConsoleListBots({ request, env, url }: RouteContext): Promise<Response> {
  const { principal } = await requireConsoleMember(request, env, url);
  const records = (await listBotRecords(env.DB)).filter((record) => canSee(principal, "bots:read", record.bot.id));
  const today = await botsActivitySince(env.DB!, startOfUtcDay(Date.now()));
  return consoleJson({
    bots: records.map((record) => ({ ...consoleBotView(record), today: today.get(record.bot.id) ?? { conversations: 0, costUsd: 0 } })),
  });
}

/** POST /v1/console/bots `{ id, name, config }` → 201 `{ bot }`; 400 `invalid_config` with `fields`; 409 `bot_exists`. */
export async function handleConsoleCreateBot({ request, env, url }: RouteContext): Promise<Response> {
  const { principal } = await requireConsoleMember(request, env, url);
  authorize(principal, "bots:create");
  const { id, fields } = parseConsoleBotBody(await readConsoleBody(request), { requireId: true });
  return consoleJson({ bot: consoleBotView(await createBot(env.DB, id!, fields)) }, 201);
}

/** GET /v1/console/bots/:id → `{ bot, handoffSecret? }` (the webhook signing secret for those who may edit the bot). */
export async function handleConsoleGetBot({ request, env, url, params }: RouteContext): Promise<Response> {
  const { principal } = await requireConsoleMember(request, env, url);
  authorize(principal, "bots:read", params.id);
  const record = await requireRecord(env.DB, params.id!);
  const mayEdit = canSee(principal, "bots:write", record.bot.id);
  return consoleJson({ bot: consoleBotView(record), ...(mayEdit ? { handoffSecret: record.handoffSecret } : {}) });
}

/** PUT /v1/console/bots/:id `{ name, config }` → `{ bot }`: replaces every setting (omitted ones take defaults). */
export async function handleConsoleReplaceBot({ request, env, url, params }: RouteContext): Promise<Response> {
  const { principal } = await requireConsoleMember(request, env, url);
  authorize(principal, "bots:write", params.id);
  const record = await requireRecord(env.DB, params.id!);
  const { fields } = parseConsoleBotBody(withoutId(await readConsoleBody(request)));
  return consoleJson({ bot: consoleBotView(await updateBot(env.DB, record.bot.id, fields)) });
}

/** PATCH /v1/console/bots/:id `{ name?, config? }` → `{ bot }`: changes the given top-level settings, keeps the others. */
export async function handleConsolePatchBot({ request, env, url, params }: RouteContext): Promise<Response> {
  const { principal } = await requireConsoleMember(request, env, url);
  authorize(principal, "bots:write", params.id);
  const record = await requireRecord(env.DB, params.id!);
  const { id: _id, ...base } = record.bot;
  const { fields } = parseConsoleBotBody(withoutId(await readConsoleBody(request)), { base });
  return consoleJson({ bot: consoleBotView(await updateBot(env.DB, record.bot.id, fields)) });
}

/** DELETE /v1/console/bots/:id → 204. */
export async function handleConsoleDeleteBot({ request, env, url, params }: RouteContext): Promise<Response> {
  const { principal } = await requireConsoleMember(request, env, url);
  authorize(principal, "bots:delete", params.id);
  if (!(await deleteBot(env.DB, params.id!))) throw botNotFound();
  return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
}

/** The bot of the path, or the 404 every out-of-scope bot also gets. */
export async function requireRecord(db: D1Database | undefined, id: string): Promise<BotRecord> {
  const record = await loadBotRecord(db, id);
  if (!record) throw botNotFound();
  return record;
}

/** An `id` in an update body may only repeat the path's (ignored); the bot's id cannot change. */
function withoutId(body: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, ...rest } = body;
  return rest;
}
