import type { EdgechatEnv } from "../env";
import { HttpError } from "../http/http-error";
import type { ChatSession, StoredMessage } from "./chat-session";

/** Hard limits on what one conversation feeds the model. */
export const HISTORY_LIMITS = { maxMessages: 20, maxChars: 16_000 } as const;

/**
 * The Durable Object of one conversation. Its name includes the bot id, so the same session id under
 * another bot is another (empty) object: no id can reach another bot's transcript.
 *
 * @example
 * const session = sessionStub(env, "demo", sessionId);
 * const transcript = await session.messages();
 */
export function sessionStub(env: EdgechatEnv, botId: string, sessionId: string): SessionStore {
  if (!env.CHAT_SESSIONS) {
    throw new HttpError(503, "sessions_unavailable", "Conversations are not configured: bind the CHAT_SESSIONS Durable Object.");
  }
  // The RPC stub's own types recurse through every JSON value; this plain view of the same methods does not.
  return env.CHAT_SESSIONS.get(env.CHAT_SESSIONS.idFromName(`${botId}/${sessionId}`)) as unknown as SessionStore;
}

type SessionMethods =
  | "bind"
  | "openTurn"
  | "beginTurn"
  | "recordAnswer"
  | "messages"
  | "history"
  | "recentAnswers"
  | "isVerified"
  | "markVerified"
  | "markHandedOff"
  | "clearHandoff"
  | "openLiveTurn"
  | "appendLive"
  | "requestStop"
  | "followLive"
  | "erase"
  | "handoffState"
  | "requestHandoff"
  | "takeOver"
  | "release"
  | "postAgentMessage"
  | "followEvents";

/** The session object's methods as the worker calls them (over RPC, so every result is a promise). */
export type SessionStore = {
  [Method in SessionMethods]: (...args: Parameters<ChatSession[Method]>) => Promise<Awaited<ReturnType<ChatSession[Method]>>>;
};

/** Records a new conversation in D1 (for stats); the transcript itself lives in the Durable Object. */
export async function recordNewSession(db: D1Database | undefined, botId: string, sessionId: string, now: number): Promise<void> {
  await db?.prepare("INSERT OR IGNORE INTO sessions (id, bot_id, created_at) VALUES (?, ?, ?)").bind(sessionId, botId, now).run();
}

/** A stored message as an AI SDK UI message (what `GET /v1/sessions/:id/messages` returns). */
export interface TranscriptMessage {
  id: string;
  role: "user" | "assistant";
  parts: (
    | { type: "text"; text: string }
    | { type: "source-url"; sourceId: string; url: string; title?: string }
    | { type: "file"; url: string; mediaType: string }
  )[];
  metadata: Record<string, unknown>;
}

/** Converts the stored transcript to UI messages; the end state of an answer is in `metadata.status`. */
export function toTranscript(messages: StoredMessage[]): TranscriptMessage[] {
  return messages.map((message) => ({
    id: message.id,
    role: message.role,
    parts: [
      ...(message.text ? [{ type: "text" as const, text: message.text }] : []),
      ...message.sources.map((source) => ({ type: "source-url" as const, ...source })),
      ...message.files.map((file) => ({ type: "file" as const, ...file })),
    ],
    metadata: { ...message.metadata, status: message.status, createdAt: message.metadata.createdAt ?? message.createdAt },
  }));
}
