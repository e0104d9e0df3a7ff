import { readJsonBody } from "../http/read-json-body";
import { CHAT_LIMITS, parseChatRequest } from "../chat/chat-request";
import { streamChatTurn } from "../chat/chat-turn";
import { DEMO_BOT } from "../bots/bot";
import { planTurnRouting } from "../routing/turn-routing";
import { NO_RETRIEVAL } from "../routing/retrieval-signals";
import { recordTurn } from "../usage/turn-record";
import type { RouteContext } from "./route-context";

/**
 * POST /v1/chat: validates the request, then streams the answer in the AI SDK's
 * UI message stream protocol, so any AI SDK client (useChat) can read it.
 */
export async function handleChat({ request, env, models, ctx }: RouteContext): Promise<Response> {
  const body = await readJsonBody(request, { maxBytes: CHAT_LIMITS.maxBodyBytes, maxDepth: CHAT_LIMITS.maxDepth });
  const chat = parseChatRequest(body);
  const bot = DEMO_BOT;
  const history: never[] = [];
  // Retrieval signals: NO_RETRIEVAL until retrieval runs in the turn; then pass its RetrievalSignals here.
  const routing = planTurnRouting({ bot, question: chat.text, history, models, retrieval: NO_RETRIEVAL, prices: env.EDGECHAT_PRICES });
  const db = env.DB;
  return streamChatTurn({
    bot,
    question: chat.text,
    history,
    models: routing.models,
    route: routing.route,
    prices: routing.prices,
    modelSource: models.source,
    signal: request.signal,
    maxOutputTokens: CHAT_LIMITS.maxOutputTokens,
    onEnd: db
      ? (outcome) =>
          recordTurn(db, outcome, { botId: bot.id, sessionId: chat.chatId, userMessageId: chat.messageId, question: chat.text })
      : undefined,
    waitUntil: (promise) => ctx.waitUntil(promise),
  });
}
