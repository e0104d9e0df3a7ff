/**
 * Cloudflare Vectorize's documented limits (developers.cloudflare.com/vectorize/platform/limits),
 * enforced by the local stand-in so code that works locally also works against a real index.
 */
export const VECTORIZE_LIMITS = {
  maxDimensions: 1536,
  maxIdBytes: 64,
  maxNamespaceBytes: 64,
  maxMetadataBytes: 10 * 1024,
  /** topK when neither values nor all metadata are returned. */
  maxTopK: 100,
  /** topK when `returnValues` is true or `returnMetadata` is "all". */
  maxTopKWithValuesOrMetadata: 20,
  /** Vectors per insert/upsert call from a Worker. */
  maxBatchSize: 1000,
  maxMetadataIndexes: 10,
  /** Indexed string metadata is filterable on its first 64 bytes. */
  indexedStringBytes: 64,
  maxFilterBytes: 2048,
  defaultTopK: 5,
} as const;

export type IndexedMetadataType = "string" | "number" | "boolean";

/** Byte length of a string in UTF-8. */
export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).byteLength;
}

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8, cut on a character boundary. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (utf8Length(text) <= maxBytes) return text;
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = utf8Length(char);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}

/** A violation of Vectorize's contract, worded like Vectorize's own errors (operation, code, reason). */
export class VectorizeContractError extends Error {
  constructor(operation: "INSERT" | "UPSERT" | "QUERY" | "GET" | "DELETE" | "DESCRIBE" | "METADATA_INDEX", message: string) {
    super(`VECTOR_${operation}_ERROR: ${message}`);
    this.name = "VectorizeContractError";
  }
}
