import { readJsonBody } from "../http/read-json-body";
import { CHAT_LIMITS, parseChatRequest } from "../chat/chat-request";
import { streamChatTurn } from "../chat/chat-turn";
import { imageTurnOptions } from "../images/image-turn";
import { requireBot } from "../bots/bot-registry";
import { requireAllowedOrigin } from "../security/origin-policy";
import { clientIp, enforceRateLimits } from "../security/rate-limit";
import { ensureHumanChecked } from "../security/human-check";
import { openVisitorSession, parseSessionFields, sessionChunk } from "../sessions/visitor-session";
import { answerFromStore, beginVisitorTurn, handoffOffer, historyForModel, recordAnswer, refuseOverBudget } from "../sessions/visitor-turn";
import { isOverSpendingCap } from "../limits/spending-cap";
import { startLiveTurn } from "../sessions/live-turn";
import { retrievalForTurn } from "../rag/retrieval-for-turn";
import { planTurnRouting } from "../routing/turn-routing";
import { recordTurn } from "../usage/turn-record";
import { minScoreFromEnv } from "../rag/retrieval-for-turn";
import { embedderSourceOf } from "../models/model-set";
import { answerWithCorrection, curatedAnswerFor } from "../corrections/curated-answer";
import { withTurnEmbeddingCache } from "../models/turn-embedding-cache";
import type { RouteContext } from "./route-context";

/**
 * POST /v1/chat: validates the request, checks the bot's doors (origin, session, rate limits, human
 * check, spending cap), stores the visitor's message, then streams the answer in the AI SDK's UI message
 * stream protocol, so any AI SDK client (useChat) can read it.
 */
export async function handleChat({ request, url, env, models, ctx }: RouteContext): Promise<Response> {
  const body = await readJsonBody(request, { maxBytes: CHAT_LIMITS.maxBodyBytes, maxDepth: CHAT_LIMITS.maxDepth });
  const chat = parseChatRequest(body);
  const fields = parseSessionFields(body);
  const bot = await requireBot(env.DB, chat.botId);
  requireAllowedOrigin(request, bot, url.origin, true);
  const ip = clientIp(request);
  await enforceRateLimits({ perIp: env.RATE_LIMIT_IP }, { botId: bot.id, ip });
  const session = await openVisitorSession(env, bot, { chatId: chat.chatId, sessionToken: fields.sessionToken });
  await enforceRateLimits({ perSession: env.RATE_LIMIT_SESSION }, { botId: bot.id, sessionId: session.sessionId, ip });
  await ensureHumanChecked(env, bot, {
    isVerified: () => session.store.isVerified(),
    markVerified: () => session.store.markVerified(),
  }, { token: fields.turnstileToken, selfOrigin: url.origin, ip });

  // The visitor's message is stored before any model is called; a retried message id is stored once.
  const turn = await beginVisitorTurn(session, bot, chat);
  // The curated-answer lookup and retrieval embed the same question: one provider call between them.
  const turnModels = withTurnEmbeddingCache(models);
  // Independent reads, in parallel, all before any model call: whether to offer a person, whether the
  // bot's budget allows a model call, the conversation so far, and an editor's curated answer to this question.
  const [handoff, overBudget, history, curated] = await Promise.all([
    handoffOffer(session, bot, chat.text),
    turn.answered ? false : isOverSpendingCap(env.DB, bot, Date.now()),
    turn.answered ? [] : historyForModel(session, turn),
    turn.answered ? undefined : curatedAnswerFor(env, turnModels, bot.id, chat.text),
  ]);
  const prelude = [sessionChunk(session), ...handoff];
  if (turn.answered) return answerFromStore(turn.answered, prelude);
  // A curated answer costs no model call, so it is given even over the spending cap.
  if (curated) return answerWithCorrection(session, turn, curated, prelude, { db: env.DB!, question: chat.text, waitUntil: (p) => ctx.waitUntil(p) });
  if (overBudget) return refuseOverBudget(session, bot, turn, prelude);

  // The answer outlives a page reload (resumable from the session); an explicit stop aborts it.
  const routing = planTurnRouting({ bot, question: chat.text, history, models, prices: env.EDGECHAT_PRICES });
  const live = await startLiveTurn(session, turn.userMessageId, (promise) => ctx.waitUntil(promise));
  return live.attach(streamChatTurn({
    bot,
    question: chat.text,
    history,
    models: routing.models,
    // Routing is decided after retrieval, from its confidence (worker/routing/route-decision.ts).
    route: routing.decide,
    retrievalThreshold: minScoreFromEnv(env, embedderSourceOf(models)),
    prices: routing.prices,
    modelSource: models.source,
    signal: live.signal,
    maxOutputTokens: CHAT_LIMITS.maxOutputTokens,
    prelude,
    // Two independent writes: the transcript and the usage row. Both are attempted even if one fails.
    onEnd: async (outcome) => {
      await Promise.all([
        recordAnswer(session, turn, outcome),
        recordTurn(env.DB!, outcome, {
          botId: bot.id,
          sessionId: session.sessionId,
          userMessageId: turn.userMessageId,
          question: chat.text,
          grounded: outcome.grounded,
          sourcesFound: outcome.sourcesFound,
          images: outcome.images,
        }),
      ]);
    },
    waitUntil: (promise) => ctx.waitUntil(promise),
    images: imageTurnOptions(bot, env, models, session.sessionId),
    // The bot comes from the registry (never the request), and with it the vector namespace.
    retrieve: retrievalForTurn(env, turnModels, { botId: bot.id, question: chat.text, history }),
  }));
}
