import type { ModelMessage, UIMessageChunk } from "ai";
import type { Bot } from "../bots/bot";
import { DEFAULT_MAX_TURNS_PER_SESSION } from "../bots/bot";
import { budgetMessageOf } from "../bots/bot-config";
import type { ChatRequest } from "../chat/chat-request";
import type { TurnOutcome } from "../chat/turn-outcome";
import { HttpError } from "../http/http-error";
import type { StoredMessage } from "./chat-session";
import { HISTORY_LIMITS, recordNewSession } from "./session-store";
import { streamStoredAnswer } from "./stored-answer-stream";
import { handoffOfferChunk, shouldOfferHandoff } from "./handoff";
import type { VisitorSession } from "./visitor-session";

/** A visitor's message, stored, and what to do about it. */
export interface VisitorTurn {
  userMessageId: string;
  /** Set when this message id already has a complete answer: replay it, call no model. */
  answered?: StoredMessage;
}

/**
 * Stores the visitor's message in the session (idempotent by the client's message id) before any model
 * call. The same id sent again while its answer streams is a 409; after a complete answer it is replayed.
 */
export async function beginVisitorTurn(session: VisitorSession, bot: Bot, chat: ChatRequest): Promise<VisitorTurn> {
  const userMessageId = chat.messageId ?? crypto.randomUUID();
  const start = await session.store.beginTurn({
    messageId: userMessageId,
    text: chat.text,
    maxUserMessages: bot.limits.maxTurnsPerSession ?? DEFAULT_MAX_TURNS_PER_SESSION,
    now: Date.now(),
  });
  switch (start.kind) {
    case "busy":
      throw new HttpError(409, "turn_in_progress", "This message is being answered right now.");
    case "full":
      throw new HttpError(413, "conversation_too_long", "This conversation has reached its length limit. Please start a new conversation.");
    case "answered":
      return { userMessageId, answered: start.answer };
    default:
      // A conversation counts (in stats) from its first stored message, not from a refused first request.
      if (session.isNew) await recordNewSession(session.db, session.botId, session.sessionId, Date.now());
      return { userMessageId };
  }
}

/** The earlier conversation for the model, from the session store only (never from the request). */
export async function historyForModel(session: VisitorSession, turn: VisitorTurn): Promise<ModelMessage[]> {
  const messages = await session.store.history({ beforeMessageId: turn.userMessageId, ...HISTORY_LIMITS });
  return messages.map((message) => ({ role: message.role, content: message.text }));
}

/** Stores the assistant's message when the turn ends (exactly once, whatever the ending). */
export async function recordAnswer(session: VisitorSession, turn: VisitorTurn, outcome: TurnOutcome): Promise<void> {
  const { messageId, ...rest } = outcome;
  await session.store.recordAnswer({ replyTo: turn.userMessageId, messageId: messageId ?? crypto.randomUUID(), outcome: rest, now: Date.now() });
}

/** Replays a stored answer (a retried send of an answered message): no model call, nothing billed again. */
export function answerFromStore(answer: StoredMessage, prelude: UIMessageChunk[]): Response {
  return streamStoredAnswer(
    { messageId: answer.id, text: answer.text, sources: answer.sources, files: answer.files, metadata: { ...answer.metadata, replayed: true } },
    prelude,
  );
}

/** Over the daily spending cap: the bot's polite message, stored as its answer, and no model call. */
export async function refuseOverBudget(session: VisitorSession, bot: Bot, turn: VisitorTurn, prelude: UIMessageChunk[]): Promise<Response> {
  const messageId = crypto.randomUUID();
  const metadata = { model: "none", source: "budget", refused: "budget", createdAt: Date.now() };
  const text = budgetMessageOf(bot);
  await session.store.recordAnswer({
    replyTo: turn.userMessageId,
    messageId,
    outcome: { status: "complete", text, sources: [], files: [], metadata },
    now: Date.now(),
  });
  return streamStoredAnswer({ messageId, text, metadata }, prelude);
}

/** The `data-handoff` offer when the bot has a handoff webhook and the visitor asks for a person or is stuck. */
export async function handoffOffer(session: VisitorSession, bot: Bot, question: string): Promise<UIMessageChunk[]> {
  if (!bot.handoffWebhookUrl) return [];
  return shouldOfferHandoff(question, await session.store.recentAnswers(2)) ? [handoffOfferChunk()] : [];
}
