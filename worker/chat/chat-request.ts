import { HttpError } from "../http/http-error";

export const CHAT_LIMITS = {
  /** Largest request body: generous enough for an AI SDK client that sends its whole history. */
  maxBodyBytes: 256 * 1024,
  maxDepth: 32,
  /** Largest user message, in UTF-8 bytes. */
  maxMessageBytes: 8 * 1024,
  /** Most messages a client may send (only the newest user message is used). */
  maxMessages: 500,
  maxIdLength: 128,
  /** Hard cap on the tokens of one answer. */
  maxOutputTokens: 1024,
} as const;

/** What the worker takes from a chat request: the newest user message and the identifiers around it. */
export interface ChatRequest {
  /** Conversation id chosen by the client (the AI SDK's chat id). */
  chatId: string | undefined;
  botId: string | undefined;
  /** The user message's client-side id, when given. */
  messageId: string | undefined;
  text: string;
}

/**
 * Validates the body that the AI SDK's DefaultChatTransport sends (`{ id, messages, trigger, messageId }`)
 * plus edgechat's own fields, and returns only the newest user message: the history a model sees
 * never comes from the client.
 */
export function parseChatRequest(body: unknown): ChatRequest {
  if (!isRecord(body)) throw invalid("The request body must be a JSON object.");
  const chatId = optionalId(body.id, "id");
  const botId = optionalId(body.botId, "botId");
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new HttpError(400, "missing_message", "The request must contain a `messages` array with the user's message.");
  }
  if (messages.length > CHAT_LIMITS.maxMessages) {
    throw new HttpError(413, "too_many_messages", `The request carries more than ${CHAT_LIMITS.maxMessages} messages.`);
  }
  const last = messages[messages.length - 1];
  if (!isRecord(last) || last.role !== "user") {
    throw new HttpError(400, "missing_message", "The last message must be the user's message (role \"user\").");
  }
  const text = userText(last);
  if (text.trim() === "") throw new HttpError(400, "missing_message", "The user's message is empty.");
  const bytes = new TextEncoder().encode(text).byteLength;
  if (bytes > CHAT_LIMITS.maxMessageBytes) {
    throw new HttpError(
      413,
      "message_too_long",
      `The message is ${bytes} bytes long; the limit is ${CHAT_LIMITS.maxMessageBytes} bytes.`,
    );
  }
  return { chatId, botId, messageId: optionalId(last.id, "messages[].id"), text };
}

function userText(message: Record<string, unknown>): string {
  // UI messages carry `parts`; older clients send `content` as a string.
  if (Array.isArray(message.parts)) {
    return message.parts
      .map((part) => (isRecord(part) && part.type === "text" && typeof part.text === "string" ? part.text : ""))
      .join("");
  }
  if (typeof message.content === "string") return message.content;
  throw new HttpError(400, "missing_message", "The user's message has no text parts.");
}

function optionalId(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.length === 0 || value.length > CHAT_LIMITS.maxIdLength || !/^[\w.:-]+$/.test(value)) {
    throw invalid(`\`${field}\` must be a string of 1 to ${CHAT_LIMITS.maxIdLength} letters, digits, '_', '-', '.' or ':'.`);
  }
  return value;
}

function invalid(message: string): HttpError {
  return new HttpError(400, "invalid_request", message);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
