import { readJsonBody } from "../http/read-json-body";
import { HttpError } from "../http/http-error";
import { CHAT_LIMITS, isRecord, parseChatRequest, type ChatRequest } from "../chat/chat-request";
import { streamChatTurn } from "../chat/chat-turn";
import { imageTurnOptions } from "../images/image-turn";
import type { Bot } from "../bots/bot";
import { BOT_ID_PATTERN } from "../bots/bot-config";
import { cachedBotGate, readBotGate, type BotGate } from "../bots/bot-gate";
import { requireAllowedOrigin, withCors } from "../security/origin-policy";
import { clientIp, enforceRateLimits } from "../security/rate-limit";
import { ensureHumanChecked } from "../security/human-check";
import { resolveVisitorSession, parseSessionFields, sessionChunk, type SessionFields, type VisitorSession } from "../sessions/visitor-session";
import {
  answerFromStore,
  answerWhileTakenOver,
  endUnansweredLiveTurn,
  openVisitorTurn,
  recordAnswer,
  refuseOverBudget,
  type OpenedVisitorTurn,
} from "../sessions/visitor-turn";
import { isOverSpendingCap } from "../limits/spending-cap";
import { attachLiveTurn } from "../sessions/live-turn";
import { minScoreFromEnv, startRetrievalForTurn } from "../rag/retrieval-for-turn";
import type { Passage } from "../rag/retrieve-passages";
import { planTurnRouting } from "../routing/turn-routing";
import { recordTurn } from "../usage/turn-record";
import { embedderSourceOf } from "../models/model-set";
import { answerWithCorrection, curatedAnswerFor } from "../corrections/curated-answer";
import { withTurnEmbeddingCache } from "../models/turn-embedding-cache";
import type { RouteContext } from "./route-context";

/**
 * POST /v1/chat: validates the request, passes the bot's doors (origin, rate limits, human check,
 * spending cap), stores the visitor's message, then streams the answer in the AI SDK's UI message stream
 * protocol, so any AI SDK client (useChat) can read it.
 *
 * The turn is a sequence of named stages (ARCHITECTURE.md, "Doors of POST /v1/chat"). The critical path
 * of a returning visitor of a bot this isolate knows has three waits before the model call: the rate
 * limits; the session object (one call) beside the embedding, the keyword search and the bot's re-read;
 * the vector query. Every refusal comes before any model, embedding or session-creation call, except
 * those only the session object or the bot's re-read can know (a stale cached bot: deleted, edited or
 * over budget since; a busy or full conversation), which still come before any model call.
 */
