import type { EmbeddingModelV3 } from "@ai-sdk/provider";
import { isStopword, stem, words } from "../rag/text-tokens";
import { rarityWeight, resolveWordVectors, type WordVectors, type WordVectorsSource } from "./word-vectors";

export interface OfflineEmbeddingModelOptions {
  /** Length of every embedding (default 384). The vector index must have the same dimensions. */
  dimensions?: number;
  modelId?: string;
  /**
   * Share of the similarity that comes from word meaning (the word-vector block) rather than
   * spelling (the hashed block), 0…1 (default SEMANTIC_WEIGHT). 0 gives the pure hashing model.
   */
  semanticWeight?: number;
  /**
   * Word vectors for the meaning block, at hand or loaded on first use (edgechat's own:
   * `wordVectorsFromAssets(env.ASSETS)`). Required unless `semanticWeight` is 0.
   */
  wordVectors?: WordVectorsSource;
}

export const OFFLINE_EMBEDDING_DIMENSIONS = 384;

/**
 * A deterministic embedding model that needs no key and no network, behind the AI SDK's
 * EmbeddingModelV3 interface (so `embed` / `embedMany` work with it unchanged).
 *
 * What it is, honestly: two blocks side by side, each of unit length and weighted so that the
 * cosine of two embeddings is `(1 − w) · spelling similarity + w · meaning similarity`:
 * - spelling: feature hashing ("the hashing trick") of a text's word stems, adjacent word pairs and
 *   character trigrams, with sublinear term frequency and signed buckets. Texts that share words and
 *   word pieces get close vectors.
 * - meaning: the average of the text's word vectors (GloVe 6B, 50,000 most frequent English words,
 *   reduced to their first principal components), each word weighted by how rare it is. Texts about
 *   the same thing in different words ("outage" and "incident", "refund" and "credit") get closer;
 *   product names and words outside the table add nothing here.
 * It is a bag-of-words model, not a trained sentence encoder: good enough for plainly worded
 * questions over a small docs set, clearly weaker than a hosted embedding model, and exactly
 * reproducible.
 *
 * @example
 * const model = createOfflineEmbeddingModel({ wordVectors: wordVectorsFromAssets(env.ASSETS) });
 * const { embedding } = await embed({ model, value: "reset my password" });
 */
export function createOfflineEmbeddingModel(options: OfflineEmbeddingModelOptions = {}): EmbeddingModelV3 {
  const dimensions = options.dimensions ?? OFFLINE_EMBEDDING_DIMENSIONS;
  if (!Number.isInteger(dimensions) || dimensions < 8 || dimensions > 1536) {
    throw new Error(`Offline embedding dimensions must be an integer from 8 to 1536, got ${dimensions}.`);
  }
  const semanticWeight = options.semanticWeight ?? SEMANTIC_WEIGHT;
  if (!(semanticWeight >= 0 && semanticWeight <= 1)) {
    throw new Error(`Offline embedding semanticWeight must be a number from 0 to 1, got ${semanticWeight}.`);
  }
  const wordVectors = semanticWeight > 0 ? options.wordVectors : undefined;
  if (semanticWeight > 0 && !wordVectors) {
    throw new Error("The offline embedding model needs wordVectors (e.g. wordVectorsFromAssets(env.ASSETS)), or semanticWeight: 0 for spelling alone.");
  }
  return {
    specificationVersion: "v3",
    provider: "edgechat-offline",
    // The id changes whenever the features, weights or word vectors do, so ingestion re-embeds stored documents.
    modelId: options.modelId ?? (wordVectors ? `offline-hashing-glove-v3-${dimensions}-${semanticWeight}-${wordVectors.id}` : `offline-hashing-v2-${dimensions}`),
    maxEmbeddingsPerCall: 4096,
    supportsParallelCalls: true,
    async doEmbed({ values }) {
      const table = await resolveWordVectors(wordVectors);
      let tokens = 0;
      const embeddings = values.map((value) => {
        tokens += Math.ceil(value.length / 4);
        return offlineEmbedding(value, dimensions, semanticWeight, table);
      });
      return { embeddings, usage: { tokens }, warnings: [] };
    },
  };
}

