import { sha256Hex } from "../rag/document-ids";

/**
 * A new unguessable token (256 random bits, base64url) with an optional prefix, e.g. "ec_" for API keys.
 * Only its `hashToken` is stored; the token itself goes to its owner once.
 *
 * @example
 * const token = newSecretToken("ec_"); // "ec_Qm9…"
 */
export function newSecretToken(prefix = ""): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return prefix + btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** How tokens are stored: hex SHA-256 (their 256 random bits make a slow hash unnecessary). */
export function hashToken(token: string): Promise<string> {
  return sha256Hex(token);
}

/** A short random id with a kind prefix, e.g. "m_…" for members, "k_…" for keys. */
export function newId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `${prefix}${[...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}
