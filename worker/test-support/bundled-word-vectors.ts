// Tests, evals and benches read the word-vector table from its module; the product fetches it from the
// static assets (worker/models/word-vectors-from-assets.ts), so no Worker bundle carries it.
import { openWordVectors, type PackedWordVectors, type WordVectors } from "../models/word-vectors";
import {
  WORD_VECTOR_BITS,
  WORD_VECTOR_BYTES,
  WORD_VECTOR_COMMON,
  WORD_VECTOR_COUNT,
  WORD_VECTOR_DIMENSIONS,
  WORD_VECTOR_ID,
  WORD_VECTOR_INDEX,
} from "../models/word-vectors-table";

let bundled: WordVectors | undefined;

/** The shipped table as packed data: the shape of the static asset the product fetches. */
export function packedBundledWordVectors(): PackedWordVectors {
  return {
    id: WORD_VECTOR_ID,
    index: WORD_VECTOR_INDEX,
    bytes: WORD_VECTOR_BYTES,
    count: WORD_VECTOR_COUNT,
    dimensions: WORD_VECTOR_DIMENSIONS,
    bits: WORD_VECTOR_BITS,
    commonVector: WORD_VECTOR_COMMON,
  };
}

/** The shipped table, opened from worker/models/word-vectors-table.ts. */
export function bundledWordVectors(): WordVectors {
  bundled ??= openWordVectors(packedBundledWordVectors());
  return bundled;
}
