/** Longest image prompt the server passes on, in characters (Unicode code points). */
export const MAX_IMAGE_PROMPT_CHARS = 1000;

/** Sizes an image may have; anything else a model asks for is mapped to the nearest of these. */
export const IMAGE_SIZES = ["1024x1024", "1536x1024", "1024x1536"] as const;
export type ImageSize = (typeof IMAGE_SIZES)[number];
export const DEFAULT_IMAGE_SIZE: ImageSize = "1024x1024";

/** Images per call: always one, whatever the model asks. */
export const IMAGES_PER_CALL = 1;

/**
 * Cleans an image prompt: control characters become spaces, runs of whitespace collapse, and the
 * result is cut to MAX_IMAGE_PROMPT_CHARS code points (never splitting a surrogate pair).
 *
 * @example
 * clampImagePrompt("  a cat\n\non a mat ") // "a cat on a mat"
 */
export function clampImagePrompt(prompt: string): string {
  const cleaned = prompt.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ").replace(/\s+/g, " ").trim();
  const codePoints = Array.from(cleaned);
  return codePoints.length <= MAX_IMAGE_PROMPT_CHARS ? cleaned : codePoints.slice(0, MAX_IMAGE_PROMPT_CHARS).join("").trimEnd();
}

/**
 * Maps any requested size to an allowed one: an allowed size stays, a `WxH` outside the list
 * becomes the allowed size with the closest aspect ratio, anything else the default.
 *
 * @example
 * clampImageSize("1792x1024") // "1536x1024"
 * clampImageSize("huge")      // "1024x1024"
 */
export function clampImageSize(size: string | undefined): ImageSize {
  if (size === undefined) return DEFAULT_IMAGE_SIZE;
  const normalized = size.trim().toLowerCase().replace(/\s+/g, "").replace("×", "x");
  if ((IMAGE_SIZES as readonly string[]).includes(normalized)) return normalized as ImageSize;
  const match = /^(\d{1,5})x(\d{1,5})$/.exec(normalized);
  if (!match) return DEFAULT_IMAGE_SIZE;
  const width = Number(match[1]);
  const height = Number(match[2]);
  if (width === 0 || height === 0) return DEFAULT_IMAGE_SIZE;
  const ratio = Math.log(width / height);
  let best: ImageSize = DEFAULT_IMAGE_SIZE;
  let bestDistance = Infinity;
  for (const candidate of IMAGE_SIZES) {
    const [w, h] = candidate.split("x").map(Number) as [number, number];
    const distance = Math.abs(Math.log(w / h) - ratio);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
