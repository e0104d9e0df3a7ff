import { readServerSentEvents } from "./server-sent-events";

/**
 * The chunks of the AI SDK's UI message stream protocol (v1) that edgechat reads.
 * Unknown chunk types are passed through untouched so newer servers do not break the widget.
 */
export type UIMessageChunk =
  | { type: "start"; messageId?: string; messageMetadata?: unknown }
  | { type: "start-step" }
  | { type: "finish-step" }
  | { type: "text-start"; id: string }
  | { type: "text-delta"; id: string; delta: string }
  | { type: "text-end"; id: string }
  | { type: "reasoning-start" | "reasoning-end"; id: string }
  | { type: "reasoning-delta"; id: string; delta: string }
  | { type: "source-url"; sourceId: string; url: string; title?: string }
  | { type: "source-document"; sourceId: string; mediaType: string; title: string; filename?: string }
  | { type: "file"; url: string; mediaType: string }
  | { type: "tool-input-start"; toolCallId: string; toolName: string }
  | { type: "tool-input-available"; toolCallId: string; toolName: string; input: unknown }
  | { type: "tool-output-available"; toolCallId: string; output: unknown }
  | { type: "tool-output-error"; toolCallId: string; errorText: string }
  | { type: "message-metadata"; messageMetadata: unknown }
  | { type: "error"; errorText: string }
  | { type: "abort"; reason?: string }
  | { type: "finish"; finishReason?: string; messageMetadata?: unknown }
  | { type: `data-${string}`; id?: string; data: unknown; transient?: boolean };

/**
 * Reads a UI message stream response body into its chunks, stopping at `[DONE]`.
 *
 * @example
 * for await (const chunk of readUIMessageChunks(response.body!)) if (chunk.type === "text-delta") write(chunk.delta);
 */
export async function* readUIMessageChunks(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<UIMessageChunk> {
  for await (const data of readServerSentEvents(body, signal)) {
    if (data === "[DONE]") return;
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      continue; // a malformed event is skipped, not fatal
    }
    if (typeof chunk === "object" && chunk !== null && typeof (chunk as { type?: unknown }).type === "string") {
      yield chunk as UIMessageChunk;
    }
  }
}
