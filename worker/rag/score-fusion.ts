/** What one retriever says about one chunk: its document and a score where higher is better. */
export interface ScoredHit {
  key: string;
  documentId: string;
  score: number;
}

/** How much each kind of evidence counts; the whole-document keyword score counts 1. */
export interface FusionWeights {
  /** Weight of the chunk's own keyword score (the words meet in one passage). */
  chunkKeywords: number;
  /** Weight of the chunk's vector similarity. */
  vector: number;
}

/**
 * Measured with `npm run eval:rag` on the development sets: the whole-document keyword ranking
 * (BM25) is the backbone, the passage's own keyword score breaks ties between documents whose
 * matching words are scattered and those where they meet in one place, and the vectors bring in
 * passages that say the same thing in other words (the offline embedder's word-vector half). Vector
 * weights from 0.45 to 0.8 all beat BM25 on recall@5 and MRR on every set; 0.6 is the middle.
 */
export const DEFAULT_FUSION_WEIGHTS: FusionWeights = { chunkKeywords: 0.5, vector: 0.6 };

/**
 * Score fusion of three retrievers: every chunk scores
 * `document keyword score + w1 · chunk keyword score + w2 · vector score`, each score first divided
 * by the best score of its retriever for this question (so all lie in 0…1 and no retriever's scale
 * dominates). Unlike reciprocal rank fusion, a weak retriever's top rank cannot outvote a strong
 * retriever's clear winner: how far ahead a hit is counts, not only its position. A chunk missing
 * from a retriever's list scores 0 there. A document's passages after its best two are moved
 * behind every other document's passages, so a long document cannot crowd the others out, unless
 * they score CLEAR_LEAD times the best passage of every other document.
 *
 * @example
 * fuseScores({
 *   documents: [{ documentId: "a", score: 9 }, { documentId: "b", score: 3 }],
 *   chunks: [{ key: "b#1", documentId: "b", score: 4 }],
 *   vectors: [{ key: "b#1", documentId: "b", score: 0.4 }],
 * }) // ["b#1", "a#document"]: a 1 + 0, b 3/9 + 0.5 + 0.6
 */
export function fuseScores(
  hits: { documents: readonly { documentId: string; score: number }[]; chunks: readonly ScoredHit[]; vectors: readonly ScoredHit[] },
  weights: FusionWeights = DEFAULT_FUSION_WEIGHTS,
): string[] {
  const documentScore = new Map<string, number>();
  const documentMax = maxScore(hits.documents);
  for (const hit of hits.documents) {
    documentScore.set(hit.documentId, Math.max(documentScore.get(hit.documentId) ?? 0, hit.score / documentMax));
  }
  const scores = new Map<string, { documentId: string; score: number }>();
  const add = (list: readonly ScoredHit[], weight: number) => {
    const max = maxScore(list);
    for (const hit of list) {
      const entry = scores.get(hit.key) ?? { documentId: hit.documentId, score: 0 };
      entry.score += (weight * hit.score) / max;
      scores.set(hit.key, entry);
    }
  };
  add(hits.chunks, weights.chunkKeywords);
  add(hits.vectors, weights.vector);
  // A document found only as a whole gets a key of its own; the caller picks its passage.
  const withPassage = new Set([...scores.values()].map((entry) => entry.documentId));
  for (const hit of hits.documents) if (!withPassage.has(hit.documentId)) scores.set(wholeDocumentKey(hit.documentId), { documentId: hit.documentId, score: 0 });
  // Ties keep first-seen order (Map iteration order), so the result is deterministic.
  const ranked = [...scores.entries()]
    .map(([key, entry]) => ({ key, documentId: entry.documentId, score: entry.score + (documentScore.get(entry.documentId) ?? 0) }))
    .sort((a, b) => b.score - a.score);
  // Every chunk carries its document's score, so one long document could fill every slot; its
  // passages beyond the first PASSAGES_PER_DOCUMENT wait until every other document has had its turn.
  // The best score of any passage of another document: a document's extra passages that beat it by
  // a clear margin are not crowding anything out, they are simply the best quotes there are.
  // `ranked` is sorted, so its first entry is the best passage of all and the first entry of another
  // document the best of the rest: every other document's best is one of these two (linear, instead of
  // a pass over every document for each passage, which cost ~100 ms a turn on a 10k-chunk bot).
  const best = ranked[0];
  const runnerUp = best ? ranked.find((entry) => entry.documentId !== best.documentId) : undefined;
  const bestOfOthers = (documentId: string) => Math.max(0, (documentId === best?.documentId ? runnerUp?.score : best?.score) ?? 0);
  const seen = new Map<string, number>();
  const first: string[] = [];
  const later: string[] = [];
  for (const entry of ranked) {
    const count = (seen.get(entry.documentId) ?? 0) + 1;
    seen.set(entry.documentId, count);
    const clearlyAhead = entry.score >= CLEAR_LEAD * bestOfOthers(entry.documentId);
    (count <= PASSAGES_PER_DOCUMENT || clearlyAhead ? first : later).push(entry.key);
  }
  return [...first, ...later];
}

/**
 * How far ahead of every other document's best passage a document's third (fourth, …) passage must
 * score to keep its place: when one document clearly answers (a plans page for "what plans are
 * there?"), its other passages are better quotes than another document's weak ones.
 */
export const CLEAR_LEAD = 1.25;

/** Passages one document may hold before other documents' passages come first (unless clearly ahead). */
export const PASSAGES_PER_DOCUMENT = 2;

/** The key `fuseScores` gives a document no chunk retriever found. */
export function wholeDocumentKey(documentId: string): string {
  return `${documentId}#document`;
}

function maxScore(list: readonly { score: number }[]): number {
  let max = 0;
  for (const hit of list) max = Math.max(max, hit.score);
  return max > 0 ? max : 1;
}
