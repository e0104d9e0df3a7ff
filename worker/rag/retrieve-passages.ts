import { embed, type ModelMessage } from "ai";
import type { EmbeddingModelV3 } from "@ai-sdk/provider";
import { namespaceForBot } from "../bots/bot-namespace";
import { assertIndexDimensions } from "./embedding-dimensions";
import type { ChunkFields, ChunkMetadata } from "./ingest-documents";
import { KeywordIndex, type KeywordChunk, type KeywordHit, type ScoredDocument } from "./keyword-index";
import { DEFAULT_EXPANSION, expandDocumentRanking } from "./query-expansion";
import { fuseScores, wholeDocumentKey, type FusionWeights, type ScoredHit } from "./score-fusion";
import { isStopword, words } from "./text-tokens";

/** One retrieved chunk, ready to be quoted in a prompt. */
export interface Passage extends ChunkFields {
  /** Vector similarity when the vector search found it (undefined for keyword-only hits). */
  score?: number;
}

export interface RetrievalDependencies {
  index: Vectorize;
  embedding: EmbeddingModelV3;
  /** D1 with the keyword index; without it retrieval is vector-only. */
  db?: D1Database;
}

export interface RetrievalOptions {
  botId: string;
  question: string;
  /** Earlier messages, used to give a short follow-up question its context. */
  history?: readonly ModelMessage[];
  /** Passages to return (default 5). */
  topK?: number;
  /** Lowest vector similarity that counts as relevant (default 0.15). */
  minScore?: number;
  /** Candidates taken from each retriever before fusion (default 20; Vectorize allows 20 with metadata). */
  candidates?: number;
  /**
   * Lowest vector similarity that counts when no document shares a word with the question (default:
   * `minScore`). With no keyword evidence at all only a clearly similar passage is an answer; for the
   * offline embedder this keeps off-topic questions ("who won the 1998 world cup?") from being
   * answered out of loosely related docs.
   */
  minScoreWithoutKeywordMatch?: number;
  /** How much passage keyword and vector evidence count next to the whole-document keyword score (default DEFAULT_FUSION_WEIGHTS). */
  fusionWeights?: FusionWeights;
}

/**
 * Hybrid retrieval for one question in one bot's namespace: the question (with the previous user
 * message when it is a short follow-up) is embedded and searched in the vector index; vector
 * matches below `minScore` are dropped (below `minScoreWithoutKeywordMatch` when no document shares a
 * word with the question); the bot's FTS5 keyword index ranks its chunks and, with
 * the bot's own BM25 statistics, its whole documents (re-ranked by pseudo-relevance feedback when the
 * first pass is undecided: `expandDocumentRanking`); the three are fused by score (`fuseScores`:
 * whole-document BM25 first, passage keyword and vector evidence added). Failures of the vector index or the embedding
 * model are thrown (the caller answers without sources); a failing keyword index only degrades
 * retrieval to vector-only.
 *
 * @example
 * const passages = await retrievePassages({ index, embedding, db: env.DB }, { botId: "demo", question: "How do I rotate an API key?" });
 */
