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

/**
 * ROC AUC of a score that should be higher for positives: the chance that a random positive scores
 * above a random negative (ties count half). 0.5 is no separation, 1 perfect.
 *
 * @example
 * rocAuc([0.9, 0.4], [0.5, 0.1]) // 0.75
 */
export function rocAuc(positives, negatives) {
  if (positives.length === 0 || negatives.length === 0) throw new Error("ROC AUC needs positives and negatives.");
  let wins = 0;
  for (const p of positives) for (const n of negatives) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (positives.length * negatives.length);
}

/**
 * The value below which a share `q` (0…1) of the scores lie (nearest rank).
 *
 * @example
 * quantile([3, 1, 2, 4], 0.5) // 2
 */
export function quantile(scores, q) {
  if (scores.length === 0) throw new Error("No scores.");
  const sorted = [...scores].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
