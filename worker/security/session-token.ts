import { HttpError } from "../http/http-error";

/** What a session token proves: this bot's session, until this time. */
export interface SessionClaims {
  botId: string;
  sessionId: string;
  /** Unix milliseconds. */
  expiresAt: number;
}

/** How long a token stays valid; every turn hands out a fresh one. */
export const SESSION_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

const encoder = new TextEncoder();

/**
 * Mints a session token: `v1.<claims>.<HMAC-SHA256>` (base64url), signed with the worker's SESSION_SECRET.
 *
 * @example
 * const token = await mintSessionToken(env.SESSION_SECRET, { botId: "demo", sessionId, expiresAt: Date.now() + 3600_000 });
 */
export async function mintSessionToken(secret: string, claims: SessionClaims): Promise<string> {
  const payload = base64url(encoder.encode(JSON.stringify({ b: claims.botId, s: claims.sessionId, e: claims.expiresAt })));
  const signature = await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(`v1.${payload}`));
  return `v1.${payload}.${base64url(new Uint8Array(signature))}`;
}

/**
 * Verifies a session token's signature (constant time, by WebCrypto) and expiry: a malformed, forged or
 * expired token is a 401 that says nothing about which part was wrong. A genuine token for another bot or
 * another conversation than the one asked for is a 404, so no id ever reveals data it does not own.
 */
export async function verifySessionToken(
  secret: string,
  token: unknown,
  expected: { botId?: string; sessionId?: string },
  now = Date.now(),
): Promise<SessionClaims> {
  const refused = new HttpError(401, "invalid_session", "The session token is missing, expired or not valid for this conversation.");
  if (typeof token !== "string" || token.length > 1024) throw refused;
  const [version, payload, signature, extra] = token.split(".");
  if (version !== "v1" || !payload || !signature || extra !== undefined) throw refused;
  let signatureBytes: Uint8Array;
  let claims: { b?: unknown; s?: unknown; e?: unknown };
  try {
    signatureBytes = fromBase64url(signature);
    const valid = await crypto.subtle.verify("HMAC", await hmacKey(secret), signatureBytes, encoder.encode(`v1.${payload}`));
    if (!valid) throw refused;
    claims = JSON.parse(new TextDecoder().decode(fromBase64url(payload)));
  } catch {
    throw refused;
  }
  if (typeof claims.b !== "string" || typeof claims.s !== "string" || typeof claims.e !== "number") throw refused;
  if (claims.e <= now) throw refused;
  // A genuine token for another bot or conversation: the conversation asked for does not exist for it.
  if ((expected.botId !== undefined && claims.b !== expected.botId) || (expected.sessionId !== undefined && claims.s !== expected.sessionId)) {
    throw new HttpError(404, "session_not_found", "No such conversation for this bot.");
  }
  return { botId: claims.b, sessionId: claims.s, expiresAt: claims.e };
}

/** A new unguessable session id (128 random bits). */
export function newSessionId(): string {
  return `s_${base64url(crypto.getRandomValues(new Uint8Array(16)))}`;
}

/** The session secret, or a clear 503 when the deployment has none. */
export function requireSessionSecret(env: { SESSION_SECRET?: string }): string {
  if (!env.SESSION_SECRET || env.SESSION_SECRET.length < 16) {
    throw new HttpError(503, "sessions_disabled", "Sessions are not configured: set the SESSION_SECRET secret (at least 16 characters) on the worker.");
  }
  return env.SESSION_SECRET;
}

function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array {
  if (!/^[\w-]*$/.test(text)) throw new Error("not base64url");
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