export async function handleChat(context: RouteContext): Promise<Response> {
  const { request, url, env, models, ctx } = context;
  const waitUntil = (promise: Promise<unknown>) => ctx.waitUntil(promise);
  // 1. Request: parse and size limits (no wait).
  const body = await readJsonBody(request, { maxBytes: CHAT_LIMITS.maxBodyBytes, maxDepth: CHAT_LIMITS.maxDepth });
  const chat = parseChatRequest(body);
  const fields = parseSessionFields(body);
  // 2. Bot: from this isolate's cache (no wait; re-read beside the turn) or from D1; then its origin.
  const admitted = await admitBot(env.DB, chat.botId, Date.now());
  requireAllowedOrigin(request, admitted.gate.bot, url.origin, true);
  // 3. Session: the token's claims, or a new id (local work only; nothing is created yet).
  const session = await resolveVisitorSession(env, admitted.gate.bot, { chatId: chat.chatId, sessionToken: fields.sessionToken });
  // 4. Rate limits (wait 1), and the human check of a new session beside them: before any session is created.
  const verification = await passRateLimitsAndNewSessionCheck(context, admitted.gate.bot, session, fields);
  // 5. The session object, one call (wait 2): stores the message, returns the history, opens the live turn.
  const opened = openTurnWithHumanCheck(context, admitted.gate.bot, session, chat, fields, verification);
  // 6. Retrieval starts at once, beside the session call, unless a door may still refuse the turn, or the
  // client says a person has the conversation (`handoff: "human"`, a hint: the session call decides).
  const overBudget = isOverSpendingCap(admitted.gate.bot, admitted.gate.spentTodayUsd);
  const personHint = isRecord(body) && body.handoff === "human";
  const retrieveNow = !overBudget && verification !== "required" && !personHint;
  // The curated-answer lookup and retrieval embed the same question: one provider call between them.
  const turnContext = { ...context, models: withTurnEmbeddingCache(models) };
  const lookUpCurated = () => curatedAnswerFor(env, turnContext.models, admitted.gate.bot.id, chat.text);
  let retrieval = retrieveNow ? startRetrieval(turnContext, admitted.gate.bot, chat, () => opened.then((turn) => turn.history)) : undefined;
  // An editor's curated answer to this question, looked up beside retrieval (worker/corrections).
  let curatedLookup = retrieveNow ? lookUpCurated() : undefined;
  curatedLookup?.catch(() => {});
  const { turn, history, handoff, takeover } = await opened;
  const personHasIt = takeover.state === "human" && !turn.answered;
  if (!retrieveNow && !overBudget && !turn.answered && !personHasIt) {
    retrieval = startRetrieval(turnContext, admitted.gate.bot, chat, async () => history);
    curatedLookup = lookUpCurated();
  }
  // 7. The bot as D1 has it now (read beside the session call): deleted, edited or over budget since.
  const bot = await confirmBot(context, admitted, session, await opened, fields).catch(async (error: unknown) => {
    if (!turn.answered) waitUntil(endUnansweredLiveTurn(session, turn));
    throw error;
  });
  const prelude = [sessionChunk(session), ...handoff];
  // The page's origin passed the bot's check: CORS headers here, so the worker need not look it up again.
  const origin = request.headers.get("origin");
  const respond = (response: Response) => (origin ? withCors(response, origin) : response);
  if (turn.answered) return respond(answerFromStore(turn.answered, prelude));
  // A person has the conversation (docs/takeover.md): the message is stored and fanned out; no model call.
  if (personHasIt) {
    retrieval?.catch(() => {});
    return respond(answerWhileTakenOver(takeover, prelude));
  }
  // A curated answer replaces the model call (no cost, the editor's exact words).
  const curated = await curatedLookup;
  if (curated) {
    waitUntil(endUnansweredLiveTurn(session, turn));
    return respond(await answerWithCorrection(session, turn, curated, prelude, { db: env.DB!, question: chat.text, waitUntil }));
  }
  if (overBudget || bot.overBudget) return respond(await refuseOverBudget(session, bot.bot, turn, prelude));

  // 8. The answer: routing decided after retrieval, streamed and teed to the session (a reload resumes it).
  const routing = planTurnRouting({ bot: bot.bot, question: chat.text, history, models, prices: env.EDGECHAT_PRICES });
  const live = attachLiveTurn(session, turn.userMessageId, waitUntil);
  const passages = retrieval;
  return respond(live.attach(
    streamChatTurn({
      bot: bot.bot,
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
      // Two independent writes after the answer: the transcript and the usage row (which moves the
      // bot's running spend total). Both are attempted even if one fails.
      onEnd: async (outcome) => {
        await Promise.all([
          recordAnswer(session, turn, outcome),
          recordTurn(env.DB!, outcome, {
            botId: bot.bot.id,
            sessionId: session.sessionId,
            userMessageId: turn.userMessageId,
            question: chat.text,
            grounded: outcome.grounded,
            sourcesFound: outcome.sourcesFound,
            images: outcome.images,
          }),
        ]);
      },
      waitUntil,
      images: imageTurnOptions(bot.bot, env, models, session.sessionId),
      // Started at stage 6 (after the session call for a Turnstile bot's returning visitor); the bot comes from the registry (never the request), and with it the vector namespace.
      retrieve: passages ? () => passages : undefined,
    }),
  ));
}

/** The bot of a turn as first admitted, and its re-read from D1 when it came from this isolate's cache. */
interface AdmittedBot {
  gate: BotGate;
  /** Started at once when `gate` is cached; undefined when `gate` was just read. */
  reread?: Promise<BotGate | undefined>;
}

/**
 * Stage 2: the bot from this isolate's cache (read less than BOT_CACHE_TTL_MS ago) with its re-read
 * from D1 started beside the rest of the turn, or read from D1 now (one query: config only when its
 * version changed, and today's spending). 404 for an unknown or malformed id.
 */
