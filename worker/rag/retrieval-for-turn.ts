import type { EdgechatEnv } from "../env";
import type { ModelSet } from "../models/model-set";
import { vectorIndexFromEnv } from "../vector/vector-index-from-env";
import { retrievePassages, type Passage, type RetrievalOptions } from "./retrieve-passages";

/**
 * The retrieval step of a chat turn, bound to the worker's configuration: the vector index from
 * env, the model set's embedder, D1's keyword index and the score threshold
 * (EDGECHAT_RETRIEVAL_MIN_SCORE). Undefined when retrieval is not configured (no embedder or no
 * index), so the turn runs ungrounded.
 *
 * @example
 * streamChatTurn({ ..., retrieve: retrievalForTurn(env, models, { botId: bot.id, question }) });
 */
export function retrievalForTurn(
  env: EdgechatEnv,
  models: ModelSet,
  options: Pick<RetrievalOptions, "botId" | "question" | "history">,
): (() => Promise<Passage[]>) | undefined {
  if (!models.embedding || !models.embeddingDimensions) return undefined;
  const embedding = models.embedding;
  const dimensions = models.embeddingDimensions;
  return async () => {
    const index = vectorIndexFromEnv(env, dimensions);
    if (!index) return Promise.reject(new Error("No vector index is bound (VECTORIZE or VECTOR_INDEX)."));
    return retrievePassages({ index, embedding, db: env.DB }, {
      ...options,
      minScore: minScoreFromEnv(env, models.source),
      // The offline embedder is lexical: a match without a shared word is noise.
      requireSharedTerms: models.source === "offline",
    });
  };
}

/** EDGECHAT_RETRIEVAL_MIN_SCORE, or a default that suits the embedder (hashed offline vectors score lower: 0.15, measured with npm run eval:rag). */
export function minScoreFromEnv(env: EdgechatEnv, source: ModelSet["source"]): number {
  const value = Number(env.EDGECHAT_RETRIEVAL_MIN_SCORE);
  if (env.EDGECHAT_RETRIEVAL_MIN_SCORE && Number.isFinite(value)) return value;
  return source === "openai" ? 0.35 : 0.15;
}