export async function retrievePassages(deps: RetrievalDependencies, options: RetrievalOptions): Promise<Passage[]> {
  const topK = options.topK ?? 5;
  const candidates = Math.min(options.candidates ?? 20, 20);
  const minScore = options.minScore ?? 0.15;
  const minScoreWithoutKeywordMatch = options.minScoreWithoutKeywordMatch ?? minScore;
  const queryText = withFollowUpContext(options.question, options.history ?? []);

  // The keyword side (chunk search, document ranking, its expansion and the opening passages of the
  // likely whole-document answers) runs as one chain beside embedding and vector query, so its D1
  // round trips stay off the turn's critical path.
  const keywords = deps.db ? new KeywordIndex(deps.db) : undefined;
  let keywordSearchRan = keywords !== undefined;
  const keywordSide = keywords
    ? keywordEvidence(keywords, options.botId, queryText, candidates, topK).catch((error: unknown) => {
        console.error("edgechat: keyword search failed; using vector search only", error);
        keywordSearchRan = false;
        return NO_KEYWORD_EVIDENCE;
      })
    : Promise.resolve(NO_KEYWORD_EVIDENCE);
  // The bot id tags the call for AI Gateway's metadata (worker/models/ai-gateway.ts); other providers ignore it.
  const { embedding } = await embed({ model: deps.embedding, value: queryText, maxRetries: 1, providerOptions: { edgechat: { bot: options.botId, tier: "embedding" } } });
  await assertIndexDimensions(deps.index, embedding.length);
  const { matches } = await deps.index.query(embedding, {
    topK: candidates,
    namespace: namespaceForBot(options.botId),
    returnMetadata: "all",
  });
  const { chunkHits, firstPassDocuments, documentHits, documentPassages } = await keywordSide;
  // The stricter bar needs a keyword search that ran and found nothing, not one that failed.
  const noKeywordMatch = keywordSearchRan && chunkHits.length === 0 && firstPassDocuments.length === 0;
  const vectorThreshold = noKeywordMatch ? Math.max(minScore, minScoreWithoutKeywordMatch) : minScore;
  const byKey = new Map<string, Passage>();
  const vectorHits: ScoredHit[] = [];
  for (const match of matches) {
    const metadata = match.metadata as ChunkMetadata | undefined;
    if (!metadata || typeof metadata.text !== "string" || match.score < vectorThreshold) continue;
    const key = `${metadata.documentId}#${metadata.chunkIndex}`;
    byKey.set(key, {
      documentId: metadata.documentId,
      chunkIndex: metadata.chunkIndex,
      title: metadata.title,
      url: metadata.url,
      heading: metadata.heading,
      text: metadata.text,
      score: match.score,
    });
    vectorHits.push({ key, documentId: metadata.documentId, score: match.score });
  }
  // FTS5's bm25() is lower-is-better (negative); the fusion wants higher-is-better.
  const chunkKeywordHits: ScoredHit[] = chunkHits.map((hit) => {
    const key = `${hit.documentId}#${hit.chunkIndex}`;
    if (!byKey.has(key)) byKey.set(key, passageOf(hit));
    return { key, documentId: hit.documentId, score: -hit.rank };
  });
  const top = fuseScores({ documents: documentHits, chunks: chunkKeywordHits, vectors: vectorHits }, options.fusionWeights).slice(0, topK);
  // Documents that only matched as a whole are quoted from their opening passage (read beside the
  // vector query for the likely ones; any other is read now).
  const wholeDocuments = top.filter((key) => !byKey.has(key)).map((key) => key.slice(0, key.lastIndexOf("#")));
  const unread = wholeDocuments.filter((documentId) => !documentPassages.asked.has(documentId));
  const rows = [...documentPassages.rows];
  if (keywords && unread.length > 0) {
    rows.push(
      ...(await keywords.documentPassages(options.botId, unread).catch((error: unknown) => {
        console.error("edgechat: reading whole-document passages failed", error);
        return [];
      })),
    );
  }
  for (const row of rows) if (wholeDocuments.includes(row.documentId)) byKey.set(wholeDocumentKey(row.documentId), passageOf({ ...row, rank: 0 }));
  return top.filter((key) => byKey.has(key)).map((key) => byKey.get(key)!);
}

function passageOf(hit: KeywordHit): Passage {
  return { documentId: hit.documentId, chunkIndex: Number(hit.chunkIndex), title: hit.title, url: hit.url, heading: hit.heading, text: hit.body };
}

interface KeywordEvidence {
  chunkHits: KeywordHit[];
  firstPassDocuments: ScoredDocument[];
  documentHits: ScoredDocument[];
  /** Opening passages of the best documents without a chunk hit, and which documents were asked for. */
  documentPassages: { rows: KeywordChunk[]; asked: Set<string> };
}

const NO_KEYWORD_EVIDENCE: KeywordEvidence = { chunkHits: [], firstPassDocuments: [], documentHits: [], documentPassages: { rows: [], asked: new Set() } };

/**
 * The keyword side of retrieval in one chain: chunk hits and the whole-document ranking (in parallel),
 * the ranking's expansion when undecided, then the opening passages of the best documents that have no
 * chunk hit (those the fusion may quote as a whole; a vector hit can still give one a passage).
 */
