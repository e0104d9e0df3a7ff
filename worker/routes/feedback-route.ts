import { requireBot } from "../bots/bot-registry";
import { isRecord } from "../chat/chat-request";
import { HttpError } from "../http/http-error";
import { readJsonBody } from "../http/read-json-body";
import { requireAllowedOrigin } from "../security/origin-policy";
import { sessionStub } from "../sessions/session-store";
import { authorizeSessionRequest } from "../sessions/visitor-session";
import type { RouteContext } from "./route-context";

/**
 * POST /v1/feedback `{ botId, sessionId, messageId, rating: "up" | "down", sessionToken? }` (or the token as
 * `Authorization: Bearer`): rates one assistant message of the visitor's own conversation. A new rating
 * of the same message replaces the old one.
 */
export async function handleFeedback({ request, url, env }: RouteContext): Promise<Response> {
  const body = await readJsonBody(request, { maxBytes: 4 * 1024, maxDepth: 4 });
  if (!isRecord(body)) throw invalid("The body must be a JSON object.");
  const { sessionId, messageId, rating, sessionToken, botId } = body;
  if (typeof sessionId !== "string" || !/^[\w.:-]{1,128}$/.test(sessionId)) throw invalid("`sessionId` is required.");
  if (typeof messageId !== "string" || !/^[\w.:-]{1,128}$/.test(messageId)) throw invalid("`messageId` is required.");
  if (rating !== "up" && rating !== "down") throw invalid('`rating` must be "up" or "down".');
  const session = await authorizeSessionRequest(env, request, sessionId, typeof sessionToken === "string" ? sessionToken : undefined);
  if (botId !== undefined && botId !== session.botId) throw new HttpError(404, "session_not_found", "No such conversation for this bot.");
  const bot = await requireBot(env.DB, session.botId);
  requireAllowedOrigin(request, bot, url.origin, true);
  const messages = await sessionStub(env, bot.id, session.sessionId).messages();
  if (!messages.some((message) => message.id === messageId && message.role === "assistant")) {
    throw new HttpError(404, "message_not_found", "This conversation has no assistant message with that id.");
  }
  await env
    .DB!.prepare("INSERT OR REPLACE INTO feedback (bot_id, session_id, message_id, rating, created_at) VALUES (?, ?, ?, ?, ?)")
    .bind(bot.id, session.sessionId, messageId, rating, Date.now())
    .run();
  return Response.json({ ok: true }, { headers: { "cache-control": "no-store" } });
}

function invalid(message: string): HttpError {
  return new HttpError(400, "invalid_request", message);
}
