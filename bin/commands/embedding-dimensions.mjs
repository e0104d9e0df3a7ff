// The one table the deploy command reads to size the Vectorize index: the dimensions of the embedding
// model each provider uses by default. It must agree with the worker's modelsFromEnv
// (worker/models/model-set.ts); embedding-dimensions.test.ts checks that it does.

/** provider → its default embedding model and that model's dimensions. */
export const EMBEDDING_DEFAULTS = {
  offline: { model: "offline-hashing", dimensions: 384 },
  openai: { model: "text-embedding-3-small", dimensions: 1536 },
  "workers-ai": { model: "@cf/baai/bge-base-en-v1.5", dimensions: 768 },
};

/** Known models' dimensions, for an EDGECHAT_EMBEDDING_MODEL other than the provider's default. */
const MODEL_DIMENSIONS = {
  "text-embedding-3-small": 1536,
  "text-embedding-3-large": 3072,
  "text-embedding-ada-002": 1536,
  "@cf/baai/bge-small-en-v1.5": 384,
  "@cf/baai/bge-base-en-v1.5": 768,
  "@cf/baai/bge-large-en-v1.5": 1024,
};

/** Vectorize's upper limit for an index's dimensions. */
const MAX_DIMENSIONS = 1536;

/**
 * The dimensions the Vectorize index needs for this configuration: EDGECHAT_EMBEDDING_DIMENSIONS when
 * set (the worker asks OpenAI for vectors of that length), else the model's own dimensions.
 *
 * @example
 * embeddingDimensionsFor({ provider: "openai" }) // { model: "text-embedding-3-small", dimensions: 1536 }
 * @param {{ provider: string, model?: string, dimensions?: string }} settings
 * @returns {{ model: string, dimensions: number }}
 */
export function embeddingDimensionsFor({ provider, model, dimensions }) {
  const defaults = EMBEDDING_DEFAULTS[provider];
  if (!defaults) throw new Error(`Unknown provider ${JSON.stringify(provider)}: use one of ${Object.keys(EMBEDDING_DEFAULTS).join(", ")}.`);
  const chosenModel = model || defaults.model;
  if (dimensions !== undefined && dimensions !== "") {
    const parsed = Number(dimensions);
    if (!Number.isInteger(parsed) || parsed < 8 || parsed > MAX_DIMENSIONS) {
      throw new Error(`EDGECHAT_EMBEDDING_DIMENSIONS must be an integer from 8 to ${MAX_DIMENSIONS}, got ${JSON.stringify(dimensions)}.`);
    }
    return { model: chosenModel, dimensions: parsed };
  }
  const known = chosenModel === defaults.model ? defaults.dimensions : MODEL_DIMENSIONS[chosenModel];
  if (!known) {
    throw new Error(`edgechat does not know the dimensions of the embedding model ${JSON.stringify(chosenModel)}: set EDGECHAT_EMBEDDING_DIMENSIONS in your wrangler config vars.`);
  }
  if (known > MAX_DIMENSIONS) {
    throw new Error(`${chosenModel} makes ${known}-dimension vectors; Vectorize allows at most ${MAX_DIMENSIONS}. Set EDGECHAT_EMBEDDING_DIMENSIONS=1536 (OpenAI shortens text-embedding-3 vectors on request).`);
  }
  return { model: chosenModel, dimensions: known };
}
