import { requireBot } from "../bots/bot-registry";
import { consoleJson } from "../console/console-request";
import { findConversation, listConversations } from "../conversations/conversation-index";
import { parseConversationFilters, parseConversationQuery } from "../conversations/conversation-query";
import { exportConversations } from "../conversations/conversation-export";
import { eraseConversation } from "../conversations/conversation-erasure";
import { answerRecords, transcriptMessages } from "../conversations/conversation-transcript";
import { HttpError } from "../http/http-error";
import { authorize, type Action } from "../identity/authorize";
import type { Principal } from "../identity/principal";
import { requireAdminPrincipal, requireConsoleMember } from "../identity/request-principal";
import { sessionStub } from "../sessions/session-store";
import type { RouteContext } from "./route-context";

// One handler per endpoint serves both prefixes: /v1/console/bots/:id/conversations… (member cookie, same-origin
// writes) and /v1/admin/bots/:botId/conversations… (ADMIN_TOKEN or an API key). Logic lives in worker/conversations/.

/**
 * GET …/conversations?flags=&from=&to=&q=&limit=&cursor= → `{ conversations: ConversationSummary[], nextCursor }`,
 * newest last activity first (action conversations:read).
 */
export async function handleListConversations(context: RouteContext): Promise<Response> {
  const { db, botId } = await conversationAccess(context, "conversations:read");
  const query = parseConversationQuery(context.url.searchParams);
  return consoleJson(await listConversations(db, botId, query));
}

/**
 * GET …/conversations/:sessionId → `{ conversation: ConversationSummary, messages: TranscriptMessage[] }`: the
 * transcript from the session object joined with D1's turns and ratings. 404 `conversation_not_found` for an
 * unknown session or another bot's.
 */
export async function handleGetConversation(context: RouteContext): Promise<Response> {
  const { db, botId } = await conversationAccess(context, "conversations:read");
  const sessionId = sessionIdFrom(context.params);
  const conversation = await findConversation(db, botId, sessionId);
  if (!conversation) throw conversationNotFound();
  const [stored, records] = await Promise.all([sessionStub(context.env, botId, sessionId).messages(), answerRecords(db, botId, [sessionId])]);
  return consoleJson({ conversation, messages: transcriptMessages(stored, records) });
}

/**
 * GET …/conversations/export?format=jsonl|csv&flags=&from=&to=&q= → the matching conversations, one row per
 * message (session, time, role, author, text, tier, model, cost, sources, feedback), streamed in batches.
 */
export async function handleExportConversations(context: RouteContext): Promise<Response> {
  const { botId } = await conversationAccess(context, "conversations:read");
  const format = context.url.searchParams.get("format") ?? "jsonl";
  if (format !== "jsonl" && format !== "csv") throw new HttpError(400, "invalid_query", '`format` must be "jsonl" or "csv".');
  const filters = parseConversationFilters(context.url.searchParams);
  return new Response(exportConversations(context.env, botId, filters, format), {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="${botId}-conversations.${format}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}

/**
 * DELETE …/conversations/:sessionId → `{ erased: { messages, turns, feedback, images } }`: the conversation is
 * erased everywhere (action conversations:erase: admins and editors). 404 `conversation_not_found` otherwise.
 */
export async function handleEraseConversation(context: RouteContext): Promise<Response> {
  const { botId } = await conversationAccess(context, "conversations:erase");
  const sessionId = sessionIdFrom(context.params);
  const erased = await eraseConversation(context.env, botId, sessionId);
  if (!erased) throw conversationNotFound();
  return consoleJson({ erased });
}

/** Who calls, on which bot: authorized for `action` (out of scope → 404 `bot_not_found`, role lacks it → 403), the bot exists. */
export async function conversationAccess(
  { request, env, url, params }: RouteContext,
  action: Action,
): Promise<{ db: D1Database; botId: string; principal: Principal }> {
  const fromConsole = url.pathname.startsWith("/v1/console/");
  const principal = fromConsole ? (await requireConsoleMember(request, env, url)).principal : await requireAdminPrincipal(request, env);
  const botId = (fromConsole ? params.id : params.botId) ?? "";
  authorize(principal, action, botId);
  if (!env.DB) throw new HttpError(503, "conversations_unavailable", "Conversations need the D1 binding DB (see wrangler.jsonc).");
  const bot = await requireBot(env.DB, botId);
  return { db: env.DB, botId: bot.id, principal };
}

export function sessionIdFrom(params: Record<string, string>): string {
  const sessionId = params.sessionId ?? "";
  if (!/^[\w.:-]{1,128}$/.test(sessionId)) throw conversationNotFound();
  return sessionId;
}

export function conversationNotFound(): HttpError {
  return new HttpError(404, "conversation_not_found", "This bot has no conversation with that id.");
}
