import { requireBot } from "../bots/bot-registry";
import { requireAllowedOrigin } from "../security/origin-policy";
import { authorizeSessionRequest } from "../sessions/visitor-session";
import { sessionStub, toTranscript } from "../sessions/session-store";
import type { RouteContext } from "./route-context";

/**
 * GET /v1/sessions/:id/messages (Authorization: Bearer <session token>): the transcript, for the widget
 * after a reload, and `handoff` (who has the conversation). Only the token minted for exactly this session opens it.
 */
export async function handleSessionMessages({ request, url, env, params }: RouteContext): Promise<Response> {
  const { botId, sessionId } = await authorizeSessionRequest(env, request, params.id!);
  const bot = await requireBot(env.DB, botId);
  requireAllowedOrigin(request, bot, url.origin, false);
  const store = sessionStub(env, bot.id, sessionId);
  // `handoff`: who has the conversation (a widget follows `GET …/events` while a person is asked for or has it).
  const [messages, handoff] = await Promise.all([store.messages(), store.handoffState()]);
  return Response.json({ sessionId, messages: toTranscript(messages), handoff }, { headers: { "cache-control": "no-store" } });
}
