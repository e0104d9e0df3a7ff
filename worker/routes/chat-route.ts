import { streamText } from "ai";
import { readJsonBody } from "../http/read-json-body";
import { STREAMING_HEADERS } from "../http/streaming-headers";
import { CHAT_LIMITS, parseChatRequest } from "../chat/chat-request";
import type { RouteContext } from "./route-context";

export const DEFAULT_SYSTEM_PROMPT =
  "You are a helpful, concise support assistant embedded on a website. Answer in the visitor's language.";

/** Metadata sent with every assistant message on the stream. */
export interface ChatMessageMetadata {
  model: string;
  source: string;
  createdAt: number;
}

/**
 * POST /v1/chat: validates the request, then streams the answer in the AI SDK's
 * UI message stream protocol, so any AI SDK client (useChat) can read it.
 */
export async function handleChat({ request, models }: RouteContext): Promise<Response> {
  const body = await readJsonBody(request, { maxBytes: CHAT_LIMITS.maxBodyBytes, maxDepth: CHAT_LIMITS.maxDepth });
  const chat = parseChatRequest(body);

  const model = models.chat;
  const result = streamText({
    model,
    system: DEFAULT_SYSTEM_PROMPT,
    messages: [{ role: "user", content: chat.text }],
    abortSignal: request.signal,
    maxOutputTokens: 1024,
  });

  return result.toUIMessageStreamResponse({
    headers: STREAMING_HEADERS,
    messageMetadata: ({ part }): ChatMessageMetadata | undefined =>
      part.type === "start"
        ? { model: model.modelId, source: models.source, createdAt: Date.now() }
        : undefined,
    onError: (error) => {
      console.error("edgechat: chat stream failed", error);
      return "The assistant could not finish this answer. Please try again.";
    },
  });
}
