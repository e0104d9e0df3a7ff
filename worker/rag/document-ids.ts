/**
 * Deterministic vector id of a document's chunk: a SHA-256 of bot and document ids (so ids of
 * different bots never collide) plus the chunk's position. At most 47 bytes, within Vectorize's 64.
 * Re-ingesting a document writes the same ids, so upsert replaces its chunks in place.
 *
 * @example
 * await chunkVectorId("demo", "guides:setup.md", 3) // "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b-3"
 */
export async function chunkVectorId(botId: string, documentId: string, chunkIndex: number): Promise<string> {
  return `${await documentKey(botId, documentId)}-${chunkIndex}`;
}

/** The 40-hex-digit prefix shared by every vector id of one document. */
export async function documentKey(botId: string, documentId: string): Promise<string> {
  return (await sha256Hex(`${botId}\u0000${documentId}`)).slice(0, 40);
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