async function keywordEvidence(keywords: KeywordIndex, botId: string, queryText: string, candidates: number, topK: number): Promise<KeywordEvidence> {
  const [chunkHits, firstPassDocuments] = await Promise.all([
    keywords.search(botId, queryText, candidates, "chunk"),
    keywords.rankDocuments(botId, queryText, KEYWORD_DOCUMENTS),
  ]);
  const withChunkHit = new Set(chunkHits.map((hit) => hit.documentId));
  const likelyOf = (ranking: readonly ScoredDocument[], count: number) =>
    ranking.map((hit) => hit.documentId).filter((id) => !withChunkHit.has(id)).slice(0, count);
  const asked = new Set<string>();
  const readPassages = async (documentIds: string[]): Promise<KeywordChunk[]> => {
    if (documentIds.length === 0) return [];
    try {
      const rows = await keywords.documentPassages(botId, documentIds);
      for (const id of documentIds) asked.add(id);
      return rows;
    } catch (error) {
      // Not asked: the caller reads them again if the fusion picks them.
      console.error("edgechat: reading whole-document passages failed", error);
      return [];
    }
  };
  // The first ranking's likely documents are read beside its expansion instead of after it (one D1 wait less
  // when the expansion runs); the expansion, a small re-weighting, seldom changes them, and any it brings in are
  // read after it. A document's row does not depend on which others are asked with it: same rows as before.
  // More than topK of them: the expansion re-orders the first ranking a little, and a likely document read
  // ahead saves the read after it (a whole D1 wait on the chain; a row by rowid costs next to nothing).
  const firstLikely = likelyOf(firstPassDocuments, topK * LIKELY_READ_AHEAD);
  const [documentHits, firstRows] = await Promise.all([
    // Documents with a matching passage are re-weighted too: the fusion may quote them whatever their rank.
    expandDocumentRanking(keywords, botId, queryText, firstPassDocuments, DEFAULT_EXPANSION, withChunkHit).catch((error: unknown) => {
      console.error("edgechat: query expansion failed; using the first keyword pass", error);
      return firstPassDocuments;
    }),
    readPassages(firstLikely),
  ]);
  const moreRows = await readPassages(likelyOf(documentHits, topK).filter((id) => !firstLikely.includes(id)));
  return { chunkHits, firstPassDocuments, documentHits, documentPassages: { rows: [...firstRows, ...moreRows], asked } };
}

/** How many times topK of the first ranking's likely documents have their opening passages read beside the expansion. */
const LIKELY_READ_AHEAD = 3;

/** Documents the whole-document keyword ranking returns (every likely one for a bot's docs). */
const KEYWORD_DOCUMENTS = 200;

/**
 * A short follow-up is searched together with the previous user message. A question counts as a
 * follow-up when it has at most 8 words and leans on what came before: it starts like a
 * continuation ("and for teams?", "what about Business?"), refers back ("how much does it cost?",
 * "can I do that on Free?", "which one is cheaper?"), or is a fragment: one topic word, or two
 * without a question word in front ("on the Pro plan?"). A short question that stands on its own
 * ("Do you offer refunds?", "Who won the football world cup in 1998?") is searched alone, so the
 * last topic does not leak into an unrelated one.
 */
export function withFollowUpContext(question: string, history: readonly ModelMessage[]): string {
  if (!isFollowUp(question)) return question;
  for (let i = history.length - 1; i >= 0; i--) {
    const message = history[i]!;
    if (message.role !== "user") continue;
    const text = typeof message.content === "string" ? message.content : message.content.map((part) => (part.type === "text" ? part.text : "")).join(" ");
    return `${text.slice(0, 500)}\n${question}`;
  }
  return question;
}

const FOLLOW_UP_MAX_WORDS = 8;
const CONTINUATION_START = /^(and|or|but|also|then|so|plus|what about|how about|same)\b/;
// A pronoun after a verb or preposition ("does it", "for that"), a pronoun ending the question, or "which one".
const REFERS_BACK =
  /\b(do|does|did|is|are|was|were|can|will|use|about|for|on|with|to|of|in|from)\s+(it|that|this|those|these|them|they)\b|\b(it|that|this|those|these|them)$|\b(which|the|this|that|another|other)\s+ones?\b/;
const QUESTION_START = /^(how|what|when|where|who|whom|whose|why|which|do|does|did|is|are|was|were|can|could|will|would|should|may|might|must|have|has|shall)\b/;

/** Whether a question leans on the one before (see `withFollowUpContext`). */
export function isFollowUp(question: string): boolean {
  const tokens = words(question);
  if (tokens.length > FOLLOW_UP_MAX_WORDS) return false;
  const text = tokens.join(" ");
  if (CONTINUATION_START.test(text) || REFERS_BACK.test(text)) return true;
  const topicWords = tokens.filter((token) => !isStopword(token)).length;
  return topicWords <= 1 || (topicWords === 2 && !QUESTION_START.test(text));
}
