import type { EdgechatEnv } from "../env";
import { embedderSourceOf, type ModelSet } from "../models/model-set";
import { vectorIndexFromEnv } from "../vector/vector-index-from-env";
import type { ModelMessage } from "ai";
import { isFollowUp, retrievePassages, type Passage, type RetrievalOptions } from "./retrieve-passages";

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
    return retrievePassages({ index, embedding, db: env.DB }, { ...options, ...retrievalThresholds(env, embedderSourceOf(models)) });
  };
}

/**
 * Starts a chat turn's retrieval now, beside the session work, and returns its pending passages
 * (undefined when retrieval is not configured). A question that stands on its own is searched at once;
 * only a short follow-up waits for `history` (from the session object), since it is searched together
 * with the previous question. A rejection is kept for the turn to handle (it answers ungrounded): the
 * returned promise is marked handled, so a turn refused before it reads the passages logs nothing.
 *
 * @example
 * const passages = startRetrievalForTurn(env, models, { botId: bot.id, question, history: () => opened.then((o) => o.history) });
 */
export function startRetrievalForTurn(
  env: EdgechatEnv,
  models: ModelSet,
  options: Pick<RetrievalOptions, "botId" | "question"> & { history: () => Promise<readonly ModelMessage[]> },
): Promise<Passage[]> | undefined {
  const retrieve = (history: readonly ModelMessage[]) => retrievalForTurn(env, models, { ...options, history })?.();
  if (!models.embedding || !models.embeddingDimensions) return undefined;
  const passages = isFollowUp(options.question) ? options.history().then(retrieve) : retrieve([]);
  const pending = Promise.resolve(passages).then((result) => result ?? []);
  pending.catch(() => {});
  return pending;
}

/**
 * The vector score thresholds of a chat turn's retrieval: `minScore` from EDGECHAT_RETRIEVAL_MIN_SCORE
 * (or the embedder's default), and for the offline embedder a higher bar (0.3) when no document
 * shares a word with the question. Measured over 25 general-knowledge questions against the three
 * example docs folders: such questions' matches that share no word score at most about 0.28 (one
 * exception: "how long should I boil an egg?" against the espresso machine's docs, 0.43), while
 * questions the docs answer have a median top similarity of 0.43 (`npm run calibrate:retrieval`).
 */
export function retrievalThresholds(env: EdgechatEnv, source: ModelSet["source"]): { minScore: number; minScoreWithoutKeywordMatch: number } {
  const minScore = minScoreFromEnv(env, source);
  return { minScore, minScoreWithoutKeywordMatch: source === "offline" ? Math.max(minScore, OFFLINE_MIN_SCORE_WITHOUT_KEYWORD_MATCH) : minScore };
}

export const OFFLINE_MIN_SCORE_WITHOUT_KEYWORD_MATCH = 0.3;

/**
 * EDGECHAT_RETRIEVAL_MIN_SCORE, or a default that suits the embedder's source (`embedderSourceOf(models)`):
 * offline vectors score lower (0.15, measured with npm run eval:rag); OpenAI 0.35; Workers AI's BGE models
 * score unrelated text higher, so 0.5 (an estimate from BGE's published similarity range, not measured here:
 * there is no Workers AI account in this project's tests; tune it with EDGECHAT_RETRIEVAL_MIN_SCORE).
 */
export function minScoreFromEnv(env: EdgechatEnv, source: ModelSet["source"]): number {
  const value = Number(env.EDGECHAT_RETRIEVAL_MIN_SCORE);
  if (env.EDGECHAT_RETRIEVAL_MIN_SCORE && Number.isFinite(value)) return value;
  if (source === "openai") return 0.35;
  if (source === "workers-ai") return 0.5;
  return 0.15;
}
