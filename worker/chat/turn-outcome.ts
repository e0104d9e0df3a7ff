import type { UIMessageChunk } from "ai";

/** How a turn ended, reported exactly once: complete, stopped by the visitor, or failed. */
export interface TurnOutcome {
  status: "complete" | "stopped" | "failed";
  messageId: string | undefined;
  /** The assistant text that was actually streamed to the visitor. */
  text: string;
  sources: { sourceId: string; url: string; title?: string }[];
  files: { url: string; mediaType: string }[];
  /** Message metadata merged from all chunks that carried some. */
  metadata: Record<string, unknown>;
  /** The error text sent to the visitor, for failed turns. */
  errorText?: string;
}

/**
 * Passes a UI message chunk stream through unchanged while accumulating what the visitor saw, and
 * calls `onEnd` exactly once: when the stream ends ("complete", or "failed" if it carried an error
 * chunk), when the reader cancels it ("stopped": the visitor went away or pressed stop), or when it
 * errors ("failed"). `onEnd`'s promise is handed to `waitUntil` so it finishes after the response.
 *
 * @example
 * const observed = observeTurn(stream, (outcome) => store.record(outcome), ctx.waitUntil.bind(ctx));
 */
export function observeTurn(
  source: ReadableStream<UIMessageChunk>,
  onEnd: (outcome: TurnOutcome) => Promise<void> | void,
  waitUntil: (promise: Promise<unknown>) => void,
  onCancel?: () => void,
): ReadableStream<UIMessageChunk> {
  const reader = source.getReader();
  const outcome: TurnOutcome = { status: "complete", messageId: undefined, text: "", sources: [], files: [], metadata: {} };
  let ended = false;
  const end = (status: TurnOutcome["status"], errorText?: string) => {
    if (ended) return;
    ended = true;
    // An `abort` chunk (the model call was aborted) or an `error` chunk decide over a clean end of stream.
    if (outcome.status !== "stopped") outcome.status = outcome.errorText !== undefined && status === "complete" ? "failed" : status;
    if (errorText !== undefined) outcome.errorText ??= errorText;
    waitUntil(
      Promise.resolve()
        .then(() => onEnd(outcome))
        .catch((error) => console.error("edgechat: recording the turn failed", error)),
    );
  };

  return new ReadableStream<UIMessageChunk>({
    async pull(controller) {
      let result: ReadableStreamReadResult<UIMessageChunk>;
      try {
        result = await reader.read();
      } catch (error) {
        end("failed", error instanceof Error ? error.message : String(error));
        controller.error(error);
        return;
      }
      if (result.done) {
        end("complete");
        controller.close();
        return;
      }
      accumulate(outcome, result.value);
      controller.enqueue(result.value);
    },
    async cancel(reason) {
      end("stopped");
      onCancel?.();
      await reader.cancel(reason).catch(() => {});
    },
  });
}

function accumulate(outcome: TurnOutcome, chunk: UIMessageChunk): void {
  switch (chunk.type) {
    case "start":
      outcome.messageId ??= chunk.messageId;
      mergeMetadata(outcome, chunk.messageMetadata);
      break;
    case "text-delta":
      outcome.text += chunk.delta;
      break;
    case "source-url":
      outcome.sources.push({ sourceId: chunk.sourceId, url: chunk.url, title: chunk.title });
      break;
    case "file":
      outcome.files.push({ url: chunk.url, mediaType: chunk.mediaType });
      break;
    case "message-metadata":
    case "finish":
      mergeMetadata(outcome, chunk.messageMetadata);
      break;
    case "error":
      outcome.errorText ??= chunk.errorText;
      break;
    case "abort":
      outcome.status = "stopped";
      break;
  }
}

function mergeMetadata(outcome: TurnOutcome, metadata: unknown): void {
  if (typeof metadata === "object" && metadata !== null) Object.assign(outcome.metadata, metadata);
}
