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
  // One stand-in per binding and shape, as a Vectorize binding is one object: its dimensions are then
  // read once (assertIndexDimensions caches per index object), not on every turn.
  const key = `${dimensions}/${metric}`;
  let byShape = localIndexes.get(env.VECTOR_INDEX);
  if (!byShape) localIndexes.set(env.VECTOR_INDEX, (byShape = new Map()));
  let index = byShape.get(key);
  if (!index) {
    index = createLocalVectorize(env.VECTOR_INDEX, {
      dimensions,
      metric,
      metadataIndexes: [{ propertyName: "documentId", indexType: "string" }],
    });
    byShape.set(key, index);
  }
  return index;
}

const localIndexes = new WeakMap<object, Map<string, Vectorize>>();
