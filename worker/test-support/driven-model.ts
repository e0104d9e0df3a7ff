// A chat model whose stream a test writes part by part, and a reader that stops when the test has seen enough:
// for tests of what happens at a chosen moment of an answer (a reload, a stop, a provider failure).
import { createExecutionContext } from "cloudflare:test";
import { MockLanguageModelV3 } from "ai/test";
import type { LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { createEdgechatWorker } from "../create-edgechat-worker";
import { chatPost, seedBot, testEnv, userMessage, type Chunk } from "./bot-fixtures";

export const mockUsage = {
  inputTokens: { total: 5, noCache: 5, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 4, text: 4, reasoning: 0 },
};

/** A model whose stream the test writes part by part (writes wait for the call); aborting the call errors it, like fetch. */
export function drivenModel() {
  let writer: WritableStreamDefaultWriter<LanguageModelV3StreamPart> | undefined;
  let called: () => void;
  const calledOnce = new Promise<void>((resolve) => (called = resolve));
  let aborted = false;
  const model = new MockLanguageModelV3({
    modelId: "driven",
    doStream: async ({ abortSignal }) => {
      const { readable, writable } = new TransformStream<LanguageModelV3StreamPart, LanguageModelV3StreamPart>();
      writer = writable.getWriter();
      called();
      abortSignal?.addEventListener("abort", () => {
        aborted = true;
        void writer!.abort(new DOMException("aborted", "AbortError")).catch(() => {});
      });
      return { stream: readable };
    },
  });
  return {
    model,
    write: async (part: LanguageModelV3StreamPart) => {
      await calledOnce;
      return writer!.write(part);
    },
    close: async () => {
      await calledOnce;
      return writer!.close();
    },
    wasAborted: () => aborted,
  };
}

export type DrivenModel = ReturnType<typeof drivenModel>;

export const delta = (text: string): LanguageModelV3StreamPart => ({ type: "text-delta", id: "t", delta: text });

/** Ends the driven model's answer with `lastText`, a finish part with usage, and the end of its stream. */
export async function finishDriven(driven: DrivenModel, lastText: string) {
  await driven.write(delta(lastText));
  await driven.write({ type: "text-end", id: "t" });
  await driven.write({ type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage: mockUsage });
  await driven.close();
}

/** Reads SSE events from a reader until `until` says stop (or the stream ends); returns the parsed chunks. */
export async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, until: (chunks: Chunk[]) => boolean): Promise<Chunk[]> {
  const decoder = new TextDecoder();
  let text = "";
  const parse = () =>
    text
      .split("\n\n")
      .map((event) => event.replace(/^data: /, ""))
      .filter((data) => data && data !== "[DONE]")
      .flatMap((data) => {
        try {
          return [JSON.parse(data) as Chunk];
        } catch {
          return [];
        }
      });
  while (!until(parse())) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return parse();
}

/**
 * Starts a chat with a new bot whose model the test drives, and returns once the visitor has read the
 * `start` part (before any text): the model, the worker, the request's execution context, the visitor's
 * reader and the session the stream opened.
 */
export async function openDrivenChat(question: string) {
  const { bot } = await seedBot();
  const driven = drivenModel();
  const worker = createEdgechatWorker({ models: { chat: driven.model, source: "custom" } });
  const ctx = createExecutionContext();
  const response = await worker.fetch!(chatPost({ botId: bot.id, messages: [userMessage(question)] }) as never, testEnv, ctx);
  const reader = response.body!.getReader();
  const opening = await readUntil(reader, (chunks) => chunks.some((chunk) => chunk.type === "start"));
  const session = opening.find((chunk) => chunk.type === "data-session")!.data as { sessionId: string; token: string };
  return { bot, driven, worker, ctx, reader, session };
}
