// A Worker for `npm run bench` (scripts/bench/worker-bench.mjs), run in workerd through Miniflare:
// the whole edgechat worker with zero-latency models, next to a bare AI SDK `streamText` worker as the
// baseline. Both answer from the same zero-latency chat model, so the difference between their time to
// the first text delta is edgechat's own work (doors, session store, retrieval, prompt, tee to the session).
import { streamText } from "ai";
import type { LanguageModelV3, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { createEdgechatWorker } from "../create-edgechat-worker";
import type { EdgechatEnv } from "../env";
import { createOfflineEmbeddingModel, OFFLINE_EMBEDDING_DIMENSIONS } from "../models/offline-embedding-model";
import { bundledWordVectors } from "./bundled-word-vectors";

export { ChatSession } from "../sessions/chat-session";
export { LocalVectorIndex } from "../vector/local-vector-index";

/** Words of the answer the zero-latency model streams, one delta each. */
const ANSWER_WORDS = 200;

/**
 * A chat model that answers at once: every part of its stream is already queued when doStream returns.
 * Nothing waits on a network or a clock, so what a turn costs on top of it is the worker's own work.
 */
export function createZeroLatencyChatModel(modelId = "zero-latency"): LanguageModelV3 {
  const parts = (): LanguageModelV3StreamPart[] => [
    { type: "stream-start", warnings: [] },
    { type: "text-start", id: "t" },
    ...Array.from({ length: ANSWER_WORDS }, (_, i): LanguageModelV3StreamPart => ({ type: "text-delta", id: "t", delta: `word${i} ` })),
    { type: "text-end", id: "t" },
    {
      type: "finish",
      finishReason: { unified: "stop", raw: "stop" },
      usage: {
        inputTokens: { total: 100, noCache: 100, cacheRead: 0, cacheWrite: 0 },
        outputTokens: { total: ANSWER_WORDS, text: ANSWER_WORDS, reasoning: 0 },
      },
    },
  ];
  return {
    specificationVersion: "v3",
    provider: "bench",
    modelId,
    supportedUrls: {},
    async doGenerate() {
      throw new Error("The bench model only streams.");
    },
    async doStream() {
      const queued = parts();
      return {
        stream: new ReadableStream<LanguageModelV3StreamPart>({
          start(controller) {
            for (const part of queued) controller.enqueue(part);
            controller.close();
          },
        }),
      };
    },
  };
}

// "custom" source: retrieval as in production (vector and keyword search fused, threshold), with the
// offline embedder standing in for a remote one: it computes locally and never waits on a network.
const edgechat = createEdgechatWorker({
  models: {
    chat: createZeroLatencyChatModel(),
    embedding: createOfflineEmbeddingModel({ dimensions: OFFLINE_EMBEDDING_DIMENSIONS, wordVectors: bundledWordVectors() }),
    embeddingDimensions: OFFLINE_EMBEDDING_DIMENSIONS,
    source: "custom",
  },
});

/** The same worker without an embedder: its turns skip retrieval, which separates retrieval's cost from the rest. */
const edgechatWithoutRetrieval = createEdgechatWorker({ models: { chat: createZeroLatencyChatModel(), source: "custom" } });

const baselineModel = createZeroLatencyChatModel();

export default {
  async fetch(request: Request, env: EdgechatEnv, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/baseline/chat") {
      // The baseline: the AI SDK's own minimal chat endpoint, nothing else.
      const { question } = (await request.json()) as { question: string };
      return streamText({ model: baselineModel, messages: [{ role: "user", content: question }] }).toUIMessageStreamResponse();
    }
    if (url.pathname.startsWith("/no-retrieval/")) {
      const inner = new Request(new URL(url.pathname.slice("/no-retrieval".length), url), request);
      return edgechatWithoutRetrieval.fetch!(inner as Request<unknown, IncomingRequestCfProperties>, env, ctx);
    }
    return edgechat.fetch!(request as Request<unknown, IncomingRequestCfProperties>, env, ctx);
  },
} satisfies ExportedHandler<EdgechatEnv>;
