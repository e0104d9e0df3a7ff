import { readJsonBody } from "../http/read-json-body";
import { CHAT_LIMITS, parseChatRequest } from "../chat/chat-request";
import { streamChatTurn } from "../chat/chat-turn";
import { DEMO_BOT } from "../bots/bot";
import type { RouteContext } from "./route-context";
import { retrievalForTurn } from "../rag/retrieval-for-turn";

/**
 * POST /v1/chat: validates the request, then streams the answer in the AI SDK's
 * UI message stream protocol, so any AI SDK client (useChat) can read it.
 */
export async function handleChat({ request, env, models }: RouteContext): Promise<Response> {
  const body = await readJsonBody(request, { maxBytes: CHAT_LIMITS.maxBodyBytes, maxDepth: CHAT_LIMITS.maxDepth });
  const chat = parseChatRequest(body);
  return streamChatTurn({
    bot: DEMO_BOT,
    question: chat.text,
    history: [],
    model: models.chat,
    modelSource: models.source,
    signal: request.signal,
    maxOutputTokens: CHAT_LIMITS.maxOutputTokens,
    // The bot comes from the server (never the request), and with it the vector namespace.
    retrieve: retrievalForTurn(env, models, { botId: DEMO_BOT.id, question: chat.text, history: [] }),
  });
}