/** Default share of word meaning in the offline similarity (measured with npm run eval:rag). */
export const SEMANTIC_WEIGHT = 0.5;

/**
 * One text's offline embedding: the hashed spelling block (`dimensions` minus the meaning block)
 * and the word-vector meaning block (the table's first `min(table dimensions, dimensions / 4)`
 * components), scaled by √(1 − w) and √w. Without word vectors it is the spelling block alone.
 */
export function offlineEmbedding(text: string, dimensions: number, semanticWeight: number, wordVectors: WordVectors | undefined): number[] {
  const meaningDimensions = wordVectors ? Math.min(wordVectors.dimensions, Math.floor(dimensions / 4)) : 0;
  const spelling = hashedEmbedding(text, dimensions - meaningDimensions);
  if (!wordVectors || meaningDimensions === 0) return spelling;
  const meaning = meaningEmbedding(text, wordVectors, meaningDimensions);
  const a = Math.sqrt(1 - semanticWeight);
  const b = Math.sqrt(semanticWeight);
  // Unit length even when one block is empty (a text of unknown words, or of stopwords only).
  return toUnitLength([...spelling.map((value) => value * a), ...meaning.map((value) => value * b)]);
}

/**
 * The rarity-weighted mean of a text's word vectors (first `dimensions` components), unit length;
 * all zeros when no word is in the table. A word's weight is r / (r + RARITY_RANK) for frequency
 * rank r (close to the "smooth inverse frequency" weighting for Zipf-distributed words), so "see"
 * counts little and "outage" fully. A word missing from the table is tried as its stem ("outages").
 */
export function meaningEmbedding(text: string, wordVectors: WordVectors, dimensions: number): number[] {
  const sum = new Float64Array(dimensions);
  for (const word of words(text)) {
    if (isStopword(word)) continue;
    const entry = wordVectors.lookup(word) ?? wordVectors.lookup(stem(word));
    if (!entry) continue;
    const weight = rarityWeight(entry.rank);
    const unit = weight * entry.scale;
    // Minus what every text has in common, so unrelated texts do not look alike.
    for (let d = 0; d < dimensions; d++) sum[d]! += unit * entry.vector[d]! - weight * wordVectors.commonVector[d]!;
  }
  return toUnitLength(sum);
}

const WORD_WEIGHT = 1;
const PAIR_WEIGHT = 0.6;
// Character trigrams carry spelling variants the stemmer misses (measured with npm run eval:rag:
// 0.6 beat 0.35 on vectors-only recall and MRR on every eval set).
const TRIGRAM_WEIGHT = 0.6;

/** The embedding of one text: hashed features, sublinear counts, unit length (all zeros for empty text). */
export function hashedEmbedding(text: string, dimensions: number): number[] {
  const features = new Map<string, number>();
  const add = (feature: string, weight: number) => features.set(feature, (features.get(feature) ?? 0) + weight);
  let previous: string | undefined;
  for (const word of words(text)) {
    if (isStopword(word)) {
      previous = undefined;
      continue;
    }
    const root = stem(word);
    add(`w:${root}`, WORD_WEIGHT);
    if (previous !== undefined) add(`p:${previous} ${root}`, PAIR_WEIGHT);
    previous = root;
    const padded = `<${root}>`;
    if (padded.length > 3) {
      const share = TRIGRAM_WEIGHT / Math.sqrt(padded.length - 2);
      for (let i = 0; i + 3 <= padded.length; i++) add(`t:${padded.slice(i, i + 3)}`, share);
    }
  }
  const vector = new Float64Array(dimensions);
  for (const [feature, count] of features) {
    const hash = fnv1a(feature);
    const weight = count >= 1 ? 1 + Math.log(count) : count;
    vector[hash % dimensions]! += (hash & 0x80000000 ? -1 : 1) * weight;
  }
  return toUnitLength(vector);
}

/** The vector scaled to length 1 (all zeros stays all zeros). */
function toUnitLength(vector: ArrayLike<number>): number[] {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i]! * vector[i]!;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return Array.from(vector, (value) => value * scale);
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  // Final avalanche so nearby strings spread over buckets and sign bits.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash >>> 0;
}