async function admitBot(db: D1Database | undefined, botId: string | undefined, now: number): Promise<AdmittedBot> {
  if (!db) throw new HttpError(503, "registry_unavailable", "The bot registry is not configured: bind the DB (D1) database.");
  if (botId === undefined || !BOT_ID_PATTERN.test(botId)) throw botNotFound();
  const cached = cachedBotGate(db, botId, now);
  if (cached) {
    const reread = readBotGate(db, botId, now);
    reread.catch(() => {});
    return { gate: cached, reread };
  }
  const gate = await readBotGate(db, botId, now);
  if (!gate) throw botNotFound();
  return { gate };
}

/**
 * Stage 4: the rate limits (per IP and per session, in parallel) and, for a new session of a bot with
 * Turnstile, the token's verification beside them. Returns what the session call must do about the
 * human check: "passed" (verified now), "required" (a returning session: the session object knows) or
 * "none" (the bot has no human check).
 */
async function passRateLimitsAndNewSessionCheck(
  { request, env, url }: RouteContext,
  bot: Bot,
  session: VisitorSession,
  fields: SessionFields,
): Promise<"none" | "required" | "passed"> {
  const ip = clientIp(request);
  const verifyNow = Boolean(bot.turnstileSiteKey) && session.isNew;
  await Promise.all([
    enforceRateLimits({ perIp: env.RATE_LIMIT_IP, perSession: env.RATE_LIMIT_SESSION }, { botId: bot.id, sessionId: session.sessionId, ip }),
    verifyNow ? verifyHumanCheck(env, bot, fields, url.origin, ip) : undefined,
  ]);
  if (!bot.turnstileSiteKey) return "none";
  return verifyNow ? "passed" : "required";
}

/** The Turnstile token's verification (a session that has not passed yet). */
function verifyHumanCheck(env: RouteContext["env"], bot: Bot, fields: SessionFields, selfOrigin: string, ip: string): Promise<void> {
  return ensureHumanChecked(env, bot, { isVerified: async () => false, markVerified: async () => {} }, { token: fields.turnstileToken, selfOrigin, ip });
}

/**
 * Stage 5: the one session call. A returning session of a Turnstile bot that has not passed the check
 * (rare: its first turn was refused) verifies the token now and calls again.
 */
async function openTurnWithHumanCheck(
  { request, env, url, ctx }: RouteContext,
  bot: Bot,
  session: VisitorSession,
  chat: ChatRequest,
  fields: SessionFields,
  verification: "none" | "required" | "passed",
): Promise<OpenedVisitorTurn> {
  const waitUntil = (promise: Promise<unknown>) => ctx.waitUntil(promise);
  const opened = await openVisitorTurn(session, bot, chat, { verification, waitUntil });
  if (opened !== "unverified") return opened;
  await verifyHumanCheck(env, bot, fields, url.origin, clientIp(request));
  const again = await openVisitorTurn(session, bot, chat, { verification: "passed", waitUntil });
  if (again === "unverified") throw new HttpError(403, "turnstile_failed", "The human check failed. Please try again.");
  return again;
}

/** Stage 6: the turn's retrieval, started (undefined when retrieval is not configured). */
function startRetrieval(
  { env, models }: RouteContext,
  bot: Bot,
  chat: ChatRequest,
  history: () => Promise<OpenedVisitorTurn["history"]>,
): Promise<Passage[]> | undefined {
  return startRetrievalForTurn(env, models, { botId: bot.id, question: chat.text, history });
}

/**
 * Stage 7: the bot as D1 has it now. A cached bot that was deleted is refused (404); one that was edited
 * passes the doors again with its new config (origin, human check); the spending cap is checked
 * against today's running total as just read.
 */
async function confirmBot(
  { request, env, url }: RouteContext,
  admitted: AdmittedBot,
  session: VisitorSession,
  opened: OpenedVisitorTurn,
  fields: SessionFields,
): Promise<{ bot: Bot; overBudget: boolean }> {
  if (!admitted.reread) return { bot: admitted.gate.bot, overBudget: false };
  const now = await admitted.reread;
  if (!now) throw botNotFound();
  if (now.version !== admitted.gate.version) {
    requireAllowedOrigin(request, now.bot, url.origin, true);
    await ensureHumanChecked(env, now.bot, { isVerified: async () => opened.verified, markVerified: () => session.store.markVerified() }, {
      token: fields.turnstileToken,
      selfOrigin: url.origin,
      ip: clientIp(request),
    });
  }
  return { bot: now.bot, overBudget: isOverSpendingCap(now.bot, now.spentTodayUsd) };
}

function botNotFound(): HttpError {
  return new HttpError(404, "bot_not_found", "There is no bot with this id.");
}
