import type { KeywordIndex, ScoredDocument } from "./keyword-index";
import { termsOf } from "./text-tokens";

/** How pseudo-relevance feedback expands a question. */
export interface ExpansionSettings {
  /** Top documents of the first pass taken as (pseudo-)relevant. */
  feedbackDocuments: number;
  /** Expansion terms added to the question. */
  expansionTerms: number;
  /** Weight of the expansion ranking next to the first pass (RM3's 1 − λ). */
  weight: number;
  /** Expand only when the first pass's best document leads the second by less than this share of its score (1: always). */
  maxLead: number;
  /**
   * Documents the expansion re-weights: the first pass's best this many (plus those the caller names, e.g.
   * those with a matching passage). The rest keep their first-pass score: on a bot with thousands of
   * documents, scoring all of them for every expansion term was most of a turn's retrieval time.
   */
  rerankDocuments: number;
}

/**
 * Measured with `npm run eval:rag` on the four development sets (flat for weights 0.15–0.25 and leads 0.2–0.3).
 * Eight expansion terms rank as sixteen did (same recall@1 and recall@5 on every set; MRR equal on three, 0.754 →
 * 0.753 on acme-paraphrased, as with ten) for half the expansion's per-term FTS5 rankings, which on a bot
 * with thousands of documents were the largest cost on the turn's keyword chain (docs/edge-latency.md).
 */
export const DEFAULT_EXPANSION: ExpansionSettings = { feedbackDocuments: 3, expansionTerms: 8, weight: 0.2, maxLead: 0.2, rerankDocuments: 50 };

/**
 * Relevance-model term weights (RM1): P(t | R) = Σ_d P(d | q) · tf(t, d) / |d| over the feedback
 * documents, with P(d | q) their first-pass scores normalised to sum to 1. Terms of the question
 * itself are left out (they are searched already). Best first.
 *
 * @example
 * feedbackTerms([{ documentId: "a", terms: ["key", "rotat", "revok"] }], [{ documentId: "a", score: 2 }], ["key"], 2)
 * // [{ term: "rotat", weight: 0.5 }, { term: "revok", weight: 0.5 }]
 */
export function feedbackTerms(
  documents: readonly { documentId: string; terms: readonly string[] }[],
  firstPass: readonly ScoredDocument[],
  queryTerms: readonly string[],
  count: number,
): { term: string; weight: number }[] {
  const scoreOf = new Map(firstPass.map((hit) => [hit.documentId, hit.score]));
  const total = documents.reduce((sum, document) => sum + (scoreOf.get(document.documentId) ?? 0), 0);
  if (total <= 0) return [];
  const exclude = new Set(queryTerms);
  const weights = new Map<string, number>();
  for (const document of documents) {
    if (document.terms.length === 0) continue;
    const share = (scoreOf.get(document.documentId) ?? 0) / total / document.terms.length;
    for (const term of document.terms) {
      if (exclude.has(term) || term.length < 3) continue;
      weights.set(term, (weights.get(term) ?? 0) + share);
    }
  }
  // Ties keep first-seen order, so the result is deterministic.
  return [...weights.entries()]
    .map(([term, weight]) => ({ term, weight }))
    .sort((a, b) => b.weight - a.weight)
    .slice(0, count);
}

/**
 * Pseudo-relevance feedback (RM3) for the whole-document keyword ranking, used only when the first
 * pass is undecided (its best document leads the second by less than `maxLead`): the top
 * documents are read back from the keyword index, their most frequent terms (weighted by how
 * strongly each document matched) are searched with the bot's own BM25 statistics, and that
 * ranking is mixed into the first one with a small weight. Among documents that share a few of
 * the question's words, those that also speak the vocabulary of the best matches move up. The
 * re-weighted documents are the first pass's best `rerankDocuments` and `alsoRerank` (of the first
 * pass); the others keep their first-pass score. Returns the first pass unchanged when it is clear or empty.
 *
 * @example
 * const documents = await expandDocumentRanking(new KeywordIndex(env.DB), "demo", "change my key", firstPass);
 */
export async function expandDocumentRanking(
  keywords: KeywordIndex,
  botId: string,
  query: string,
  firstPass: readonly ScoredDocument[],
  settings: ExpansionSettings = DEFAULT_EXPANSION,
  alsoRerank: Iterable<string> = [],
): Promise<ScoredDocument[]> {
  const feedback = firstPass.slice(0, settings.feedbackDocuments);
  if (feedback.length === 0 || settings.weight <= 0) return [...firstPass];
  const lead = feedback.length < 2 ? 1 : (feedback[0]!.score - feedback[1]!.score) / feedback[0]!.score;
  if (lead >= settings.maxLead) return [...firstPass];
  const documents = await keywords.documentTerms(botId, feedback.map((hit) => hit.documentId));
  const terms = feedbackTerms(documents, feedback, termsOf(query), settings.expansionTerms);
  if (terms.length === 0) return [...firstPass];
  // Only the first pass's documents are re-ranked: a document sharing no word with the question
  // stays out (it would have no passage to quote, and the shared-word guard would drop its vectors).
  const inFirstPass = new Set(firstPass.map((hit) => hit.documentId));
  const rerank = new Set(firstPass.slice(0, settings.rerankDocuments).map((hit) => hit.documentId));
  for (const documentId of alsoRerank) if (inFirstPass.has(documentId)) rerank.add(documentId);
  const expanded = await keywords.scoreDocumentsByTerms(botId, terms, [...rerank]);
  return mixRankings(firstPass, expanded, settings.weight);
}

/** `first + weight · second`, the second scaled to the first's best score so the weight means the same for every question. */
export function mixRankings(first: readonly ScoredDocument[], second: readonly ScoredDocument[], weight: number): ScoredDocument[] {
  const firstMax = Math.max(0, ...first.map((hit) => hit.score));
  const secondMax = Math.max(0, ...second.map((hit) => hit.score));
  if (firstMax <= 0 || secondMax <= 0) return [...first];
  const scores = new Map(first.map((hit) => [hit.documentId, hit.score]));
  for (const hit of second) scores.set(hit.documentId, (scores.get(hit.documentId) ?? 0) + (weight * firstMax * hit.score) / secondMax);
  return [...scores.entries()].map(([documentId, score]) => ({ documentId, score })).sort((a, b) => b.score - a.score);
}
