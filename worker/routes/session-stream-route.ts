import { requireBot } from "../bots/bot-registry";
import { STREAMING_HEADERS } from "../http/streaming-headers";
import { requireAllowedOrigin } from "../security/origin-policy";
import { sessionStub } from "../sessions/session-store";
import { authorizeSessionRequest } from "../sessions/visitor-session";
import type { RouteContext } from "./route-context";

/**
 * GET /v1/sessions/:id/stream (Authorization: Bearer <session token>): resumes the answer being streamed,
 * e.g. after a page reload: every event sent so far, then the live ones, in the same UI message stream
 * protocol. 204 when no answer is streaming (then the transcript has it). No model is called.
 */
export async function handleSessionStream({ request, url, env, params }: RouteContext): Promise<Response> {
  const { botId, sessionId } = await authorizeSessionRequest(env, request, params.id!);
  const bot = await requireBot(env.DB, botId);
  requireAllowedOrigin(request, bot, url.origin, false);
  const stream = await sessionStub(env, bot.id, sessionId).followLive();
  if (!stream) return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
  return new Response(stream, {
    headers: {
      ...STREAMING_HEADERS,
      "content-type": "text/event-stream",
      "x-vercel-ai-ui-message-stream": "v1",
    },
  });
}

/** POST /v1/sessions/:id/stop (session token): stops the answer being streamed at once; `{ stopped }`. */
export async function handleSessionStop({ request, url, env, params }: RouteContext): Promise<Response> {
  const { botId, sessionId } = await authorizeSessionRequest(env, request, params.id!);
  const bot = await requireBot(env.DB, botId);
  requireAllowedOrigin(request, bot, url.origin, true);
  const stopped = await sessionStub(env, bot.id, sessionId).requestStop();
  return Response.json({ stopped }, { headers: { "cache-control": "no-store" } });
}
