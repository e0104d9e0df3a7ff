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
import { markNeedsPerson } from "../conversations/conversation-index";
import type { HandoffState } from "../takeover/handoff-state";

/** A visitor's message, stored, and what to do about it. */
export interface VisitorTurn {
  userMessageId: string;
  /** Set when this message id already has a complete answer: replay it, call no model. */
  answered?: StoredMessage;
}

/** A stored visitor message with what the turn needs from the conversation before its model call. */
export interface OpenedVisitorTurn {
  turn: VisitorTurn;
  /** The earlier conversation for the model, from the session store only (never from the request). */
  history: ModelMessage[];
  /** The `data-handoff` offer, when the bot has a handoff webhook and the visitor asks for a person or is stuck. */
  handoff: UIMessageChunk[];
  /** Whether the session has passed the human check. */
  verified: boolean;
  /** Who has the conversation: while a person has it ("human"), the message is stored and nothing answers it. */
  takeover: HandoffState;
}

/**
 * Stores the visitor's message in the session (idempotent by the client's message id) and reads what the
 * model needs, in ONE call to the session object (`ChatSession.openTurn`), which also binds a new
 * session to the bot and opens the live turn. The same id sent again while its answer streams is a 409;
 * after a complete answer it is replayed. A session of another bot is a 404. `verification` is the
 * human check's part (see `ChatSession.openTurn`); "unverified" is returned, not thrown, so the caller
 * can verify a token and call again.
 *
 * @example
 * const opened = await openVisitorTurn(session, bot, chat, { verification: "none", waitUntil });
 */
export async function openVisitorTurn(
  session: VisitorSession,
  bot: Bot,
  chat: ChatRequest,
  options: { verification: "none" | "required" | "passed"; waitUntil: (promise: Promise<unknown>) => void },
): Promise<OpenedVisitorTurn | "unverified"> {
  const userMessageId = chat.messageId ?? crypto.randomUUID();
  const opened = await session.store.openTurn({
    botId: bot.id,
    messageId: userMessageId,
    text: chat.text,
    maxUserMessages: bot.limits.maxTurnsPerSession ?? DEFAULT_MAX_TURNS_PER_SESSION,
    now: Date.now(),
    verification: options.verification,
    history: HISTORY_LIMITS,
    recentAnswers: bot.handoffWebhookUrl ? 2 : 0,
  });
  switch (opened.kind) {
    case "wrong_bot":
      throw new HttpError(404, "session_not_found", "No such conversation for this bot.");
    case "unverified":
      return "unverified";
    case "busy":
      throw new HttpError(409, "turn_in_progress", "This message is being answered right now.");
    case "full":
      throw new HttpError(413, "conversation_too_long", "This conversation has reached its length limit. Please start a new conversation.");
  }
  const takeover = opened.handoff;
  const offer = bot.handoffWebhookUrl && takeover.state === "none" && shouldOfferHandoff(chat.text, opened.recentAnswers);
  const handoff = offer ? [handoffOfferChunk()] : [];
  // The inbox flags a conversation where a person was offered (beside the turn, never before the model).
  if (handoff.length > 0 && session.db) options.waitUntil(markNeedsPerson(session.db, bot.id, session.sessionId, Date.now(), "offered").catch(() => {}));
  if (opened.kind === "answered") return { turn: { userMessageId, answered: opened.answer }, history: [], handoff, verified: opened.verified, takeover };
  // A conversation counts (in stats) from its first stored message; the D1 index is written beside the turn.
  if (session.isNew) options.waitUntil(recordNewSession(session.db, session.botId, session.sessionId, Date.now()));
  return {
    turn: { userMessageId },
    history: opened.history.map((message) => ({ role: message.role, content: message.text })),
    handoff,
    verified: opened.verified,
    takeover,
  };
}

/**
 * The answer to a visitor's message while a person has the conversation: no model call, no text. The
 * stream says who has it (`start` metadata `takeover`), so the widget shows the message as sent and waits
 * for the person's reply on its live channel.
 */
export function answerWhileTakenOver(takeover: HandoffState, prelude: UIMessageChunk[]): Response {
  return streamStoredAnswer({ messageId: crypto.randomUUID(), text: "", metadata: { model: "none", source: "takeover", takeover } }, prelude);
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
  await Promise.all([
    session.store.recordAnswer({
      replyTo: turn.userMessageId,
      messageId,
      outcome: { status: "complete", text, sources: [], files: [], metadata },
      now: Date.now(),
    }),
    endUnansweredLiveTurn(session, turn),
  ]);
  return streamStoredAnswer({ messageId, text, metadata }, prelude);
}

/** Closes the live turn `openVisitorTurn` opened for a message that gets no model answer after all. */
export async function endUnansweredLiveTurn(session: VisitorSession, turn: VisitorTurn): Promise<void> {
  await session.store.appendLive(turn.userMessageId, "", true);
}
