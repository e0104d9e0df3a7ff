/** A table of English word vectors: each known word's frequency rank and unit-length vector. */
export interface WordVectors {
  /** Names the table; part of the embedding model's id, so a new table re-embeds stored documents. */
  readonly id: string;
  /** Length of every vector. */
  readonly dimensions: number;
  /**
   * The word's frequency rank (0 = most frequent) and its vector, `vector[d] · scale` being unit
   * length; undefined for an unknown word.
   */
  lookup(word: string): WordVector | undefined;
  /** The expected unit word vector of ordinary text (words weighted by a Zipf frequency prior and `rarityWeight`). */
  readonly commonVector: readonly number[];
}

export interface WordVector {
  rank: number;
  vector: Int8Array;
  scale: number;
}

/** A table as scripts/support/word-vector-packing.mjs writes it. */
export interface PackedWordVectors {
  id: string;
  /** "word<TAB>rank in base 36" records sorted by word, one per line. */
  index: string;
  /** Base64 of the components in rank order: 4 bits two a byte (low nibble first, offset by 8), or 8-bit signed. */
  bytes: string;
  count: number;
  dimensions: number;
  bits: 4 | 8;
  commonVector: readonly number[];
}

/**
 * Word vectors that load on first use (edgechat's own come from the ASSETS binding, see
 * word-vectors-from-assets.ts). `id` is known up front: it is part of the offline embedding model's id.
 */
export interface WordVectorsLoader {
  readonly id: string;
  load(): Promise<WordVectors>;
}

/** A table at hand, or one to load when first needed. */
export type WordVectorsSource = WordVectors | WordVectorsLoader;

/** The table of a source, loading it if needed; undefined without a source. */
export async function resolveWordVectors(source: WordVectorsSource | undefined): Promise<WordVectors | undefined> {
  if (!source) return undefined;
  return "load" in source ? source.load() : source;
}

/** Looked-up words kept per table; the cache is emptied when full, so visitor text cannot grow it without bound. */
const CACHE_LIMIT = 20_000;

/** Opens a packed table. Nothing is built up front; lookups are cached. */
export function openWordVectors(table: PackedWordVectors): WordVectors {
  const { index, count, dimensions, bits, bytes } = table;
  // Nothing is decoded up front: each looked-up word's bytes are cut out of the base64 text.
  const bytesPerWord = (dimensions * bits) / 8;
  const expected = Math.ceil((count * bytesPerWord) / 3) * 4;
  if (bytes.length !== expected || table.commonVector.length !== dimensions || !Number.isInteger(bytesPerWord)) {
    throw new Error(
      `Word-vector table ${table.id} is corrupt: ${count} words × ${dimensions} dimensions × ${bits} bits needs ${expected} base64 characters and a ${dimensions}-component common vector, found ${bytes.length} characters and ${table.commonVector.length} components.`,
    );
  }
  const cache = new Map<string, WordVector | null>();

  function rankOf(word: string): number | undefined {
    // Binary search over character positions: [low, high) always starts and ends on record boundaries.
    let low = 0;
    let high = index.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const start = index.lastIndexOf("\n", middle - 1) + 1;
      const newline = index.indexOf("\n", middle);
      const end = newline < 0 || newline > high ? high : newline;
      const tab = index.indexOf("\t", start);
      const candidate = index.slice(start, tab);
      if (candidate === word) return parseInt(index.slice(tab + 1, end), 36);
      if (word < candidate) high = Math.max(start - 1, low);
      else low = end + 1;
    }
    return undefined;
  }

  function unpack(rank: number): WordVector {
    // The word's bytes are [first, first + bytesPerWord); base64 decodes in groups of 4 characters = 3 bytes.
    const first = rank * bytesPerWord;
    const group = Math.floor(first / 3);
    const binary = atob(bytes.slice(group * 4, Math.ceil((first + bytesPerWord) / 3) * 4));
    const offset = first - group * 3;
    const vector = new Int8Array(dimensions);
    let norm = 0;
    for (let d = 0; d < dimensions; d++) {
      const value = bits === 8 ? (binary.charCodeAt(offset + d) << 24) >> 24 : ((binary.charCodeAt(offset + (d >> 1)) >> ((d & 1) * 4)) & 0xf) - 8;
      vector[d] = value;
      norm += value * value;
    }
    return { rank, vector, scale: norm > 0 ? 1 / Math.sqrt(norm) : 0 };
  }

  return {
    id: table.id,
    dimensions,
    commonVector: table.commonVector,
    lookup(word) {
      const cached = cache.get(word);
      if (cached !== undefined) return cached ?? undefined;
      const rank = /^[a-z]+$/.test(word) ? rankOf(word) : undefined;
      const found = rank === undefined || !(rank >= 0 && rank < count) ? null : unpack(rank);
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(word, found);
      return found ?? undefined;
    },
  };
}

/** How much a word of frequency rank r counts in a text's meaning: r / (r + 100), near 0 for "the", near 1 for rare words. */
export function rarityWeight(rank: number): number {
  return rank / (rank + RARITY_RANK);
}

/** Must equal RARITY_RANK of scripts/support/word-vector-packing.mjs, which weights the common vector the same way (tested). */
const RARITY_RANK = 100;
