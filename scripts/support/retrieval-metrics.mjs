// Retrieval quality metrics for `npm run eval:rag`, kept apart so a test can check them on rankings
// with known answers.

/**
 * The 1-based rank of `id` in `ranking`, or Infinity when it is not there.
 *
 * @example
 * rankOf(["a", "b"], "b") // 2
 */
export function rankOf(ranking, id) {
  const index = ranking.indexOf(id);
  return index < 0 ? Infinity : index + 1;
}

/**
 * recall@1, recall@5 and mean reciprocal rank of the ranks of the right document (one per
 * question; Infinity when it was not retrieved, which counts 0 towards MRR).
 *
 * @example
 * retrievalMetrics([1, 2, Infinity]) // { recallAt1: 1/3, recallAt5: 2/3, mrr: 0.5 }
 */
export function retrievalMetrics(ranks) {
  const n = ranks.length;
  if (n === 0) throw new Error("No questions to score.");
  return {
    recallAt1: ranks.filter((rank) => rank <= 1).length / n,
    recallAt5: ranks.filter((rank) => rank <= 5).length / n,
    mrr: ranks.reduce((sum, rank) => sum + (Number.isFinite(rank) ? 1 / rank : 0), 0) / n,
  };
}
