import { isPng, readPngChunks, readTextChunk, textChunk, writePng } from "./png-chunks";

/** Where a generated image came from. It travels with the image: in the PNG and in storage metadata. */
export interface ImageProvenance {
  /** The image model's id, e.g. "gpt-image-1-mini" or "offline-image". */
  model: string;
  /** The bot whose conversation asked for the image. */
  bot: string;
  /** When the image was made (ISO 8601, UTC). */
  createdAt: string;
}

/** IPTC's term for media made by a generative model (https://cv.iptc.org/newscodes/digitalsourcetype/). */
export const IPTC_TRAINED_ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

/**
 * The tEXt entries that mark a PNG as AI-generated: `provenance: ai-generated`, the model, the bot,
 * the time, and IPTC's digital source type.
 *
 * @example
 * provenanceTextEntries({ model: "offline-image", bot: "demo", createdAt: "2026-01-01T00:00:00.000Z" })
 * // { provenance: "ai-generated", model: "offline-image", bot: "demo", "Creation Time": "2026-…", DigitalSourceType: "http://…" }
 */
export function provenanceTextEntries(provenance: ImageProvenance): Record<string, string> {
  return {
    provenance: "ai-generated",
    model: provenance.model,
    bot: provenance.bot,
    "Creation Time": provenance.createdAt,
    DigitalSourceType: IPTC_TRAINED_ALGORITHMIC_MEDIA,
  };
}

/**
 * Writes the provenance tEXt chunks into a PNG right after IHDR, replacing any earlier ones with
 * the same keywords (so stamping twice leaves one set). Bytes that are not a PNG come back unchanged:
 * their provenance lives in the storage metadata only.
 */
export function stampPngProvenance(bytes: Uint8Array, provenance: ImageProvenance): Uint8Array {
  if (!isPng(bytes)) return bytes;
  const entries = provenanceTextEntries(provenance);
  const keywords = new Set(Object.keys(entries));
  const kept = readPngChunks(bytes).filter((chunk) => chunk.type !== "tEXt" || !keywords.has(readTextChunk(chunk).keyword));
  const [header, ...rest] = kept;
  return writePng([header!, ...Object.entries(entries).map(([keyword, text]) => textChunk(keyword, text)), ...rest]);
}
