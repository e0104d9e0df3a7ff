/**
 * What one generated image costs, in US dollars, per image model (1024×1024 at the provider's
 * default quality; list prices when this was written). The routing issue's price table adds these
 * to a turn's cost; the image usage record stores them per image.
 */
export const IMAGE_COST_USD: Readonly<Record<string, number>> = {
  "gpt-image-1-mini": 0.011,
  "gpt-image-1": 0.042,
  "gpt-image-1.5": 0.034,
  "dall-e-3": 0.04,
  "dall-e-2": 0.02,
  // Workers AI: $0.0000528 per 512×512 tile and $0.0001056 per step (pricing page, read 2026-11-30):
  // 1024×1024 is 4 tiles, and flux-1-schnell takes 4 steps by default.
  "@cf/black-forest-labs/flux-1-schnell": 4 * 0.0000528 + 4 * 0.0001056,
  "offline-image": 0,
};

/** Price assumed for an image model missing from the table: on the safe (high) side. */
export const UNKNOWN_IMAGE_MODEL_COST_USD = 0.08;

/**
 * The cost of one image from a model.
 *
 * @example
 * imageCostUsd("gpt-image-1-mini") // 0.011
 */
export function imageCostUsd(modelId: string): number {
  return IMAGE_COST_USD[modelId] ?? UNKNOWN_IMAGE_MODEL_COST_USD;
}
