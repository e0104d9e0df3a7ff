/**
 * Reciprocal rank fusion (Cormack, Clarke & Büttcher, 2009): each item scores Σ 1 / (k + rank)
 * over the rankings it appears in, so items ranked well by several retrievers rise to the top
 * without having to calibrate their scores against each other.
 *
 * @example
 * fuseRankings([["a", "b"], ["b", "c"]]) // ["b", "a", "c"]
 */
export function fuseRankings(rankings: readonly (readonly string[])[], k = 60): string[] {
  const scores = new Map<string, number>();
  for (const ranking of rankings) {
    ranking.forEach((key, rank) => scores.set(key, (scores.get(key) ?? 0) + 1 / (k + rank + 1)));
  }
  // Ties keep first-seen order (Map iteration order), so the result is deterministic.
  return [...scores.entries()].sort((a, b) => b[1] - a[1]).map(([key]) => key);
}
