import type { Passage } from "../rag/retrieve-passages";

/**
 * What retrieval tells the router about one question, as plain numbers so the router does not
 * depend on how retrieval is done (Vectorize, the local stand-in, a keyword scorer in the eval).
 * Scores are relevance in [0, 1] as the retriever reports them: in the worker, the vector similarity
 * of each retrieved passage (see `retrievalSignalsFromPassages`).
 */
export interface RetrievalSignals {
  /** Whether retrieval ran for this turn at all. When false the other fields carry no information. */
  searched: boolean;
  /** Best passage score, 0 when nothing was found. */
  topScore: number;
  /** Second-best passage score, 0 when fewer than two passages were found. */
  secondScore: number;
  /** Passages at or above the retriever's own relevance threshold (the ones that go into the prompt). */
  passagesAboveThreshold: number;
}

/**
 * "No retrieval ran": the router then decides from the question, the conversation and the policy alone.
 * The chat route passes this until retrieval is wired in.
 */
export const NO_RETRIEVAL: RetrievalSignals = Object.freeze({
  searched: false,
  topScore: 0,
  secondScore: 0,
  passagesAboveThreshold: 0,
});

/**
 * Builds the signals from the scores of the passages retrieval returned (any order).
 *
 * @example
 * retrievalSignalsFromScores([0.82, 0.41, 0.2], 0.5) // { searched: true, topScore: 0.82, secondScore: 0.41, passagesAboveThreshold: 1 }
 */
export function retrievalSignalsFromScores(scores: readonly number[], threshold: number): RetrievalSignals {
  let top = 0;
  let second = 0;
  let above = 0;
  for (const raw of scores) {
    const score = Number.isFinite(raw) ? raw : 0;
    if (score >= threshold) above++;
    if (score > top) {
      second = top;
      top = score;
    } else if (score > second) second = score;
  }
  return { searched: true, topScore: top, secondScore: second, passagesAboveThreshold: above };
}

/**
 * The router's signals from the passages a chat turn retrieved (worker/rag/retrieve-passages.ts),
 * used by the chat turn and by `npm run eval:routing` alike. The confidence measure is each
 * passage's vector similarity (`Passage.score`): it is absolute, while the fused ranking score is
 * divided by each question's best hit and so reads about the same for every question. A keyword-only
 * passage (no vector match at or above the retrieval threshold) counts 0. Measured with the offline
 * embedder (`npm run calibrate:retrieval`), the top similarity separates questions the docs answer from
 * out-of-scope ones with ROC AUC 0.87; with the earlier spelling-only embedder it also beat the passage
 * count (0.86) and the number of passages found (0.83).
 *
 * @example
 * retrievalSignalsFromPassages([{ ...passage, score: 0.42 }, { ...keywordOnlyPassage, score: undefined }], 0.15)
 * // { searched: true, topScore: 0.42, secondScore: 0, passagesAboveThreshold: 1 }
 */
export function retrievalSignalsFromPassages(passages: readonly Pick<Passage, "score">[], threshold: number): RetrievalSignals {
  return retrievalSignalsFromScores(passages.map((passage) => passage.score ?? 0), threshold);
}
