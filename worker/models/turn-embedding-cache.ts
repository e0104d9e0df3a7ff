import type { EmbeddingModelV3 } from "@ai-sdk/provider";
import type { ModelSet } from "./model-set";

/**
 * The model set of one chat turn, whose embedder embeds each distinct text once: the curated-answer lookup
 * and retrieval both embed the visitor's question, and the provider is called (and billed) only for the
 * first. A repeated text is answered from memory with `usage.tokens = 0`. Build one per turn, never share it.
 *
 * @example
 * const turnModels = withTurnEmbeddingCache(models);
 */
export function withTurnEmbeddingCache(models: ModelSet): ModelSet {
  if (!models.embedding) return models;
  return { ...models, embedding: cachingEmbedder(models.embedding) };
}

function cachingEmbedder(model: EmbeddingModelV3): EmbeddingModelV3 {
  const cache = new Map<string, Promise<number[]>>();
  return {
    specificationVersion: "v3",
    provider: model.provider,
    modelId: model.modelId,
    maxEmbeddingsPerCall: model.maxEmbeddingsPerCall,
    supportsParallelCalls: model.supportsParallelCalls,
    async doEmbed(options) {
      const missing = [...new Set(options.values.filter((value) => !cache.has(value)))];
      let result: Awaited<ReturnType<EmbeddingModelV3["doEmbed"]>> | undefined;
      if (missing.length > 0) {
        const call = Promise.resolve(model.doEmbed({ ...options, values: missing }));
        missing.forEach((value, i) => {
          const embedding = call.then((r) => r.embeddings[i]! as number[]);
          // The caller awaits `call` itself; a rejected entry must not surface as an unhandled rejection.
          embedding.catch(() => {});
          cache.set(value, embedding);
        });
        // A failed call is not remembered: the next caller tries again.
        call.catch(() => missing.forEach((value) => cache.delete(value)));
        result = await call;
      }
      const embeddings = await Promise.all(options.values.map((value) => cache.get(value)!));
      return { ...(result ?? { warnings: [] }), embeddings, usage: { tokens: result?.usage?.tokens ?? 0 } };
    },
  };
}
