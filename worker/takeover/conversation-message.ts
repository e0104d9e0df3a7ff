import type { StoredMessage } from "../sessions/chat-session";
import type { TranscriptMessage } from "../conversations/conversation-types";
import type { MessageAuthor } from "./handoff-state";

/**
 * A message as the console and the admin API see it live: the conversations contract's TranscriptMessage,
 * with the stored answer's metadata as it is (the transcript's is joined with the turn records).
 */
export type ConversationMessage = Omit<TranscriptMessage, "metadata"> & { metadata?: Record<string, unknown> };

/** Who wrote a stored message: a person's messages carry `metadata.author`; other answers are the AI's. */
export function authorOf(message: Pick<StoredMessage, "role" | "metadata">): MessageAuthor {
  if (message.role === "user") return { kind: "visitor" };
  const author = message.metadata.author as MessageAuthor | undefined;
  return author?.kind === "human" && typeof author.name === "string" ? { kind: "human", name: author.name } : { kind: "ai" };
}

/**
 * A stored message in the contract's shape: text as the visitor saw it, the UI message parts (text,
 * citations, files), and the answer's metadata (tier, model, cost…) for assistant messages.
 *
 * @example
 * const message = toConversationMessage(stored); // { id, role, author: { kind: "ai" }, status, text, parts, metadata }
 */
export function toConversationMessage(message: StoredMessage): ConversationMessage {
  const author = authorOf(message);
  const parts = [
    ...(message.text ? [{ type: "text", text: message.text }] : []),
    ...message.sources.map((source) => ({ type: "source-url", ...source })),
    ...message.files.map((file) => ({ type: "file", ...file })),
  ];
  return {
    id: message.id,
    role: message.role,
    author,
    createdAt: message.createdAt,
    status: message.status,
    text: message.text,
    parts,
    ...(message.role === "assistant" ? { metadata: { ...message.metadata, author } } : {}),
  };
}
