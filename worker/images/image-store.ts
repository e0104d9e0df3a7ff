import type { ImageProvenance } from "./image-provenance";

/** Media types the store accepts: images a browser shows and nothing it could run. */
export const STORABLE_IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif"] as const;

/** Where a stored image is served: `GET /v1/images/<id>`. */
export function imageUrl(id: string): string {
  return `/v1/images/${id}`;
}

/** Image ids are 128 random bits as 32 lowercase hex digits: unguessable, and safe in a URL and an R2 key. */
export function isImageId(value: string): boolean {
  return /^[0-9a-f]{32}$/.test(value);
}

export function newImageId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function keyFor(id: string): string {
  return `images/${id}`;
}

/**
 * The image type the bytes really are, from their magic numbers, or undefined when they are not
 * one of the storable image types. The store trusts this, not what a provider claims.
 *
 * @example
 * sniffImageType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])) // "image/jpeg"
 */
export function sniffImageType(bytes: Uint8Array): (typeof STORABLE_IMAGE_TYPES)[number] | undefined {
  const startsWith = (...magic: number[]) => magic.every((byte, i) => bytes[i] === byte);
  if (startsWith(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (startsWith(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (startsWith(0x47, 0x49, 0x46, 0x38)) return "image/gif";
  if (startsWith(0x52, 0x49, 0x46, 0x46) && String.fromCharCode(...bytes.subarray(8, 12)) === "WEBP") return "image/webp";
  return undefined;
}

export interface ImageToStore {
  id: string;
  bytes: Uint8Array;
  mediaType: string;
  prompt: string;
  provenance: ImageProvenance;
}

/**
 * Stores a generated image in R2 under `images/<id>` with its content type, and the prompt and
 * provenance (`ai-generated`, model, bot, time) as custom metadata. Refuses bytes that are not a
 * PNG, JPEG, WebP or GIF of the declared type, so nothing else is ever served as an image.
 *
 * @example
 * await saveImage(env.IMAGES, { id: newImageId(), bytes, mediaType: "image/png", prompt: "a fox", provenance });
 */
export async function saveImage(bucket: R2Bucket, image: ImageToStore): Promise<void> {
  if (!isImageId(image.id)) throw new Error(`Not an image id: ${JSON.stringify(image.id)}`);
  const actual = sniffImageType(image.bytes);
  if (actual === undefined || actual !== image.mediaType) {
    throw new Error(`Refusing to store ${JSON.stringify(image.mediaType)}: the bytes are ${actual ?? "not a known image type"}.`);
  }
  await bucket.put(keyFor(image.id), image.bytes, {
    httpMetadata: { contentType: image.mediaType },
    customMetadata: {
      provenance: "ai-generated",
      model: image.provenance.model,
      bot: image.provenance.bot,
      createdAt: image.provenance.createdAt,
      prompt: image.prompt,
    },
  });
}

/**
 * Reads a stored image for serving. Returns null for an id that is not well formed or not stored.
 * `conditional` (the request's headers) lets R2 answer If-None-Match without the body.
 */
export async function loadImage(bucket: R2Bucket, id: string, conditional?: Headers): Promise<R2Object | R2ObjectBody | null> {
  if (!isImageId(id)) return null;
  return bucket.get(keyFor(id), conditional ? { onlyIf: conditional } : undefined);
}

/**
 * Deletes stored images by id (erasure of a conversation). Ids that are not well formed are skipped.
 * Returns how many of them were stored.
 *
 * @example
 * const deleted = await deleteImages(env.IMAGES, ["0123456789abcdef0123456789abcdef"]);
 */
export async function deleteImages(bucket: R2Bucket, ids: Iterable<string>): Promise<number> {
  const keys = [...new Set(ids)].filter(isImageId).map(keyFor);
  if (keys.length === 0) return 0;
  const stored = await Promise.all(keys.map((key) => bucket.head(key)));
  await bucket.delete(keys);
  return stored.filter(Boolean).length;
}

/** The image id of a stored image's URL (`/v1/images/<id>`), or undefined for any other URL. */
export function imageIdOfUrl(url: string): string | undefined {
  const id = /^\/v1\/images\/([^/?#]+)$/.exec(url)?.[1];
  return id !== undefined && isImageId(id) ? id : undefined;
}
