/**
 * What retrieval tells the router about one question, as plain numbers so the router does not
 * depend on how retrieval is done (Vectorize, the local stand-in, a keyword scorer in the eval).
 * Scores are relevance in [0, 1] as the retriever reports them (cosine similarity for vectors).
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
