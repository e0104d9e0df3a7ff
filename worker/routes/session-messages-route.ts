import { requireBot } from "../bots/bot-registry";
import { requireAllowedOrigin } from "../security/origin-policy";
import { authorizeSessionRequest } from "../sessions/visitor-session";
import { sessionStub, toTranscript } from "../sessions/session-store";
import type { RouteContext } from "./route-context";

/**
 * GET /v1/sessions/:id/messages (Authorization: Bearer <session token>): the transcript, for the widget
 * after a reload. Only the token minted for exactly this session opens it.
 */
export async function handleSessionMessages({ request, url, env, params }: RouteContext): Promise<Response> {
  const { botId, sessionId } = await authorizeSessionRequest(env, request, params.id!);
  const bot = await requireBot(env.DB, botId);
  requireAllowedOrigin(request, bot, url.origin, false);
  const messages = await sessionStub(env, bot.id, sessionId).messages();
  return Response.json({ sessionId, messages: toTranscript(messages) }, { headers: { "cache-control": "no-store" } });
}
