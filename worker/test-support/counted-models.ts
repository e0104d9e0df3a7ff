// Models that count their calls, for tests that prove a turn made no model or embedding call (a refused turn,
// a curated answer, a conversation a person has taken over).
import { MockLanguageModelV3 } from "ai/test";
import { simulateReadableStream } from "ai";
import type { EmbeddingModelV3, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import type { ModelSet } from "../models/model-set";
import { createOfflineEmbeddingModel, OFFLINE_EMBEDDING_DIMENSIONS } from "../models/offline-embedding-model";
import { bundledWordVectors } from "./bundled-word-vectors";

/**
 * A model set whose chat model answers `answer` and whose embedder is the offline one, both counting their
 * calls in `calls` (and reporting each to `onCall`, for tests that log the order of calls).
 *
 * @example
 * const { models, calls } = countedModels();
 * const worker = createEdgechatWorker({ models });
 */
export function countedModels(answer = "The answer.", onCall: (kind: "model" | "embedding") => void = () => {}) {
  const calls = { model: 0, embedding: 0 };
  const model = new MockLanguageModelV3({
    modelId: "counted",
    doStream: async () => {
      calls.model++;
      onCall("model");
      return {
        stream: simulateReadableStream<LanguageModelV3StreamPart>({
          chunks: [
            { type: "text-start", id: "t" },
            { type: "text-delta", id: "t", delta: answer },
            { type: "text-end", id: "t" },
            {
              type: "finish",
              finishReason: { unified: "stop", raw: "stop" },
              usage: { inputTokens: { total: 5, noCache: 5, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 2, text: 2, reasoning: 0 } },
            },
          ],
        }),
      };
    },
  });
  const inner = createOfflineEmbeddingModel({ dimensions: OFFLINE_EMBEDDING_DIMENSIONS, wordVectors: bundledWordVectors() });
  const embedding: EmbeddingModelV3 = {
    specificationVersion: "v3",
    provider: inner.provider,
    modelId: inner.modelId,
    maxEmbeddingsPerCall: inner.maxEmbeddingsPerCall,
    supportsParallelCalls: inner.supportsParallelCalls,
    doEmbed: (options) => {
      calls.embedding++;
      onCall("embedding");
      return inner.doEmbed(options);
    },
  };
  const models: ModelSet = { chat: model, embedding, embeddingDimensions: OFFLINE_EMBEDDING_DIMENSIONS, source: "custom" };
  return { models, model, calls };
}
