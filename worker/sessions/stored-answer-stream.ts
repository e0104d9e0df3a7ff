import { createUIMessageStream, createUIMessageStreamResponse, type UIMessageChunk } from "ai";
import { STREAMING_HEADERS } from "../http/streaming-headers";

export interface StoredAnswer {
  messageId: string;
  text: string;
  sources?: { sourceId: string; url: string; title?: string }[];
  files?: { url: string; mediaType: string }[];
  metadata: Record<string, unknown>;
}

/**
 * Streams an answer that needs no model call (a replay of a stored answer, or the polite refusal over the
 * spending cap) in the same UI message stream protocol as a live turn, so every client reads it the same way.
 *
 * @example
 * return streamStoredAnswer({ messageId, text: "Sorry, no more answers today.", metadata: {} }, [sessionChunk]);
 */
export function streamStoredAnswer(answer: StoredAnswer, prelude: UIMessageChunk[] = []): Response {
  const stream = createUIMessageStream({
    execute: ({ writer }) => {
      for (const chunk of prelude) writer.write(chunk);
      writer.write({ type: "start", messageId: answer.messageId, messageMetadata: answer.metadata });
      if (answer.text) {
        writer.write({ type: "text-start", id: "stored" });
        writer.write({ type: "text-delta", id: "stored", delta: answer.text });
        writer.write({ type: "text-end", id: "stored" });
      }
      for (const source of answer.sources ?? []) writer.write({ type: "source-url", ...source });
      for (const file of answer.files ?? []) writer.write({ type: "file", ...file });
      writer.write({ type: "finish", messageMetadata: answer.metadata });
    },
  });
  return createUIMessageStreamResponse({ stream, headers: STREAMING_HEADERS });
}
