import type { EdgechatEnv } from "../env";
import { createLocalVectorize } from "./local-vectorize";

/**
 * The vector index the worker uses: the `VECTORIZE` binding when it is configured (production),
 * otherwise the `LocalVectorIndex` Durable Object stand-in, created with the embedding model's
 * dimensions. The rest of the code only sees the `Vectorize` interface. Undefined when neither
 * binding exists (retrieval is then off).
 *
 * @example
 * const index = vectorIndexFromEnv(env, 384);
 */
export function vectorIndexFromEnv(env: EdgechatEnv, dimensions: number): Vectorize | undefined {
  if (env.VECTORIZE) return env.VECTORIZE;
  if (!env.VECTOR_INDEX) return undefined;
  const metric = env.EDGECHAT_VECTOR_METRIC || "cosine";
  if (metric !== "cosine" && metric !== "euclidean" && metric !== "dot-product") {
    throw new Error(`EDGECHAT_VECTOR_METRIC must be cosine, euclidean or dot-product, got ${JSON.stringify(metric)}.`);
  }
  return createLocalVectorize(env.VECTOR_INDEX, {
    dimensions,
    metric,
    metadataIndexes: [{ propertyName: "documentId", indexType: "string" }],
  });
}
