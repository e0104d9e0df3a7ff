import { requireBot } from "../bots/bot-registry";
import { STREAMING_HEADERS } from "../http/streaming-headers";
import { HttpError } from "../http/http-error";
import { requireAllowedOrigin } from "../security/origin-policy";
import { sessionStub, type SessionStore } from "../sessions/session-store";
import { authorizeSessionRequest } from "../sessions/visitor-session";
import { agentSession } from "../takeover/agent-access";
import type { EventAudience } from "../takeover/session-events";
import type { RouteContext } from "./route-context";

const MESSAGE_ID = /^[\w.:-]{1,128}$/;

/**
 * GET /v1/sessions/:id/events (Authorization: Bearer <session token>, as `GET …/messages`): the visitor's
 * live channel, server-sent events from the session object: `event: handoff` (who has the conversation)
 * first, then `event: message` for every stored message (a UI message, as the history returns it), in order.
 * `?after=<message id>` first replays what was stored after that message (a reconnect).
 */
export async function handleVisitorSessionEvents({ request, url, env, params }: RouteContext): Promise<Response> {
  const { botId, sessionId } = await authorizeSessionRequest(env, request, params.id!);
  const bot = await requireBot(env.DB, botId);
  requireAllowedOrigin(request, bot, url.origin, false);
  return eventStream(sessionStub(env, bot.id, sessionId), "visitor", url);
}

/**
 * GET /v1/console/sessions/:sessionId/events and /v1/admin/sessions/:sessionId/events (action
 * conversations:read on the session's bot; else 404 `conversation_not_found`): the agent's live view,
 * messages in the conversations contract's TranscriptMessage shape.
 */
export async function handleAgentSessionEvents(context: RouteContext): Promise<Response> {
  const { store } = await agentSession(context, "conversations:read");
  return eventStream(store, "agent", context.url);
}

async function eventStream(store: SessionStore, audience: EventAudience, url: URL): Promise<Response> {
  const after = url.searchParams.get("after") ?? undefined;
  if (after !== undefined && !MESSAGE_ID.test(after)) throw new HttpError(400, "invalid_request", "`after` must be a message id.");
  const stream = await store.followEvents({ audience, afterMessageId: after });
  if (!stream) throw new HttpError(429, "too_many_listeners", "This conversation has too many open live views; close one and try again.");
  return new Response(stream, {
    headers: { ...STREAMING_HEADERS, "content-type": "text/event-stream; charset=utf-8", "x-content-type-options": "nosniff" },
  });
}
